#!/usr/bin/env bash
# Local end-to-end load run, bounded and on loopback only:
#   1. starts transaction-api (embedded store) and cumsum-api from their exec jars,
#   2. starts the local Prometheus (scripts/local-prometheus.sh) scraping both,
#   3. runs the Gatling simulation (steady profile) against cumsum-api,
#   4. writes the scaling report for the run's window and checks its CSV,
#   5. stops everything it started (by PID).
# CI runs it reduced (the defaults: 15 s at 40/s with a 1 s scrape interval); for a longer, more
# realistic run: DURATION=5m RATE=100 SCRAPE_INTERVAL=15s RATE_WINDOW=1m STEP=15s loadtest/scripts/local-e2e.sh
#
# Environment (defaults in brackets): RATE [40] DURATION [15s] ARRAY_LENGTH [100] MODE [man]
#   MAX_ERROR_PERCENT [5] (the Gatling assertion; strict delivery answers 503 when the shared CPU is slow)
#   SCRAPE_INTERVAL [1s] RATE_WINDOW [5s] STEP [1s] OUT [loadtest/target/local-e2e]
#   ports, all on 127.0.0.1: CUMSUM_PORT [18080] CUMSUM_MGMT_PORT [18081] TX_GRPC_PORT [19090]
#   TX_MGMT_PORT [19091] PROMETHEUS_PORT [19095]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rate="${RATE:-40}"
duration="${DURATION:-15s}"
out="${OUT:-$root/loadtest/target/local-e2e}"
cumsum_port="${CUMSUM_PORT:-18080}"
cumsum_mgmt="${CUMSUM_MGMT_PORT:-18081}"
tx_grpc="${TX_GRPC_PORT:-19090}"
tx_mgmt="${TX_MGMT_PORT:-19091}"
prom_port="${PROMETHEUS_PORT:-19095}"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

cumsum_jar="cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar"
tx_jar="transaction-api/target/transaction-api-0.1.0-SNAPSHOT-exec.jar"
if [[ ! -f "$cumsum_jar" || ! -f "$tx_jar" ]]; then
  echo "local-e2e: building the service jars" >&2
  ./mvnw -q -pl cumsum-api,transaction-api -am package -DskipTests
fi
command -v prometheus >/dev/null || { echo "local-e2e: prometheus missing (apt-get install -y prometheus)" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

wait_http() { # url, what
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 0.5
  done
  echo "local-e2e: $2 not ready at $1; logs in $work" >&2
  tail -n 40 "$work"/*.log >&2 || true
  return 1
}

# run copies: a rebuild of the modules while this runs must not pull the jars away
cp "$cumsum_jar" "$work/cumsum-api.jar"
cp "$tx_jar" "$work/transaction-api.jar"
mkdir -p "$work/tx"
(cd "$work/tx" && exec "$java" -jar "$work/transaction-api.jar" --spring.grpc.server.port="$tx_grpc" --server.port="$tx_mgmt" \
  --server.address=127.0.0.1 --transaction.embedded.data-dir="$work/tx/data" --management.tracing.exemplars.include=none) \
  >"$work/transaction-api.log" 2>&1 &
pids+=($!)
TRANSACTION_API_TARGET="static://127.0.0.1:$tx_grpc" "$java" -jar "$work/cumsum-api.jar" --server.port="$cumsum_port" \
  --server.address=127.0.0.1 --management.server.port="$cumsum_mgmt" --management.server.address=127.0.0.1 \
  --management.tracing.exemplars.include=none >"$work/cumsum-api.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$tx_mgmt/actuator/health/readiness" transaction-api
wait_http "http://127.0.0.1:$cumsum_mgmt/actuator/health/readiness" cumsum-api

PROMETHEUS_PORT="$prom_port" LOCAL_PROMETHEUS_DIR="$work/prometheus" SCRAPE_INTERVAL="${SCRAPE_INTERVAL:-1s}" \
  CUMSUM_API_METRICS="127.0.0.1:$cumsum_mgmt" TRANSACTION_API_METRICS="127.0.0.1:$tx_mgmt" \
  scripts/local-prometheus.sh >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$prom_port/-/ready" prometheus

# a cold JVM answers its first requests slowly: warm up before the measured run
for _ in $(seq 1 30); do
  curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"arr":[1,2,3],"mode":"man"}' "http://127.0.0.1:$cumsum_port/api" || true
done

start=$(date +%s)
./mvnw -q -pl loadtest test-compile gatling:test -Dprofile=steady -Drate="$rate" -Dduration="$duration" \
  -DbaseUrl="http://127.0.0.1:$cumsum_port" -DarrayLength="${ARRAY_LENGTH:-100}" -Dmode="${MODE:-man}" \
  -DmaxErrorPercent="${MAX_ERROR_PERCENT:-5}"
sleep 3 # let the last scrapes land
end=$(date +%s)

./mvnw -q -pl loadtest exec:java@report -DprometheusUrl="http://127.0.0.1:$prom_port" -Dstart="$start" -Dend="$end" \
  -Dstep="${STEP:-1s}" -DrateWindow="${RATE_WINDOW:-5s}" -Dout="$out"

# The report must have seen the load: mean achieved rate of at least half the offered rate while it ran.
awk -F, -v rate="$rate" '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["rps"] != "" && $col["rps"] > 0 { n++; sum += $col["rps"]; if ($col["p99_ms"] != "") p99++ }
  END {
    if (n == 0) { print "local-e2e: FAIL no request rate in the report"; exit 1 }
    printf "local-e2e: report saw %d samples with load, mean %.1f/s (offered %s/s), %d with p99\n", n, sum / n, rate, p99
    if (sum / n < rate / 2 || p99 == 0) { print "local-e2e: FAIL"; exit 1 }
  }' "$out/data.csv"
echo "local-e2e: OK, report in $out/index.html"
