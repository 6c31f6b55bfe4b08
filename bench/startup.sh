#!/usr/bin/env bash
# Startup time of both services: process start to the first 200 from /actuator/health/readiness,
# several runs each, min/median/max. Forms:
#   jar  the plain executable jar (java -jar *-exec.jar)
#   spring-aot  the same with -Dspring.aot.enabled=true (Spring AOT's generated bean definitions, no JDK cache)
#   aot  the same jar extracted with Spring Boot's tools jar mode plus a JDK AOT cache (JEP 483/514/515,
#        JDK 25: -XX:AOTCacheOutput on a training run, -XX:AOTCache after), trained as the images are:
#        TRAINING_REQUESTS from images/aot.Dockerfile through the service's own endpoints, then exit;
#        with -Dspring.aot.enabled=true when the jar holds Spring AOT's generated code (as the images)
# The server runs on core 0 (like a one-CPU pod), the readiness poll on core 1.
#   bench/startup.sh [--runs N] [--forms jar,aot] [--services cumsum-api,transaction-api] [--api-jar P] [--tx-jar P]
#                    [--jvm-opts OPTS] [--compare OPTS]... [--cpus LIST] [--out FILE] [--no-write]
# --jvm-opts: added after the chart's JVM options for the measured starts (not the AOT training run);
# --compare OPTS (repeatable): each form's starts also run with OPTS added, interleaved (run 1 of every
# variant, then run 2, ...) on the same AOT cache, one row per variant: the way to compare options, since
# two invocations train two caches and drift by ~0.2 s; --cpus: the server's cores for taskset (default 0;
# 0,1 = a pod that may use a second core, as the chart's pods without a CPU limit can).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=5
FORMS=jar,aot
SERVICES=cumsum-api,transaction-api
OUT=$ROOT/docs/benchmarks.md
WRITE=1
EXTRA_OPTS=
CPUS=0
VARIANTS=("")   # the options each start adds: none, then every --compare
. "$(dirname "$0")/lib/chart-jvm.sh"
JVM_OPTS="$CHART_JVM_OPTS"   # per service: set in prepare (aot_prepare reads JVM_OPTS)
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    --forms) FORMS=$2; shift ;;
    --services) SERVICES=$2; shift ;;
    --out) OUT=$2; shift ;;
    --api-jar) API_JAR=$2; shift ;;
    --tx-jar) TX_JAR=$2; shift ;;
    --jvm-opts) EXTRA_OPTS=$2; shift ;;
    --compare) VARIANTS+=("$2"); shift ;;
    --cpus) CPUS=$2; shift ;;
    --no-write) WRITE=0 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
die() { echo "startup: $*" >&2; exit 1; }
log() { echo "startup: $*" >&2; }

. "$(dirname "$0")/../scripts/lib/java.sh"   # the project's one way to find a JDK >= 21
JAVA=$JAVA_HOME/bin/java
. "$(dirname "$0")/lib/aot.sh"
aot_supported || FORMS=${FORMS//aot/}

WORK=$(mktemp -d /tmp/cumsum-startup.XXXXXX)
PID=
cleanup() { [ -z "$PID" ] || { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; } || true; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

API_JAR=${API_JAR:-$ROOT/cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar}
TX_JAR=${TX_JAR:-$ROOT/transaction-api/target/transaction-api-0.1.0-SNAPSHOT-exec.jar}
jar_of() { if [ "$1" = cumsum-api ]; then echo "$API_JAR"; else echo "$TX_JAR"; fi; }
port() { echo $((10000 + RANDOM % 20000)); }

args_of() { # service run-dir -> application arguments on fresh ports
  case "$1" in
    cumsum-api) echo "--server.port=$(port) --management.server.port=$MPORT --cumsum.delivery.mode=strict --spring.grpc.client.channel.transactions.target=static://127.0.0.1:$(port)" ;;
    transaction-api) echo "--spring.grpc.server.port=$(port) --server.port=$MPORT --history.embedded.data-dir=$2/data" ;;
  esac
}

# prepare a form; prints the command prefix to run it (relative to the run directory)
prepare() { # service form
  local jar; jar=$(jar_of "$1")
  if [ "$1" = cumsum-api ]; then JVM_OPTS=$CHART_JVM_OPTS; else JVM_OPTS=$CHART_TX_JVM_OPTS; fi
  [ -f "$jar" ] || die "no $jar: run ./mvnw -q install -DskipTests first"
  case "$2" in
    jar) echo "$JAVA $JVM_OPTS -jar $jar" ;;
    spring-aot) echo "$JAVA $JVM_OPTS -Dspring.aot.enabled=true -jar $jar" ;;
    aot)
      MPORT=$(port)
      # trained as in images/aot.Dockerfile (bench/lib/aot.sh): cumsum-api with delivery off
      # shellcheck disable=SC2046
      aot_prepare "$jar" "$WORK/$1-aot" 0 $(args_of "$1" "$WORK/$1-aot" | sed 's/delivery.mode=strict/delivery.mode=off/') \
        || die "$1: AOT cache"
      log "$1: AOT cache $(du -m "$WORK/$1-aot/app.aot" | cut -f1) MiB" ;;
    *) die "unknown form $2" ;;
  esac
}

