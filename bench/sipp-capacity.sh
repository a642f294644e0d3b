#!/usr/bin/env bash
# Capacity: CALLS concurrent calls held through the full call path without media (SIPp UAC -> edge proxy -> router
# (API decision, Redis) -> SIPp UAS, as in bench/sipp-full-path-vs-kamailio-chain.sh), with zero failed calls.
# Calls start at RATE per second and each lasts until the last one has started plus HOLD_SECONDS, so all CALLS are
# up together for HOLD_SECONDS; then they end at the same rate. Reports each process's memory (resident and
# proportional) before the load and at the peak, memory per concurrent call, and kernel UDP drops.
# TARGETS=kamailio (or "ours kamailio") runs the two-Kamailio chain the same way, for reference.
#
#   bench/sipp-capacity.sh                          # 50,000 calls at 1,000/s, held 30 s
#   CALLS=5000 RATE=500 HOLD_SECONDS=10 bench/sipp-capacity.sh
#
# Loopback only; every process it starts is stopped by PID on exit; SIPp is bounded by -m, -l and timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh

CALLS=${CALLS:-50000}
RATE=${RATE:-1000}
HOLD_SECONDS=${HOLD_SECONDS:-30}
read -r -a TARGETS <<< "${TARGETS:-ours}"
UAS_PORT=${UAS_PORT:-5590}
EDGE_PORT=${EDGE_PORT:-5562}
ROUTER_PORT=${ROUTER_PORT:-5572}
KAMAILIO_EDGE_PORT=${KAMAILIO_EDGE_PORT:-5564}
KAMAILIO_CORE_PORT=${KAMAILIO_CORE_PORT:-5574}
RAMP_SECONDS=$(( (CALLS + RATE - 1) / RATE ))
CALL_MS=$(( (RAMP_SECONDS + HOLD_SECONDS) * 1000 ))
RUN_LIMIT=$(( 2 * RAMP_SECONDS + HOLD_SECONDS + 120 ))
OUT=${OUT:-bench/results/capacity-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
source bench/lib/platform.sh

require_tools sipp redis-server curl jq
stop_started_on_exit

build_platform
printf 'target\tprocess\tRSS before MiB\tRSS peak MiB\tPSS before MiB\tPSS peak MiB\n' > "$OUT/memory.tsv"
printf 'target\tcalls\tpeak concurrent\tsuccessful\tfailed\tretransmissions\tUDP drops\tSIP hops peak RSS MiB\tSIP hops peak PSS MiB\tKiB per call (PSS)\tpass\n' \
  | tee "$OUT/steps.tsv"

# Holds CALLS calls through the chain entered at $2 and samples memory every 2 s; PROCESSES lists label=pid.
hold_calls() { # $1 target, $2 entry port, $3 registrar port, $@ labels of the SIP hops whose memory counts per call
  local target=$1 port=$2 registrar=$3; shift 3
  local hops=("$@") entry
  start_logged "$target-uas" timeout -k 5 "$RUN_LIMIT" \
    sipp -sf bench/sipp/uas-answer.xml -i 127.0.0.1 -p "$UAS_PORT" -buff_size 8388608 -nostdin
  local uas=$LAST_PID
  sleep 1
  register_contact callee "127.0.0.1:$UAS_PORT" "127.0.0.1:$registrar"
  # Warm-up, not recorded: 5 s of short calls at 200/s (JIT), then the memory baseline.
  timeout -k 5 60 sipp -sf bench/sipp/uac-call.xml "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$port" \
    -s callee -key domain "$BENCH_DOMAIN" -r 200 -m 1000 -buff_size 8388608 -nostdin > "$OUT/$target-warmup.log" 2>&1 || true
  sleep 5
  local -A rss0=() pss0=() rss1=() pss1=()
  for entry in "${PROCESSES[@]}"; do
    rss0[$entry]=$(rss_mib "${entry#*=}"); pss0[$entry]=$(pss_mib "${entry#*=}"); rss1[$entry]=0; pss1[$entry]=0
  done
  local drops_before; drops_before=$(udp_drops "${DROP_PORTS[@]}")
  local csv="$OUT/$target.csv"
  timeout -k 5 "$RUN_LIMIT" sipp -sf bench/sipp/uac-call.xml "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$port" \
    -s callee -key domain "$BENCH_DOMAIN" -r "$RATE" -m "$CALLS" -l "$CALLS" -d "$CALL_MS" -buff_size 8388608 \
    -nostdin -trace_stat -stf "$csv" -fd 2 > "$OUT/$target-uac.log" 2>&1 &
  local uac=$!
  local peak_calls=0
  while kill -0 "$uac" 2>/dev/null; do
    sleep 2
    for entry in "${PROCESSES[@]}"; do
      local r p; r=$(rss_mib "${entry#*=}"); p=$(pss_mib "${entry#*=}")
      [ "$r" -gt "${rss1[$entry]}" ] && rss1[$entry]=$r
      [ "$p" -gt "${pss1[$entry]}" ] && pss1[$entry]=$p
    done
    local current; current=$(stat_column "$csv" "CurrentCall" 2>/dev/null || echo 0)
    [ "${current:-0}" -gt "$peak_calls" ] 2>/dev/null && peak_calls=$current
    if [ -n "${GCDUMP:-}" ] && [ "$peak_calls" -ge "$CALLS" ] && [ ! -e "$OUT/$target.gcdumped" ]; then
      touch "$OUT/$target.gcdumped"
      gc_dumps
    fi
  done
  wait "$uac" || true
  kill "$uas" 2>/dev/null || true
  local drops=$(( $(udp_drops "${DROP_PORTS[@]}") - drops_before ))
  local hop_before=0 hop_peak=0 hop_rss=0
  for entry in "${PROCESSES[@]}"; do
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "${entry%%=*}" "${rss0[$entry]}" "${rss1[$entry]}" "${pss0[$entry]}" "${pss1[$entry]}" >> "$OUT/memory.tsv"
    local label=${entry%%=*} hop
    for hop in "${hops[@]}"; do
      if [ "$hop" = "$label" ]; then
        hop_before=$(( hop_before + pss0[$entry] )); hop_peak=$(( hop_peak + pss1[$entry] )); hop_rss=$(( hop_rss + rss1[$entry] ))
      fi
    done
  done
  local ok failed retrans
  ok=$(stat_column "$csv" "SuccessfulCall(C)"); failed=$(stat_column "$csv" "FailedCall(C)")
  retrans=$(stat_column "$csv" "Retransmissions(C)")
  local per_call; per_call=$(awk -v a="$hop_before" -v b="$hop_peak" -v c="$CALLS" 'BEGIN { printf "%.1f", (b - a) * 1024 / c }')
  local pass=no
  [ "${ok:-0}" -eq "$CALLS" ] && [ "${failed:-1}" -eq 0 ] && [ "$peak_calls" -ge "$CALLS" ] && pass=yes
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$CALLS" "$peak_calls" "${ok:-0}" "${failed:-0}" "${retrans:-0}" \
    "$drops" "$hop_rss" "$hop_peak" "$per_call" "$pass" | tee -a "$OUT/steps.tsv"
}

# GCDUMP=1: at the peak, a heap dump of each of our SIP hops (dotnet-gcdump; it forces a full collection, so the
# memory figures of that run are not comparable) and its largest types by size in $OUT/<hop>-heap.txt.
gc_dumps() {
  local entry
  for entry in "${PROCESSES[@]}"; do
    case "${entry%%=*}" in edge|router) ;; *) continue ;; esac
    ~/.dotnet/tools/dotnet-gcdump collect -p "${entry#*=}" -o "$OUT/${entry%%=*}.gcdump" > /dev/null 2>&1 || continue
    ~/.dotnet/tools/dotnet-gcdump report "$OUT/${entry%%=*}.gcdump" 2>/dev/null | head -40 > "$OUT/${entry%%=*}-heap.txt" || true
  done
}

