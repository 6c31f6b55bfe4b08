#!/usr/bin/env bash
# Builds the images into the local Docker daemon: the two services and the load-test image
# cumsum-autoscale/loadtest (the chart's in-cluster load Job) with Jib (jib:dockerBuild), then
# images/aot.Dockerfile on top of each service image, which trains and adds the JDK AOT cache they start with.
# Needs Docker and JDK >= 21. Written for a machine with Docker; where it was written there is no Docker
# engine, so images/check-images.sh replays the same steps offline instead (docs/images.md).
#   images/build-images.sh [--no-aot]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/java.sh
TAG=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/cumsum-autoscale/Chart.yaml)
command -v docker >/dev/null || { echo "build-images: docker not found on PATH" >&2; exit 1; }

./mvnw -q -pl cumsum-api,transaction-api,loadtest -am -DskipTests package jib:dockerBuild
[ "${1:-}" = --no-aot ] && exit 0
for svc in cumsum-api transaction-api; do
  image=cumsum-autoscale/$svc:$TAG
  echo "build-images: $image + JDK AOT cache"
  docker build -q -f images/aot.Dockerfile --build-arg "IMAGE=$image" -t "$image" images
done
