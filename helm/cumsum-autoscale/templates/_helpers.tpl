{{/* Prefix of every resource name. */}}
{{- define "cumsum.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of one component: <fullname>-<component>. Call with (list $ "cumsum-api"). */}}
{{- define "cumsum.name" -}}
{{- printf "%s-%s" (include "cumsum.fullname" (index . 0)) (index . 1) -}}
{{- end -}}

{{/* Per-component facts shared by the generic templates (the Deployments and Services in
_deployment.tpl, autoscaling, monitoring, PDBs). The metric names come from the metrics contract
(metrics.contract). The ports are each service's own (src/main/resources/application.yaml:
server.port, management.server.port, spring.grpc.server.port); ChartConsistencyTest checks them
against those files. ports[0] is the service's API port; appProtocol goes to the Service only;
headlessPorts get a second, headless Service. env names the template with the service's own
variables (the shared ones are cumsum.commonEnv); comments are rendered as YAML comments. */}}
{{- define "cumsum.components" -}}
{{- $contract := .Values.metrics.contract -}}
cumsumApi:
  name: cumsum-api
  metric: {{ $contract.cumsumApi.metric }}
  counter: {{ $contract.cumsumApi.counter }}
  ports:
    - {name: http, port: 8080}
    - {name: management, port: 8081}
  env: cumsum.cumsumApi.env
  comments:
    preStop: |-
      # Endpoints and load balancers need a moment to drop the pod; Spring's graceful shutdown
      # then drains in-flight requests and the async buffer.
    volumes: |-
      # The JVM needs a writable /tmp; the root filesystem is read-only.
    metricsLabel: |-
      # Selected by the ServiceMonitor.
transactionApi:
  name: transaction-api
  metric: {{ $contract.transactionApi.metric }}
  counter: {{ $contract.transactionApi.counter }}
  ports:
    - {name: grpc, port: 9090, appProtocol: kubernetes.io/h2c}
    - {name: management, port: 9091}
  headlessPorts: [grpc]
  env: cumsum.transactionApi.env
  comments:
    probes: |-
      # Actuator's probe groups on the management port, as for cumsum-api. Readiness includes MongoDB
      # and is DOWN until startup has reached it; the gRPC health service on 9090 (kept for clients)
      # answered SERVING for seconds after the port opened while MongoDB was unreachable.
      # Liveness never depends on MongoDB: a restart would not bring it back.
    headless: |-
      # Headless: DNS returns every ready pod, so cumsum-api's gRPC client balances per call, not per connection.
{{- end -}}

{{/* A component's port by name, from cumsum.components. Call with (list $ "cumsumApi" "http"). */}}
{{- define "cumsum.port" -}}
{{- $c := index (include "cumsum.components" (index . 0) | fromYaml) (index . 1) -}}
{{- $port := "" -}}
{{- range $c.ports -}}
{{- if eq .name (index $ 2) -}}
{{- $port = .port -}}
{{- end -}}
{{- end -}}
{{- required (printf "cumsum.components: %s has no port %s" (index . 1) (index . 2)) $port -}}
{{- end -}}

{{/* Selector labels. Call with (list $ "cumsum-api"). */}}
{{- define "cumsum.selectorLabels" -}}
app.kubernetes.io/name: {{ (index . 0).Chart.Name }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* All labels. Call with (list $ "cumsum-api"). */}}
{{- define "cumsum.labels" -}}
{{- $root := index . 0 -}}
{{ include "cumsum.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: cumsum-autoscale
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version }}
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Image reference. Call with (list $ .Values.x.image). */}}
{{- define "cumsum.image" -}}
{{- $image := index . 1 -}}
{{- printf "%s:%s" $image.repository (default (index . 0).Chart.AppVersion $image.tag) -}}
{{- end -}}

{{/* ServiceAccount name. Call with (list $ "cumsum-api" .Values.cumsumApi). */}}
{{- define "cumsum.serviceAccountName" -}}
{{- $sa := (index . 2).serviceAccount -}}
{{- if $sa.create -}}
{{- default (include "cumsum.name" (list (index . 0) (index . 1))) $sa.name -}}
{{- else -}}
{{- default "default" $sa.name -}}
{{- end -}}
{{- end -}}

