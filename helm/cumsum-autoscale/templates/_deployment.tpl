{{/* The Deployment and Service(s) of one service, from its values (.Values.<key>) and its facts in
cumsum.components (name, ports, env template, comments, headless ports). Call with (list $ "cumsumApi"). */}}
{{- define "cumsum.workload" -}}
{{- $root := index . 0 -}}
{{- $key := index . 1 -}}
{{- $c := index (include "cumsum.components" $root | fromYaml) $key -}}
{{- $v := index $root.Values $key -}}
{{- $name := include "cumsum.name" (list $root $c.name) -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "cumsum.labels" (list $root $c.name) | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "cumsum.selectorLabels" (list $root $c.name) | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
  template:
    metadata:
      labels:
        {{- include "cumsum.labels" (list $root $c.name) | nindent 8 }}
      {{- with $v.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "cumsum.serviceAccountName" (list $root $c.name $v) }}
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "cumsum.podSecurityContext" $root.Values.podSecurity | nindent 8 }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- with include "cumsum.topologySpread" (list $root $c.name $v) | trim }}
      {{- . | nindent 6 }}
      {{- end }}
      {{- with include "cumsum.scheduling" $v | trim }}
      {{- . | nindent 6 }}
      {{- end }}
      containers:
        - name: {{ $c.name }}
          image: {{ include "cumsum.image" (list $root $v.image) }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          ports:
            {{- range $c.ports }}
            - {name: {{ .name }}, containerPort: {{ .port }}, protocol: TCP}
            {{- end }}
          env:
            {{- include $c.env $root | nindent 12 }}
            {{- include "cumsum.commonEnv" (list $root $v) | nindent 12 }}
          {{- with $c.comments.probes }}
          {{- . | nindent 10 }}
          {{- end }}
          startupProbe:
            httpGet: {path: /actuator/health/liveness, port: management}
            {{- include "cumsum.probeTiming" $v.probes.startup | nindent 12 }}
          livenessProbe:
            httpGet: {path: /actuator/health/liveness, port: management}
            {{- include "cumsum.probeTiming" $v.probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet: {path: /actuator/health/readiness, port: management}
            {{- include "cumsum.probeTiming" $v.probes.readiness | nindent 12 }}
          lifecycle:
            {{- with $c.comments.preStop }}
            {{- . | nindent 12 }}
            {{- end }}
            preStop:
              sleep: {seconds: {{ $v.preStopSleepSeconds }}}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- include "cumsum.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
      volumes:
        {{- with $c.comments.volumes }}
        {{- . | nindent 8 }}
        {{- end }}
        - name: tmp
          emptyDir: {sizeLimit: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "cumsum.labels" (list $root $c.name) | nindent 4 }}
    {{- with $c.comments.metricsLabel }}
    {{- . | nindent 4 }}
    {{- end }}
    cumsum.dev/metrics: "true"
  {{- with $v.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $v.service.type }}
  selector:
    {{- include "cumsum.selectorLabels" (list $root $c.name) | nindent 4 }}
  ports:
    {{- range $c.ports }}
    - {{ include "cumsum.servicePort" . }}
    {{- end }}
{{- with $c.headlessPorts }}
---
{{- with $c.comments.headless }}
{{ . }}
{{- end }}
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}-headless
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "cumsum.labels" (list $root $c.name) | nindent 4 }}
spec:
  clusterIP: None
  selector:
    {{- include "cumsum.selectorLabels" (list $root $c.name) | nindent 4 }}
  ports:
    {{- range $c.ports }}
    {{- if has .name $c.headlessPorts }}
    - {{ include "cumsum.servicePort" . }}
    {{- end }}
    {{- end }}
{{- end }}
{{- end -}}

{{/* One Service port (flow style), targeting the container port of the same name. Call with a port of
cumsum.components. */}}
{{- define "cumsum.servicePort" -}}
{name: {{ .name }}, port: {{ .port }}, targetPort: {{ .name }}, protocol: TCP{{ with .appProtocol }}, appProtocol: {{ . }}{{ end }}}
{{- end -}}

{{/* cumsum-api's own environment (cumsum.commonEnv follows). */}}
{{- define "cumsum.cumsumApi.env" -}}
# Client-side round robin over the transaction-api pods, resolved through the headless Service.
- name: TRANSACTION_API_TARGET
  value: {{ printf "dns:///%s-headless.%s.svc.%s:%s" (include "cumsum.name" (list . "transaction-api")) .Release.Namespace .Values.clusterDomain (include "cumsum.port" (list . "transactionApi" "grpc")) | quote }}
- name: CUMSUM_DELIVERY_MODE
  value: {{ .Values.cumsumApi.deliveryMode | quote }}
- name: CUMSUM_HISTORY_TOKEN
  valueFrom: {secretKeyRef: {name: {{ include "cumsum.history.secretName" . }}, key: token}}
{{- end -}}

{{/* transaction-api's own environment (cumsum.commonEnv follows). */}}
{{- define "cumsum.transactionApi.env" -}}
{{- if .Values.mongodb.enabled -}}
{{- $m := .Values.mongodb -}}
# The application user (readWrite on the database only, never root), defined in that database.
- name: MONGO_USERNAME
  value: {{ $m.auth.appUsername | quote }}
- name: MONGO_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ include "cumsum.mongodb.secretName" . }}, key: app-password}}
# Kubernetes expands $(VAR) from the variables above: the password never sits in a manifest.
# Every member is a seed; the path is the database (its only source); replicaSet makes the
# driver follow the primary.
- name: SPRING_MONGODB_URI
  value: {{ printf "mongodb://$(MONGO_USERNAME):$(MONGO_PASSWORD)@%s/%s?replicaSet=%s&authSource=%s" (include "cumsum.mongodb.members" .) $m.database $m.replicaSetName $m.database | quote }}
{{- else -}}
- name: SPRING_MONGODB_URI
  valueFrom: {secretKeyRef: {name: {{ .Values.mongodb.external.existingSecret }}, key: {{ .Values.mongodb.external.uriKey }}}}
{{- end }}
- name: HISTORY_STORE_RETENTION
  value: {{ .Values.transactionApi.retention | quote }}
- name: HISTORY_STORE_STARTUPTIMEOUT
  value: {{ .Values.transactionApi.storeStartupTimeout | quote }}
{{- end -}}
