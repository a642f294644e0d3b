#!/usr/bin/env bash
# Step-rate search through one SIP proxy: SIPp UAC -> proxy -> SIPp UAS (SIPp's built-in call: INVITE, 100, 180,
# 200, ACK, BYE, 200), first through our VoipPlatform.Proxy, then through Kamailio 5.6 (transaction-stateful,
# Record-Route, -x tlsf -X tlsf) on the same machine in the same run. For each rate the call load runs
# STEP_SECONDS; the result per target is the highest rate with zero failed calls and retransmissions under 0.1%.
#
#   bench/sipp-proxy-vs-kamailio.sh                 # rates 1000..10000, 30 s each
#   RATES="500 1000" STEP_SECONDS=10 bench/sipp-proxy-vs-kamailio.sh
#
# Loopback only; every process it starts is stopped by PID on exit; every SIPp run is bounded by -m and timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh

read -r -a RATES <<< "${RATES:-1000 2000 3000 4000 5000 6000 7000 8000 9000 10000}"
# Kamailio first: a failed step of ours leaves the shared UAS retransmitting into the next target's first step.
read -r -a TARGETS <<< "${TARGETS:-kamailio ours}"
STEP_SECONDS=${STEP_SECONDS:-30}
UAS_PORT=${UAS_PORT:-5190}
OURS_PORT=${OURS_PORT:-5162}
KAMAILIO_PORT=${KAMAILIO_PORT:-5164}
# One UDP worker by default: with two, Kamailio relays some 180s after the 200 of the same call, which SIPp
# counts as a failed call (the reordering our proxy's per-call workers rule out). KAMAILIO_CHILDREN=2 shows it.
KAMAILIO_CHILDREN=${KAMAILIO_CHILDREN:-1}
MESSAGES_PER_CALL=13
OUT=${OUT:-bench/results/proxy-vs-kamailio-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
source bench/lib/platform.sh

require_tools sipp kamailio jq

stop_started_on_exit

dotnet build -c Release VoipPlatform.Proxy -v q -nologo >/dev/null

start_logged uas timeout -k 5 $(( ${#RATES[@]} * (STEP_SECONDS + 40) * 2 + 120 )) \
  sipp -sn uas -i 127.0.0.1 -p "$UAS_PORT" -buff_size 4194304 -nostdin
uas_pid=$LAST_PID

printf '%s\n' "$STEP_HEADER" | tee "$OUT/steps.tsv"

for target in "${TARGETS[@]}"; do
  case "$target" in
    # OURS_ENV adds settings for an experiment, e.g. OURS_ENV="OTEL_SDK_DISABLED=true". The UAS stands where the
    # router would be.
    ours) EDGE_ENV=${OURS_ENV:-} start_edge "$OURS_PORT" "$UAS_PORT"; port=$OURS_PORT ;;
    kamailio) start_kamailio kamailio proxy.cfg "127.0.0.1:$KAMAILIO_PORT" "127.0.0.1:$UAS_PORT"; port=$KAMAILIO_PORT ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  pid=$LAST_PID
  sleep 5
  require_running "$target" "$pid"
  # Warm-up, not recorded: 5 s at 500 calls/s, so JIT compilation (ours) does not land in the first step's tail.
  timeout -k 5 60 sipp -sn uac "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$port" -r 500 -m 2500 \
    -buff_size 4194304 -nostdin > "$OUT/$target-warmup.log" 2>&1 || true
  UAC=(-sn uac "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$port")
  PROCESSES=("$target=$pid" "uas=$uas_pid")
  DROP_PORTS=("$port" "$UAS_PORT")
  step_search "$target"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

ours_best=$(best_rate ours); kam_best=$(best_rate kamailio); ratio=$(rate_ratio "$ours_best" "$kam_best")
{
  machine_line
  echo "step: ${STEP_SECONDS}s per rate; pass = zero failed calls and retransmissions < 0.1% of messages; kamailio children=$KAMAILIO_CHILDREN"
  echo "ours: $ours_best calls/s; kamailio: $kam_best calls/s; ratio: $ratio"
} | tee "$OUT/summary.txt"
write_results proxy-vs-kamailio "RATES=\"${RATES[*]}\" STEP_SECONDS=$STEP_SECONDS TARGETS=\"${TARGETS[*]}\" $0"
