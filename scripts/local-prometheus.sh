#!/usr/bin/env bash
# Starts a local Prometheus (Debian package `prometheus`, if installed) that scrapes both local
# services the way the cluster's ServiceMonitors do, with the labels the Prometheus Adapter rules
# and the dashboards select on (namespace, pod, service, job), and loads the chart's recording and
# alerting rules. Runs in the foreground (exec): background it and keep its PID to stop it.
#
#   scripts/local-prometheus.sh            # http://127.0.0.1:9095, data under .local/prometheus
#
# Environment (defaults in brackets):
#   PROMETHEUS_PORT [9095]                 listen port (loopback only)
#   LOCAL_PROMETHEUS_DIR [.local/prometheus] config and TSDB directory
#   CUMSUM_API_METRICS [127.0.0.1:8081]    cumsum-api management address
#   TRANSACTION_API_METRICS [127.0.0.1:9091] transaction-api management address
#   SCRAPE_INTERVAL [15s]                  the cluster's ServiceMonitor interval; the adapter's 1m
#                                          rate window needs >= 4 scrapes
#   LOCAL_NAMESPACE [local]                value of the namespace label
# Exits 0 without starting anything when prometheus is not installed; exits 1 with a message naming the
# holder when the port is already taken (a caller that backgrounds this script can check that the
# listener's pid is the one it started: the script execs Prometheus, so it keeps its pid).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/ports.sh"
port="${PROMETHEUS_PORT:-9095}"
dir="${LOCAL_PROMETHEUS_DIR:-$root/.local/prometheus}"
cumsum="${CUMSUM_API_METRICS:-127.0.0.1:8081}"
transaction="${TRANSACTION_API_METRICS:-127.0.0.1:9091}"
interval="${SCRAPE_INTERVAL:-15s}"
namespace="${LOCAL_NAMESPACE:-local}"

if ! command -v prometheus >/dev/null 2>&1; then
  echo "local-prometheus: prometheus is not installed (Debian: apt-get install -y prometheus); not started" >&2
  exit 0
fi

require_free_ports local-prometheus "$port:Prometheus"

mkdir -p "$dir/data"
cat > "$dir/prometheus.yml" <<YAML
# Written by scripts/local-prometheus.sh; edits are overwritten on the next start.
global:
  scrape_interval: $interval
  evaluation_interval: $interval
rule_files:
  - $root/helm/cumsum-autoscale/files/prometheus-rules.yaml
scrape_configs:
  - job_name: cumsum-api
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ['$cumsum']
        labels: {namespace: $namespace, pod: cumsum-api-local, service: cumsum-api}
  - job_name: transaction-api
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ['$transaction']
        labels: {namespace: $namespace, pod: transaction-api-local, service: transaction-api}
YAML

echo "local-prometheus: http://127.0.0.1:$port (scraping $cumsum and $transaction every $interval)" >&2
exec prometheus \
  --config.file="$dir/prometheus.yml" \
  --storage.tsdb.path="$dir/data" \
  --storage.tsdb.retention.time=2d \
  --web.listen-address="127.0.0.1:$port"
