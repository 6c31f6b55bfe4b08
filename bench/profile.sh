#!/usr/bin/env bash
# Where the time goes under load: cumsum-api on core 0, wrk on core 1, warm-up, then a JFR recording
# (profile settings) during a loaded window. Prints the top frames by own time (top of stack), the top
# application/library frames anywhere on the stack, the samples by category (the innermost frame that
# belongs to one: HTTP + compute, batching, gRPC, Netty, protobuf, park/unpark, tracing/metrics, store),
# CPU per answer by thread name (/proc) and the top allocation sites (sampled bytes). Where the JDK has it
# (25+), samples are JFR's CPU-time samples (jdk.CPUTimeSample, every 2 ms of a thread's CPU, in Java or
# native code, so system calls are counted too); else execution samples (Java code only, every 10-20 ms).
# Compute path by default (delivery off). With --tx-jar: strict delivery with transaction-api (fresh
# embedded store) beside wrk on core 1, as the strict-api row of bench/run.sh; both JVMs are recorded.
#   bench/profile.sh [--warmup S] [--seconds S] [--size N] [--connections N] [--keep FILE.jfr] [--jar PATH]
#                    [--tx-jar PATH]   (strict-api; --keep FILE.jfr also keeps FILE.jfr.tx.jfr)
#                    [--rate N]        (the recorded window offers N req/s, paced: two modes at one rate)
set -euo pipefail
. "$(dirname "$0")/lib/chart-jvm.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WARMUP=40; SECONDS_REC=20; SIZE=10; CONNS=50; KEEP=; TX_JAR=; RATE=
JAR=$ROOT/cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP=$2; shift ;; --seconds) SECONDS_REC=$2; shift ;; --size) SIZE=$2; shift ;;
    --connections) CONNS=$2; shift ;; --keep) KEEP=$2; shift ;; --jar) JAR=$2; shift ;;
    --tx-jar) TX_JAR=$2; shift ;; --rate) RATE=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;; *) echo "unknown option: $1" >&2; exit 2 ;;
  esac; shift
done
. "$(dirname "$0")/../scripts/lib/java.sh"   # the project's one way to find a JDK >= 21
JAVA=$JAVA_HOME/bin/java; JFR=$JAVA_HOME/bin/jfr; JCMD=$JAVA_HOME/bin/jcmd
WORK=$(mktemp -d /tmp/cumsum-profile.XXXXXX); PID=; TX_PID=
trap 'for p in $PID $TX_PID; do { kill $p; wait $p || true; } 2>/dev/null; done; rm -rf "$WORK"' EXIT
port=$((10000 + RANDOM % 10000)); mport=$((port + 1)); grpc=$((port + 2)); txm=$((port + 3))
ready() { # url pid
  until curl -sf -o /dev/null "$1"; do kill -0 "$2"; sleep 0.2; done
}
MODE=off
if [ -n "$TX_JAR" ]; then
  MODE=strict
  # shellcheck disable=SC2086
  taskset -c 1 "$JAVA" $CHART_TX_JVM_OPTS -jar "$TX_JAR" --spring.grpc.server.port=$grpc --server.port=$txm \
    --history.embedded.data-dir="$WORK/txdata" > "$WORK/tx.log" 2>&1 &
  TX_PID=$!
  ready "http://127.0.0.1:$txm/actuator/health/readiness" $TX_PID
fi
# shellcheck disable=SC2086
taskset -c 0 "$JAVA" $CHART_JVM_OPTS -jar "$JAR" --server.port=$port --management.server.port=$mport \
  --cumsum.delivery.mode=$MODE --spring.grpc.client.channel.transactions.target=static://127.0.0.1:$grpc \
  > "$WORK/api.log" 2>&1 &
