import type { Json, PinnedImage, ReplicaResources } from '../middleware/engine';
import type { PodGroup, QuantityPair } from '../../lib/capacity';
import { type AlertLayer, DATA_BUREAU, LAYER_LABEL, OWNER_LABEL } from './observability-spec';

// The vetted observability stack (white paper 5.1.3): kube-prometheus-stack on every cluster,
// Thanos and Grafana on the province's hub, KEDA wherever ScaledObjects run. Each chart is pinned
// with every image it runs, below the cluster's registry mirror under the upstream path
// (`quay.io/prometheus/prometheus` -> `<registry>/prometheus/prometheus`), and its values are keyed
// exactly as the chart's values.yaml (test/e2e/observability-charts.e2e.ts renders them with the
// real charts and fails on a key the chart does not read).

/**
 * prometheus-community `kube-prometheus-stack` 88.5.3: prometheus-operator v0.93.1 (the chart's
 * appVersion, also the default tag of the config reloader and the admission webhook), Prometheus
 * 3.14, Alertmanager 0.34, kube-state-metrics 2.20 (subchart 8.4.0), node-exporter 1.12 (subchart
 * 4.56.1). `thanos` is the image the operator gives a Prometheus with a Thanos sidecar (unused
 * here: remote write instead), pinned so that no default points outside the mirror.
 */
export const KUBE_PROMETHEUS_STACK = {
  chart: 'kube-prometheus-stack',
  chartVersion: '88.5.3',
  appVersion: 'v0.93.1',
  images: {
    operator: { repository: 'prometheus-operator/prometheus-operator', tag: 'v0.93.1' },
    configReloader: { repository: 'prometheus-operator/prometheus-config-reloader', tag: 'v0.93.1' },
    admissionWebhook: { repository: 'prometheus-operator/admission-webhook', tag: 'v0.93.1' },
    /** The hook jobs that create and patch the admission webhook's certificate. */
    webhookCertgen: { repository: 'jkroepke/kube-webhook-certgen', tag: '1.8.7' },
    prometheus: { repository: 'prometheus/prometheus', tag: 'v3.14.0-distroless' },
    alertmanager: { repository: 'prometheus/alertmanager', tag: 'v0.34.0' },
    thanos: { repository: 'thanos/thanos', tag: 'v0.42.4' },
    kubeStateMetrics: { repository: 'kube-state-metrics/kube-state-metrics', tag: 'v2.20.0' },
    /** The distroless build the chart selects by default, named by its full tag. */
    nodeExporter: { repository: 'prometheus/node-exporter', tag: 'v1.12.1-distroless' },
  } satisfies Record<string, PinnedImage>,
} as const;

/**
 * Bitnami `thanos` 17.6.0 (Thanos 0.39.2). Bitnami's versioned images moved to `bitnamilegacy` in
 * 2025; the pins are those images, mirrored under the same path (as the middleware shelf does).
 */
