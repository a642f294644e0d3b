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
read -r -a TARGETS <<< "${TARGETS:-ours kamailio}"
STEP_SECONDS=${STEP_SECONDS:-30}
UAS_PORT=${UAS_PORT:-5190}
OURS_PORT=${OURS_PORT:-5162}
KAMAILIO_PORT=${KAMAILIO_PORT:-5164}
# One UDP worker by default: with two, Kamailio relays some 180s after the 200 of the same call, which SIPp
# counts as a failed call (the reordering our proxy's per-call workers rule out). KAMAILIO_CHILDREN=2 shows it.
KAMAILIO_CHILDREN=${KAMAILIO_CHILDREN:-1}
OUT=${OUT:-bench/results/proxy-vs-kamailio-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 1; }
command -v kamailio >/dev/null || { echo "kamailio missing: apt-get install kamailio" >&2; exit 1; }

started=()
cleanup() { for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

dotnet build -c Release VoipPlatform.Proxy -v q -nologo >/dev/null

# Percentile of INVITE->200 from SIPp's response-time buckets (<10, <20, ... ms): the bucket bound it falls under.
rtt_percentile() { # $1 file, $2 fraction (0.5, 0.99)
  awk -F';' -v q="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^ResponseTimeRepartition1_/) { col[++n] = i; label[n] = substr($i, 26) } }
    END {
      for (i = 1; i <= n; i++) total += $col[i]
      for (i = 1; i <= n; i++) { seen += $col[i]; if (total > 0 && seen >= q * total) { print label[i] "ms"; exit } }
      print "n/a"
    }' "$1"
}

timeout -k 5 $(( ${#RATES[@]} * (STEP_SECONDS + 40) * 2 + 120 )) \
  sipp -sn uas -i 127.0.0.1 -p "$UAS_PORT" -buff_size 4194304 -nostdin > "$OUT/uas.log" 2>&1 &
started+=($!)

run_target() { # $1 name, $2 port, $3 pid
  local name=$1 port=$2 pid=$3 best=0 rate
  for rate in "${RATES[@]}"; do
    local csv="$OUT/$name-$rate.csv" calls=$(( rate * STEP_SECONDS ))
    local cpu_before; cpu_before=$(cpu_seconds "$pid")
    timeout -k 5 $(( STEP_SECONDS + 40 )) \
      sipp -sn uac "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$port" -r "$rate" -m "$calls" \
        -buff_size 4194304 -nostdin -trace_stat -stf "$csv" -fd 1 > "$OUT/$name-$rate.log" 2>&1 || true
    local cpu_after; cpu_after=$(cpu_seconds "$pid")
    local ok failed retrans p50 p99
    ok=$(stat_column "$csv" "SuccessfulCall(C)"); failed=$(stat_column "$csv" "FailedCall(C)")
    retrans=$(stat_column "$csv" "Retransmissions(C)")
    p50=$(rtt_percentile "$csv" 0.5); p99=$(rtt_percentile "$csv" 0.99)
    local cpu; cpu=$(cpu_percent "$cpu_before" "$cpu_after" "$STEP_SECONDS")
    local pass=no
    if [ "${ok:-0}" -eq "$calls" ] && [ "${failed:-1}" -eq 0 ] \
       && awk -v r="${retrans:-0}" -v c="$calls" 'BEGIN { exit !(r * 1000 < c * 13) }'; then pass=yes; best=$rate; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rate" "$ok" "$failed" "$retrans" "$p50" "$p99" "$cpu" "$pass" | tee -a "$OUT/steps.tsv"
    [ "$pass" = yes ] || break
  done
  echo "$best" > "$OUT/$name.best"
}

printf 'target\trate\tsuccessful\tfailed\tretransmissions\tp50 INVITE->200\tp99 INVITE->200\tproxy CPU\tpass\n' | tee "$OUT/steps.tsv"

start_ours() {
  # OURS_ENV adds settings for an experiment, e.g. OURS_ENV="OTEL_SDK_DISABLED=true".
  # shellcheck disable=SC2086
  env Sip__Port="$OURS_PORT" Proxy__Routers__0="127.0.0.1:$UAS_PORT" ASPNETCORE_URLS=http://127.0.0.1:0 \
    Logging__LogLevel__Default=Warning ${OURS_ENV:-} \
    dotnet VoipPlatform.Proxy/bin/Release/net10.0/VoipPlatform.Proxy.dll > "$OUT/ours.log" 2>&1 &
  echo $!
}

start_kamailio() {
  sed -e "s/@LISTEN@/127.0.0.1:$KAMAILIO_PORT/" -e "s/@NEXT_HOP@/127.0.0.1:$UAS_PORT/" -e "s/@CHILDREN@/$KAMAILIO_CHILDREN/" \
    bench/kamailio/proxy.cfg > "$OUT/kamailio.cfg"
  # 2 GiB of shared memory: at a few thousand calls/s the transactions lingering in their wait timers exhaust 256 MB.
  kamailio -f "$OUT/kamailio.cfg" -DD -E -x tlsf -X tlsf -m 2048 -M 16 -Y "$OUT" > "$OUT/kamailio.log" 2>&1 &
  echo $!
}

for target in "${TARGETS[@]}"; do
  case "$target" in
    ours) pid=$(start_ours); port=$OURS_PORT ;;
    kamailio) pid=$(start_kamailio); port=$KAMAILIO_PORT ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  started+=("$pid")
  sleep 5
  # Warm-up, not recorded: 5 s at 500 calls/s, so JIT compilation (ours) does not land in the first step's tail.
  timeout -k 5 60 sipp -sn uac "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$port" -r 500 -m 2500 \
    -buff_size 4194304 -nostdin > "$OUT/$target-warmup.log" 2>&1 || true
  run_target "$target" "$port" "$pid"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

ours_best=$(cat "$OUT/ours.best" 2>/dev/null || echo 0); kam_best=$(cat "$OUT/kamailio.best" 2>/dev/null || echo 0)
ratio=$(awk -v o="$ours_best" -v k="$kam_best" 'BEGIN { if (k > 0) printf "%.2f", o / k; else print "n/a" }')
{
  machine_line
  echo "step: ${STEP_SECONDS}s per rate; pass = zero failed calls and retransmissions < 0.1% of messages; kamailio children=$KAMAILIO_CHILDREN"
  echo "ours: $ours_best calls/s; kamailio: $kam_best calls/s; ratio: $ratio"
} | tee "$OUT/summary.txt"