PID=$!
ready "http://127.0.0.1:$mport/actuator/health/readiness" $PID
. "$(dirname "$0")/lib/proc.sh"
payload_json "$SIZE" > "$WORK/body.json"
load() { BENCH_BODY_FILE=$WORK/body.json BENCH_RATE=${2:-} BENCH_THREADS=1 taskset -c 1 wrk -t1 -c"$CONNS" -d"$1"s -s "$ROOT/bench/post.lua" "http://127.0.0.1:$port/api" | grep BENCH_RESULT; }
# CPU us per answer by thread name, as table rows
threads_per_answer() { # before_file after_file answers
  thread_cpu_per_answer "$@" | head -n 12 | awk -F'\t' '{ printf "| `%s` | %s |\n", $2, $3 }'
}
SAMPLES=jdk.ExecutionSample; CPU_SAMPLES=
if "$JFR" metadata 2>/dev/null | grep -q 'class CPUTimeSample '; then
  SAMPLES=jdk.CPUTimeSample; CPU_SAMPLES="jdk.CPUTimeSample#enabled=true jdk.CPUTimeSample#throttle=2ms"
fi
echo "warm-up ${WARMUP}s: $(load "$WARMUP")" >&2
# shellcheck disable=SC2086
for p in $PID $TX_PID; do "$JCMD" "$p" JFR.start name=bench settings=profile $CPU_SAMPLES filename="$WORK/rec-$p.jfr" >/dev/null; done
api0=$(proc_ticks $PID); tx0=; [ -z "$TX_PID" ] || tx0=$(proc_ticks $TX_PID)
for p in $PID $TX_PID; do thread_ticks "$p" > "$WORK/threads-$p.0"; done
result=$(load "$SECONDS_REC" "$RATE")
api1=$(proc_ticks $PID); tx1=; [ -z "$TX_PID" ] || tx1=$(proc_ticks $TX_PID)
for p in $PID $TX_PID; do thread_ticks "$p" > "$WORK/threads-$p.1"; done
echo "recorded ${SECONDS_REC}s${RATE:+ at $RATE req/s offered}: $result" >&2
for p in $PID $TX_PID; do "$JCMD" "$p" JFR.stop name=bench >/dev/null; done
requests=$(echo "$result" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
tck=$(getconf CLK_TCK)
echo "cumsum-api CPU per answer: $(( (api1 - api0) * 1000000 / tck / (requests > 0 ? requests : 1) )) us"
if [ -n "$TX_PID" ]; then
  echo "transaction-api CPU per answer: $(( (tx1 - tx0) * 1000000 / tck / (requests > 0 ? requests : 1) )) us"
  # records per RecordBatch call since start: each call's fixed cost (gRPC, HTTP/2, the store's commit) is
  # shared by this many requests
  curl -s "http://127.0.0.1:$mport/actuator/prometheus" | awk '/^cumsum_delivery_batch_size_(sum|count)\{/ {
      if ($1 ~ /_sum/) s += $NF; else c += $NF } END { if (c > 0) printf "records per RecordBatch call (since start): %.1f\n", s / c }'
fi
if [ -n "$KEEP" ]; then
  cp "$WORK/rec-$PID.jfr" "$KEEP"
  [ -z "$TX_PID" ] || cp "$WORK/rec-$TX_PID.jfr" "$KEEP.tx.jfr"
