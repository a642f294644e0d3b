# Helpers shared by the load scripts in bench/ (sourced, not run).

# Fails unless every named command is installed.
require_tools() { # $@ commands
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool missing: see bench/README.md" >&2; exit 1; }
  done
}

# Every process a script starts goes into `started`; all of them are stopped by PID when the script exits.
stop_started_on_exit() {
  started=()
  trap 'for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
}

# The process and its children that are alive (Kamailio's workers are children of its main process).
process_tree() { # $1 pid
  local pid
  for pid in "$1" $(pgrep -P "$1" || true); do [ -d "/proc/$pid" ] && echo "$pid"; done
}

# CPU seconds (user+system) used so far by a process and its children that are alive.
cpu_seconds() {
  local total=0 pid
  for pid in $(process_tree "$1"); do
    total=$(awk -v t="$total" '{ printf "%.2f", t + ($14 + $15) / 100 }' "/proc/$pid/stat" 2>/dev/null || echo "$total")
  done
  echo "$total"
}

# A kB field of a /proc/<pid>/ file summed over a process and its children, in MiB.
tree_mib() { # $1 pid, $2 file under /proc/<pid>/, $3 field name
  local total=0 pid
  for pid in $(process_tree "$1"); do
    total=$(awk -v t="$total" -v f="$3:" '$1 == f { t += $2 } END { print t }' "/proc/$pid/$2" 2>/dev/null || echo "$total")
  done
  awk -v t="$total" 'BEGIN { printf "%.0f", t / 1024 }'
}

# CPU use in percent of one core between two cpu_seconds readings over a number of seconds.
cpu_percent() { # $1 before, $2 after, $3 seconds
  awk -v a="$1" -v b="$2" -v s="$3" 'BEGIN { printf "%.0f%%", (b - a) / s * 100 }'
}

# Column of the last line of a SIPp statistics file, by header name.
stat_column() { # $1 file, $2 column name
  awk -F';' -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } END { print $c }' "$1"
}

# One line naming the machine: cores, memory, CPU model.
machine_line() {
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
}

# Resident memory in MiB of a process and its children (VmRSS summed: pages shared between them count once per
# process, so for Kamailio's children see pss_mib).
rss_mib() { tree_mib "$1" status VmRSS; }

# Datagrams the kernel dropped so far on the UDP sockets bound to the given local ports (the "d" of ss's skmem:
# receive buffer full). Every SIP hop of a benchmark is listed, so a step's drops show where the buffers overflowed.
udp_drops() { # $@ ports
  local filter="" port
  for port in "$@"; do filter+="${filter:+ or }sport = :$port"; done
  ss -uamn "( $filter )" 2>/dev/null | awk '{ if (match($0, /,d[0-9]+\)/)) total += substr($0, RSTART + 2, RLENGTH - 3) } END { print total + 0 }'
}

# Percentile of SIPp's response-time (rtd) buckets (<10, <20, ... ms): the bucket bound it falls under.
rtt_percentile() { # $1 SIPp statistics file, $2 fraction (0.5, 0.99)
  awk -F';' -v q="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^ResponseTimeRepartition1_/) { col[++n] = i; label[n] = substr($i, 26) } }
    END {
      for (i = 1; i <= n; i++) total += $col[i]
      for (i = 1; i <= n; i++) { seen += $col[i]; if (total > 0 && seen >= q * total) { print label[i] "ms"; exit } }
      print "n/a"
    }' "$1"
}

# Waits (bounded) until an HTTP URL answers 2xx.
wait_http() { # $1 url, $2 seconds (default 60)
  local deadline=$(( SECONDS + ${2:-60} ))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "no answer from $1" >&2; return 1; }
    sleep 1
  done
}

STEP_HEADER=$'target\trate\tsuccessful\tfailed\tretransmissions\tp50\tp99\tCPU per process\tUDP drops\tpass'