export const THANOS = {
  chart: 'thanos',
  chartVersion: '17.6.0',
  appVersion: '0.39.2',
  images: {
    thanos: { repository: 'bitnamilegacy/thanos', tag: '0.39.2-debian-12-r2' },
    /** The volume-permissions init container (disabled: fsGroup does the job). */
    shell: { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r50' },
  } satisfies Record<string, PinnedImage>,
} as const;

/** grafana-community `grafana` 12.11.1 (Grafana 13.2.0) with the kiwigrid k8s-sidecar. */
export const GRAFANA = {
  chart: 'grafana',
  chartVersion: '12.11.1',
  appVersion: '13.2.0',
  images: {
    grafana: { repository: 'grafana/grafana', tag: '13.2.0' },
    /** Loads dashboards (ConfigMaps labelled `grafana_dashboard: "1"`) from every namespace. */
    sidecar: { repository: 'kiwigrid/k8s-sidecar', tag: '2.10.1' },
    /** The chown init container (disabled: root, and fsGroup does the job). */
    initChownData: { repository: 'library/busybox', tag: '1.38.0' },
    /** Downloads dashboards listed by URL (none are: the mirror is the only source). */
    downloadDashboards: { repository: 'curlimages/curl', tag: '8.21.0' },
    /** `helm test` pod (disabled). */
    testFramework: { repository: 'bats/bats', tag: '1.14.0' },
  } satisfies Record<string, PinnedImage>,
} as const;

/** kedacore `keda` 2.20.2: operator, metrics API server, admission webhooks. */
export const KEDA = {
  chart: 'keda',
  chartVersion: '2.20.2',
  appVersion: '2.20.2',
  images: {
    operator: { repository: 'kedacore/keda', tag: '2.20.2' },
    metricsApiServer: { repository: 'kedacore/keda-metrics-apiserver', tag: '2.20.2' },
    webhooks: { repository: 'kedacore/keda-admission-webhooks', tag: '2.20.2' },
  } satisfies Record<string, PinnedImage>,
} as const;

/** Namespace of kube-prometheus-stack (every cluster) and of Thanos and Grafana (the hub). */
export const MONITORING_NAMESPACE = 'monitoring';
export const KEDA_NAMESPACE = 'keda';

/** Helm release names. kube-prometheus-stack's objects are `kube-prometheus-stack-*` (the chart's fullname). */
export const KUBE_PROMETHEUS_STACK_RELEASE = 'kube-prometheus-stack';
/** Thanos' objects are `thanos-<component>`. */
export const THANOS_RELEASE = 'thanos';
/** The second query path, for the departments: `thanos-tenants-query`. */
export const THANOS_TENANTS_RELEASE = 'thanos-tenants';
/** The data bureau's Grafana; each department's is `grafana-<department>` (departmentGrafanaRelease). */
export const GRAFANA_RELEASE = 'grafana';
export const KEDA_RELEASE = 'keda';

/**
 * Each cluster's own Prometheus as in-cluster clients reach it (KEDA's prometheus trigger, for
 * one): the chart's `<fullname>-prometheus` Service, port `http-web`.
 */
export const CLUSTER_PROMETHEUS_URL = `http://${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus.${MONITORING_NAMESPACE}.svc:9090`;

/** Thanos Receive's remote-write port (the chart's `receive.containerPorts.remote` and `receive.service.ports.remote`). */
export const RECEIVE_REMOTE_WRITE_PORT = 19291;
/** The path Prometheus remote-writes to on that port. */
export const RECEIVE_REMOTE_WRITE_PATH = '/api/v1/receive';
/**
 * The Service other clusters reach Receive's remote-write port through (type `receiveServiceType`),
 * written beside the chart's: the chart's `thanos-receive` Service also carries Receive's gRPC
 * StoreAPI (10901: every series, unauthenticated), HTTP (10902) and Cap'n Proto replication
 * (19391: unauthenticated writes), and cannot leave them out, so it stays ClusterIP and this one
 * carries the remote-write port alone.
 */
export const RECEIVE_REMOTE_WRITE_SERVICE = `${THANOS_RELEASE}-receive-remote-write`;
/** Keys of the hub's Receive TLS Secret (`receiveTlsSecret`). */
export const RECEIVE_TLS_SECRET_KEYS = {
  /** Receive's server certificate (PEM), presented on the remote-write port. */
  certificate: 'tls.crt',
  /** Its private key (PEM). */
  key: 'tls.key',
  /** The CA whose client certificates Receive accepts (PEM): only clusters holding one get in. */
  clientCa: 'ca.crt',
} as const;
/** Keys of each cluster's remote-write TLS Secret (`remoteWrite.tlsSecret`). */
export const REMOTE_WRITE_TLS_SECRET_KEYS = {
  /** The CA that signed the hub's server certificate (PEM). */
  ca: 'ca.crt',
  /** This cluster's client certificate (PEM), signed by the CA the hub accepts. */
  certificate: 'tls.crt',
  /** Its private key (PEM). */
  key: 'tls.key',
} as const;

/** Services of the Thanos release in the monitoring namespace (the chart's, and the remote-write one it deploys for us). */
export const THANOS_ENDPOINTS = {
  /** Query frontend (splits and caches range queries): what Grafana should read. */
  queryFrontend: { service: `${THANOS_RELEASE}-query-frontend`, port: 9090 },
  query: { service: `${THANOS_RELEASE}-query`, port: 9090 },
  /** The departments' query path: every query is confined to the tenant its header names (THANOS_TENANCY). */
  tenantsQuery: { service: `${THANOS_TENANTS_RELEASE}-query`, port: 9090 },
  /** Thanos Receive's Prometheus remote-write endpoint: mutual TLS from the receive Secret. */
  receiveRemoteWrite: { service: RECEIVE_REMOTE_WRITE_SERVICE, port: RECEIVE_REMOTE_WRITE_PORT, path: RECEIVE_REMOTE_WRITE_PATH },
} as const;

/** The label an AlertmanagerConfig needs to be picked up by the cluster's Alertmanager. */
export const ALERTMANAGER_CONFIG_LABEL = { key: 'govcloud.io/alertmanager-config', value: 'true' } as const;

/** Label and value of the ConfigMaps the data bureau's Grafana loads as dashboards, from any namespace. */
export const GRAFANA_DASHBOARD_LABEL = { key: 'grafana_dashboard', value: '1' } as const;
/** Label of a department's dashboard ConfigMaps, valued with the department: its own Grafana loads those alone. */
export const GRAFANA_DEPARTMENT_DASHBOARD_LABEL = 'govcloud.io/dashboard-department';

/**
 * Tenancy on the departments' query path (Thanos' `--query.enforce-tenancy`): Thanos adds
 * `<label>="<tenant>"` to every series selector of a query, the tenant being the value of the
 * request's `header`, or `defaultTenant` without one (a namespace no department has, so such a
 * query sees nothing). The label is `namespace`: a department is its namespace, and every series of
 * its services, its SLO rules and its quota carries it.
 */
export const THANOS_TENANCY = { header: 'THANOS-TENANT', label: 'namespace', defaultTenant: 'no-tenant' } as const;

/** The Helm release (and object names) of a department's Grafana on the hub. */
export function departmentGrafanaRelease(department: string): string {
  return `${GRAFANA_RELEASE}-${department}`;
}
/** Helm refuses release names longer than this. */
export const HELM_RELEASE_NAME_MAX = 53;

/** UID of the provisioned Thanos Query datasource; dashboards and alerts refer to it by this. */
export const THANOS_DATASOURCE_UID = 'thanos-query';

/** The annotation of a dashboard ConfigMap naming the Grafana folder it goes to. */
export const GRAFANA_FOLDER_ANNOTATION = 'grafana_folder';

/** Size of each cluster's Prometheus volume: WAL and the local TSDB for the short local retention. */
export const PROMETHEUS_VOLUME_SIZE = '20Gi';
/** What Prometheus may keep on that volume (80 %): it deletes the oldest blocks before the volume fills. */
const PROMETHEUS_RETENTION_SIZE = '16GB';

/**
 * Remote write over a WAN link (another cloud, tens of ms away, with outages of minutes), per
 * Prometheus' remote-write tuning guide. Each shard is one HTTP connection to the hub; the
 * numbers favour full batches and a bounded number of connections over latency:
 * - `maxSamplesPerSend: 5000` (Prometheus' default 2000): fewer, larger requests, each paying the
 *   round trip once; snappy compresses larger batches better.
 * - `batchSendDeadline: 10s` (default 5s): a shard waits for a full batch up to 10 s, so a quiet
 *   cluster does not send a request per handful of samples; data reaches the hub within ~10 s.
 * - `capacity: 15000` (3 x maxSamplesPerSend, the guide's lower bound): samples buffered per shard;
 *   more only adds memory, since the WAL is the real buffer while the hub is unreachable.
 * - `minShards: 1`, `maxShards: 20` (default 50): 20 shards x 5000 samples per round trip is over
 *   100k samples/s of catch-up even at 1 s per request, several times a cluster's ingest
 *   (1M series at 30 s is ~33k samples/s), while after an outage the hub sees at most 20
 *   connections per cluster instead of 50.
 * - `minBackoff: 100ms`, `maxBackoff: 30s` (defaults 30ms, 5s): retries back off to once every
 *   30 s during an outage instead of hammering the link, still well inside the WAL's ~2 h, which
 *   is how long Prometheus can catch up from.
 * - `retryOnRateLimit: true`: a 429 from Thanos Receive (overloaded) is retried, not dropped.
 */
export const REMOTE_WRITE_QUEUE = {
  capacity: 15000,
  minShards: 1,
  maxShards: 20,
  maxSamplesPerSend: 5000,
  batchSendDeadline: '10s',
  minBackoff: '100ms',
  maxBackoff: '30s',
  retryOnRateLimit: true,
} as const;

/**
 * Label keys kube-state-metrics copies onto `kube_<resource>_labels`, so alerts and dashboards can
 * group by department, track and shelf instance (the keys of constructs/core/labels.ts `LABELS`).
 */
const KUBE_STATE_METRICS_LABELS = {
  namespaces: ['govcloud.io/department', 'govcloud.io/region', 'govcloud.io/cluster', 'app.kubernetes.io/part-of'],
  pods: ['app.kubernetes.io/name', 'app.kubernetes.io/version', 'govcloud.io/department', 'govcloud.io/track', 'govcloud.io/middleware'],
  deployments: ['app.kubernetes.io/name', 'govcloud.io/department', 'govcloud.io/track'],
  statefulsets: ['app.kubernetes.io/name', 'govcloud.io/department', 'govcloud.io/middleware'],
} as const;

const OPERATOR_RESOURCES: ReplicaResources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
/** Per Prometheus and Alertmanager pod: the operator passes these to its config-reloader sidecar. */
const CONFIG_RELOADER_RESOURCES: ReplicaResources = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
const WEBHOOK_JOB_RESOURCES: ReplicaResources = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
const ALERTMANAGER_RESOURCES: ReplicaResources = { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } };
const KUBE_STATE_METRICS_RESOURCES: ReplicaResources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
const NODE_EXPORTER_RESOURCES: ReplicaResources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } };

