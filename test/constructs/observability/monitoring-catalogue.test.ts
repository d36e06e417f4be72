import { LABELS } from '../../../constructs/core/labels';
import {
  ALERTMANAGER_CONFIG_LABEL,
  GRAFANA,
  KEDA,
  KUBE_PROMETHEUS_STACK,
  RECEIVE_REMOTE_WRITE_PORT,
  RECEIVE_REMOTE_WRITE_SERVICE,
  RECEIVE_TLS_SECRET_KEYS,
  REMOTE_WRITE_QUEUE,
  REMOTE_WRITE_TLS_SECRET_KEYS,
  THANOS,
  THANOS_DATASOURCE_UID,
  THANOS_ENDPOINTS,
  grafanaValues,
  kedaValues,
  kubePrometheusStackValues,
  thanosValues,
  type KubePrometheusStackValuesInput,
  type ThanosValuesInput,
} from '../../../constructs/observability/monitoring-catalogue';
import { imageReferences, releaseSupplyChainProblems } from '../../../lib/supply-chain';

const MIRROR = 'registry.test.example/mirror';
const SOURCES = { registry: MIRROR, chartRepository: `oci://${MIRROR}/charts` };

type Values = Record<string, any>;

const KPS_INPUT: KubePrometheusStackValuesInput = {
  registry: MIRROR,
  externalLabels: { region: 'changsha', cluster: 'gov', cloud: 'hunan-gov-cloud' },
  retention: '12h',
  scrapeInterval: '30s',
  resources: { cpu: '1', memory: '4Gi' },
  remoteWrite: { url: 'https://metrics.hub.example/api/v1/receive', tlsSecret: 'remote-write-tls' },
  storageClass: 'csi-disk',
  istio: false,
};
const kps = (change: Partial<KubePrometheusStackValuesInput> = {}): Values => kubePrometheusStackValues({ ...KPS_INPUT, ...change });
const THANOS_INPUT: ThanosValuesInput = {
  registry: MIRROR,
  objstoreSecret: { name: 'thanos-objstore', key: 'objstore.yml' },
  retention: { raw: '30d', fiveMinutes: '180d', oneHour: '2y' },
  receiveTlsSecret: 'thanos-receive-tls',
  receiveServiceType: 'LoadBalancer',
};
const thanos = (change: Partial<ThanosValuesInput> = {}): Values => thanosValues({ ...THANOS_INPUT, ...change });
const grafana = (): Values =>
  grafanaValues({ registry: MIRROR, thanosQueryUrl: 'http://thanos-query-frontend.monitoring.svc:9090', adminSecret: 'grafana-admin' });

const CHARTS: Array<[string, { chart: string; images: Record<string, { repository: string; tag: string }> }, () => Values]> = [
  ['kube-prometheus-stack', KUBE_PROMETHEUS_STACK, () => kps()],
  ['thanos', THANOS, () => thanos()],
  ['grafana', GRAFANA, () => grafana()],
  ['keda', KEDA, () => kedaValues({ registry: MIRROR, serviceMonitors: true })],
];

/** Every `{ registry, repository, tag }` block anywhere in the values, by path. */
function imageBlocks(values: unknown, path = ''): Array<{ path: string; reference: string }> {
  if (Array.isArray(values)) return values.flatMap((item, i) => imageBlocks(item, `${path}[${i}]`));
  if (typeof values !== 'object' || values === null) return [];
  const node = values as Values;
  if (typeof node.repository === 'string' && typeof node.registry === 'string') return [{ path, reference: `${node.registry}/${node.repository}:${node.tag}` }];
  return Object.entries(node).flatMap(([key, child]) => imageBlocks(child, path ? `${path}.${key}` : key));
}

