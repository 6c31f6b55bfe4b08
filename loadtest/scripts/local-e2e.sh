#!/usr/bin/env bash
# Local end-to-end load run, bounded and on loopback only. It starts its own copies of the services on
# their own ports (not scripts/run-local.sh, which uses the standard ports 8080/8081/9090/9091/9095):
#   1. checks that every port it needs is free (fails at once, naming the process that holds one),
#   2. starts transaction-api (embedded store) from its exec jar and waits for its readiness, then
#      cumsum-api, then the local Prometheus (scripts/local-prometheus.sh) scraping both; after each, checks
#      that the process listening on the port is the one it started (pid of the listening socket, ss -ltnp),
#   3. runs the Gatling simulation (steady profile by default) against cumsum-api,
#   4. writes the scaling report for the run's window (with the offered rate of the same profile) and
#      checks its CSV,
#   5. stops everything it started (by PID); on failure keeps its work directory (logs) and says where.
# CI runs it reduced (the defaults: 15 s at 40/s with a 1 s scrape interval); for a longer, more
# realistic run: DURATION=5m RATE=100 SCRAPE_INTERVAL=15s RATE_WINDOW=1m STEP=15s loadtest/scripts/local-e2e.sh
#
# Environment (defaults in brackets): PROFILE [steady] RATE [40] DURATION [15s] ARRAY_LENGTH [100] MODE [man]
#   (other profile keys as LOADTEST_* variables, e.g. PROFILE=step LOADTEST_START_RATE=20 LOADTEST_STEP_RATE=20
#   LOADTEST_STEPS=4 LOADTEST_STEP_DURATION=45s; they reach both Gatling and the report)
#   MAX_ERROR_PERCENT [5] (the Gatling assertion; strict delivery answers 503 when the shared CPU is slow)
#   SCRAPE_INTERVAL [1s] RATE_WINDOW [5s] STEP [1s] OUT [loadtest/target/local-e2e]
#   ports, all on 127.0.0.1: CUMSUM_PORT [18080] CUMSUM_MGMT_PORT [18081] TX_GRPC_PORT [19090]
#   TX_MGMT_PORT [19091] PROMETHEUS_PORT [19095]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/lib/java.sh
. scripts/lib/ports.sh
profile="${PROFILE:-steady}"
rate="${RATE:-40}"
duration="${DURATION:-15s}"
out="${OUT:-$root/loadtest/target/local-e2e}"
cumsum_port="${CUMSUM_PORT:-18080}"
cumsum_mgmt="${CUMSUM_MGMT_PORT:-18081}"
tx_grpc="${TX_GRPC_PORT:-19090}"
tx_mgmt="${TX_MGMT_PORT:-19091}"
prom_port="${PROMETHEUS_PORT:-19095}"
java="$JAVA_HOME/bin/java"

command -v prometheus >/dev/null || { echo "local-e2e: prometheus missing (apt-get install -y prometheus)" >&2; exit 1; }
command -v ss >/dev/null || { echo "local-e2e: ss missing (apt-get install -y iproute2)" >&2; exit 1; }
require_free_ports local-e2e "$cumsum_port:cumsum-api" "$cumsum_mgmt:cumsum-api management" \
  "$tx_grpc:transaction-api gRPC" "$tx_mgmt:transaction-api management" "$prom_port:Prometheus"

cumsum_jar="cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar"
tx_jar="transaction-api/target/transaction-api-0.1.0-SNAPSHOT-exec.jar"
if [[ ! -f "$cumsum_jar" || ! -f "$tx_jar" ]]; then
  echo "local-e2e: building the service jars" >&2
  ./mvnw -B -ntp -q -pl cumsum-api,transaction-api -am package -DskipTests
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" = 0 ]; then
    rm -rf "$work"
  else
    echo "local-e2e: failed (exit $status); logs kept in $work" >&2
  fi
}
trap cleanup EXIT