run_ours() {
  echo callee > "$OUT/users.txt"
  ROUTER_ENV="Router__TrustedSources__0=127.0.0.0/8" start_platform "$OUT/users.txt" "$EDGE_PORT" "$ROUTER_PORT"
  PROCESSES=("edge=$EDGE_PID" "router=$ROUTER_PID" "api=$API_PID" "redis=$REDIS_PID")
  DROP_PORTS=("$EDGE_PORT" "$ROUTER_PORT" "$UAS_PORT")
  hold_calls ours "$EDGE_PORT" "$ROUTER_PORT" edge router
  stop_platform
}

run_kamailio() {
  start_kamailio_chain "$KAMAILIO_EDGE_PORT" "$KAMAILIO_CORE_PORT"
  PROCESSES=("edge=$KAMAILIO_EDGE_PID" "core=$KAMAILIO_CORE_PID")
  DROP_PORTS=("$KAMAILIO_EDGE_PORT" "$KAMAILIO_CORE_PORT" "$UAS_PORT")
  hold_calls kamailio "$KAMAILIO_EDGE_PORT" "$KAMAILIO_CORE_PORT" edge core
  stop_kamailio_chain
}

for target in "${TARGETS[@]}"; do
  case "$target" in
    ours) run_ours ;;
    kamailio) run_kamailio ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
done

{
  machine_line
  echo "$CALLS calls started at $RATE/s, each lasting $(( CALL_MS / 1000 )) s, so all are up together for ${HOLD_SECONDS}s; pass = every call succeeded and all were up at once"
  awk -F'\t' 'NR > 1 { printf "%s: SIP hops at peak %s MiB resident (%s MiB PSS), %s KiB per call, %s concurrent, pass %s\n", $1, $8, $9, $10, $3, $11 }' "$OUT/steps.tsv"
  echo "target: 50,000 calls with our proxy and router together under 1 GiB resident"
} | tee "$OUT/summary.txt"
cat "$OUT/memory.tsv"
write_results capacity "CALLS=$CALLS RATE=$RATE HOLD_SECONDS=$HOLD_SECONDS TARGETS=\"${TARGETS[*]}\" $0"