/** The hub's Thanos, sized for a province's clusters (a few million active series in all). */
const THANOS_RESOURCES = {
  receive: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '8Gi' } },
  query: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } },
  queryFrontend: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
  storegateway: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1', memory: '4Gi' } },
  compactor: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1', memory: '4Gi' } },
} satisfies Record<string, ReplicaResources>;
/**
 * Volumes of the hub's Thanos: Receive holds a few hours of every cluster's samples (its TSDB
 * retention) plus blocks waiting for upload; the store gateway caches index headers; the
 * compactor needs scratch space for the largest blocks it compacts and downsamples (Thanos
 * suggests ~100 GB).
 */
export const THANOS_VOLUME_SIZES = { receive: '50Gi', storegateway: '20Gi', compactor: '100Gi' } as const;
/** Receive keeps this much locally: blocks are cut every 2 h and uploaded; the store gateway serves them after. */
const RECEIVE_TSDB_RETENTION = '6h';
/** Where Receive's remote-write TLS Secret is mounted, and the volume's name. */
const RECEIVE_TLS_DIRECTORY = '/etc/thanos/remote-write-tls';
const RECEIVE_TLS_VOLUME = 'remote-write-tls';

const GRAFANA_RESOURCES: ReplicaResources = { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
const GRAFANA_SIDECAR_RESOURCES: ReplicaResources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } };
const GRAFANA_VOLUME_SIZE = '10Gi';