wait_http() { # url, what, pid
  for _ in $(seq 1 240); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then
      echo "local-e2e: $2 (pid $3) exited before it was ready; its log:" >&2
      tail -n 40 "$work/$2.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  echo "local-e2e: $2 not ready at $1 after 120 s; logs in $work" >&2
  tail -n 40 "$work"/*.log >&2 || true
  return 1
}

# run copies: a rebuild of the modules while this runs must not pull the jars away
cp "$cumsum_jar" "$work/cumsum-api.jar"
cp "$tx_jar" "$work/transaction-api.jar"
mkdir -p "$work/tx"
(cd "$work/tx" && exec "$java" -jar "$work/transaction-api.jar" --spring.grpc.server.port="$tx_grpc" --server.port="$tx_mgmt" \
  --server.address=127.0.0.1 --history.embedded.data-dir="$work/tx/data" --management.tracing.exemplars.include=none) \
  >"$work/transaction-api.log" 2>&1 &
tx_pid=$!
pids+=("$tx_pid")
wait_http "http://127.0.0.1:$tx_mgmt/actuator/health/readiness" transaction-api "$tx_pid"
require_owner local-e2e "$tx_mgmt" "$tx_pid" transaction-api
require_owner local-e2e "$tx_grpc" "$tx_pid" transaction-api

TRANSACTION_API_TARGET="static://127.0.0.1:$tx_grpc" "$java" -jar "$work/cumsum-api.jar" --server.port="$cumsum_port" \
  --server.address=127.0.0.1 --management.server.port="$cumsum_mgmt" --management.server.address=127.0.0.1 \
  --management.tracing.exemplars.include=none >"$work/cumsum-api.log" 2>&1 &
api_pid=$!
pids+=("$api_pid")
wait_http "http://127.0.0.1:$cumsum_mgmt/actuator/health/readiness" cumsum-api "$api_pid"
require_owner local-e2e "$cumsum_mgmt" "$api_pid" cumsum-api
require_owner local-e2e "$cumsum_port" "$api_pid" cumsum-api

PROMETHEUS_PORT="$prom_port" LOCAL_PROMETHEUS_DIR="$work/prometheus" SCRAPE_INTERVAL="${SCRAPE_INTERVAL:-1s}" \
  CUMSUM_API_METRICS="127.0.0.1:$cumsum_mgmt" TRANSACTION_API_METRICS="127.0.0.1:$tx_mgmt" \
  scripts/local-prometheus.sh >"$work/prometheus.log" 2>&1 &
prom_pid=$!
pids+=("$prom_pid")
wait_http "http://127.0.0.1:$prom_port/-/ready" prometheus "$prom_pid"
require_owner local-e2e "$prom_port" "$prom_pid" prometheus
echo "local-e2e: transaction-api (pid $tx_pid) on :$tx_grpc/:$tx_mgmt, cumsum-api (pid $api_pid) on :$cumsum_port/:$cumsum_mgmt," \
  "Prometheus (pid $prom_pid) on :$prom_port; work directory $work"

# a cold JVM answers its first requests slowly: warm up before the measured run
for _ in $(seq 1 30); do
  curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"arr":[1,2,3],"mode":"man"}' "http://127.0.0.1:$cumsum_port/api" || true
done

requests() { # requests counted by cumsum-api so far
  curl -fs "http://127.0.0.1:$cumsum_mgmt/actuator/prometheus" | awk '/^cumsum_requests_total/ { s += $NF } END { printf "%d", s }'
}
profile_args=(-Dprofile="$profile" -Drate="$rate" -Dduration="$duration")
before="$(requests)"
start=$(date +%s)
./mvnw -B -ntp -q -pl loadtest test-compile gatling:test "${profile_args[@]}" \
  -DbaseUrl="http://127.0.0.1:$cumsum_port" -DarrayLength="${ARRAY_LENGTH:-100}" -Dmode="${MODE:-man}" \
  -DmaxErrorPercent="${MAX_ERROR_PERCENT:-5}" &
gatling=$!
# the offered rate starts with Gatling's first request, seconds after Maven started: note when it came
load_start=""
while kill -0 "$gatling" 2>/dev/null; do
  if [ -z "$load_start" ] && [ "$(requests)" -gt "$before" ]; then
    load_start=$(date +%s)
  fi
  sleep 0.2
done
wait "$gatling"
sleep 3 # let the last scrapes land
end=$(date +%s)
echo "local-e2e: load from $load_start (Maven started $start) to $end"

# the window: from a few seconds before the first request (Maven takes a while to start Gatling)
report_start=$(( ${load_start:-$start} - 5 ))
./mvnw -B -ntp -q -pl loadtest exec:java@report -DprometheusUrl="http://127.0.0.1:$prom_port" -Dstart="$report_start" -Dend="$end" \
  -Dstep="${STEP:-1s}" -DrateWindow="${RATE_WINDOW:-5s}" -Dout="$out" "${profile_args[@]}" -DloadStart="${load_start:-$start}"

# The report must have seen the load: mean achieved rate of at least half the offered rate while it ran.
awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["offered_rps"] > 0 { offered += $col["offered_rps"]; o++ }
  $col["rps"] != "" && $col["rps"] > 0 { n++; sum += $col["rps"]; if ($col["p99_ms"] != "") p99++ }
  END {
    if (n == 0 || o == 0) { print "local-e2e: FAIL no request rate or no offered rate in the report"; exit 1 }
    printf "local-e2e: report saw %d samples with load, mean %.1f/s (offered %.1f/s), %d with p99\n", n, sum / n, offered / o, p99
    if (sum / n < offered / o / 2 || p99 == 0) { print "local-e2e: FAIL"; exit 1 }
  }' "$out/data.csv"
echo "local-e2e: OK, report in $out/index.html"
