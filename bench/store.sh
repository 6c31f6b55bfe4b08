#!/usr/bin/env bash
# What the local embedded store (mongo-java-server + H2 MVStore, transaction-api's local mode) costs per
# record: transaction-api with a fresh store on core 1, cumsum-api in strict mode on core 0, wrk on core 1
# offering a fixed rate of 10-element requests (paced). Every --step seconds it prints the records
# inserted, the store's size on disk, bytes per record and transaction-api's RSS; at the end the size
# once transaction-api has stopped (closed its store). Loopback only,
# bounded by --seconds. Each JVM gets its own chart options (bench/lib/chart-jvm.sh).
#   bench/store.sh [--rate N] [--seconds S] [--step S] [--size N] [--tx-jar PATH] [--jar PATH] [--tx-args '...']
#                  [--tx-jvm-opts '...' (after transaction-api's chart options)]
set -euo pipefail
. "$(dirname "$0")/lib/chart-jvm.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RATE=312; SECONDS_RUN=120; STEP=20; SIZE=10; CONNS=50; TX_ARGS=; TX_JVM_OPTS=
JAR=$ROOT/cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar
TX_JAR=$ROOT/transaction-api/target/transaction-api-0.1.0-SNAPSHOT-exec.jar
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift ;; --seconds) SECONDS_RUN=$2; shift ;; --step) STEP=$2; shift ;;
    --size) SIZE=$2; shift ;; --jar) JAR=$2; shift ;; --tx-jar) TX_JAR=$2; shift ;; --tx-args) TX_ARGS=$2; shift ;;
    --tx-jvm-opts) TX_JVM_OPTS=$2; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;; *) echo "unknown option: $1" >&2; exit 2 ;;
  esac; shift
done
. "$(dirname "$0")/../scripts/lib/java.sh"   # the project's one way to find a JDK >= 21
JAVA=$JAVA_HOME/bin/java
WORK=$(mktemp -d /tmp/cumsum-store.XXXXXX); PID=; TX_PID=; WRK_PID=
cleanup() { local p; for p in $WRK_PID $PID $TX_PID; do { kill "$p"; wait "$p" || true; } 2>/dev/null; done; rm -rf "$WORK"; }
trap cleanup EXIT
port=$((10000 + RANDOM % 10000)); mport=$((port + 1)); grpc=$((port + 2)); txm=$((port + 3))
ready() { # url pid
  until curl -sf -o /dev/null "$1"; do kill -0 "$2"; sleep 0.2; done
}
start_tx() {
  # shellcheck disable=SC2086
  taskset -c 1 "$JAVA" $CHART_TX_JVM_OPTS $TX_JVM_OPTS -jar "$TX_JAR" --spring.grpc.server.port=$grpc --server.port=$txm \
    --history.embedded.data-dir="$WORK/txdata" $TX_ARGS >> "$WORK/tx.log" 2>&1 &
  TX_PID=$!
  ready "http://127.0.0.1:$txm/actuator/health/readiness" $TX_PID
}
inserted() { # records inserted since transaction-api started
  curl -s "http://127.0.0.1:$txm/actuator/prometheus" \
    | awk '/_records_total\{/ && /result="inserted"/ { n += $NF } END { printf "%d", n }'
}
file_bytes() { du -sb "$WORK/txdata" | cut -f1; }
row() { # label records
  local bytes; bytes=$(file_bytes)
  printf '| %s | %d | %.1f | %s | %d |\n' "$1" "$2" "$(echo "$bytes / 1048576" | bc -l)" \
    "$([ "$2" -gt 0 ] && echo $((bytes / $2)) || echo -)" "$(rss_mib $TX_PID)"
}
start_tx
# shellcheck disable=SC2086
taskset -c 0 "$JAVA" $CHART_JVM_OPTS -jar "$JAR" --server.port=$port --management.server.port=$mport \
  --cumsum.delivery.mode=strict --spring.grpc.client.channel.transactions.target=static://127.0.0.1:$grpc \
  > "$WORK/api.log" 2>&1 &
PID=$!
ready "http://127.0.0.1:$mport/actuator/health/readiness" $PID
. "$(dirname "$0")/lib/proc.sh"
payload_json "$SIZE" > "$WORK/body.json"
echo "transaction-api: $TX_JAR ${TX_ARGS:+($TX_ARGS)}, JVM options $CHART_TX_JVM_OPTS${TX_JVM_OPTS:+ $TX_JVM_OPTS}; cumsum-api: JVM options $CHART_JVM_OPTS; $RATE req/s offered, $SIZE elements, ${SECONDS_RUN}s"
echo
echo "| after | records | store MiB | bytes/record | transaction-api RSS MiB |"
echo "|---|---:|---:|---:|---:|"
row "start" 0
BENCH_BODY_FILE=$WORK/body.json BENCH_RATE=$RATE BENCH_THREADS=1 taskset -c 1 wrk -t1 -c"$CONNS" -d"$SECONDS_RUN"s \
  --timeout 5s -s "$ROOT/bench/post.lua" "http://127.0.0.1:$port/api" > "$WORK/wrk.out" 2>&1 &
WRK_PID=$!
start=$SECONDS
while kill -0 $WRK_PID 2>/dev/null; do
  sleep "$STEP"
  kill -0 $WRK_PID 2>/dev/null || break
  row "$((SECONDS - start)) s" "$(inserted)"
done
wait $WRK_PID || true; WRK_PID=
records=$(inserted)
row "end of load" "$records"
grep BENCH_RESULT "$WORK/wrk.out" | sed 's/^/wrk: /'
# what transaction-api's heap really holds (RSS also counts garbage not yet collected): a full GC, then
# the used heap, and the MVStore's share of it (its page cache and chunk metadata) by class
"$JAVA_HOME/bin/jcmd" $TX_PID GC.run > /dev/null
echo "transaction-api after a full GC: heap used $("$JAVA_HOME/bin/jcmd" $TX_PID GC.heap_info | awk '/ total .*, used / {
    v = $0; sub(/.*used /, "", v); sub(/K.*/, "", v); u += v } END { printf "%d MiB", u / 1024 }'), RSS $(rss_mib $TX_PID) MiB"
"$JAVA_HOME/bin/jcmd" $TX_PID GC.class_histogram | awk 'NR > 3 && NR <= 13 { printf "  %s %d KiB %s\n", $2, $3 / 1024, $4 }'
# with --tx-jvm-opts -XX:NativeMemoryTracking=summary: where the RSS goes, by JVM area (committed)
case "$TX_JVM_OPTS" in *NativeMemoryTracking*)
  "$JAVA_HOME/bin/jcmd" $TX_PID VM.native_memory summary scale=MB | awk '/^-/ && /committed=/ {
      n = $0; sub(/^- */, "", n); sub(/ *\(.*/, "", n); c = $0; sub(/.*committed=/, "", c); sub(/MB.*/, "", c)
      if (c + 0 >= 2) printf "  NMT %s: %d MB committed\n", n, c }
    /^Total:/ { print "  NMT " $0 }' ;;
esac
{ kill $PID; wait $PID || true; } 2>/dev/null; PID=
{ kill $TX_PID; wait $TX_PID || true; } 2>/dev/null; TX_PID=
row_closed() { printf '| closed | %d | %.1f | %d | - |\n' "$records" "$(echo "$(file_bytes) / 1048576" | bc -l)" $(( $(file_bytes) / (records > 0 ? records : 1) )); }
row_closed