const KEDA_RESOURCES: ReplicaResources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } };

/** Requests of each cluster's Prometheus unless `observability.prometheus.resources` says otherwise. */
export const DEFAULT_PROMETHEUS_RESOURCES = { cpu: '1', memory: '4Gi' } as const;

/**
 * The pods kube-prometheus-stack keeps running on a cluster of `nodes` nodes, with the requests
 * set above and the chart's replica counts (one Prometheus, one Alertmanager, node-exporter on
 * every node). The webhook certificate Job comes and goes: not counted.
 */
export function kubePrometheusStackPods(prometheus: QuantityPair, nodes: number): PodGroup[] {
  return [
    { name: 'prometheus', count: 1, containers: [prometheus, CONFIG_RELOADER_RESOURCES.requests] },
    { name: 'alertmanager', count: 1, containers: [ALERTMANAGER_RESOURCES.requests, CONFIG_RELOADER_RESOURCES.requests] },
    { name: 'prometheus-operator', count: 1, containers: [OPERATOR_RESOURCES.requests] },
    { name: 'kube-state-metrics', count: 1, containers: [KUBE_STATE_METRICS_RESOURCES.requests] },
    { name: 'node-exporter', count: nodes, containers: [NODE_EXPORTER_RESOURCES.requests] },
  ];
}

/** The hub's pods: Thanos (one of each component, and the departments' Query) and `grafanas` Grafanas with their dashboard sidecar. */
export function observabilityHubPods(grafanas: number): PodGroup[] {
  return [
    ...Object.entries(THANOS_RESOURCES).map(([name, r]) => ({ name: `thanos-${name}`, count: 1, containers: [r.requests] })),
    { name: 'thanos-tenants-query', count: 1, containers: [THANOS_RESOURCES.query.requests] },
    { name: 'grafana', count: grafanas, containers: [GRAFANA_RESOURCES.requests, GRAFANA_SIDECAR_RESOURCES.requests] },
  ];
}

/** KEDA's pods: operator, metrics API server and admission webhooks, one replica each (the chart's). */
export function kedaPods(): PodGroup[] {
  return ['operator', 'metrics-server', 'webhooks'].map((name) => ({ name: `keda-${name}`, count: 1, containers: [KEDA_RESOURCES.requests] }));
}

const copy = (resources: ReplicaResources): Json => ({ requests: { ...resources.requests }, limits: { ...resources.limits } });

/** The `{ registry, repository, tag }` block most charts read, on the mirror. */
const imageBlock = (registry: string, pinned: PinnedImage): Json => ({ registry, repository: pinned.repository, tag: pinned.tag });

const pvcSpec = (size: string, storageClass: string | undefined): Json => ({
  accessModes: ['ReadWriteOnce'],
  resources: { requests: { storage: size } },
  ...(storageClass ? { storageClassName: storageClass } : {}),
});

export interface KubePrometheusStackValuesInput {
  /** The cluster's registry mirror. */
  readonly registry: string;
  /** Labels on every series this Prometheus sends, e.g. `{ region, cluster, cloud }`: the hub tells the clusters apart by them. */
  readonly externalLabels: Record<string, string>;
  /** Local retention, e.g. "12h": the hub keeps the long term. */
  readonly retention: string;
  /** Scrape and rule evaluation interval, e.g. "30s". */
  readonly scrapeInterval: string;
  /** Requests of the Prometheus container; the memory limit equals the request. */
  readonly resources: { readonly cpu: string | number; readonly memory: string | number };
  readonly remoteWrite: {
    /**
     * The hub's Thanos Receive, `https://` only (remote write crosses clouds); its host name must
     * be in the hub's server certificate.
     */
    readonly url: string;
    /**
     * Existing Secret in the monitoring namespace for mutual TLS with the hub: `ca.crt` (the CA
     * that signed the hub's server certificate), `tls.crt` and `tls.key` (this cluster's client
     * certificate, signed by the CA the hub accepts, and its key). See `REMOTE_WRITE_TLS_SECRET_KEYS`.
     */
    readonly tlsSecret: string;
  };
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /**
   * Whether the cluster runs Istio. Scraping istiod and the sidecars' merged metrics
   * (`:15020/stats/prometheus`, plain HTTP even under STRICT mTLS) is left to the PodMonitor and
   * ServiceMonitor the library writes (the selectors below pick up every namespace); here it only
   * keeps Prometheus and Alertmanager out of the mesh, so that they never scrape through a sidecar.
   */
  readonly istio: boolean;
}

