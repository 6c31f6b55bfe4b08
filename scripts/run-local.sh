#!/usr/bin/env bash
# The whole local stack, no cluster and no MongoDB server: builds the services, starts
# transaction-api on its embedded store (data kept in .local/data across restarts), cumsum-api in
# strict mode, and Prometheus if it is installed. Ctrl-C stops everything.
#
#   scripts/run-local.sh                 # API on http://127.0.0.1:8080
#   CUMSUM_DELIVERY_MODE=async scripts/run-local.sh
#   SKIP_BUILD=1 scripts/run-local.sh    # reuse the jars already built
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
. scripts/lib/java.sh
mkdir -p .local/logs .local/data

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "Building (./mvnw install -DskipTests) ..."
  ./mvnw -B -q -ntp install -DskipTests -pl transaction-api,cumsum-api -am
fi

# Reading the history needs a bearer token: CUMSUM_HISTORY_TOKEN if set, else one generated per run.
history_token="${CUMSUM_HISTORY_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export CUMSUM_HISTORY_TOKEN="$history_token"

pids=()
stop() {
  echo; echo "Stopping ..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

wait_ready() { # name url
  for _ in $(seq 1 240); do
    if curl -fs "$2" >/dev/null 2>&1; then echo "$1 ready"; return 0; fi
    sleep 0.5
  done
  echo "$1 did not become ready; see .local/logs/$1.log" >&2
  exit 1
}

"$JAVA_HOME/bin/java" -jar transaction-api/target/transaction-api-0.1.0-SNAPSHOT-exec.jar \
  --transaction.embedded.data-dir="$root/.local/data" > .local/logs/transaction-api.log 2>&1 &
pids+=($!)
"$JAVA_HOME/bin/java" -jar cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar \
  --cumsum.delivery.mode="${CUMSUM_DELIVERY_MODE:-strict}" > .local/logs/cumsum-api.log 2>&1 &
pids+=($!)
wait_ready transaction-api http://127.0.0.1:9091/actuator/health/readiness
wait_ready cumsum-api http://127.0.0.1:8081/actuator/health/readiness

if command -v prometheus >/dev/null 2>&1; then
  scripts/local-prometheus.sh > .local/logs/prometheus.log 2>&1 &
  pids+=($!)
  prom="Prometheus:      http://127.0.0.1:9095 (scrapes both services; try the adapter queries of docs/observability.md)"
else
  prom="Prometheus:      not installed (apt-get install -y prometheus) - skipped"
fi

cat <<MSG

cumsum-autoscale is running (logs in .local/logs, history in .local/data):
  API:             http://127.0.0.1:8080/api
  Metrics:         http://127.0.0.1:8081/actuator/prometheus  (transaction-api: :9091)
  $prom

Try:
  curl -s -H 'Content-Type: application/json' -d '{"arr":[1,2,3],"mode":"man"}' http://127.0.0.1:8080/api
  curl -s -H 'Authorization: Bearer $history_token' 'http://127.0.0.1:8080/api/transactions?limit=5'

History token (CUMSUM_HISTORY_TOKEN; set it yourself to keep one across runs): $history_token

Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
