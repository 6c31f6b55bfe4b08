#!/usr/bin/env bash
# The whole local stack, no cluster and no MongoDB server: builds the services, starts
# transaction-api on its embedded store (data kept in .local/data across restarts) and waits until it is
# ready, then cumsum-api in strict mode (so that it never answers before its history can store), and
# Prometheus if it is installed. Ctrl-C stops everything.
#
#   scripts/run-local.sh                 # API on http://127.0.0.1:8080
#   CUMSUM_DELIVERY_MODE=async scripts/run-local.sh
#   SKIP_BUILD=1 scripts/run-local.sh    # reuse the jars already built
#
# Ports (fixed; the script stops at once if one is taken, and checks that the process listening on each
# is the one it started): 8080 cumsum-api API, 8081 cumsum-api management, 9090 transaction-api gRPC,
# 9091 transaction-api management, 9095 Prometheus.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
. scripts/lib/java.sh
. scripts/lib/ports.sh
mkdir -p .local/logs .local/data

ports=(8080:cumsum-api 8081:"cumsum-api management" 9090:"transaction-api gRPC" 9091:"transaction-api management")
with_prometheus=""
if command -v prometheus >/dev/null 2>&1; then
  with_prometheus=1
  ports+=(9095:Prometheus)
fi
require_free_ports run-local "${ports[@]}"

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "Building (./mvnw install -DskipTests; full log in .local/logs/build.log) ..."
  # one line per module as it starts, so that a minute of building is not a minute of silence
  ./mvnw -B -ntp install -DskipTests -pl transaction-api,cumsum-api -am > .local/logs/build.log 2>&1 &
  build=$!
  shown=0
  while kill -0 "$build" 2>/dev/null; do
    mapfile -t modules < <(grep -o 'Building [a-z-]* [0-9.]*-SNAPSHOT.*' .local/logs/build.log 2>/dev/null || true)
    while [ "$shown" -lt "${#modules[@]}" ]; do echo "  ${modules[$shown]}"; shown=$((shown + 1)); done
    sleep 1
  done
  if ! wait "$build"; then
    echo "Build failed; the end of .local/logs/build.log:" >&2
    tail -n 40 .local/logs/build.log >&2
    exit 1
  fi
  echo "Build done."
fi

# Reading the history needs a bearer token: CUMSUM_HISTORY_TOKEN if set, else one generated per run.
history_token="${CUMSUM_HISTORY_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export CUMSUM_HISTORY_TOKEN="$history_token"

pids=()
stopped=""
# shellcheck disable=SC2317 # called by the EXIT trap
stop() {
  [ -z "$stopped" ] || return 0
  stopped=1
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "Stopping ..."
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_ready() { # name url pid
  for _ in $(seq 1 240); do
    if curl -fs "$2" >/dev/null 2>&1; then echo "$1 ready"; return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then
      echo "$1 exited before it was ready; the end of .local/logs/$1.log:" >&2
      tail -n 30 ".local/logs/$1.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "$1 did not become ready in 120 s; see .local/logs/$1.log" >&2
  exit 1
}

echo "Starting transaction-api (logs in .local/logs/transaction-api.log) ..."
"$JAVA_HOME/bin/java" -jar transaction-api/target/transaction-api-0.1.0-SNAPSHOT-exec.jar \
  --history.embedded.data-dir="$root/.local/data" > .local/logs/transaction-api.log 2>&1 &
tx_pid=$!
pids+=("$tx_pid")
wait_ready transaction-api http://127.0.0.1:9091/actuator/health/readiness "$tx_pid"
require_owner run-local 9091 "$tx_pid" transaction-api
require_owner run-local 9090 "$tx_pid" transaction-api

echo "Starting cumsum-api (logs in .local/logs/cumsum-api.log) ..."
"$JAVA_HOME/bin/java" -jar cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar \
  --cumsum.delivery.mode="${CUMSUM_DELIVERY_MODE:-strict}" > .local/logs/cumsum-api.log 2>&1 &
api_pid=$!
pids+=("$api_pid")
wait_ready cumsum-api http://127.0.0.1:8081/actuator/health/readiness "$api_pid"
require_owner run-local 8081 "$api_pid" cumsum-api
require_owner run-local 8080 "$api_pid" cumsum-api

if [ -n "$with_prometheus" ]; then
  scripts/local-prometheus.sh > .local/logs/prometheus.log 2>&1 &
  prom_pid=$!
  pids+=("$prom_pid")
  wait_ready prometheus http://127.0.0.1:9095/-/ready "$prom_pid"
  require_owner run-local 9095 "$prom_pid" prometheus
  prom="Prometheus:      http://127.0.0.1:9095 (scrapes both services; try the adapter queries of docs/observability.md)"
else
  prom="Prometheus:      not installed (apt-get install -y prometheus) - skipped"
fi

cat <<MSG

cumsum-autoscale is running (logs in .local/logs, history in .local/data):
  API:             http://127.0.0.1:8080/api
  Metrics:         http://127.0.0.1:8081/actuator/prometheus  (transaction-api: :9091, gRPC :9090)
  $prom

Try:
  curl -s -H 'Content-Type: application/json' -d '{"arr":[1,2,3],"mode":"man"}' http://127.0.0.1:8080/api
  curl -s -H 'Authorization: Bearer $history_token' 'http://127.0.0.1:8080/api/transactions?limit=5'

History token (CUMSUM_HISTORY_TOKEN; set it yourself to keep one across runs): $history_token

Press Ctrl-C to stop.
MSG
set +e
wait -n "${pids[@]}"
echo "A process of the stack exited; see .local/logs." >&2
exit 1
