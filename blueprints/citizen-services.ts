import { type BlueprintSpec } from '../constructs/blueprint-spec';

/** The provincial registry mirror: every image and chart comes from it (supply-chain continuity). */
const MIRROR = 'registry.gov.hunan.example';
/** Where the citizen-services images live on the mirror. */
const REGISTRY = `${MIRROR}/citizen-services`;

/**
 * The standard citizen-services platform of a Hunan city (white paper chapters 3.2 and 4): one
 * government-cloud cluster per city, the departments (委办局) that run citizen-facing systems,
 * and their services. Cities copy it with their own overrides (`regions/`).
 */
export const citizenServices: BlueprintSpec = {
  name: 'citizen-services',
  description: 'Standard citizen-services platform for Hunan cities (数字政府 市民服务 标准蓝图).',
  supplyChain: { registry: MIRROR, chartRepository: `oci://${MIRROR}/charts` },
  // Every region's clusters in one Istio mesh (white paper 3.2.2): mutual TLS, callers declared per
  // service, canaries, circuit breaking and rate limits without code changes.
  mesh: { version: '1.30.3', apiVersion: 'v1' },
  clusters: [
    {
      name: 'gov',
      role: 'gov',
      cloud: 'hunan-gov-cloud',
      production: true,
      zones: ['az1', 'az2', 'az3'],
      // Each city points this at its own cluster; the blueprint default is the pipeline's kubeconfig.
      connection: { kubeconfig: { path: '~/.kube/config', context: 'gov' } },
      capacity: { nodes: 6, nodeCpu: '32', nodeMemory: '128Gi' },
      network: { podCidr: '10.96.0.0/14', serviceCidr: '10.100.0.0/16' },
    },
  ],
  departments: [
    {
      name: 'data-bureau',
      displayName: '政务服务和大数据局 Government Services and Big Data Bureau',
      quota: { cpu: '48', memory: '192Gi', pods: 400 },
      // Its alerts, platform and applications alike, go to observability.dataBureauReceivers.
    },
    {
      name: 'education',
      displayName: '教育局 Education Bureau',
      quota: { cpu: '32', memory: '96Gi' },
    },
    {
      name: 'social-security',
      displayName: '人力资源和社会保障局 Human Resources and Social Security Bureau',
      quota: { cpu: '16', memory: '48Gi' },
    },
    {
      name: 'tax',
      displayName: '税务局 Tax Bureau',
      quota: { cpu: '16', memory: '48Gi' },
    },
    {
      name: 'health',
      displayName: '卫生健康委员会 Health Commission',
      quota: { cpu: '16', memory: '48Gi' },
    },
  ],
  services: [
    {
      name: 'citizen-app',
      department: 'data-bureau',
      displayName: '市民 App API (citizen app back end)',
      // Citizen-facing: a surge elsewhere must never evict it.
      priority: 'citizen-critical',
      image: `${REGISTRY}/citizen-app`,
      version: '3.2.0',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      middleware: [
        { name: 'citizen-db', envPrefix: 'DB' },
        { name: 'session-cache', envPrefix: 'CACHE' },
        { name: 'event-bus', envPrefix: 'EVENTS' },
      ],
      resources: { requests: { cpu: '500m', memory: '512Mi' } },
      probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
      metrics: { port: 'http' },
      autoscaling: { minReplicas: 3, maxReplicas: 30, targetCpuUtilization: 60, scaleUp: { percent: 200, pods: 6, periodSeconds: 15 } },
      // Every city publishes its own: app.changsha.gov.hunan.example, app.zhuzhou...
      traffic: { expose: { hosts: ['app.{region}.gov.hunan.example'], tlsSecret: 'citizen-app-tls' }, timeout: '10s' },
      // The front door of every citizen service: pages before a month's budget (43 minutes) is at risk.
      slos: [
        { name: 'availability', objective: 99.9 },
        { name: 'latency', objective: 99, latency: { threshold: '250ms' } },
      ],
    },
    {
      name: 'gov-portal',
      department: 'data-bureau',
      displayName: '政务服务网 Government service portal',
      image: `${REGISTRY}/gov-portal`,
      version: '2.8.4',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      resources: { requests: { cpu: '250m', memory: '256Mi' } },
      probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
      metrics: { port: 'http' },
      autoscaling: { minReplicas: 2, maxReplicas: 10 },
      traffic: { expose: { hosts: ['zwfw.{region}.gov.hunan.example'], tlsSecret: 'gov-portal-tls' } },
    },
    {
      name: 'enrolment',
      department: 'education',
      displayName: '入学报名 School enrolment',
      image: `${REGISTRY}/enrolment`,
      version: '1.6.2',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      env: [{ name: 'ENROLMENT_YEAR', value: '2026' }],
      middleware: [
        { name: 'citizen-db', envPrefix: 'DB' },
        { name: 'session-cache', envPrefix: 'CACHE' },
      ],
      resources: { requests: { cpu: '500m', memory: '512Mi' } },
      probes: { readiness: { path: '/actuator/health/readiness' }, liveness: { path: '/actuator/health/liveness', initialDelaySeconds: 20 } },
      metrics: { port: 'http', path: '/actuator/prometheus' },
      // Enrolment day brings tens of times the usual load (scenario 1): scale up hard, down slowly.
      autoscaling: {
        minReplicas: 2,
        maxReplicas: 24,
        scaleUp: { percent: 300, periodSeconds: 15 },
        scaleDown: { percent: 10, periodSeconds: 60, stabilizationWindowSeconds: 600 },
      },
      // The citizen app is the front door to enrolment (and the other departments' services below).
      callers: ['citizen-app'],
    },
    {
      name: 'social-insurance',
      department: 'social-security',
      displayName: '社保查询 Social insurance enquiries',
      // Citizen-facing: a surge elsewhere must never evict it.
      priority: 'citizen-critical',
      image: `${REGISTRY}/social-insurance`,
      version: '4.1.0',
      // Pinned by digest: a tag moved in the mirror cannot change what citizens are served.
      digest: 'sha256:56894a190b5eaa122c84e5f44d177e1d1a916a942d8647f511ff905aad2f8336',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      middleware: [
        { name: 'citizen-db', envPrefix: 'DB' },
        { name: 'event-bus', envPrefix: 'EVENTS' },
      ],
      resources: { requests: { cpu: '250m', memory: '512Mi' } },
      probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
      metrics: { port: 'http' },
      autoscaling: { minReplicas: 2, maxReplicas: 8 },
      callers: ['citizen-app'],
    },
    {
      name: 'tax-e-filing',
      department: 'tax',
      displayName: '电子税务 e-filing',
      image: `${REGISTRY}/tax-e-filing`,
      version: '5.0.3',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      env: [{ name: 'TAX_GATEWAY_TOKEN', secret: { name: 'tax-gateway', key: 'token' } }],
      middleware: [
        { name: 'event-bus', envPrefix: 'EVENTS' },
        { name: 'documents', envPrefix: 'S3' },
      ],
      resources: { requests: { cpu: '500m', memory: '1Gi' } },
      probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
      metrics: { port: 'http' },
      replicas: 3,
      callers: ['gov-portal'],
    },
    {
      // A departmental system that keeps its own files (white paper 3.1: "stateful applications
      // that keep data"): signed invoice PDFs indexed on local disk, one volume per replica.
      name: 'invoice-archive',
      department: 'tax',
      displayName: '电子发票归档 e-invoice archive',
      image: `${REGISTRY}/invoice-archive`,
      version: '1.8.2',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      resources: { requests: { cpu: '250m', memory: '512Mi' } },
      probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
      metrics: { port: 'http' },
      replicas: 2,
      stateful: true,
      statefulSet: { volumes: [{ name: 'archive', mountPath: '/var/lib/invoice-archive', size: '20Gi' }] },
    },
    {
      name: 'health-code',
      department: 'health',
      displayName: '健康码 Health code',
      // Citizen-facing: a surge elsewhere must never evict it.
      priority: 'citizen-critical',
      image: `${REGISTRY}/health-code`,
      version: '2.3.1',
      // Pinned by digest: a tag moved in the mirror cannot change what citizens are served.
      digest: 'sha256:d04afa4be141de814b2539071e690bad11721eba804f529343dde33c0a146307',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      middleware: [{ name: 'session-cache', envPrefix: 'CACHE' }],
      resources: { requests: { cpu: '250m', memory: '256Mi' } },
      probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
      metrics: { port: 'http' },
      autoscaling: { minReplicas: 2, maxReplicas: 12 },
      callers: ['citizen-app'],
    },
  ],
  // The shared shelf (货架, chapter 3.2.1): one vetted database, cache, queue and object store that
  // every department uses, instead of one per vendor.
  middleware: [
    {
      name: 'citizen-db',
      engine: 'postgresql',
      version: '17.6.0',
      size: 'medium',
      grants: ['data-bureau', 'education', 'social-security'],
    },
    {
      name: 'session-cache',
      engine: 'redis',
      version: '8.2.1',
      size: 'small',
      // A cache is rebuilt from the database; volume backups would only copy stale sessions.
      backup: { enabled: false, reason: 'cache only: contents are rebuilt from citizen-db' },
      grants: ['data-bureau', 'education', 'health'],
    },
    {
      name: 'event-bus',
      engine: 'kafka',
      version: '3.9.0',
      size: 'small',
      grants: ['data-bureau', 'social-security', 'tax'],
    },
    {
      name: 'documents',
      engine: 'object-storage',
      version: '2025.6.13',
      size: 'small',
      resourceName: 'tax-documents',
      grants: ['tax'],
    },
  ],
  // One view of every region (white paper 4.3): each cluster remote-writes to the province's hub
  // on Changsha's government cloud; the data bureau's duty system gets the platform's alerts.
  observability: {
    hub: { region: 'changsha', remoteWriteUrl: 'https://metrics.hunan.gov.example/api/v1/receive', objectStorage: { middleware: 'metrics-store' } },
    dataBureauReceivers: [{ name: 'duty-system', webhook: { urlSecret: { name: 'duty-system-webhook', key: 'url' } } }],
  },
  // The report's Cost section (white paper 2.1.1 (2), 5.1.3). Illustrative prices, made up for the
  // example: put your contract's prices here. A region prices the clouds it adds.
  costs: {
    currency: 'CNY',
    note: 'illustrative prices, not a quote',
    prices: { 'hunan-gov-cloud': { vcpuHour: 0.22, gibHour: 0.03 } },
  },
};
