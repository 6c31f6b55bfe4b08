#!/usr/bin/env bash
# Creates a kind cluster with the whole demo: builds and loads the images, installs the platform
# (helmfile.yaml, pinned charts), the Envoy proxy settings and the Gateway, then the chart; runs
# `helm test`, checks POST /api through the Gateway from this machine, and prints the URLs.
# Everything is reached on localhost through kind's port mappings (platform/kind-config.yaml), not a
# port-forward. Needs Docker, kind (>= 0.24), kubectl, helm (>= 3.14), helmfile, curl and JDK >= 21.
# Written for a machine with Docker; it was not run where it was written (no Docker engine there):
# KindScriptTest runs it against stub tools, which checks the order of the steps, not a cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER=${CLUSTER:-cumsum}
NAMESPACE=cumsum        # helmfile.yaml's app release; docs and k8s/ use the same names
RELEASE=demo
GATEWAY_NS=envoy-gateway-system
GATEWAY=cumsum-gateway  # the Gateway (platform/gateway.yaml) and its Envoy Deployment and Service (platform/envoy-proxy.yaml)
# Host ports of platform/kind-config.yaml's extraPortMappings (KindAccessTest checks that they agree)
API_URL=http://localhost:8080
GRAFANA_URL=http://localhost:3000
PROMETHEUS_URL=http://localhost:9090
JAEGER_URL=http://localhost:16686
TAG=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/cumsum-autoscale/Chart.yaml)
IMAGES=("cumsum-autoscale/cumsum-api:${TAG}" "cumsum-autoscale/transaction-api:${TAG}" "cumsum-autoscale/loadtest:${TAG}")

for tool in docker kind kubectl helm helmfile curl; do
  command -v "$tool" >/dev/null || { echo "kind-up: $tool not found on PATH" >&2; exit 1; }
done

# show NAMESPACE KIND/NAME...: the objects' full status, for a failure message
show() {
  local ns=$1 obj
  shift
  for obj in "$@"; do
    echo "----- kubectl -n ${ns} get ${obj} -o yaml" >&2
    kubectl -n "$ns" get "$obj" -o yaml >&2 || true
    echo "----- kubectl -n ${ns} describe ${obj}" >&2
    kubectl -n "$ns" describe "$obj" >&2 || true
  done
}

# wait_exists NAMESPACE KIND/NAME SECONDS: until the object exists (kubectl wait fails at once on a
# missing object, and the Envoy Deployment appears only after Envoy Gateway reconciled the Gateway)
wait_exists() {
  local deadline=$((SECONDS + $3))
  until kubectl -n "$1" get "$2" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 2
  done
}

echo "==> kind cluster ${CLUSTER} (host ports 8080, 3000, 9090, 16686 mapped: platform/kind-config.yaml)"
if ! kind get clusters | grep -qx "${CLUSTER}"; then
  kind create cluster --name "${CLUSTER}" --config platform/kind-config.yaml --wait 120s
fi
kubectl config use-context "kind-${CLUSTER}"

echo "==> images ${IMAGES[*]} (Jib into the local Docker daemon, plus the JDK AOT cache)"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  images/build-images.sh
fi
kind load docker-image --name "${CLUSTER}" "${IMAGES[@]}"

echo "==> platform: kube-prometheus-stack, prometheus-adapter, metrics-server, KEDA, Envoy Gateway"
helmfile -l tier=platform sync
kubectl apply -f platform/envoy-proxy.yaml   # before the GatewayClass that references it
kubectl apply -f platform/gateway.yaml

