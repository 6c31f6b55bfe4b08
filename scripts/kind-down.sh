#!/usr/bin/env bash
# Deletes the kind cluster made by scripts/kind-up.sh (with everything in it, volumes included).
set -euo pipefail
CLUSTER=${CLUSTER:-cumsum}
command -v kind >/dev/null || { echo "kind-down: kind not found on PATH" >&2; exit 1; }
kind delete cluster --name "${CLUSTER}"
