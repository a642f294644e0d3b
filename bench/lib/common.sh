# Helpers shared by the load scripts in bench/ (sourced, not run).

# CPU seconds (user+system) used so far by a process and its children that are alive.
cpu_seconds() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$(awk -v t="$total" '{ printf "%.2f", t + ($14 + $15) / 100 }' "/proc/$pid/stat")
  done
  echo "$total"
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
