#!/usr/bin/env bash
# Step-rate search through the full call path without media, against two chained Kamailios, in one run:
#   ours:     SIPp UAC -> edge proxy -> router (asks the business-logic API, which reads Redis; looks the callee's
#             bindings up in Redis) -> SIPp UAS
#   kamailio: SIPp UAC -> Kamailio edge (bench/kamailio/proxy.cfg) -> Kamailio core (bench/kamailio/registrar.cfg:
#             registrar lookup in memory) -> SIPp UAS
# Both chains are transaction-stateful and record-route at each hop; the callee (the UAS) registers first at the
# router / core. The caller is a trusted source at our router (a carrier), as nothing authenticates in Kamailio's
# chain. The call: INVITE, 100, 180, 200, ACK and BYE along the route set, 200 (bench/sipp/uac-call.xml,
# bench/sipp/uas-answer.xml). For each rate the load runs STEP_SECONDS; the result per target is the highest rate
# with zero failed calls and retransmissions under 0.1 %.
#
#   bench/sipp-full-path-vs-kamailio-chain.sh                 # rates 500..6000, 30 s each
#   RATES="500 1000" STEP_SECONDS=10 TARGETS=ours bench/sipp-full-path-vs-kamailio-chain.sh
#
# Loopback only; every process it starts is stopped by PID on exit; every SIPp run is bounded by -m and timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh

read -r -a RATES <<< "${RATES:-500 1000 1500 2000 2500 3000 4000 5000 6000}"
read -r -a TARGETS <<< "${TARGETS:-kamailio ours}"
STEP_SECONDS=${STEP_SECONDS:-30}
MESSAGES_PER_CALL=13 # at each hop: INVITE, 100, 180, 200, ACK, BYE, 200 in and out, less the 100 not relayed
UAS_PORT=${UAS_PORT:-5390}
EDGE_PORT=${EDGE_PORT:-5362}
ROUTER_PORT=${ROUTER_PORT:-5372}
KAMAILIO_EDGE_PORT=${KAMAILIO_EDGE_PORT:-5364}
KAMAILIO_CORE_PORT=${KAMAILIO_CORE_PORT:-5374}
OUT=${OUT:-bench/results/full-path-vs-kamailio-chain-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
source bench/lib/platform.sh

require_tools sipp kamailio redis-server curl jq
stop_started_on_exit

build_platform
printf '%s\n' "$STEP_HEADER" | tee "$OUT/steps.tsv"

start_logged uas timeout -k 5 $(( ${#TARGETS[@]} * ${#RATES[@]} * (STEP_SECONDS + 40) + 600 )) \
  sipp -sf bench/sipp/uas-answer.xml -i 127.0.0.1 -p "$UAS_PORT" -buff_size 4194304 -nostdin
uas_pid=$LAST_PID

# Warm-up, not recorded: 5 s at 200 calls/s, so JIT compilation (ours) does not land in the first step's tail.
warm_up() { # $1 target, $2 entry port
  timeout -k 5 60 sipp -sf bench/sipp/uac-call.xml "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$2" \
    -s callee -key domain "$BENCH_DOMAIN" -r 200 -m 1000 -buff_size 4194304 -nostdin > "$OUT/$1-warmup.log" 2>&1 || true
}

run_ours() {
  echo callee > "$OUT/users.txt"
  ROUTER_ENV="Router__TrustedSources__0=127.0.0.0/8 ${ROUTER_ENV:-}" start_platform "$OUT/users.txt" "$EDGE_PORT" "$ROUTER_PORT"
  register_contact callee "127.0.0.1:$UAS_PORT" "127.0.0.1:$ROUTER_PORT"
  warm_up ours "$EDGE_PORT"
  UAC=(-sf bench/sipp/uac-call.xml "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$EDGE_PORT" -s callee -key domain "$BENCH_DOMAIN")
  PROCESSES=("edge=$EDGE_PID" "router=$ROUTER_PID" "api=$API_PID" "redis=$REDIS_PID" "uas=$uas_pid")
  DROP_PORTS=("$EDGE_PORT" "$ROUTER_PORT" "$UAS_PORT")
  step_search ours
  stop_platform
}

run_kamailio() {
  start_kamailio_chain "$KAMAILIO_EDGE_PORT" "$KAMAILIO_CORE_PORT"
  register_contact callee "127.0.0.1:$UAS_PORT" "127.0.0.1:$KAMAILIO_CORE_PORT"
  warm_up kamailio "$KAMAILIO_EDGE_PORT"
  UAC=(-sf bench/sipp/uac-call.xml "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$KAMAILIO_EDGE_PORT" -s callee -key domain "$BENCH_DOMAIN")
  # Kamailio's processes are children of its main process: cpu_seconds counts them.
  PROCESSES=("edge=$KAMAILIO_EDGE_PID" "core=$KAMAILIO_CORE_PID" "uas=$uas_pid")
  DROP_PORTS=("$KAMAILIO_EDGE_PORT" "$KAMAILIO_CORE_PORT" "$UAS_PORT")
  step_search kamailio
  stop_kamailio_chain
}

for target in "${TARGETS[@]}"; do
  case "$target" in
    ours) run_ours ;;
    kamailio) run_kamailio ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
done

ours_best=$(best_rate ours); kam_best=$(best_rate kamailio); ratio=$(rate_ratio "$ours_best" "$kam_best")
{
  machine_line
  echo "step: ${STEP_SECONDS}s per rate; pass = zero failed calls and retransmissions < 0.1% of messages; kamailio children=${KAMAILIO_CHILDREN:-1} per instance"
  echo "ours (edge, router, API, Redis): $ours_best calls/s; two chained kamailios: $kam_best calls/s; ratio: $ratio"
} | tee "$OUT/summary.txt"
write_results full-path-vs-kamailio-chain "RATES=\"${RATES[*]}\" STEP_SECONDS=$STEP_SECONDS TARGETS=\"${TARGETS[*]}\" $0"