/**
 * Values of kube-prometheus-stack for one cluster (keys of the 88.x chart's values.yaml).
 * Prometheus selects every ServiceMonitor, PodMonitor, Probe, ScrapeConfig and PrometheusRule in
 * every namespace (not only those carrying the release label), labels everything with
 * `externalLabels` and remote-writes it to the hub over mutual TLS; Alertmanager takes the
 * AlertmanagerConfigs labelled `govcloud.io/alertmanager-config: "true"` from every namespace,
 * without the operator's namespace matcher (routing is by the `owner` label the library writes).
 * The Grafana subchart is off (the hub runs Grafana); its dashboards are still written as
 * ConfigMaps with a cluster selector, for the hub's Grafana to load.
 */
export function kubePrometheusStackValues(input: KubePrometheusStackValuesInput): Json {
  const { registry, storageClass } = input;
  if (!/^https:\/\//.test(input.remoteWrite.url)) {
    throw new Error(`remote write URL ${JSON.stringify(input.remoteWrite.url)} is not https://; remote write crosses clouds and must use TLS`);
  }
  const images = KUBE_PROMETHEUS_STACK.images;
  // Sidecar injection off by label: Prometheus scrapes meshed pods on the merged-metrics port.
  const outsideMesh = input.istio ? { labels: { 'sidecar.istio.io/inject': 'false' } } : undefined;
  return {
    // Every image the chart and its subcharts can run is pulled from the mirror, even ones not pinned below.
    global: { imageRegistry: registry },
    // The chart's own rules (nodes, kubelet, API server ...) are the infrastructure's: owned by the
    // data bureau, whose routes match on the owner label alone.
    defaultRules: { additionalRuleLabels: { [OWNER_LABEL]: DATA_BUREAU, [LAYER_LABEL]: 'infrastructure' satisfies AlertLayer } },
    grafana: {
      enabled: false,
      forceDeployDashboards: true,
      // The dashboards get a cluster selector: the hub's Grafana reads every cluster through Thanos.
      sidecar: { dashboards: { multicluster: { global: { enabled: true } } } },
    },
    kubeApiServer: { enabled: true },
    kubelet: { enabled: true },
    kubeStateMetrics: { enabled: true },
    nodeExporter: { enabled: true },
    'kube-state-metrics': {
      image: imageBlock(registry, images.kubeStateMetrics),
      metricLabelsAllowlist: Object.entries(KUBE_STATE_METRICS_LABELS).map(([resource, labels]) => `${resource}=[${labels.join(',')}]`),
      resources: copy(KUBE_STATE_METRICS_RESOURCES),
    },
    'prometheus-node-exporter': {
      // The pinned tag already names the distroless build; the chart would append "-distroless" again.
      image: { ...imageBlock(registry, images.nodeExporter), distroless: false },
      resources: copy(NODE_EXPORTER_RESOURCES),
    },
    prometheusOperator: {
      image: imageBlock(registry, images.operator),
      prometheusConfigReloader: { image: imageBlock(registry, images.configReloader), resources: copy(CONFIG_RELOADER_RESOURCES) },
      thanosImage: imageBlock(registry, images.thanos),
      admissionWebhooks: {
        deployment: { image: imageBlock(registry, images.admissionWebhook) },
        patch: { image: imageBlock(registry, images.webhookCertgen), resources: copy(WEBHOOK_JOB_RESOURCES) },
      },
      resources: copy(OPERATOR_RESOURCES),
    },
    prometheus: {
      prometheusSpec: {
        image: imageBlock(registry, images.prometheus),
        externalLabels: { ...input.externalLabels },
        retention: input.retention,
        retentionSize: PROMETHEUS_RETENTION_SIZE,
        scrapeInterval: input.scrapeInterval,
        evaluationInterval: input.scrapeInterval,
        // Without these the chart selects only objects carrying its release label.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: {},
        serviceMonitorNamespaceSelector: {},
        podMonitorSelector: {},
        podMonitorNamespaceSelector: {},
        ruleSelector: {},
        ruleNamespaceSelector: {},
        probeSelector: {},
        probeNamespaceSelector: {},
        scrapeConfigSelector: {},
        scrapeConfigNamespaceSelector: {},
        remoteWrite: [
          {
            name: 'hub',
            url: input.remoteWrite.url,
            // Mutual TLS, no basic auth (Receive has none): the hub's certificate is verified
            // against the Secret's CA, and this cluster presents its client certificate. The
            // operator copies the referenced keys into the Prometheus' tls-assets Secret, which it
            // mounts itself; the Secret needs no other mount.
            tlsConfig: {
              ca: { secret: { name: input.remoteWrite.tlsSecret, key: REMOTE_WRITE_TLS_SECRET_KEYS.ca } },
              cert: { secret: { name: input.remoteWrite.tlsSecret, key: REMOTE_WRITE_TLS_SECRET_KEYS.certificate } },
              keySecret: { name: input.remoteWrite.tlsSecret, key: REMOTE_WRITE_TLS_SECRET_KEYS.key },
              insecureSkipVerify: false,
            },
            queueConfig: { ...REMOTE_WRITE_QUEUE },
          },
        ],
        // No CPU limit: throttling slows WAL replay and compaction; memory is guaranteed (limit = request).
        resources: { requests: { cpu: input.resources.cpu, memory: input.resources.memory }, limits: { memory: input.resources.memory } },
        storageSpec: { volumeClaimTemplate: { spec: pvcSpec(PROMETHEUS_VOLUME_SIZE, storageClass) } },
        ...(outsideMesh ? { podMetadata: outsideMesh } : {}),
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        image: imageBlock(registry, images.alertmanager),
        alertmanagerConfigSelector: { matchLabels: { [ALERTMANAGER_CONFIG_LABEL.key]: ALERTMANAGER_CONFIG_LABEL.value } },
        // `{}` is every namespace (null would be Alertmanager's own namespace only).
        alertmanagerConfigNamespaceSelector: {},
        // The operator would add `namespace="<the config's namespace>"` to every route; alerts are routed by owner instead.
        alertmanagerConfigMatcherStrategy: { type: 'None' },
        resources: copy(ALERTMANAGER_RESOURCES),
        // Silences and the notification log survive a restart.
        storage: { volumeClaimTemplate: { spec: pvcSpec('1Gi', storageClass) } },
        ...(outsideMesh ? { podMetadata: outsideMesh } : {}),
      },
    },
  };
}