fi
report() { # jfr file, title, pid
  echo; echo "### $2"; echo
  "$JFR" print --stack-depth 64 --events "$SAMPLES" "$1" > "$WORK/samples.txt"
  echo "$SAMPLES, stacks of up to 64 frames"
  # jfr print: each sample's stackTrace lists frames innermost first, one "name(args) line: N" per line
  awk '
    /^jdk\.(ExecutionSample|CPUTimeSample)/ { n++; depth = 0; delete seen; next }
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
  # by category: the innermost frame that belongs to one decides (JDK frames are skipped, except
  # scheduling and hand-offs: parking a virtual thread counts as such wherever it is called from)
  printf "\n| category (innermost frame that has one) | share of samples |\n|---|---:|\n"
  awk '
    function cat_of(f) {
      if (f ~ /^(java\.lang\.VirtualThread|jdk\.internal\.vm\.Continuation|java\.util\.concurrent\.locks\.LockSupport|java\.util\.concurrent\.ForkJoin|java\.util\.concurrent\.DelayScheduler|jdk\.internal\.misc\.Unsafe\.(park|unpark)|java\.lang\.Thread\.(yield|sleep|onSpinWait))/) return "park/unpark, thread scheduling"
      if (f ~ /^(java\.util\.concurrent\.(CompletableFuture|LinkedBlockingQueue|ArrayBlockingQueue|LinkedBlockingDeque|Semaphore|ScheduledThreadPoolExecutor|ThreadPoolExecutor|Executors)|dev\.cumsum\.api\.delivery\.|com\.google\.common\.util\.concurrent\.)/) return "batching, futures, hand-offs"
      if (f ~ /^(com\.google\.protobuf\.|dev\.cumsum\.transaction\.v1\.)/) return "protobuf"
      if (f ~ /^(io\.grpc\.netty\.|io\.netty\.)/) return "Netty, HTTP/2 framing"
      if (f ~ /^io\.grpc\./) return "gRPC (calls, streams, retry, executors)"
      if (f ~ /^(io\.micrometer\.|io\.opentelemetry\.|org\.springframework\.grpc\.)/) return "tracing/metrics (Micrometer, OpenTelemetry, Spring gRPC)"
      if (f ~ /^(de\.bwaldvogel\.|org\.h2\.|com\.mongodb\.|org\.bson\.)/) return "store (mongo-java-server, H2, driver, BSON)"
      if (f ~ /^(org\.eclipse\.jetty\.|org\.springframework\.|tools\.jackson\.|jakarta\.|dev\.cumsum\.|org\.apache\.)/) return "HTTP + compute (Jetty, Spring, Jackson, own code)"
      if (f ~ /^(sun\.nio\.ch\.|java\.nio\.)/) return "socket I/O (NIO, system calls)"
      if (f ~ /^(java|jdk|sun)\./) return ""
      return "other"
    }
    function done() { if (c == "") c = "JDK only"; k[c]++ }
    /^jdk\.(ExecutionSample|CPUTimeSample)/ { if (n++) done(); c = ""; next }
    /^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(/ { if (c == "") { f = $1; sub(/\(.*/, "", f); c = cat_of(f) } }
    END {
      if (n) done()
      for (x in k) printf "%d\t| %s | %.1f%% |\n", k[x], x, 100 * k[x] / n | "sort -rn | cut -f2-"
    }' "$WORK/samples.txt"
  printf "\n| thread (/proc, digits folded) | CPU us per answer |\n|---|---:|\n"
  threads_per_answer "$WORK/threads-$3.0" "$WORK/threads-$3.1" "$requests"
  # allocation samples: weight (bytes) by the first frame outside java.* / jdk.* (who allocated)
  "$JFR" print --events jdk.ObjectAllocationSample "$1" > "$WORK/alloc.txt"
  awk '
    /jdk.ObjectAllocationSample/ { if (site != "") w[site] += weight; site = ""; weight = 0; cls = ""; next }
    /objectClass = / { cls = $3 }
    /weight = / { v = $3; u = $4; m = 1; if (u ~ /^kB/) m = 1024; else if (u ~ /^MB/) m = 1048576; else if (u ~ /^GB/) m = 1073741824
      gsub(/[^0-9.]/, "", v); weight = v * m; total += weight }
    /^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(/ {
      if (site == "") { f = $1; sub(/\(.*/, "", f); if (f !~ /^(java|jdk|sun)\./) site = f " (" cls ")" }
    }
    END {
      if (site != "") w[site] += weight
      printf "\nallocation (sampled weight, by first non-JDK frame): %.0f MB in all\n\n| allocated in | share |\n|---|---:|\n", total / 1048576
      for (s in w) printf "%.0f\t| `%s` | %.1f%% |\n", w[s], s, 100 * w[s] / total | "sort -rn | head -n 20 | cut -f2-"
    }' "$WORK/alloc.txt"
}
report "$WORK/rec-$PID.jfr" "cumsum-api ($MODE)" "$PID"
[ -z "$TX_PID" ] || report "$WORK/rec-$TX_PID.jfr" "transaction-api" "$TX_PID"
