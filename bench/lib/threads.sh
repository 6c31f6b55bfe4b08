# shellcheck shell=bash
# Sourced by the bench scripts: a JVM's CPU time by thread, read from /proc.

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