describe('kube-prometheus-stack values', () => {
  test("label every series with the external labels and remote-write it to the hub over mutual TLS from the cluster's Secret", () => {
    const spec = kps().prometheus.prometheusSpec;
    expect(spec.externalLabels).toEqual({ region: 'changsha', cluster: 'gov', cloud: 'hunan-gov-cloud' });
    expect(spec.remoteWrite).toEqual([
      {
        name: 'hub',
        url: 'https://metrics.hub.example/api/v1/receive',
        tlsConfig: {
          ca: { secret: { name: 'remote-write-tls', key: 'ca.crt' } },
          cert: { secret: { name: 'remote-write-tls', key: 'tls.crt' } },
          keySecret: { name: 'remote-write-tls', key: 'tls.key' },
          insecureSkipVerify: false,
        },
        queueConfig: REMOTE_WRITE_QUEUE,
      },
    ]);
    // Thanos Receive has no basic auth: the client certificate is the credential.
    expect(spec.remoteWrite[0]).not.toHaveProperty('basicAuth');
    expect(REMOTE_WRITE_TLS_SECRET_KEYS).toEqual({ ca: 'ca.crt', certificate: 'tls.crt', key: 'tls.key' });
  });

  test('size the remote-write queue for a WAN link: full batches, bounded connections, patient retries', () => {
    expect(REMOTE_WRITE_QUEUE.capacity).toBeGreaterThanOrEqual(3 * REMOTE_WRITE_QUEUE.maxSamplesPerSend);
    expect(REMOTE_WRITE_QUEUE).toMatchObject({ maxShards: 20, maxSamplesPerSend: 5000, batchSendDeadline: '10s', maxBackoff: '30s', retryOnRateLimit: true });
  });

  test('fails a remote write URL that is not https', () => {
    expect(() => kps({ remoteWrite: { url: 'http://metrics.hub.example/api/v1/receive', tlsSecret: 'x' } })).toThrow(
      'remote write URL "http://metrics.hub.example/api/v1/receive" is not https://; remote write crosses clouds and must use TLS',
    );
  });

  test('select monitors, rules, probes and scrape configs of every namespace, not only the release label', () => {
    const spec = kps().prometheus.prometheusSpec;
    for (const kind of ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig']) {
      expect(spec[`${kind}SelectorNilUsesHelmValues`]).toBe(false);
      expect(spec[`${kind}Selector`]).toEqual({});
      expect(spec[`${kind}NamespaceSelector`]).toEqual({});
    }
  });

  test('keep the retention, scrape interval, resources and a volume on the given StorageClass', () => {
    const spec = kps().prometheus.prometheusSpec;
    expect(spec).toMatchObject({ retention: '12h', scrapeInterval: '30s', evaluationInterval: '30s' });
    expect(spec.resources).toEqual({ requests: { cpu: '1', memory: '4Gi' }, limits: { memory: '4Gi' } });
    expect(spec.storageSpec.volumeClaimTemplate.spec).toMatchObject({ storageClassName: 'csi-disk', accessModes: ['ReadWriteOnce'] });
    expect(kps({ storageClass: undefined }).prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec).not.toHaveProperty('storageClassName');
  });

  test('Alertmanager takes the labelled AlertmanagerConfigs of every namespace, routed by owner rather than namespace', () => {
    expect(kps().alertmanager.alertmanagerSpec).toMatchObject({
      alertmanagerConfigSelector: { matchLabels: { 'govcloud.io/alertmanager-config': 'true' } },
      alertmanagerConfigNamespaceSelector: {},
      alertmanagerConfigMatcherStrategy: { type: 'None' },
    });
    expect(ALERTMANAGER_CONFIG_LABEL).toEqual({ key: 'govcloud.io/alertmanager-config', value: 'true' });
  });

  test('no Grafana of its own; node-exporter, kube-state-metrics, API server and kubelet scraped', () => {
    const values = kps();
    expect(values.grafana.enabled).toBe(false);
    expect(values).toMatchObject({
      nodeExporter: { enabled: true },
      kubeStateMetrics: { enabled: true },
      kubeApiServer: { enabled: true },
      kubelet: { enabled: true },
    });
  });

  test("kube-state-metrics exports the library's labels of namespaces and pods", () => {
    const allowlist: string[] = kps()['kube-state-metrics'].metricLabelsAllowlist;
    const namespaces = allowlist.find((entry) => entry.startsWith('namespaces='));
    const pods = allowlist.find((entry) => entry.startsWith('pods='));
    for (const label of [LABELS.department, LABELS.region, LABELS.cluster]) expect(namespaces).toContain(label);
    for (const label of [LABELS.department, LABELS.track, LABELS.middleware, LABELS.name]) expect(pods).toContain(label);
  });

  test('with Istio, Prometheus and Alertmanager stay out of the mesh; without it, no pod metadata', () => {
    const meshed = kps({ istio: true });
    expect(meshed.prometheus.prometheusSpec.podMetadata).toEqual({ labels: { 'sidecar.istio.io/inject': 'false' } });
    expect(meshed.alertmanager.alertmanagerSpec.podMetadata).toEqual({ labels: { 'sidecar.istio.io/inject': 'false' } });
    expect(kps().prometheus.prometheusSpec).not.toHaveProperty('podMetadata');
  });

  test('the config reloader, the Thanos base image and the webhook certificate job come from the mirror', () => {
    const operator = kps().prometheusOperator;
    expect(operator.prometheusConfigReloader.image).toEqual({ registry: MIRROR, repository: 'prometheus-operator/prometheus-config-reloader', tag: 'v0.93.1' });
    expect(operator.thanosImage).toEqual({ registry: MIRROR, repository: 'thanos/thanos', tag: 'v0.42.4' });
    expect(operator.admissionWebhooks.patch.image).toEqual({ registry: MIRROR, repository: 'jkroepke/kube-webhook-certgen', tag: '1.8.7' });
  });
});