# Not the Gateway's Programmed condition: see scripts/lib/kind-unreachable-conditions.txt
echo "==> Envoy proxy of gateway/${GATEWAY}: deployment/${GATEWAY} Available"
if ! wait_exists "$GATEWAY_NS" "deployment/${GATEWAY}" 180 \
  || ! kubectl -n "$GATEWAY_NS" wait --for=condition=Available "deployment/${GATEWAY}" --timeout=180s; then
  echo "kind-up: FAILED: Envoy Gateway's proxy deployment/${GATEWAY} (namespace ${GATEWAY_NS}) is not Available after 3 minutes." >&2
  echo "kind-up: the objects that lead to it (GatewayClass parametersRef -> EnvoyProxy -> Gateway -> Deployment):" >&2
  show "$GATEWAY_NS" gatewayclass/envoy-gateway envoyproxy/cumsum-proxy "gateway/${GATEWAY}" "deployment/${GATEWAY}"
  kubectl -n "$GATEWAY_NS" get pods -o wide >&2 || true
  exit 1
fi

echo "==> chart helm/cumsum-autoscale as release ${RELEASE} in ${NAMESPACE}"
if ! helm upgrade --install "${RELEASE}" helm/cumsum-autoscale --namespace "${NAMESPACE}" --create-namespace \
  -f platform/kind-app-values.yaml --wait --timeout 10m; then
  echo "kind-up: FAILED: release ${RELEASE} did not become ready within 10 minutes. Its pods:" >&2
  kubectl -n "$NAMESPACE" get pods,pvc -o wide >&2 || true
  kubectl -n "$NAMESPACE" describe pods >&2 || true
  exit 1
fi

echo "==> helm test"
helm test "${RELEASE}" --namespace "${NAMESPACE}" --logs

echo "==> POST ${API_URL}/api: localhost:8080 -> node port 30080 -> Envoy -> HTTPRoute -> cumsum-api"
body=$(mktemp)
trap 'rm -f "$body"' EXIT
deadline=$((SECONDS + 120))
code=000
until code=$(curl -s -o "$body" -w '%{http_code}' --max-time 5 -H 'Content-Type: application/json' \
  -d '{"arr":[1,2,3]}' "${API_URL}/api") && [[ "$code" == 200 ]] && grep -q '"data":\[1,3,6\]' "$body"; do
  if ((SECONDS >= deadline)); then
    echo "kind-up: FAILED: POST ${API_URL}/api gave no 200 with data [1,3,6] within 2 minutes (last: HTTP ${code} $(head -c 300 "$body"))." >&2
    echo "kind-up: the path from the host to the pods:" >&2
    show "$NAMESPACE" "httproute/${RELEASE}-cumsum-api" "service/${RELEASE}-cumsum-api"
    show "$GATEWAY_NS" "gateway/${GATEWAY}" "service/${GATEWAY}"
    exit 1
  fi
  sleep 3
done

cat <<INFO

Ready. Everything below goes through kind's port mappings (platform/kind-config.yaml).

  API          curl -s -H 'Content-Type: application/json' -d '{"arr":[1,2,3]}' ${API_URL}/api
               (the Gateway balances each request over every cumsum-api pod, new ones included)
  Load         hey -z 60s -c 10 -q 5 -m POST -T application/json -d '{"arr":[1,2,3],"mode":"man"}' ${API_URL}/api
               ./mvnw -q -pl loadtest test-compile gatling:test -Dprofile=step -DbaseUrl=${API_URL}
  In-cluster   helm upgrade ${RELEASE} helm/cumsum-autoscale -n ${NAMESPACE} --reuse-values --set loadtest.enabled=true
  load Job     kubectl -n ${NAMESPACE} logs -f job/${RELEASE}-loadtest
               helm upgrade ${RELEASE} helm/cumsum-autoscale -n ${NAMESPACE} --reuse-values --set loadtest.enabled=false
  Grafana      ${GRAFANA_URL}  user admin, password:
               kubectl -n monitoring get secret kube-prometheus-stack-grafana -o jsonpath='{.data.admin-password}' | base64 -d
  Prometheus   ${PROMETHEUS_URL}
  Jaeger       ${JAEGER_URL}
  Autoscaler   kubectl -n ${NAMESPACE} get hpa --watch
               kubectl get --raw "/apis/custom.metrics.k8s.io/v1beta1/namespaces/${NAMESPACE}/pods/*/cumsum_requests_per_second"

Remove everything: scripts/kind-down.sh
INFO
