{{/* Names and labels shared by every object of the chart. */}}
{{- define "guard.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "guard.labels" -}}
app.kubernetes.io/name: guard
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "guard.selector" -}}
app.kubernetes.io/name: guard
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Pod-level settings every service shares. */}}
{{- define "guard.podSpec" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* --domains arguments / GUARD_DOMAINS value for the packs of .Values.domainPacks. */}}
{{- define "guard.domainFiles" -}}
{{- $files := list -}}
{{- range $name, $_ := .Values.domainPacks -}}
{{- $files = append $files (printf "/etc/guard/domains/%s" $name) -}}
{{- end -}}
{{- join "," $files -}}
{{- end -}}

{{/* An HPA, a PodDisruptionBudget and a Service for one component: dict root, component, svc, port. */}}
{{- define "guard.hpa" -}}
{{- if .svc.autoscaling.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "guard.fullname" .root }}-{{ .component }}
  labels:
    {{- include "guard.labels" . | nindent 4 }}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{ include "guard.fullname" .root }}-{{ .component }}}
  minReplicas: {{ .svc.autoscaling.minReplicas }}
  maxReplicas: {{ .svc.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: {{ .svc.autoscaling.targetCPUUtilization }}}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: {{ .svc.autoscaling.scaleDownStabilizationSeconds }}
{{- end }}
{{- end -}}

{{- define "guard.pdb" -}}
{{- if .svc.disruptionBudget.enabled }}
---
# maxUnavailable, never minAvailable: with one replica minAvailable: 1 forbids every eviction.
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "guard.fullname" .root }}-{{ .component }}
  labels:
    {{- include "guard.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .svc.disruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "guard.selector" . | nindent 6 }}
{{- end }}
{{- end -}}

{{- define "guard.service" -}}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "guard.fullname" .root }}-{{ .component }}
  labels:
    {{- include "guard.labels" . | nindent 4 }}
spec:
  type: {{ .svc.service.type }}
  selector:
    {{- include "guard.selector" . | nindent 4 }}
  ports:
    - {name: {{ .portName }}, port: {{ .svc.service.port }}, targetPort: {{ .portName }}, protocol: TCP}
{{- end -}}

{{/* The arguments icap and proxy share: fail mode, incidents, domain packs. */}}
{{- define "guard.proxyArgs" -}}
- --fail-mode
- {{ .svc.failMode | quote }}
{{- if .svc.incidents }}
- --incidents
- {{ .svc.incidents | quote }}
{{- else }}
- --incidents
- /var/lib/guard/incidents.jsonl
{{- end }}
{{- range $name, $_ := .root.Values.domainPacks }}
- --domains
- {{ printf "/etc/guard/domains/%s" $name | quote }}
{{- end }}
{{- range .svc.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}

{{/* The Deployment of guard icap / guard proxy: dict root, component, svc, portName, args. */}}
{{- define "guard.proxyDeployment" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "guard.fullname" $root }}-{{ .component }}
  labels:
    {{- include "guard.labels" . | nindent 4 }}
spec:
  {{- if not $svc.autoscaling.enabled }}
  replicas: {{ $svc.replicas }}
  {{- end }}
  revisionHistoryLimit: 3
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  selector:
    matchLabels:
      {{- include "guard.selector" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "guard.labels" . | nindent 8 }}
      annotations:
        checksum/domains: {{ toJson $root.Values.domainPacks | sha256sum }}
    spec:
      {{- include "guard.podSpec" $root | nindent 6 }}
      terminationGracePeriodSeconds: 30
      {{- if eq .component "proxy" }}
      initContainers:
        # mitmproxy writes into its confdir: the CA is copied from the read-only Secret to the state volume.
        - name: ca
          image: "{{ $svc.image.repository }}:{{ $svc.image.tag }}"
          imagePullPolicy: {{ $svc.image.pullPolicy }}
          command: ["python", "-c", "import os, shutil; os.makedirs('/var/lib/guard/mitmproxy', exist_ok=True); shutil.copy('/etc/guard/ca/mitmproxy-ca.pem', '/var/lib/guard/mitmproxy/')"]
          volumeMounts:
            - {name: state, mountPath: /var/lib/guard}
            - {name: ca, mountPath: /etc/guard/ca, readOnly: true}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: "{{ $svc.image.repository }}:{{ $svc.image.tag }}"
          imagePullPolicy: {{ $svc.image.pullPolicy }}
          args:
            {{- range .args }}
            - {{ . | quote }}
            {{- end }}
            {{- include "guard.proxyArgs" . | nindent 12 }}
          ports:
            - {name: {{ .portName }}, containerPort: {{ $svc.port }}, protocol: TCP}
          {{- if $svc.hashKeySecret }}
          env:
            - name: GUARD_INCIDENT_HASH_KEY
              valueFrom:
                secretKeyRef: {name: {{ $svc.hashKeySecret }}, key: GUARD_INCIDENT_HASH_KEY}
          {{- end }}
          volumeMounts:
            - {name: state, mountPath: /var/lib/guard}
            - {name: tmp, mountPath: /tmp}
            {{- if $root.Values.domainPacks }}
            - {name: domains, mountPath: /etc/guard/domains, readOnly: true}
            {{- end }}
          startupProbe:
            tcpSocket: {port: {{ .portName }}}
            periodSeconds: 5
            failureThreshold: 24
          livenessProbe:
            tcpSocket: {port: {{ .portName }}}
            periodSeconds: 10
          readinessProbe:
            tcpSocket: {port: {{ .portName }}}
            periodSeconds: 5
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
      volumes:
        # incidents (unless a store URL is set), their hash key, mitmproxy's state
        - name: state
          emptyDir: {}
        - name: tmp
          emptyDir: {sizeLimit: 64Mi}
        {{- if $root.Values.domainPacks }}
        - name: domains
          configMap: {name: {{ include "guard.fullname" $root }}-domains}
        {{- end }}
        {{- if eq .component "proxy" }}
        - name: ca
          secret: {secretName: {{ $svc.caSecret }}}
        {{- end }}
{{- end -}}