# Step-rate search of one target: for each rate in RATES, STEP_SECONDS of SIPp UAC load; a step passes with every
# call successful, none failed, and retransmissions under 0.1 % of MESSAGES_PER_CALL x calls. Stops at the first
# failing step; appends rows to $OUT/steps.tsv and writes the highest passing rate to $OUT/<target>.best.
# Globals: RATES (array), STEP_SECONDS, MESSAGES_PER_CALL, OUT, UAC (array: sipp arguments without -r/-m),
# PROCESSES (array of label=pid, CPU reported per process), DROP_PORTS (array of local UDP ports).
step_search() { # $1 target name
  local name=$1 best=0 rate entry
  for rate in "${RATES[@]}"; do
    local csv="$OUT/$name-$rate.csv" calls=$(( rate * STEP_SECONDS ))
    local -A before=()
    for entry in "${PROCESSES[@]}"; do before[$entry]=$(cpu_seconds "${entry#*=}"); done
    local drops_before; drops_before=$(udp_drops "${DROP_PORTS[@]}")
    local start=$SECONDS
    timeout -k 5 $(( STEP_SECONDS + 40 )) \
      sipp "${UAC[@]}" -r "$rate" -m "$calls" -buff_size 4194304 -nostdin -trace_stat -stf "$csv" -fd 1 \
        > "$OUT/$name-$rate.log" 2>&1 || true
    local elapsed=$(( SECONDS - start )) cpu=""
    [ "$elapsed" -gt 0 ] || elapsed=1
    for entry in "${PROCESSES[@]}"; do
      cpu+="${cpu:+ }${entry%%=*} $(cpu_percent "${before[$entry]}" "$(cpu_seconds "${entry#*=}")" "$elapsed")"
    done
    local drops=$(( $(udp_drops "${DROP_PORTS[@]}") - drops_before ))
    local ok failed retrans
    ok=$(stat_column "$csv" "SuccessfulCall(C)"); failed=$(stat_column "$csv" "FailedCall(C)")
    retrans=$(stat_column "$csv" "Retransmissions(C)")
    local pass=no
    if [ "${ok:-0}" -eq "$calls" ] && [ "${failed:-1}" -eq 0 ] \
       && awk -v r="${retrans:-0}" -v c="$calls" -v m="$MESSAGES_PER_CALL" 'BEGIN { exit !(r * 1000 < c * m) }'; then
      pass=yes; best=$rate
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rate" "${ok:-0}" "${failed:-0}" "${retrans:-0}" \
      "$(rtt_percentile "$csv" 0.5)" "$(rtt_percentile "$csv" 0.99)" "$cpu" "$drops" "$pass" | tee -a "$OUT/steps.tsv"
    [ "$pass" = yes ] || break
  done
  echo "$best" > "$OUT/$name.best"
}

# The highest passing rate a step search recorded for a target (0 when none passed).
best_rate() { # $1 target
  cat "$OUT/$1.best" 2>/dev/null || echo 0
}

# Ours over the reference, two decimals ("n/a" without a reference).
rate_ratio() { # $1 ours, $2 reference
  awk -v o="$1" -v k="$2" 'BEGIN { if (k > 0) printf "%.2f", o / k; else print "n/a" }'
}

# Writes $OUT/results.json (every step as an object, plus the summary lines) and $OUT/steps.md (the steps as a
# Markdown table) from $OUT/steps.tsv and $OUT/summary.txt.
write_results() { # $1 benchmark name, $2 command line
  jq -Rn --arg benchmark "$1" --arg command "$2" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
     --rawfile summary "$OUT/summary.txt" '
    [inputs | split("\t")] as $rows
    | ($rows[0] | map(gsub(" "; "_"))) as $keys
    | { benchmark: $benchmark, command: $command, date: $date,
        summary: ($summary | split("\n") | map(select(length > 0))),
        steps: [ $rows[1:][] | [ $keys, . ] | transpose | map({ (.[0]): .[1] }) | add ] }' \
    < "$OUT/steps.tsv" > "$OUT/results.json"
  awk -F'\t' 'NR == 1 { h = "|"; s = "|"; for (i = 1; i <= NF; i++) { h = h " " $i " |"; s = s " --- |" } print h; print s; next }
              { r = "|"; for (i = 1; i <= NF; i++) r = r " " $i " |"; print r }' "$OUT/steps.tsv" > "$OUT/steps.md"
}

# Proportional set size in MiB of a process and its children (shared pages split between the processes that map
# them, so Kamailio's shared memory is not counted once per child).
pss_mib() { tree_mib "$1" smaps_rollup Pss; }
