#!/usr/bin/env bash
# Registrations per second with digest authentication (qop=auth), USERS distinct users, step-rate search, against
# Kamailio in the same run:
#   ours:        SIPp -> edge proxy (adds Path) -> router (challenge, HA1 through the API (cached
#                Router:DirectoryCacheTime, flushed on directory changes), nonce-count check, bindings written to
#                Redis in one script call)
#   ours-router: SIPp -> router directly (no edge): the registrar alone, as Kamailio's registrar is
#   kamailio:    SIPp -> Kamailio registrar (bench/kamailio/registrar.cfg -A WITH_AUTH: bindings in memory, each
#                user's password derived from the user name, nonce counts checked)
# One SIPp "call" is one registration: REGISTER, 401, REGISTER with credentials, 200 (bench/sipp/uac-register.xml),
# users taken in turn from an injection file. A step passes with every registration successful, none failed,
# retransmissions under 0.1 %.
#
#   bench/sipp-registrations-vs-kamailio.sh
#   RATES="1000 2000" STEP_SECONDS=10 USERS=1000 TARGETS=ours bench/sipp-registrations-vs-kamailio.sh
#   ROUTER_ENV="Router__RegistrarAnswersStateless=true" TARGETS=ours-router bench/sipp-registrations-vs-kamailio.sh
#
# Loopback only; every process it starts is stopped by PID on exit; every SIPp run is bounded by -m and timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh

read -r -a RATES <<< "${RATES:-1000 2000 3000 4000 5000 6000 7500 9000 11000 13000 15000}"
read -r -a TARGETS <<< "${TARGETS:-kamailio ours-router ours}"
STEP_SECONDS=${STEP_SECONDS:-30}
USERS=${USERS:-10000}
MESSAGES_PER_CALL=8 # REGISTER, 401, REGISTER, 200, each in and out of the hop
EDGE_PORT=${EDGE_PORT:-5462}
ROUTER_PORT=${ROUTER_PORT:-5472}
KAMAILIO_PORT=${KAMAILIO_PORT:-5464}
CONTACT=127.0.0.1:5490 # what every binding points at; nothing is called
OUT=${OUT:-bench/results/registrations-vs-kamailio-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
source bench/lib/platform.sh

require_tools sipp kamailio redis-server curl jq
stop_started_on_exit

build_platform
seq -f 'u%05g' 1 "$USERS" > "$OUT/users.txt"
{ echo SEQUENTIAL; awk -v c="$CONTACT" '{ print $1 ";pw-" $1 ";" c }' "$OUT/users.txt"; } > "$OUT/users.csv"
printf '%s\n' "$STEP_HEADER" | tee "$OUT/steps.tsv"

# Warm-up, not recorded: every user registers once (JIT, the router's credential cache, Kamailio's usrloc).
warm_up() { # $1 target, $2 port
  timeout -k 5 120 sipp "127.0.0.1:$2" "${REGISTER_ARGS[@]}" -inf "$OUT/users.csv" -r 500 -m "$USERS" \
    -buff_size 4194304 -nostdin > "$OUT/$1-warmup.log" 2>&1 || true
}

run_ours() { # $1 target name: ours (through the edge) or ours-router
  start_platform "$OUT/users.txt" "$EDGE_PORT" "$ROUTER_PORT"
  local port=$EDGE_PORT
  [ "$1" = ours-router ] && port=$ROUTER_PORT
  warm_up "$1" "$port"
  UAC=("127.0.0.1:$port" "${REGISTER_ARGS[@]}" -inf "$OUT/users.csv")
  PROCESSES=("edge=$EDGE_PID" "router=$ROUTER_PID" "api=$API_PID" "redis=$REDIS_PID")
  DROP_PORTS=("$EDGE_PORT" "$ROUTER_PORT")
  step_search "$1"
  echo "bindings in Redis after $1: $(redis-cli -p "$REDIS_PORT" --scan --pattern 'vp:reg:*' | wc -l)" | tee -a "$OUT/notes.txt"
  stop_platform
}

run_kamailio() {
  start_kamailio kamailio registrar.cfg "127.0.0.1:$KAMAILIO_PORT" - -A WITH_AUTH; local pid=$LAST_PID
  sleep 3
  require_running kamailio "$pid"
  warm_up kamailio "$KAMAILIO_PORT"
  UAC=("127.0.0.1:$KAMAILIO_PORT" "${REGISTER_ARGS[@]}" -inf "$OUT/users.csv")
  PROCESSES=("kamailio=$pid")
  DROP_PORTS=("$KAMAILIO_PORT")
  step_search kamailio
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for target in "${TARGETS[@]}"; do
  case "$target" in
    ours|ours-router) run_ours "$target" ;;
    kamailio) run_kamailio ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
done

ours_best=$(best_rate ours); router_best=$(best_rate ours-router); kam_best=$(best_rate kamailio)
{
  machine_line
  echo "step: ${STEP_SECONDS}s per rate; $USERS users; pass = every registration succeeded, retransmissions < 0.1% of messages; kamailio children=${KAMAILIO_CHILDREN:-1}"
  echo "kamailio (registrar, in-memory bindings): $kam_best registrations/s; target 7500/s"
  echo "ours-router (registrar alone, bindings in Redis): $router_best registrations/s; ratio: $(rate_ratio "$router_best" "$kam_best")"
  echo "ours (edge, router, API, Redis): $ours_best registrations/s; ratio: $(rate_ratio "$ours_best" "$kam_best")"
} | tee "$OUT/summary.txt"
write_results registrations-vs-kamailio "RATES=\"${RATES[*]}\" STEP_SECONDS=$STEP_SECONDS USERS=$USERS TARGETS=\"${TARGETS[*]}\" $0"
