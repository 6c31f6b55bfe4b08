# Sourced by the bench scripts: the JVM options a pod of the chart gets, read from the chart's
# defaults (one source): the container memory limit as MaxRAM (outside a container the JVM would
# size itself from the whole machine) plus cumsumApi.javaToolOptions.
chart_values="$(dirname "${BASH_SOURCE[0]}")/../../helm/cumsum-autoscale/values.yaml"
chart_limit=$(awk '/^cumsumApi:/{s=1} s&&/limits:/{match($0,/memory: *[0-9]+Mi/); print substr($0,RSTART+8,RLENGTH-10)+0; exit}' "$chart_values" | tr -d ' ')
chart_tool_options=$(awk '/^cumsumApi:/{s=1} s&&/javaToolOptions:/{sub(/.*javaToolOptions: *"/,""); sub(/".*/,""); print; exit}' "$chart_values")
CHART_JVM_OPTS="-XX:MaxRAM=${chart_limit}m ${chart_tool_options}"
