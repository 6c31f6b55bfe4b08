# shellcheck shell=bash
# Sourced by the bench scripts: the request body, and a process's CPU time (by thread too) and memory
# from /proc.

# {"arr":[1..n],"mode":"man"}
payload_json() { # n
  awk -v n="$1" 'BEGIN { printf "{\"arr\":["; for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? "," : ""), i; printf "],\"mode\":\"man\"}" }'
}

# CPU ticks (user + system) of processes and their children
proc_ticks() { # pid...
  local total=0 p
  for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# VmRSS of a process and its children, in MiB
rss_mib() { # pid
  local total=0 p kb
  for p in "$1" $(pgrep -P "$1" || true); do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  awk -v k="$total" 'BEGIN { printf "%.0f", k / 1024 }'
}

# "tid<TAB>ticks<TAB>name" of each live thread of a process
thread_ticks() { # pid
  local t
  for t in "/proc/$1"/task/*/stat; do sed -E 's/^([0-9]+) \((.*)\) (.*)$/\1\t\2\t\3/' "$t" 2>/dev/null \
    | awk -F'\t' '{ split($3, x, " "); print $1 "\t" x[12] + x[13] "\t" $2 }'; done
}

# "ticks<TAB>name<TAB>CPU us per answer" by thread name, most first, between two thread_ticks files
# (digits folded: one line for all carriers, event loops, ...; threads that ended in between are not
# counted)
thread_cpu_per_answer() { # before_file after_file answers
  awk -F'\t' -v n="$3" -v hz="$(getconf CLK_TCK)" 'FNR == NR { b[$1] = $2; next }
    { g = $3; gsub(/[0-9]+/, "#", g); d[g] += $2 - b[$1] }
    END { if (n < 1) n = 1; for (g in d) if (d[g] > 0) printf "%d\t%s\t%.1f\n", d[g], g, d[g] * 1e6 / hz / n }' "$1" "$2" \
    | sort -rn
}