export interface ThanosValuesInput {
  /** The hub cluster's registry mirror. */
  readonly registry: string;
  /** Existing Secret in the monitoring namespace holding Thanos' objstore configuration (YAML) under `key`. */
  readonly objstoreSecret: { readonly name: string; readonly key: string };
  /** Retention of raw samples and of the 5-minute and 1-hour downsamples, e.g. "30d", "180d", "2y". */
  readonly retention: { readonly raw: string; readonly fiveMinutes: string; readonly oneHour: string };
  /**
   * Existing Secret in the monitoring namespace for Receive's remote-write port (mutual TLS):
   * `tls.crt` and `tls.key` (Receive's server certificate and key) and `ca.crt` (the CA whose
   * client certificates Receive accepts; a client without one is refused at the handshake). See
   * `RECEIVE_TLS_SECRET_KEYS`. Only the remote-write port serves TLS: Query, the store gateway and
   * the compactor reach Receive in the cluster as before (gRPC, bucket).
   */
  readonly receiveTlsSecret: string;
  /**
   * Type of the Service other clusters reach the remote-write port through
   * (`RECEIVE_REMOTE_WRITE_SERVICE`, that port alone): `LoadBalancer` when other clouds write to
   * the hub directly, `ClusterIP` behind a TLS-passthrough gateway.
   */
  readonly receiveServiceType: 'LoadBalancer' | 'ClusterIP';
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: string;
}

/**
 * Values of the Bitnami thanos chart for the hub (keys of the 17.x chart's values.yaml): one
 * Receive (replication factor 1: one replica, whose blocks are in the bucket within 2 h; a
 * hashring of three with factor 3 is the step up), Query over Receive and the store gateway (the
 * chart wires both by DNS discovery), the query frontend in front of it, and the compactor with
 * the hub's retention per resolution. Receive's remote-write port requires mutual TLS and is the
 * only port reachable from outside the cluster (`RECEIVE_REMOTE_WRITE_SERVICE`). The bucket and
 * the certificates come from existing Secrets; nothing is generated. The platform owns network policies, so the chart's own (which allow every source on
 * the components' ports) are off.
 */
export function thanosValues(input: ThanosValuesInput): Json {
  const { registry, storageClass } = input;
  const persistence = (size: string): Json => ({ enabled: true, size, ...(storageClass ? { storageClass } : {}) });
  const component = (resources: ReplicaResources): Json => ({ resources: copy(resources), networkPolicy: { enabled: false } });
  return {
    global: {
      imageRegistry: registry,
      // The chart refuses images other than its defaults unless told; ours are the same images, mirrored.
      security: { allowInsecureImages: true },
      ...(storageClass ? { defaultStorageClass: storageClass } : {}),
    },
    image: { ...imageBlock(registry, THANOS.images.thanos), pullPolicy: 'IfNotPresent' },
    existingObjstoreSecret: input.objstoreSecret.name,
    existingObjstoreSecretItems: [{ key: input.objstoreSecret.key, path: 'objstore.yml' }],
    receive: {
      enabled: true,
      mode: 'standalone',
      replicaCount: 1,
      replicationFactor: 1,
      tsdbRetention: RECEIVE_TSDB_RETENTION,
      // The chart has keys for the gRPC server's TLS only (`receive.grpc.server.tls`), none for the
      // remote-write listener: Thanos' own flags, with the Secret mounted. With a client CA, Thanos
      // requires and verifies a client certificate (tls.RequireAndVerifyClientCert).
      extraFlags: [
        `--remote-write.server-tls-cert=${RECEIVE_TLS_DIRECTORY}/${RECEIVE_TLS_SECRET_KEYS.certificate}`,
        `--remote-write.server-tls-key=${RECEIVE_TLS_DIRECTORY}/${RECEIVE_TLS_SECRET_KEYS.key}`,
        `--remote-write.server-tls-client-ca=${RECEIVE_TLS_DIRECTORY}/${RECEIVE_TLS_SECRET_KEYS.clientCa}`,
      ],
      extraVolumes: [{ name: RECEIVE_TLS_VOLUME, secret: { secretName: input.receiveTlsSecret } }],
      extraVolumeMounts: [{ name: RECEIVE_TLS_VOLUME, mountPath: RECEIVE_TLS_DIRECTORY, readOnly: true }],
      // gRPC (Query), HTTP (probes, metrics) and Cap'n Proto stay inside the cluster; remote write
      // leaves through RECEIVE_REMOTE_WRITE_SERVICE below.
      service: { type: 'ClusterIP' },
      persistence: persistence(THANOS_VOLUME_SIZES.receive),
      ...component(THANOS_RESOURCES.receive),
    },
    query: {
      enabled: true,
      // Receive labels its series with `replica` (the pod name): deduplicated on query.
      replicaLabel: ['replica'],
      dnsDiscovery: { enabled: true },
      ...component(THANOS_RESOURCES.query),
    },
    queryFrontend: { enabled: true, ...component(THANOS_RESOURCES.queryFrontend) },
    storegateway: { enabled: true, persistence: persistence(THANOS_VOLUME_SIZES.storegateway), ...component(THANOS_RESOURCES.storegateway) },
    compactor: {
      enabled: true,
      retentionResolutionRaw: input.retention.raw,
      retentionResolution5m: input.retention.fiveMinutes,
      retentionResolution1h: input.retention.oneHour,
      persistence: persistence(THANOS_VOLUME_SIZES.compactor),
      ...component(THANOS_RESOURCES.compactor),
    },
    // ServiceMonitors for every component, picked up by the hub's own Prometheus.
    metrics: { enabled: true, serviceMonitor: { enabled: true } },
    volumePermissions: { enabled: false, image: { ...imageBlock(registry, THANOS.images.shell), pullPolicy: 'IfNotPresent' } },
    extraDeploy: [receiveRemoteWriteService(input.receiveServiceType)],
  };
}

