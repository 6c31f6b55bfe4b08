# shellcheck shell=bash
# Sourced by the bench scripts: the JVM options a pod of the chart gets, read from the chart's
# defaults (one source): the container memory limit as MaxRAM (outside a container the JVM would
# size itself from the whole machine) plus the component's javaToolOptions.
# CHART_JVM_OPTS: cumsumApi's; CHART_TX_JVM_OPTS: transactionApi's.
chart_values="$(dirname "${BASH_SOURCE[0]}")/../../helm/cumsum-autoscale/values.yaml"
chart_jvm_opts() { # top-level key of the component in values.yaml
  local limit options
  limit=$(awk -v k="$1:" '$0 == k { s = 1; next } s && /^[^ #]/ { exit } s && /limits:/ {
      match($0, /memory: *[0-9]+Mi/); print substr($0, RSTART + 8, RLENGTH - 10) + 0; exit }' "$chart_values")
  options=$(awk -v k="$1:" '$0 == k { s = 1; next } s && /^[^ #]/ { exit } s && /javaToolOptions:/ {
      sub(/.*javaToolOptions: *"/, ""); sub(/".*/, ""); print; exit }' "$chart_values")
  if [ -z "$limit" ] || [ -z "$options" ]; then echo "no memory limit or javaToolOptions for $1 in $chart_values" >&2; return 1; fi
  echo "-XX:MaxRAM=${limit}m $options"
}
# shellcheck disable=SC2034 # used by the scripts that source this file
CHART_JVM_OPTS=$(chart_jvm_opts cumsumApi)
# shellcheck disable=SC2034
CHART_TX_JVM_OPTS=$(chart_jvm_opts transactionApi)
