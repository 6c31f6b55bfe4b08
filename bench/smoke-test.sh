#!/usr/bin/env bash
# CI form of the benchmark harness: every row of bench/run.sh for ~2 s, failing when a server does not
# answer correctly or does not start. Installs wrk and nginx from Debian when missing (CI runs as root).
# Needs the jars (./mvnw install or verify) and ../shared/peers beside the project.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "smoke-test: install ${missing[*]} (apt-get install -y ${missing[*]})" >&2; exit 1; }
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
start=$SECONDS
"$here/run.sh" --smoke "$@"
echo "bench smoke: every row answered correctly in $((SECONDS - start)) s"
