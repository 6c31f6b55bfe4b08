#!/usr/bin/env bash
# Creates a kind cluster with the whole demo: builds and loads the images, installs the platform
# (helmfile.yaml, pinned charts) and the chart, waits for readiness, runs `helm test`, prints the URLs.
# Needs Docker, kind (>= 0.24), kubectl, helm (>= 3.14) and helmfile on the PATH, and JDK >= 21.
# Written for a machine with Docker; it was not run where it was written (no Docker engine there).
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER=${CLUSTER:-cumsum}
NAMESPACE=${NAMESPACE:-cumsum}
RELEASE=demo            # helmfile.yaml's app release; k8s/ is rendered with the same name
TAG=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/cumsum-autoscale/Chart.yaml)
IMAGES=("cumsum-autoscale/cumsum-api:${TAG}" "cumsum-autoscale/transaction-api:${TAG}")

for tool in docker kind kubectl helm helmfile; do
  command -v "$tool" >/dev/null || { echo "kind-up: $tool not found on PATH" >&2; exit 1; }
done
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

echo "==> kind cluster ${CLUSTER}"
if ! kind get clusters | grep -qx "${CLUSTER}"; then
  kind create cluster --name "${CLUSTER}" --config platform/kind-config.yaml --wait 120s
fi
kubectl config use-context "kind-${CLUSTER}"

echo "==> images ${IMAGES[*]} (Jib into the local Docker daemon, plus the JDK AOT cache)"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  images/build-images.sh
fi
kind load docker-image --name "${CLUSTER}" "${IMAGES[@]}"

echo "==> platform: kube-prometheus-stack, prometheus-adapter, KEDA, Envoy Gateway"
helmfile -l tier=platform sync
kubectl apply -f platform/gateway.yaml
kubectl -n envoy-gateway-system wait --for=condition=Programmed gateway/cumsum-gateway --timeout=180s

echo "==> chart helm/cumsum-autoscale as release ${RELEASE} in ${NAMESPACE}"
helm upgrade --install "${RELEASE}" helm/cumsum-autoscale --namespace "${NAMESPACE}" --create-namespace \
  -f platform/kind-app-values.yaml --wait --timeout 10m
kubectl -n "${NAMESPACE}" rollout status deployment/${RELEASE}-cumsum-api --timeout=180s
kubectl -n "${NAMESPACE}" rollout status deployment/${RELEASE}-transaction-api --timeout=180s
kubectl -n "${NAMESPACE}" rollout status statefulset/${RELEASE}-mongodb --timeout=300s

echo "==> helm test"
helm test "${RELEASE}" --namespace "${NAMESPACE}" --logs

GATEWAY_SVC=$(kubectl -n envoy-gateway-system get svc \
  -l gateway.envoyproxy.io/owning-gateway-name=cumsum-gateway -o jsonpath='{.items[0].metadata.name}')
cat <<INFO

Ready. Each URL needs its port-forward running (one terminal each):

  API (direct)     kubectl -n ${NAMESPACE} port-forward svc/${RELEASE}-cumsum-api 8080:8080
                   curl -s -H 'Content-Type: application/json' -d '{"arr":[1,2,3]}' http://127.0.0.1:8080/api
  API (Gateway)    kubectl -n envoy-gateway-system port-forward svc/${GATEWAY_SVC} 8888:80
                   curl -s -H 'Content-Type: application/json' -d '{"arr":[1,2,3]}' http://127.0.0.1:8888/api
  Grafana          kubectl -n monitoring port-forward svc/kube-prometheus-stack-grafana 3000:80
                   http://127.0.0.1:3000  user admin, password:
                   kubectl -n monitoring get secret kube-prometheus-stack-grafana -o jsonpath='{.data.admin-password}' | base64 -d
  Prometheus       kubectl -n monitoring port-forward svc/kube-prometheus-stack-prometheus 9090:9090
  Autoscaler       kubectl -n ${NAMESPACE} get hpa --watch
                   kubectl get --raw "/apis/custom.metrics.k8s.io/v1beta1/namespaces/${NAMESPACE}/pods/*/cumsum_requests_per_second"

Remove everything: scripts/kind-down.sh
INFO