# one start: milliseconds from fork to the first 200 on readiness
time_start() { # service command
  local dir; dir=$(mktemp -d "$WORK/run.XXXXXX")
  MPORT=$(port)
  local t0 t1
  t0=$(date +%s%N)
  # shellcheck disable=SC2046,SC2086
  (cd "$dir" && exec taskset -c "$CPUS" $2 $(args_of "$1" "$dir")) > "$dir/log" 2>&1 &
  PID=$!
  until taskset -c 1 curl -sf -o /dev/null "http://127.0.0.1:$MPORT/actuator/health/readiness"; do
    kill -0 "$PID" 2>/dev/null || { tail -n 20 "$dir/log" >&2; die "$1 exited before ready"; }
    [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 120000 ] || { kill "$PID"; die "$1 not ready in 120 s"; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  grep -q 'AOTCache' "$dir/log" && grep -i 'error.*aot\|aot.*error\|unable to use' "$dir/log" >&2 || true
  echo $(( (t1 - t0) / 1000000 ))
}

RESULTS=$WORK/startup.tsv; : > "$RESULTS"
START=$(date -u +%FT%TZ); LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for s in ${SERVICES//,/ }; do
  for f in ${FORMS//,/ }; do
    cmd=$(prepare "$s" "$f")
    ts=()   # per variant: its runs' milliseconds, space-separated
    for _ in $(seq "$RUNS"); do
      for v in "${!VARIANTS[@]}"; do
        # the options go right after the java command
        ms=$(time_start "$s" "${cmd%% *} $EXTRA_OPTS ${VARIANTS[v]} ${cmd#* }")
        ts[v]="${ts[v]:-}${ts[v]:+ }$ms"; log "$s/$f${VARIANTS[v]:+ + ${VARIANTS[v]}}: $ms ms"
      done
    done
    for v in "${!VARIANTS[@]}"; do printf '%s\t%s\t%s\t%s\n' "$s" "$f" "${ts[v]}" "${VARIANTS[v]}" >> "$RESULTS"; done
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

TABLE=$WORK/table.md
{
  echo "Run: $START, $("$JAVA" -version 2>&1 | head -n1), $RUNS starts per row, server on core(s) $CPUS, JVM options: cumsum-api \`$CHART_JVM_OPTS${EXTRA_OPTS:+ $EXTRA_OPTS}\`, transaction-api \`$CHART_TX_JVM_OPTS${EXTRA_OPTS:+ $EXTRA_OPTS}\`; load average before: $LOAD_BEFORE, after: $LOAD_AFTER."
  echo
  echo "| service | form | min s | median s | max s | runs (ms) |"
  echo "|---|---|---:|---:|---:|---|"
  while IFS=$'\t' read -r s f ts variant; do
    # shellcheck disable=SC2086
    sorted=$(printf '%s\n' $ts | sort -n | tr '\n' ' ')
    # shellcheck disable=SC2086
    set -- $sorted
    n=$#; mid=$(( (n + 1) / 2 ))
    med=$(printf '%s\n' $sorted | sed -n "${mid}p")
    label=$f; [ "$f" = jar ] && label="plain jar"; [ "$f" = spring-aot ] && label="plain jar + Spring AOT"
    [ "$f" = aot ] && label="extracted jar + JDK AOT cache (+ Spring AOT when the jar has it)"
    [ -z "$variant" ] || label="$label, + \`$variant\`"
    awk -v s="$s" -v l="$label" -v a="$1" -v m="$med" -v z="${!n}" -v r="$ts" \
      'BEGIN { printf "| %s | %s | %.2f | %.2f | %.2f | %s |\n", s, l, a / 1000, m / 1000, z / 1000, r }'
  done < "$RESULTS"
} > "$TABLE"
cat "$TABLE"

if [ "$WRITE" = 1 ]; then
  begin='<!-- BEGIN bench/startup.sh -->'; end='<!-- END bench/startup.sh -->'
  [ -f "$OUT" ] && grep -qF "$begin" "$OUT" || printf '\n%s\n%s\n' "$begin" "$end" >> "$OUT"
  awk -v b="$begin" -v e="$end" -v t="$TABLE" '
    $0 == b { print; while ((getline l < t) > 0) print l; skip = 1; next }
    $0 == e { skip = 0 }
    !skip' "$OUT" > "$WORK/out.md"
  cat "$WORK/out.md" > "$OUT"
  log "wrote the table into $OUT"
fi
