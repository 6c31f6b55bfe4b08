#!/usr/bin/env bash
# Runs every test: ./mvnw verify with a JDK >= 21, after installing (as root, on Debian) the real
# tools the tests drive: prometheus + promtool, hey, curl, shellcheck, chromium (report pages), ss (iproute2),
# node (runs the chart's MongoDB replset.js, ReplsetScriptTest). As a non-root user, install them first:
#   sudo apt-get install -y prometheus hey curl shellcheck chromium iproute2 nodejs
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for tool in prometheus promtool hey curl shellcheck chromium ss node; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages for the tests: prometheus hey curl shellcheck chromium iproute2 nodejs"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends prometheus hey curl shellcheck chromium iproute2 nodejs >/dev/null
  else
    echo "Missing tools: ${need[*]}. Install them (Debian: apt-get install -y prometheus hey curl shellcheck chromium iproute2 nodejs) and rerun." >&2
    exit 1
  fi
fi
. scripts/lib/java.sh
echo "Using JAVA_HOME=$JAVA_HOME"
exec ./mvnw -B -ntp verify "$@"