export interface ThanosTenantsValuesInput {
  /** The hub cluster's registry mirror. */
  readonly registry: string;
  /** Namespace of the main Thanos release, whose Receive and store gateway this query reads. */
  readonly namespace: string;
}

/**
 * Values of the Bitnami thanos chart for the departments' query path: a Thanos Query alone (no
 * frontend: its results cache is not split by tenant) over the main release's Receive and store
 * gateway, with tenancy enforced (THANOS_TENANCY). Thanos' maintainers advise exactly this: one
 * query path with enforcement for the tenants, one without for the global view
 * (thanos-io/thanos#7339), since enforcement is on for every query of a Query or for none.
 */
export function thanosTenantsValues(input: ThanosTenantsValuesInput): Json {
  const { registry, namespace } = input;
  const store = (component: string) => `dnssrv+_grpc._tcp.${THANOS_RELEASE}-${component}.${namespace}.svc.cluster.local`;
  return {
    global: { imageRegistry: registry, security: { allowInsecureImages: true } },
    image: { ...imageBlock(registry, THANOS.images.thanos), pullPolicy: 'IfNotPresent' },
    query: {
      enabled: true,
      replicaLabel: ['replica'],
      // The stores of the main release, named as its own Query finds them.
      dnsDiscovery: { enabled: false },
      stores: [store('storegateway'), store('receive')],
      extraFlags: [
        '--query.enforce-tenancy',
        `--query.tenant-label-name=${THANOS_TENANCY.label}`,
        `--query.tenant-header=${THANOS_TENANCY.header}`,
        `--query.default-tenant-id=${THANOS_TENANCY.defaultTenant}`,
      ],
      resources: copy(THANOS_RESOURCES.query),
      networkPolicy: { enabled: false },
    },
    queryFrontend: { enabled: false },
    metrics: { enabled: true, serviceMonitor: { enabled: true } },
    volumePermissions: { enabled: false, image: { ...imageBlock(registry, THANOS.images.shell), pullPolicy: 'IfNotPresent' } },
  };
}

/**
 * The Service of Receive's remote-write port alone, selecting the Receive pods as the chart's own
 * Service does (`app.kubernetes.io/{name,instance}` of the chart and release, component
 * `receive`). The chart renders it through `tpl`, in the release's namespace.
 */
function receiveRemoteWriteService(type: ThanosValuesInput['receiveServiceType']): Json {
  const selector = { 'app.kubernetes.io/name': THANOS.chart, 'app.kubernetes.io/instance': THANOS_RELEASE, 'app.kubernetes.io/component': 'receive' };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: RECEIVE_REMOTE_WRITE_SERVICE,
      namespace: '{{ include "common.names.namespace" . }}',
      labels: { ...selector, 'app.kubernetes.io/managed-by': '{{ .Release.Service }}' },
    },
    spec: {
      type,
      ports: [{ name: 'remote', port: RECEIVE_REMOTE_WRITE_PORT, targetPort: 'remote-write', protocol: 'TCP' }],
      selector,
    },
  };
}

