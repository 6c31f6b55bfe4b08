{{/* Base URL of the in-cluster load Job: the Gateway's Envoy Service (the path users take) or the
chart's own cumsum-api Service. */}}
{{- define "cumsum.loadtestUrl" -}}
{{- $l := .Values.loadtest -}}
{{- if eq $l.target "gateway" -}}
{{- if not .Values.httpRoute.enabled -}}
{{- fail "loadtest.target=gateway needs httpRoute.enabled=true (the route from the Gateway to cumsum-api); or set loadtest.target=service" -}}
{{- end -}}
{{- $g := $l.gateway -}}
{{- printf "http://%s.%s.svc.%s%s" $g.service $g.namespace .Values.clusterDomain (ternary "" (printf ":%v" $g.port) (eq (int $g.port) 80)) -}}
{{- else -}}
{{- printf "http://%s.%s.svc.%s:%s" (include "cumsum.name" (list . "cumsum-api")) .Release.Namespace .Values.clusterDomain (include "cumsum.port" (list . "cumsumApi" "http")) -}}
{{- end -}}
{{- end -}}
