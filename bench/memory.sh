#!/usr/bin/env bash
# cumsum-api's memory under sustained full load: delivery off, pinned as bench/run.sh pins (server on
# core 0, wrk -t1 on core 1), 50 connections of N-element requests in consecutive --step-second wrk
# windows for --seconds. Per window: req/s, the server's CPU µs per answer, VmRSS, the heap's committed
# size and the old generation's use (jstat). At the end: a full GC (live heap) and, with
# -XX:NativeMemoryTracking=summary among the options, NMT's committed memory by area.
# Each --run starts a fresh JVM, one after the other, so variants are compared in one run.
#   bench/memory.sh [--seconds S] [--step S] [--size N] [--connections N]
#                   [--run LABEL JAR 'JVM options'] ... (default: the built jar with the chart's options)
#                   [--histo S] (at S seconds into each run: class histograms, all objects vs live)
set -euo pipefail
. "$(dirname "$0")/lib/chart-jvm.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_RUN=180; STEP=15; SIZE=10; CONNS=50; HISTO=0; RUNS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_RUN=$2; shift ;; --step) STEP=$2; shift ;; --size) SIZE=$2; shift ;;
    --connections) CONNS=$2; shift ;; --histo) HISTO=$2; shift ;;
    --run) RUNS+=("$2"$'\t'"$3"$'\t'"$4"); shift 3 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;; *) echo "unknown option: $1" >&2; exit 2 ;;
  esac; shift
done
[ ${#RUNS[@]} -gt 0 ] || RUNS=("chart"$'\t'"$ROOT/cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar"$'\t'"$CHART_JVM_OPTS")
. "$(dirname "$0")/../scripts/lib/java.sh"   # the project's one way to find a JDK >= 21
JAVA=$JAVA_HOME/bin/java
WORK=$(mktemp -d /tmp/cumsum-memory.XXXXXX); PID=
cleanup() { [ -z "$PID" ] || { kill "$PID"; wait "$PID" || true; } 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
CLK_TCK=$(getconf CLK_TCK)
. "$(dirname "$0")/lib/proc.sh"
payload_json "$SIZE" > "$WORK/body.json"
heap() { # committed heap MiB, old generation used MiB, young/full collections
  "$JAVA_HOME/bin/jstat" -gc "$1" | awk 'NR == 2 { printf "%d %d %d/%d", ($1 + $2 + $5 + $7) / 1024, $8 / 1024, $13, $15 }'
}
histo() { # label: the top classes of all objects (garbage included, no GC) and of live ones (full GC)
  "$JAVA_HOME/bin/jcmd" "$PID" GC.class_histogram -all > "$WORK/histo-all.txt"
  "$JAVA_HOME/bin/jcmd" "$PID" GC.class_histogram > "$WORK/histo-live.txt"
  echo "class histogram of $1 at ${HISTO}s: bytes of all objects minus live ones, by class (top 15)"
  awk 'FNR == NR && $1 ~ /^[0-9]+:$/ { all[$4] = $3; n[$4] = $2; next }
       $1 ~ /^[0-9]+:$/ { live[$4] = $3 }
       END { for (c in all) printf "%12d %10d %s\n", all[c] - live[c], n[c], c }' "$WORK/histo-all.txt" "$WORK/histo-live.txt" \
    | sort -rn | awk 'NR <= 15 { print "    " $0 }'
  awk '/^Total/ { print "    total (all, live): " $3 }' "$WORK/histo-all.txt" "$WORK/histo-live.txt"
}
for spec in "${RUNS[@]}"; do
  IFS=$'\t' read -r label jar opts <<< "$spec"
  port=$((10000 + RANDOM % 10000)); mport=$((port + 1))
  # shellcheck disable=SC2086
  taskset -c 0 "$JAVA" $opts -jar "$jar" --server.port=$port --management.server.port=$mport \
    --cumsum.delivery.mode=off > "$WORK/$label.log" 2>&1 &
  PID=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$mport/actuator/health/readiness"; do kill -0 $PID; sleep 0.2; done
  echo "$label: $jar, JVM options $opts; ${SIZE} elements, $CONNS connections, ${SECONDS_RUN}s"
  echo
  echo "| s | req/s | CPU µs/answer | RSS MiB | heap committed MiB | old used MiB | young/full GCs |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  echo "| 0 | - | - | $(rss_mib $PID) | $(heap $PID | awk '{ print $1 " | " $2 " | " $3 }') |"
  t=0; histo_done=0
  while [ $t -lt "$SECONDS_RUN" ]; do
    c0=$(proc_ticks $PID)
    out=$(BENCH_BODY_FILE=$WORK/body.json BENCH_THREADS=1 taskset -c 1 wrk -t1 -c"$CONNS" -d"$STEP"s --timeout 5s \
      -s "$ROOT/bench/post.lua" "http://127.0.0.1:$port/api" 2>&1)
    c1=$(proc_ticks $PID); t=$((t + STEP))
    echo "$out" | awk -v c="$((c1 - c0))" -v hz="$CLK_TCK" -v t=$t -v rss="$(rss_mib $PID)" -v h="$(heap $PID)" '/^BENCH_RESULT/ {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        ok = v["requests"] - v["status"]; split(h, hh, " ")
        printf "| %d | %.0f | %.1f | %d | %d | %d | %s |\n", t, ok / (v["duration_us"] / 1e6), 1e6 * c / hz / ok, rss, hh[1], hh[2], hh[3] }'
    if [ "$HISTO" -gt 0 ] && [ $histo_done = 0 ] && [ $t -ge "$HISTO" ]; then histo_done=1; histo "$label" > "$WORK/histo.out"; fi
  done
  [ $histo_done = 0 ] || cat "$WORK/histo.out"
  "$JAVA_HOME/bin/jcmd" $PID GC.run > /dev/null
  echo "after a full GC: heap used $("$JAVA_HOME/bin/jcmd" $PID GC.heap_info | awk '/ total .*, used / {
      for (i = 1; i <= NF; i++) if ($i == "used") { print $(i + 1); exit } }'), RSS $(rss_mib $PID) MiB"
  if [[ " $opts " == *" -XX:NativeMemoryTracking=summary "* ]]; then
    echo "NMT committed (KB -> MiB):"
    "$JAVA_HOME/bin/jcmd" $PID VM.native_memory summary | awk '/^-? *[A-Z][A-Za-z ]+\(reserved=.*committed=/ ||
        /^Total:/ { match($0, /committed=[0-9]+KB/); name = $0; sub(/\(.*/, "", name); gsub(/^[- ]+|[ ]+$/, "", name)
        printf "    %s %d\n", name, substr($0, RSTART + 10, RLENGTH - 12) / 1024 }'
  fi
  kill $PID; wait $PID 2>/dev/null || true; PID=
  echo
done