export interface GrafanaValuesInput {
  /** The hub cluster's registry mirror. */
  readonly registry: string;
  /** Thanos Query (or its frontend) as Grafana reaches it, e.g. `http://thanos-query-frontend.monitoring.svc:9090`. */
  readonly thanosQueryUrl: string;
  /**
   * A department's Grafana: the datasource names the department as its tenant (THANOS_TENANCY; the
   * URL must then be the tenants' query path), and only the department's dashboards are loaded.
   * @default - the data bureau's: every dashboard, every series
   */
  readonly department?: string;
  /** Existing Secret with keys `admin-user` and `admin-password`. */
  readonly adminSecret: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: string;
}

/**
 * Values of the grafana chart for the hub (keys of the 12.x chart's values.yaml): the Thanos Query
 * datasource (uid `thanos-query`, the default), dashboards from every ConfigMap labelled
 * `grafana_dashboard: "1"` in any namespace (a department's Grafana: its tenant header on the
 * datasource, and only the ConfigMaps labelled with its name), the admin from an existing Secret (the chart then
 * generates no password), a volume for Grafana's database, and nothing fetched from the internet
 * (no update checks, no plugin pre-installs).
 */
export function grafanaValues(input: GrafanaValuesInput): Json {
  const { registry, storageClass, department } = input;
  const images = GRAFANA.images;
  return {
    global: { imageRegistry: registry },
    image: { ...imageBlock(registry, images.grafana), pullPolicy: 'IfNotPresent' },
    admin: { existingSecret: input.adminSecret, userKey: 'admin-user', passwordKey: 'admin-password' },
    datasources: {
      'datasources.yaml': {
        apiVersion: 1,
        datasources: [
          {
            name: 'Thanos',
            uid: THANOS_DATASOURCE_UID,
            type: 'prometheus',
            access: 'proxy',
            url: input.thanosQueryUrl,
            isDefault: true,
            editable: false,
            jsonData: {
              prometheusType: 'Thanos',
              prometheusVersion: THANOS.appVersion,
              httpMethod: 'POST',
              ...(department ? { httpHeaderName1: THANOS_TENANCY.header } : {}),
            },
            // Grafana sends custom headers only from secureJsonData; the tenant is not a secret.
            ...(department ? { secureJsonData: { httpHeaderValue1: department } } : {}),
          },
        ],
      },
    },
    sidecar: {
      image: imageBlock(registry, images.sidecar),
      resources: copy(GRAFANA_SIDECAR_RESOURCES),
      dashboards: {
        enabled: true,
        ...(department
          ? { label: GRAFANA_DEPARTMENT_DASHBOARD_LABEL, labelValue: department, searchNamespace: MONITORING_NAMESPACE }
          : { label: GRAFANA_DASHBOARD_LABEL.key, labelValue: GRAFANA_DASHBOARD_LABEL.value, searchNamespace: 'ALL' }),
        // Each ConfigMap names its folder (a department's own, or the province's), so access can
        // be granted per department folder.
        folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
        provider: { foldersFromFilesStructure: true },
      },
    },
    'grafana.ini': {
      analytics: { check_for_updates: false, check_for_plugin_updates: false, reporting_enabled: false },
      plugins: { preinstall_disabled: true },
    },
    persistence: { enabled: true, type: 'pvc', size: GRAFANA_VOLUME_SIZE, ...(storageClass ? { storageClassName: storageClass } : {}) },
    // One ReadWriteOnce volume: the old pod must let go of it before the new one starts.
    deploymentStrategy: { type: 'Recreate' },
    // The chown init container runs as root; the pod's fsGroup already owns the volume.
    initChownData: { enabled: false, image: imageBlock(registry, images.initChownData) },
    downloadDashboardsImage: { ...imageBlock(registry, images.downloadDashboards), pullPolicy: 'IfNotPresent' },
    testFramework: { enabled: false, image: imageBlock(registry, images.testFramework) },
    resources: copy(GRAFANA_RESOURCES),
    serviceMonitor: { enabled: true },
  };
}

export interface KedaValuesInput {
  /** The cluster's registry mirror. */
  readonly registry: string;
  /**
   * ServiceMonitors for the operator, the metrics API server and the webhooks: only where the
   * cluster runs kube-prometheus-stack, whose CRDs they need.
   * @default false
   */
  readonly serviceMonitors?: boolean;
}

/**
 * Values of the keda chart (keys of the 2.20 chart's values.yaml): the three images from the
 * mirror (pinned tags, so pulled once), explicit resources, and when asked ServiceMonitors for the
 * operator, the metrics API server and the webhooks.
 */
export function kedaValues(input: KedaValuesInput): Json {
  const { registry } = input;
  const monitor = (): Json => ({ enabled: true, serviceMonitor: { enabled: true } });
  const monitored = input.serviceMonitors ?? false;
  return {
    global: { image: { registry } },
    image: {
      keda: imageBlock(registry, KEDA.images.operator),
      metricsApiServer: imageBlock(registry, KEDA.images.metricsApiServer),
      webhooks: imageBlock(registry, KEDA.images.webhooks),
      pullPolicy: 'IfNotPresent',
    },
    resources: { operator: copy(KEDA_RESOURCES), metricServer: copy(KEDA_RESOURCES), webhooks: copy(KEDA_RESOURCES) },
    ...(monitored ? { prometheus: { operator: monitor(), metricServer: monitor(), webhooks: monitor() } } : {}),
  };
}