describe('thanos values', () => {
  test('receive, query, query frontend, store gateway and compactor, with the retention per resolution', () => {
    const values = thanos();
    for (const component of ['receive', 'query', 'queryFrontend', 'storegateway', 'compactor']) expect(values[component].enabled).toBe(true);
    expect(values.receive).toMatchObject({ replicationFactor: 1, replicaCount: 1, tsdbRetention: '6h' });
    expect(values.compactor).toMatchObject({ retentionResolutionRaw: '30d', retentionResolution5m: '180d', retentionResolution1h: '2y' });
  });

  test('the bucket comes from the existing Secret, under the file name Thanos reads', () => {
    expect(thanos()).toMatchObject({ existingObjstoreSecret: 'thanos-objstore', existingObjstoreSecretItems: [{ key: 'objstore.yml', path: 'objstore.yml' }] });
  });

  test("Receive's remote-write port serves the receive Secret's certificate and requires client certificates of its CA", () => {
    const receive = thanos().receive;
    expect(receive.extraVolumes).toEqual([{ name: 'remote-write-tls', secret: { secretName: 'thanos-receive-tls' } }]);
    expect(receive.extraVolumeMounts).toEqual([{ name: 'remote-write-tls', mountPath: '/etc/thanos/remote-write-tls', readOnly: true }]);
    expect(receive.extraFlags).toEqual([
      '--remote-write.server-tls-cert=/etc/thanos/remote-write-tls/tls.crt',
      '--remote-write.server-tls-key=/etc/thanos/remote-write-tls/tls.key',
      '--remote-write.server-tls-client-ca=/etc/thanos/remote-write-tls/ca.crt',
    ]);
    expect(RECEIVE_TLS_SECRET_KEYS).toEqual({ certificate: 'tls.crt', key: 'tls.key', clientCa: 'ca.crt' });
    // Not the chart's global http config: it applies to every component's HTTP port, never to remote write.
    expect(thanos()).not.toHaveProperty('existingHttpConfigSecret');
    // Query, the store gateway and the compactor reach Receive in the cluster as before: no gRPC TLS.
    expect(receive).not.toHaveProperty('grpc');
  });

  test.each(['LoadBalancer', 'ClusterIP'] as const)(
    "the remote-write port alone leaves the cluster, through a %s Service; the chart's Receive Service stays ClusterIP",
    (type) => {
      const values = thanos({ receiveServiceType: type });
      expect(values.receive.service).toEqual({ type: 'ClusterIP' });
      expect(values.extraDeploy).toEqual([
        expect.objectContaining({
          kind: 'Service',
          metadata: expect.objectContaining({ name: RECEIVE_REMOTE_WRITE_SERVICE }),
          spec: {
            type,
            ports: [{ name: 'remote', port: RECEIVE_REMOTE_WRITE_PORT, targetPort: 'remote-write', protocol: 'TCP' }],
            selector: { 'app.kubernetes.io/name': 'thanos', 'app.kubernetes.io/instance': 'thanos', 'app.kubernetes.io/component': 'receive' },
          },
        }),
      ]);
      expect(THANOS_ENDPOINTS.receiveRemoteWrite).toEqual({ service: 'thanos-receive-remote-write', port: 19291, path: '/api/v1/receive' });
    },
  );

  test('volumes on the given StorageClass', () => {
    expect(thanos({ storageClass: 'csi-disk' }).receive.persistence).toMatchObject({ enabled: true, storageClass: 'csi-disk' });
    expect(thanos().receive.persistence).not.toHaveProperty('storageClass');
  });
});

