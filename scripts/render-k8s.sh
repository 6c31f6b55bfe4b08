#!/usr/bin/env bash
# Regenerates the copies that tests keep in sync (PlainManifestsTest, ChartReadmeTest):
#   - helm/cumsum-autoscale/files/dashboards/*.json  from grafana/*.json
#   - k8s/*.yaml  the chart rendered with helm/cumsum-autoscale/ci/plain-manifests-values.yaml (the
#     defaults plus the HTTPRoute to the demo Gateway; release "demo", namespace "cumsum")
#   - loadtest/k8s/loadtest-job.yaml  the in-cluster load Job of the same render
#   - helm/cumsum-autoscale/README.md  the values table, from the comments in values.yaml
#   - platform/prometheus-adapter-values.yaml  its rules: block, from the metrics contract (MetricsContractTest)
#   - observability/prometheus-rules.yaml  the chart's PrometheusRule as a plain rule file (promtool, local Prometheus)
# Rendering uses the helm library bundled by helm-java, so no helm binary is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
./mvnw -q -pl helm test -Dtest='PlainManifestsTest,ChartReadmeTest,MetricsContractTest' -Dcumsum.sync=true -Dsurefire.failIfNoSpecifiedTests=false
git status --short k8s loadtest/k8s helm/cumsum-autoscale/files/dashboards helm/cumsum-autoscale/README.md \
  platform/prometheus-adapter-values.yaml observability/prometheus-rules.yaml
