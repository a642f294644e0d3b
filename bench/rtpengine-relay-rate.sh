#!/usr/bin/env bash
# Userspace relay rate of one RTPEngine: SIPp calls with RTP through our edge proxy, which bridges every call's media
# through RTPEngine (offer/answer/delete over ng), to a SIPp UAS. Both sides of every call send the 236 packets of
# SIPp's g711a.pcap (7.05 s, one every 30 ms), so a call with no loss adds exactly 472 to RTPEngine's
# "Total relayed packets". For each call rate the load runs
# STEP_SECONDS; a step passes when every call succeeds and RTPEngine relayed every packet (relayed = 472 x calls)
# with no relay errors. The relay rate of a step is 472 x calls/s packets/s at steady state (~7 x rate calls up).
#
#   bench/rtpengine-relay-rate.sh                          # rates 10..160 calls/s, 30 s each
#   RATES="10 20" STEP_SECONDS=10 bench/rtpengine-relay-rate.sh
#
# Loopback only; every process it starts is stopped by PID on exit; every SIPp run is bounded by -m and timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh

read -r -a RATES <<< "${RATES:-10 20 40 60 80 100 120 140 160}"
STEP_SECONDS=${STEP_SECONDS:-30}
PROXY_PORT=${PROXY_PORT:-5262}
UAS_PORT=${UAS_PORT:-5290}
UAS_MEDIA_PORT=${UAS_MEDIA_PORT:-6300}
UAC_MEDIA_PORT=${UAC_MEDIA_PORT:-6400}
NG_PORT=${NG_PORT:-2323}
CLI_PORT=${CLI_PORT:-9323}
PACKETS_PER_CALL=472 # 236 each way
OUT=${OUT:-bench/results/rtpengine-relay-rate-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

require_tools sipp rtpengine jq

stop_started_on_exit

dotnet build -c Release VoipPlatform.Proxy -v q -nologo >/dev/null

# A value of RTPEngine's CLI "list totals", by its label.
totals() { # $1 label
  rtpengine-ctl -ip 127.0.0.1 -port "$CLI_PORT" list totals | awk -F: -v l="$1" '{ k = $1; gsub(/^ +| +$/, "", k) } k == l { gsub(/ /, "", $2); print $2; exit }'
}

# Userspace, one table-less instance; a deleted session's counters go into the totals at once.
rtpengine --config-file=none --interface=127.0.0.1 --listen-ng="127.0.0.1:$NG_PORT" --listen-cli="127.0.0.1:$CLI_PORT" \
  --foreground --log-stderr --log-level=4 --table=-1 --port-min=40000 --port-max=49999 --delete-delay=0 \
  > "$OUT/rtpengine.log" 2>&1 &
rtpengine_pid=$!; started+=("$rtpengine_pid")

env Sip__Port="$PROXY_PORT" Proxy__Routers__0="127.0.0.1:$UAS_PORT" Proxy__Media__Enabled=true \
  Proxy__Media__Nodes__0="127.0.0.1:$NG_PORT" ASPNETCORE_URLS=http://127.0.0.1:0 Logging__LogLevel__Default=Warning \
  dotnet VoipPlatform.Proxy/bin/Release/net10.0/VoipPlatform.Proxy.dll > "$OUT/proxy.log" 2>&1 &
proxy_pid=$!; started+=("$proxy_pid")

timeout -k 5 $(( ${#RATES[@]} * (STEP_SECONDS + 60) + 120 )) \
  sipp -sf bench/sipp/uas-pcap-answer.xml -i 127.0.0.1 -p "$UAS_PORT" -mp "$UAS_MEDIA_PORT" -buff_size 4194304 -nostdin > "$OUT/uas.log" 2>&1 &
uas_pid=$!; started+=("$uas_pid")
sleep 5
for name in rtpengine proxy uas; do
  pid_var="${name}_pid"
  kill -0 "${!pid_var}" 2>/dev/null || { echo "$name did not start: see $OUT/$name.log" >&2; exit 1; }
done

printf 'rate\tcalls\tsuccessful\tfailed\trelayed\texpected\tlost\trelay errors\trelay pps\tpeak pps seen\tRTPEngine CPU\tproxy CPU\tUAC CPU\tUAS CPU\tpass\n' | tee "$OUT/steps.tsv"
best_rate=0
for rate in "${RATES[@]}"; do
  calls=$(( rate * STEP_SECONDS )) csv="$OUT/uac-$rate.csv"
  relayed_before=$(totals "Total relayed packets") errors_before=$(totals "Total relayed packet errors")
  rte_before=$(cpu_seconds "$rtpengine_pid") proxy_before=$(cpu_seconds "$proxy_pid") uas_before=$(cpu_seconds "$uas_pid")
  start=$(date +%s.%N)
  timeout -k 5 $(( STEP_SECONDS + 60 )) \
    sipp -sf bench/sipp/uac-pcap-call.xml "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -rsa "127.0.0.1:$PROXY_PORT" -mp "$UAC_MEDIA_PORT" \
      -r "$rate" -m "$calls" -buff_size 4194304 -nostdin -trace_stat -stf "$csv" -fd 1 > "$OUT/uac-$rate.log" 2>&1 &
  uac_pid=$!; started+=("$uac_pid")
  peak=0 uac_cpu=0
  while kill -0 "$uac_pid" 2>/dev/null; do
    sleep 5
    pps=$(totals "Packets per second (total)"); [ "${pps:-0}" -gt "$peak" ] && peak=$pps
    # Sampled while it runs (its last seconds are not seen): once SIPp exits, only the timeout wrapper is left.
    now=$(cpu_seconds "$uac_pid"); uac_cpu=$(awk -v a="$uac_cpu" -v b="$now" 'BEGIN { print (b > a ? b : a) }')
  done
  wait "$uac_pid" || true
  elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
  # Sessions end with the BYE's delete; wait (bounded) until every one has reached the totals.
  for _ in $(seq 1 30); do [ "$(totals "Total sessions")" = 0 ] && break; sleep 1; done
  relayed=$(( $(totals "Total relayed packets") - relayed_before )) errors=$(( $(totals "Total relayed packet errors") - errors_before ))
  ok=$(stat_column "$csv" "SuccessfulCall(C)"); failed=$(stat_column "$csv" "FailedCall(C)")
  expected=$(( PACKETS_PER_CALL * ${ok:-0} )) lost=$(( PACKETS_PER_CALL * ${ok:-0} - relayed ))
  pass=no
  if [ "${ok:-0}" -eq "$calls" ] && [ "${failed:-1}" -eq 0 ] && [ "$lost" -le 0 ] && [ "$errors" -eq 0 ]; then pass=yes; best_rate=$rate; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rate" "$calls" "$ok" "$failed" "$relayed" "$expected" "$lost" "$errors" \
    "$(( PACKETS_PER_CALL * rate ))" "$peak" \
    "$(cpu_percent "$rte_before" "$(cpu_seconds "$rtpengine_pid")" "$elapsed")" "$(cpu_percent "$proxy_before" "$(cpu_seconds "$proxy_pid")" "$elapsed")" \
    "$(cpu_percent 0 "$uac_cpu" "$elapsed")" "$(cpu_percent "$uas_before" "$(cpu_seconds "$uas_pid")" "$elapsed")" "$pass" | tee -a "$OUT/steps.tsv"
  [ "$pass" = yes ] || break
done

{
  machine_line
  echo "step: ${STEP_SECONDS}s of calls per rate, each call 236 RTP packets (G.711, 30 ms) each way; pass = every call succeeded, every packet relayed, no relay error"
  echo "rtpengine: $(rtpengine --version 2>&1 | head -1), userspace (--table=-1)"
  echo "highest passing rate: $best_rate calls/s = $(( PACKETS_PER_CALL * best_rate )) packets/s relayed with no loss"
} | tee "$OUT/summary.txt"
write_results rtpengine-relay-rate "RATES=\"${RATES[*]}\" STEP_SECONDS=$STEP_SECONDS $0"