describe('grafana values', () => {
  test(`provision Thanos Query as the default datasource, uid "${THANOS_DATASOURCE_UID}"`, () => {
    expect(grafana().datasources['datasources.yaml'].datasources).toEqual([
      expect.objectContaining({ uid: 'thanos-query', type: 'prometheus', url: 'http://thanos-query-frontend.monitoring.svc:9090', isDefault: true }),
    ]);
  });

  test('load dashboards labelled grafana_dashboard: "1" from every namespace, each into the folder its annotation names', () => {
    expect(grafana().sidecar.dashboards).toEqual({
      enabled: true,
      label: 'grafana_dashboard',
      labelValue: '1',
      searchNamespace: 'ALL',
      folderAnnotation: 'grafana_folder',
      provider: { foldersFromFilesStructure: true },
    });
  });

  test('the admin comes from the existing Secret, and no password is set in the values', () => {
    const values = grafana();
    expect(values.admin).toEqual({ existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(values).not.toHaveProperty('adminPassword');
  });
});

describe('keda values', () => {
  test('ServiceMonitors only when asked: they need the Prometheus operator CRDs', () => {
    expect(kedaValues({ registry: MIRROR })).not.toHaveProperty('prometheus');
    expect(kedaValues({ registry: MIRROR, serviceMonitors: true }).prometheus).toEqual({
      operator: { enabled: true, serviceMonitor: { enabled: true } },
      metricServer: { enabled: true, serviceMonitor: { enabled: true } },
      webhooks: { enabled: true, serviceMonitor: { enabled: true } },
    });
  });

  test('the operator, metrics API server and webhooks images come from the mirror, pinned', () => {
    // lib/supply-chain.ts imageReferences does not see these (`image.keda` is not under a key
    // ending in "image"), so they are checked here directly.
    expect(kedaValues({ registry: MIRROR }).image).toEqual({
      keda: { registry: MIRROR, repository: 'kedacore/keda', tag: '2.20.2' },
      metricsApiServer: { registry: MIRROR, repository: 'kedacore/keda-metrics-apiserver', tag: '2.20.2' },
      webhooks: { registry: MIRROR, repository: 'kedacore/keda-admission-webhooks', tag: '2.20.2' },
      pullPolicy: 'IfNotPresent',
    });
  });
});

describe.each(CHARTS)('%s supply chain', (_name, pinned, values) => {
  test('every image the supply-chain check finds is below the mirror, with no problem', () => {
    for (const image of imageReferences(values())) expect(`${image.registry}/${image.repository}`.startsWith(`${MIRROR}/`)).toBe(true);
    expect(releaseSupplyChainProblems({ repository: SOURCES.chartRepository, chart: pinned.chart, values: values() }, SOURCES, 'test')).toEqual([]);
  });

  test('every image block is a pinned image of the catalogue, on the mirror', () => {
    const pinnedReferences = Object.values(pinned.images).map((image) => `${MIRROR}/${image.repository}:${image.tag}`);
    const blocks = imageBlocks(values());
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(pinnedReferences).toContain(block.reference);
  });
});
