#!/usr/bin/env bash
# Where the time goes on the compute path: cumsum-api with delivery off on core 0, wrk on core 1,
# warm-up, then a JFR recording (profile settings) during a loaded window. Prints the top frames by
# own time (top of stack) and the top application/library frames anywhere on the stack.
#   bench/profile.sh [--warmup S] [--seconds S] [--size N] [--connections N] [--keep FILE.jfr] [--jar PATH]
set -euo pipefail
. "$(dirname "$0")/lib/chart-jvm.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WARMUP=40; SECONDS_REC=20; SIZE=10; CONNS=50; KEEP=
JAR=$ROOT/cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP=$2; shift ;; --seconds) SECONDS_REC=$2; shift ;; --size) SIZE=$2; shift ;;
    --connections) CONNS=$2; shift ;; --keep) KEEP=$2; shift ;; --jar) JAR=$2; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;; *) echo "unknown option: $1" >&2; exit 2 ;;
  esac; shift
done
. "$(dirname "$0")/../scripts/lib/java.sh"   # the project's one way to find a JDK >= 21
JAVA=$JAVA_HOME/bin/java; JFR=$JAVA_HOME/bin/jfr
WORK=$(mktemp -d /tmp/cumsum-profile.XXXXXX); PID=
trap '[ -z "$PID" ] || { kill $PID; wait $PID || true; } 2>/dev/null; rm -rf "$WORK"' EXIT
port=$((10000 + RANDOM % 10000)); mport=$((port + 1))
taskset -c 0 "$JAVA" $CHART_JVM_OPTS -jar "$JAR" --server.port=$port --management.server.port=$mport \
  --cumsum.delivery.mode=off > "$WORK/api.log" 2>&1 &
PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$mport/actuator/health/readiness"; do kill -0 $PID; sleep 0.2; done
awk -v n="$SIZE" 'BEGIN { printf "{\"arr\":["; for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? "," : ""), i; printf "],\"mode\":\"man\"}" }' > "$WORK/body.json"
load() { BENCH_BODY_FILE=$WORK/body.json taskset -c 1 wrk -t1 -c"$CONNS" -d"$1"s -s "$ROOT/bench/post.lua" "http://127.0.0.1:$port/api" | grep BENCH_RESULT; }
echo "warm-up ${WARMUP}s: $(load "$WARMUP")" >&2
"$JAVA_HOME/bin/jcmd" $PID JFR.start name=bench settings=profile filename="$WORK/rec.jfr" >/dev/null
echo "recorded ${SECONDS_REC}s: $(load "$SECONDS_REC")" >&2
"$JAVA_HOME/bin/jcmd" $PID JFR.stop name=bench >/dev/null
[ -z "$KEEP" ] || cp "$WORK/rec.jfr" "$KEEP"
"$JFR" print --events jdk.ExecutionSample "$WORK/rec.jfr" > "$WORK/samples.txt"
# jfr print: each sample's stackTrace lists frames innermost first, one "name(args) line: N" per line
awk '
  /jdk.ExecutionSample/ { n++; depth = 0; delete seen; next }
  /^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(/ {
    f = $1; sub(/\(.*/, "", f); depth++
    if (depth == 1) self[f]++
    split(f, parts, "."); pkg = parts[1] "." parts[2] "." parts[3]
    if (!(pkg in seen)) { seen[pkg] = 1; incl[pkg]++ }
  }
  END {
    printf "samples: %d\n\n| own time (top frame) | share |\n|---|---:|\n", n
    for (f in self) printf "%d\t| `%s` | %.1f%% |\n", self[f], f, 100 * self[f] / n | "sort -rn | head -n 15 | cut -f2-"
    close("sort -rn | head -n 15 | cut -f2-")
    printf "\n| package prefix anywhere on the stack | share of samples |\n|---|---:|\n"
    for (p in incl) printf "%d\t| `%s` | %.1f%% |\n", incl[p], p, 100 * incl[p] / n | "sort -rn | head -n 20 | cut -f2-"
  }' "$WORK/samples.txt"