{{/* Pod-level security context (restricted Pod Security Standard). */}}
{{- define "cumsum.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser }}
runAsGroup: {{ .runAsGroup }}
fsGroup: {{ .fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level security context (restricted Pod Security Standard). */}}
{{- define "cumsum.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Soft spread over nodes. Call with (list $ "cumsum-api" .Values.cumsumApi). */}}
{{- define "cumsum.topologySpread" -}}
{{- $spread := (index . 2).topologySpread -}}
{{- if $spread.enabled }}
topologySpreadConstraints:
  - maxSkew: {{ $spread.maxSkew }}
    topologyKey: {{ $spread.topologyKey }}
    whenUnsatisfiable: {{ $spread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "cumsum.selectorLabels" (list (index . 0) (index . 1)) | nindent 8 }}
    matchLabelKeys: [pod-template-hash]
{{- end }}
{{- end -}}

{{/* Scheduling knobs. Call with the component's values. */}}
{{- define "cumsum.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Environment shared by both services (tracing, logs, JVM, pod identity). Call with (list $ .Values.x). */}}
{{- define "cumsum.commonEnv" -}}
{{- $root := index . 0 -}}
{{- $values := index . 1 -}}
- name: POD_NAME
  valueFrom: {fieldRef: {fieldPath: metadata.name}}
- name: POD_NAMESPACE
  valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
- name: JAVA_TOOL_OPTIONS
  value: {{ $values.javaToolOptions | quote }}
{{- if $root.Values.jsonLogs }}
- name: LOGGING_STRUCTURED_FORMAT_CONSOLE
  value: ecs
{{- end }}
{{- /* Sampling only with an exporter: without one the services sample nothing (TracingSamplingDefaults). */}}
{{- with include "cumsum.otlpEndpoint" $root }}
- name: MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: MANAGEMENT_TRACING_SAMPLING_PROBABILITY
  value: {{ $root.Values.tracing.samplingProbability | quote }}
{{- end }}
{{- with $values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* OTLP traces endpoint: the bundled Jaeger, else tracing.otlpEndpoint (may be empty). */}}
{{- define "cumsum.otlpEndpoint" -}}
{{- if .Values.tracing.jaeger.enabled -}}
{{- printf "http://%s.%s.svc:4318/v1/traces" (include "cumsum.name" (list . "jaeger")) .Release.Namespace -}}
{{- else -}}
{{- .Values.tracing.otlpEndpoint -}}
{{- end -}}
{{- end -}}

{{/* Name of the Secret holding MongoDB's credentials and keyFile. */}}
{{- define "cumsum.mongodb.secretName" -}}
{{- default (include "cumsum.name" (list . "mongodb")) .Values.mongodb.auth.existingSecret -}}
{{- end -}}

{{/* host:port of every replica set member (StatefulSet pod DNS names), comma-separated, ordinal order. */}}
{{- define "cumsum.mongodb.members" -}}
{{- $name := include "cumsum.name" (list . "mongodb") -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.mongodb.replicas) -}}
{{- $hosts = append $hosts (printf "%s-%d.%s.%s.svc.%s:27017" $name $i $name $.Release.Namespace $.Values.clusterDomain) -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}

{{/* The application user's roles (mongosh): readWrite on the application database only. Call with the
JavaScript expression that names that database. */}}
{{- define "cumsum.mongodb.appRoles" -}}
[{ role: 'readWrite', db: {{ . }} }]
{{- end -}}

{{/* Prometheus that KEDA queries (metrics.prometheusUrl may refer to metrics.namespace). */}}
{{- define "cumsum.prometheusUrl" -}}
{{- tpl .Values.metrics.prometheusUrl . -}}
{{- end -}}

{{/* Peer for Prometheus in NetworkPolicies (its selectors may refer to metrics.namespace). */}}
{{- define "cumsum.prometheusPeer" -}}
- namespaceSelector:
    {{- tpl (toYaml .Values.networkPolicy.prometheus.namespaceSelector) . | nindent 4 }}
  podSelector:
    {{- tpl (toYaml .Values.networkPolicy.prometheus.podSelector) . | nindent 4 }}
{{- end -}}

{{/* Probe timing. Call with a probe's values. */}}
{{- define "cumsum.probeTiming" -}}
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- end -}}
