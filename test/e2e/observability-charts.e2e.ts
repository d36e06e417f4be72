import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml, parseAllDocuments, stringify } from 'yaml';
import {
  ALERTMANAGER_CONFIG_LABEL,
  CLUSTER_PROMETHEUS_URL,
  GRAFANA,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_DEPARTMENT_DASHBOARD_LABEL,
  GRAFANA_RELEASE,
  KEDA,
  KEDA_NAMESPACE,
  KEDA_RELEASE,
  KUBE_PROMETHEUS_STACK,
  KUBE_PROMETHEUS_STACK_RELEASE,
  MONITORING_NAMESPACE,
  RECEIVE_REMOTE_WRITE_PORT,
  RECEIVE_REMOTE_WRITE_SERVICE,
  REMOTE_WRITE_QUEUE,
  THANOS,
  THANOS_DATASOURCE_UID,
  THANOS_ENDPOINTS,
  THANOS_RELEASE,
  THANOS_TENANCY,
  THANOS_TENANTS_RELEASE,
  departmentGrafanaRelease,
  grafanaValues,
  kedaValues,
  kubePrometheusStackValues,
  thanosTenantsValues,
  thanosValues,
  type ThanosValuesInput,
} from '../../constructs/observability/monitoring-catalogue';
import { CATALOGUE } from '../../constructs/middleware/catalogue';
import { ISTIO_CHARTS } from '../../constructs/mesh/istio-releases';
import { VELERO } from '../../constructs/disaster-recovery/velero-catalogue';
import { ARGO_ROLLOUTS } from '../../constructs/delivery/argo-rollouts-catalogue';
import { ARGO_CD } from '../../constructs/gitops/argo-cd-catalogue';
import { CLOUDNATIVE_PG } from '../../constructs/disaster-recovery/cloudnative-pg-catalogue';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import {
  REPO_ROOT,
  SHARED_CRDS,
  exampleNames,
  library,
  regionClusters,
  removeDirectory,
  synthesizeDefaultBlueprint,
  synthesizeExample,
  temporaryDirectory,
} from './support/synth';
import { loadToolchain } from './support/toolchain';

/**
 * The observability stack's values rendered by the real charts (`../shared/charts`) with the real
 * helm (built by the toolchain with Kubernetes 1.33's version flags): `helm template` and `helm
 * lint --strict`, every key of our values read by the chart, every image below the test mirror and
 * pinned, what the values promise present in the rendered objects, every pod template within the
 * `restricted` Pod Security Standard (except node-exporter, which the Standard cannot admit), and
 * every object valid for the API server (ManifestValidator with ../shared/crds).
 *
 * Last, every helm_release the default blueprint and the examples synthesize, rendered the same
 * way: each chart version is one ../shared/charts serves, and each release renders, lints clean and
 * sets only keys its chart reads.
 */

const CHARTS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'charts');
const REGISTRY = 'registry.e2e.example/mirror';
const KUBE_VERSION = '1.33';

type Json = Record<string, unknown>;
type Manifest = Record<string, any>;

const helm = (): string => loadToolchain().bin.helm;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Runs helm; returns its output, or throws with helm's own message. */
function runHelm(args: string[]): string {
  try {
    return execFileSync(helm(), args, { encoding: 'utf8', stdio: 'pipe', maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`helm ${args.join(' ')} failed:\n${failed.stderr ?? ''}${failed.stdout ?? ''}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// The charts' own values.yaml and templates, to find keys a chart would silently ignore.

interface ChartSource {
  readonly name: string;
  readonly values: Json;
  /** Every template and helper of the chart (not its subcharts), concatenated. */
  readonly templates: string;
  readonly subcharts: ReadonlyMap<string, ChartSource>;
}

function readTree(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((entry) => (entry.isDirectory() ? readTree(path.join(dir, entry.name)) : fs.readFileSync(path.join(dir, entry.name), 'utf8')))
    .join('\n');
}

function loadChart(dir: string): ChartSource {
  const chart = parseYaml(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { name: string; dependencies?: Array<{ name: string; alias?: string }> };
  const valuesFile = path.join(dir, 'values.yaml');
  const subcharts = new Map<string, ChartSource>();
  for (const dependency of chart.dependencies ?? []) {
    const subdir = path.join(dir, 'charts', dependency.name);
    if (fs.existsSync(path.join(subdir, 'Chart.yaml'))) subcharts.set(dependency.alias ?? dependency.name, loadChart(subdir));
  }
  return {
    name: chart.name,
    values: chartDefaults((fs.existsSync(valuesFile) ? (parseYaml(fs.readFileSync(valuesFile, 'utf8')) as Json | null) : null) ?? {}),
    templates: readTree(path.join(dir, 'templates')),
    subcharts,
  };
}

/**
 * The defaults a chart reads its values against. Istio's charts (1.24 and later) keep theirs under
 * `_internal_defaults_do_not_set` and merge the user's values over them at the top level
 * (`templates/zzz_profile.yaml`), so those keys are the chart's top-level keys.
 */
function chartDefaults(values: Json): Json {
  const { _internal_defaults_do_not_set: internal, ...rest } = values;
  return isObject(internal) ? deepMerge(internal, rest) : values;
}

/** Unpacks a chart archive into `into` and reads it. */
function unpackChart(archive: string, into: string): ChartSource {
  fs.mkdirSync(into, { recursive: true });
  execFileSync('tar', ['xzf', archive, '-C', into]);
  const [top] = fs.readdirSync(into);
  return loadChart(path.join(into, top));
}

/** Whether a template reads `.Values.<path>` literally (keys documented only in templates, e.g. commented out in values.yaml). */
function templatesRead(templates: string, keyPath: string[]): boolean {
  if (!keyPath.every((key) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key))) return false;
  return new RegExp(`\\.Values\\.${keyPath.join('\\.')}(?![A-Za-z0-9_])`).test(templates);
}

/**
 * Key paths of `values` that the chart neither declares in its values.yaml (or a subchart's) nor
 * reads in a template. Descends wherever the chart's default is a non-empty map (so a typo deep
 * in `prometheus.prometheusSpec` is found); stops at maps the chart passes through whole (empty
 * by default, or listed in `freeForm`), at lists and at scalars.
 */
function unreadKeys(values: Json, chart: ChartSource, freeForm: readonly string[] = []): string[] {
  const walk = (node: Json, defaults: unknown, source: ChartSource, keyPath: string[], shown: string): string[] =>
    Object.entries(node).flatMap(([key, value]) => {
      const here = [...keyPath, key];
      const display = shown ? `${shown}.${key}` : key;
      if (keyPath.length === 0 && source.subcharts.has(key) && isObject(value)) {
        // A subchart's values: its own values.yaml, as overridden by the parent's.
        const subchart = source.subcharts.get(key)!;
        const declared = source.values[key];
        const parentDefaults = isObject(declared) ? declared : {};
        return walk(value, deepMerge(subchart.values, parentDefaults), subchart, [], display);
      }
      const defaultValue = isObject(defaults) ? defaults[key] : undefined;
      if (defaultValue === undefined && !(isObject(defaults) && key in defaults)) return templatesRead(source.templates, here) ? [] : [display];
      if (isObject(defaultValue) && Object.keys(defaultValue).length > 0 && isObject(value) && !freeForm.includes(display)) {
        return walk(value, defaultValue, source, here, display);
      }
      return [];
    });
  const { global, ...rest } = values;
  // `global` is shared with every subchart: known if any of them declares it.
  const globals = [chart, ...allSubcharts(chart)].reduce<Json>((merged, c) => deepMerge(merged, isObject(c.values.global) ? c.values.global : {}), {});
  const globalSource: ChartSource = { ...chart, templates: [chart, ...allSubcharts(chart)].map((c) => c.templates).join('\n') };
  return [...(isObject(global) ? walk({ global }, { global: globals }, globalSource, [], '') : []), ...walk(rest, chart.values, chart, [], '')];
}

function allSubcharts(chart: ChartSource): ChartSource[] {
  return [...chart.subcharts.values()].flatMap((sub) => [sub, ...allSubcharts(sub)]);
}

function deepMerge(base: Json, next: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(next)) merged[key] = isObject(value) && isObject(merged[key]) ? deepMerge(merged[key], value) : value;
  return merged;
}

// ---------------------------------------------------------------------------------------------
// Rendered objects: pod templates, images, the restricted Pod Security Standard.

function renderedObjects(output: string): Manifest[] {
  return parseAllDocuments(output)
    .map((document) => document.toJS() as Manifest | null)
    .filter((object): object is Manifest => isObject(object));
}

/** The pod spec of a workload (or Pod), if the object has one. */
function podSpec(object: Manifest): Manifest | undefined {
  switch (object.kind) {
    case 'Pod':
      return object.spec;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return object.spec?.template?.spec;
    default:
      return undefined;
  }
}

const containersOf = (spec: Manifest): Manifest[] => [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
const objectName = (object: Manifest): string => `${object.kind}/${object.metadata?.name}`;

/**
 * Every image the rendered release would run: containers of pod templates, the images of the
 * operator's custom resources, and the images the operator is told to give the pods it creates
 * (`--prometheus-config-reloader=`, `--*-default-base-image=`).
 */
function renderedImages(objects: Manifest[]): Array<{ where: string; image: string }> {
  const found: Array<{ where: string; image: string }> = [];
  for (const object of objects) {
    const spec = podSpec(object);
    if (spec) {
      for (const container of containersOf(spec)) {
        found.push({ where: `${objectName(object)} ${container.name}`, image: container.image });
        for (const arg of [...(container.args ?? []), ...(container.command ?? [])] as string[]) {
          const flag = /^--(prometheus-config-reloader|[a-z-]*base-image)=(.+)$/.exec(arg);
          if (flag) found.push({ where: `${objectName(object)} ${container.name} --${flag[1]}`, image: flag[2] });
        }
      }
    }
    if (['Prometheus', 'Alertmanager', 'ThanosRuler', 'PrometheusAgent'].includes(object.kind) && object.spec?.image) {
      found.push({ where: objectName(object), image: object.spec.image });
    }
  }
  return found;
}

const SAFE_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** Violations of the `restricted` Pod Security Standard (Kubernetes 1.33, "latest") by one pod spec. */
function restrictedViolations(spec: Manifest): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[host]) problems.push(`${host}: true`);
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (type && !SAFE_VOLUME_TYPES.includes(type)) problems.push(`volume ${volume.name} is ${type}`);
  }
  if (pod.runAsUser === 0) problems.push('pod runAsUser: 0');
  for (const container of containersOf(spec)) {
    const own = container.securityContext ?? {};
    const where = `container ${container.name}`;
    if (own.privileged) problems.push(`${where} privileged`);
    if (own.allowPrivilegeEscalation !== false) problems.push(`${where} allowPrivilegeEscalation is not false`);
    if (!(own.runAsNonRoot ?? pod.runAsNonRoot)) problems.push(`${where} runAsNonRoot is not true`);
    if ((own.runAsUser ?? pod.runAsUser) === 0) problems.push(`${where} runAsUser: 0`);
    const seccomp = (own.seccompProfile ?? pod.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where} seccompProfile is ${seccomp ?? 'unset'}`);
    const capabilities = own.capabilities ?? {};
    if (!(capabilities.drop ?? []).includes('ALL')) problems.push(`${where} does not drop ALL capabilities`);
    const added = (capabilities.add ?? []).filter((capability: string) => capability !== 'NET_BIND_SERVICE');
    if (added.length > 0) problems.push(`${where} adds ${added.join(', ')}`);
    for (const port of container.ports ?? []) if (port.hostPort) problems.push(`${where} hostPort ${port.hostPort}`);
  }
  return problems;
}

/**
 * One line per pod template (workload or Pod) that breaks `restricted`, naming its problems;
 * `unrestricted` lists workloads let off, by `Kind/name`, with the reason.
 */
function restrictedPodTemplateProblems(objects: Manifest[], unrestricted: Readonly<Record<string, string>> = {}): string[] {
  return objects
    .filter((object) => podSpec(object) && !(objectName(object) in unrestricted))
    .map((object) => ({ object: objectName(object), problems: restrictedViolations(podSpec(object)!) }))
    .filter(({ problems }) => problems.length > 0)
    .map(({ object, problems }) => `${object}: ${problems.join(', ')}`);
}

/** The labels a workload's pods get (a Pod's own). */
const podLabels = (object: Manifest): Record<string, string> =>
  (object.kind === 'Pod'
    ? object.metadata?.labels
    : object.kind === 'CronJob'
      ? object.spec?.jobTemplate?.spec?.template?.metadata?.labels
      : object.spec?.template?.metadata?.labels) ?? {};

/** Rendered PodDisruptionBudgets that select no pod the same render runs (a budget guarding nothing). */
function emptyDisruptionBudgets(objects: Manifest[]): string[] {
  // A workload scaled to zero runs no pods: a budget selecting only it guards nothing.
  const pods = objects.filter((object) => podSpec(object) && object.spec?.replicas !== 0);
  return objects
    .filter((object) => object.kind === 'PodDisruptionBudget')
    .filter((budget) => {
      const wanted = Object.entries((budget.spec?.selector?.matchLabels ?? {}) as Record<string, string>);
      return !pods.some((pod) => wanted.every(([key, value]) => podLabels(pod)[key] === value));
    })
    .map((budget) => `${objectName(budget)} selects no pod of the release (${JSON.stringify(budget.spec?.selector)})`);
}

/**
 * The images istiod's injector puts into pods (`istio-proxy`, and `istio-init` without the CNI),
 * from its rendered `istio-sidecar-injector` ConfigMap: `<global.hub>/<image>:<global.tag>`, or
 * the image as given when it names a registry itself. Gateways ask for them with `image: auto`.
 */
function injectedImages(objects: Manifest[]): Array<{ where: string; image: string }> {
  return objects
    .filter((o) => o.kind === 'ConfigMap' && String(o.metadata?.name).startsWith('istio-sidecar-injector') && o.data?.values)
    .flatMap((configMap) => {
      const { global } = JSON.parse(configMap.data.values) as { global: { hub: string; tag: string; proxy: { image: string }; proxy_init: { image: string } } };
      return [global.proxy.image, global.proxy_init.image].map((image) => ({
        where: `${objectName(configMap)} (injected)`,
        image: image.includes('/') ? image : `${global.hub}/${image}:${global.tag}`,
      }));
    });
}

/** Objects `helm install` (and so a `helm_release`) never creates: `helm test` hooks. */
const isTestHook = (object: Manifest): boolean => /(^|,)\s*test(-success)?\s*(,|$)/.test(object.metadata?.annotations?.['helm.sh/hook'] ?? '');

// ---------------------------------------------------------------------------------------------
// The four releases of the observability stack.

interface ChartCase {
  readonly name: string;
  readonly archive: string;
  readonly release: string;
  readonly namespace: string;
  readonly values: Json;
  readonly pinned: { readonly images: Readonly<Record<string, { readonly repository: string; readonly tag: string }>> };
  /** Maps the chart passes through whole although its default is not empty. */
  readonly freeForm?: readonly string[];
  /**
   * Workloads allowed to break `restricted`, with the reason; every other pod template must pass.
   */
  readonly unrestricted?: Readonly<Record<string, string>>;
  /** What the values promise, checked on the rendered objects. */
  readonly promises: (objects: Manifest[]) => void;
}

const EXTERNAL_LABELS = { region: 'changsha', cluster: 'gov', cloud: 'hunan-gov-cloud' };
const REMOTE_WRITE_URL = 'https://metrics.hub.e2e.example/api/v1/receive';
const THANOS_QUERY_URL = `http://${THANOS_ENDPOINTS.queryFrontend.service}.${MONITORING_NAMESPACE}.svc:${THANOS_ENDPOINTS.queryFrontend.port}`;
const TENANTS_QUERY_URL = `http://${THANOS_ENDPOINTS.tenantsQuery.service}.${MONITORING_NAMESPACE}.svc:${THANOS_ENDPOINTS.tenantsQuery.port}`;

const REMOTE_WRITE_TLS_SECRET = 'remote-write-tls';
const RECEIVE_TLS_SECRET = 'thanos-receive-tls';
const THANOS_INPUT: ThanosValuesInput = {
  registry: REGISTRY,
  objstoreSecret: { name: 'thanos-objstore', key: 'objstore.yml' },
  retention: { raw: '30d', fiveMinutes: '180d', oneHour: '2y' },
  receiveTlsSecret: RECEIVE_TLS_SECRET,
  receiveServiceType: 'LoadBalancer',
  storageClass: 'csi-disk',
};

const find = (objects: Manifest[], kind: string, name?: string): Manifest => {
  const object = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (!object) throw new Error(`no ${kind}${name ? `/${name}` : ''} among ${objects.map(objectName).join(', ')}`);
  return object;
};
const argsOf = (object: Manifest, container: string): string[] => podSpec(object)!.containers.find((c: Manifest) => c.name === container).args;

/** The rendered remote-write Service: of `type`, the remote-write port alone, onto the Receive pods. */
function expectRemoteWriteService(objects: Manifest[], type: ThanosValuesInput['receiveServiceType']): void {
  const service = find(objects, 'Service', RECEIVE_REMOTE_WRITE_SERVICE);
  expect(service.metadata.namespace).toBe(MONITORING_NAMESPACE);
  expect(service.spec.type).toBe(type);
  expect(service.spec.ports).toEqual([{ name: 'remote', port: RECEIVE_REMOTE_WRITE_PORT, targetPort: 'remote-write', protocol: 'TCP' }]);
  const podLabels = find(objects, 'StatefulSet', 'thanos-receive').spec.template.metadata.labels;
  expect(podLabels).toMatchObject(service.spec.selector);
  // No other workload's pods carry those labels.
  const selects = (o: Manifest) => Object.entries(service.spec.selector).every(([key, value]) => o.spec?.template?.metadata?.labels?.[key] === value);
  const selected = objects.filter((o) => podSpec(o) && selects(o));
  expect(selected.map(objectName)).toEqual(['StatefulSet/thanos-receive']);
  expect(find(objects, 'Service', 'thanos-receive').spec.type).toBe('ClusterIP');
}

const CASES: ChartCase[] = [
  {
    name: 'kube-prometheus-stack',
    archive: `${KUBE_PROMETHEUS_STACK.chart}-${KUBE_PROMETHEUS_STACK.chartVersion}.tgz`,
    release: KUBE_PROMETHEUS_STACK_RELEASE,
    namespace: MONITORING_NAMESPACE,
    values: kubePrometheusStackValues({
      registry: REGISTRY,
      externalLabels: EXTERNAL_LABELS,
      retention: '12h',
      scrapeInterval: '30s',
      resources: { cpu: '1', memory: '4Gi' },
      remoteWrite: { url: REMOTE_WRITE_URL, tlsSecret: REMOTE_WRITE_TLS_SECRET },
      storageClass: 'csi-disk',
      istio: true,
    }),
    pinned: KUBE_PROMETHEUS_STACK,
    // node-exporter reads the host's network, processes and root filesystem: it needs the
    // `privileged` level (hostNetwork, hostPID, hostPath), whatever the values say.
    unrestricted: { 'DaemonSet/kube-prometheus-stack-prometheus-node-exporter': 'node-exporter reads the host (hostNetwork, hostPID, hostPath /)' },
    promises: (objects) => {
      const prometheus = find(objects, 'Prometheus').spec;
      expect(prometheus.externalLabels).toEqual(EXTERNAL_LABELS);
      expect(prometheus.remoteWrite).toEqual([
        expect.objectContaining({
          url: REMOTE_WRITE_URL,
          // Mutual TLS from the cluster's Secret: the hub's CA, the client certificate and its key.
          tlsConfig: {
            ca: { secret: { name: REMOTE_WRITE_TLS_SECRET, key: 'ca.crt' } },
            cert: { secret: { name: REMOTE_WRITE_TLS_SECRET, key: 'tls.crt' } },
            keySecret: { name: REMOTE_WRITE_TLS_SECRET, key: 'tls.key' },
            insecureSkipVerify: false,
          },
          queueConfig: REMOTE_WRITE_QUEUE,
        }),
      ]);
      expect(prometheus.remoteWrite[0]).not.toHaveProperty('basicAuth');
      // The operator reads the referenced keys into the Prometheus' tls-assets Secret (which it
      // mounts): its ClusterRole must reach Secrets.
      const operatorRole = find(objects, 'ClusterRole', 'kube-prometheus-stack-operator');
      expect(
        operatorRole.rules.some(
          (rule: Manifest) =>
            (rule.apiGroups ?? []).includes('') && rule.resources.includes('secrets') && ['get', '*'].some((verb) => rule.verbs.includes(verb)),
        ),
      ).toBe(true);
      expect(prometheus).toMatchObject({ retention: '12h', scrapeInterval: '30s', podMetadata: { labels: { 'sidecar.istio.io/inject': 'false' } } });
      expect(prometheus.storage.volumeClaimTemplate.spec.storageClassName).toBe('csi-disk');
      for (const kind of ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig']) {
        // `{}` selects everything; the chart's default would be `matchLabels: { release: ... }`.
        expect([kind, prometheus[`${kind}Selector`], prometheus[`${kind}NamespaceSelector`]]).toEqual([kind, {}, {}]);
      }
      const alertmanager = find(objects, 'Alertmanager').spec;
      expect(alertmanager.alertmanagerConfigSelector).toEqual({ matchLabels: { [ALERTMANAGER_CONFIG_LABEL.key]: ALERTMANAGER_CONFIG_LABEL.value } });
      expect(alertmanager.alertmanagerConfigNamespaceSelector).toEqual({});
      expect(alertmanager.alertmanagerConfigMatcherStrategy).toEqual({ type: 'None' });
      // No Grafana of its own, but its dashboards for the hub's Grafana.
      expect(objects.some((o) => o.kind === 'Deployment' && String(o.metadata.name).includes('grafana'))).toBe(false);
      const dashboards = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.[GRAFANA_DASHBOARD_LABEL.key] === GRAFANA_DASHBOARD_LABEL.value);
      expect(dashboards.length).toBeGreaterThan(10);
      const kubeStateMetrics = argsOf(find(objects, 'Deployment', 'kube-prometheus-stack-kube-state-metrics'), 'kube-state-metrics');
      expect(kubeStateMetrics.find((arg) => arg.startsWith('--metric-labels-allowlist='))).toMatch(
        /namespaces=\[govcloud\.io\/department,.*pods=\[.*govcloud\.io\/track/,
      );
      // The address in-cluster clients (KEDA's prometheus trigger) are given.
      const prometheusUrl = new URL(CLUSTER_PROMETHEUS_URL);
      const [service, namespace] = prometheusUrl.hostname.split('.');
      expect(namespace).toBe(MONITORING_NAMESPACE);
      expect(find(objects, 'Service', service).spec.ports.map((p: Manifest) => p.port)).toContain(Number(prometheusUrl.port));
      const servicemonitors = objects.filter((o) => o.kind === 'ServiceMonitor').map((o) => o.metadata.name);
      expect(servicemonitors).toEqual(
        expect.arrayContaining(['kube-prometheus-stack-apiserver', 'kube-prometheus-stack-kubelet', 'kube-prometheus-stack-kube-state-metrics']),
      );
    },
  },
  {
    name: 'thanos',
    archive: `${THANOS.chart}-${THANOS.chartVersion}.tgz`,
    release: THANOS_RELEASE,
    namespace: MONITORING_NAMESPACE,
    values: thanosValues(THANOS_INPUT),
    pinned: THANOS,
    promises: (objects) => {
      const receive = find(objects, 'StatefulSet', 'thanos-receive');
      expect(argsOf(receive, 'receive')).toEqual(
        expect.arrayContaining([
          '--tsdb.retention=6h',
          '--receive.replication-factor=1',
          '--remote-write.server-tls-cert=/etc/thanos/remote-write-tls/tls.crt',
          '--remote-write.server-tls-key=/etc/thanos/remote-write-tls/tls.key',
          '--remote-write.server-tls-client-ca=/etc/thanos/remote-write-tls/ca.crt',
        ]),
      );
      // The Secret mounted where the flags point, into the receive container.
      expect(podSpec(receive)!.volumes).toContainEqual({ name: 'remote-write-tls', secret: { secretName: RECEIVE_TLS_SECRET } });
      const receiveContainer = podSpec(receive)!.containers.find((c: Manifest) => c.name === 'receive');
      expect(receiveContainer.volumeMounts).toContainEqual({ name: 'remote-write-tls', mountPath: '/etc/thanos/remote-write-tls', readOnly: true });
      expect(receiveContainer.ports).toContainEqual({ name: 'remote-write', containerPort: RECEIVE_REMOTE_WRITE_PORT, protocol: 'TCP' });
      // The remote-write port leaves the cluster through its own Service, of the requested type,
      // selecting the Receive pods; the chart's Service (gRPC, HTTP, Cap'n Proto) stays ClusterIP.
      expectRemoteWriteService(objects, THANOS_INPUT.receiveServiceType);
      // Query still reaches Receive over gRPC inside the cluster, without TLS.
      expect(argsOf(receive, 'receive').filter((arg) => arg.startsWith('--grpc-server-tls'))).toEqual([]);
      expect(receive.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('csi-disk');
      expect(argsOf(find(objects, 'Deployment', 'thanos-query'), 'query')).toEqual(
        expect.arrayContaining([
          `--endpoint=dnssrv+_grpc._tcp.thanos-storegateway.${MONITORING_NAMESPACE}.svc.cluster.local`,
          `--endpoint=dnssrv+_grpc._tcp.thanos-receive.${MONITORING_NAMESPACE}.svc.cluster.local`,
        ]),
      );
      expect(argsOf(find(objects, 'Deployment', 'thanos-compactor'), 'compactor')).toEqual(
        expect.arrayContaining(['--retention.resolution-raw=30d', '--retention.resolution-5m=180d', '--retention.resolution-1h=2y']),
      );
      // The bucket configuration comes from the existing Secret; the chart creates none.
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
      // Every endpoint of the main release (the tenants' query path is a release of its own).
      const { tenantsQuery: _ofItsOwnRelease, ...endpoints } = THANOS_ENDPOINTS;
      for (const endpoint of Object.values(endpoints)) {
        expect(find(objects, 'Service', endpoint.service).spec.ports.map((p: Manifest) => p.port)).toContain(endpoint.port);
      }
    },
  },
  {
    name: 'grafana',
    archive: `${GRAFANA.chart}-${GRAFANA.chartVersion}.tgz`,
    release: GRAFANA_RELEASE,
    namespace: MONITORING_NAMESPACE,
    values: grafanaValues({ registry: REGISTRY, thanosQueryUrl: THANOS_QUERY_URL, adminSecret: 'grafana-admin', storageClass: 'csi-disk' }),
    pinned: GRAFANA,
    // grafana.ini is converted to ini sections as given.
    freeForm: ['grafana.ini'],
    promises: (objects) => {
      const datasources = parseYaml(find(objects, 'ConfigMap', 'grafana').data['datasources.yaml']) as Manifest;
      expect(datasources.datasources).toEqual([
        expect.objectContaining({ uid: THANOS_DATASOURCE_UID, type: 'prometheus', url: THANOS_QUERY_URL, isDefault: true }),
      ]);
      const pod = podSpec(find(objects, 'Deployment', 'grafana'))!;
      const sidecar = pod.containers.find((c: Manifest) => c.name === 'grafana-sc-dashboard');
      expect(sidecar.env).toEqual(
        expect.arrayContaining([
          { name: 'LABEL', value: GRAFANA_DASHBOARD_LABEL.key },
          { name: 'LABEL_VALUE', value: GRAFANA_DASHBOARD_LABEL.value },
          { name: 'NAMESPACE', value: 'ALL' },
        ]),
      );
      const grafana = pod.containers.find((c: Manifest) => c.name === 'grafana');
      expect(grafana.env).toContainEqual({ name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'admin-password' } } });
      // No generated admin password.
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
      expect(find(objects, 'PersistentVolumeClaim').spec.storageClassName).toBe('csi-disk');
    },
  },
  {
    name: "thanos (the departments' query path)",
    archive: `${THANOS.chart}-${THANOS.chartVersion}.tgz`,
    release: THANOS_TENANTS_RELEASE,
    namespace: MONITORING_NAMESPACE,
    values: thanosTenantsValues({ registry: REGISTRY, namespace: MONITORING_NAMESPACE }),
    pinned: THANOS,
    promises: (objects) => {
      // A Query alone, over the main release's stores, confining each request to its tenant.
      expect(objects.filter((o) => podSpec(o)).map(objectName)).toEqual([`Deployment/${THANOS_ENDPOINTS.tenantsQuery.service}`]);
      const args = argsOf(find(objects, 'Deployment', THANOS_ENDPOINTS.tenantsQuery.service), 'query');
      expect(args).toEqual(
        expect.arrayContaining([
          `--endpoint=dnssrv+_grpc._tcp.thanos-storegateway.${MONITORING_NAMESPACE}.svc.cluster.local`,
          `--endpoint=dnssrv+_grpc._tcp.thanos-receive.${MONITORING_NAMESPACE}.svc.cluster.local`,
          '--query.enforce-tenancy',
          `--query.tenant-label-name=${THANOS_TENANCY.label}`,
          `--query.tenant-header=${THANOS_TENANCY.header}`,
          `--query.default-tenant-id=${THANOS_TENANCY.defaultTenant}`,
        ]),
      );
      // Exactly the main release's stores: no DNS discovery of its own (it would find nothing).
      expect(args.filter((arg) => arg.startsWith('--endpoint'))).toHaveLength(2);
      const service = find(objects, 'Service', THANOS_ENDPOINTS.tenantsQuery.service);
      expect(service.spec.ports.map((p: Manifest) => p.port)).toContain(THANOS_ENDPOINTS.tenantsQuery.port);
    },
  },
  {
    name: "grafana (a department's)",
    archive: `${GRAFANA.chart}-${GRAFANA.chartVersion}.tgz`,
    release: departmentGrafanaRelease('education'),
    namespace: MONITORING_NAMESPACE,
    values: grafanaValues({
      registry: REGISTRY,
      thanosQueryUrl: TENANTS_QUERY_URL,
      adminSecret: 'grafana-admin',
      storageClass: 'csi-disk',
      department: 'education',
    }),
    pinned: GRAFANA,
    freeForm: ['grafana.ini'],
    promises: (objects) => {
      const release = departmentGrafanaRelease('education');
      const datasources = parseYaml(find(objects, 'ConfigMap', release).data['datasources.yaml']) as Manifest;
      expect(datasources.datasources).toEqual([
        expect.objectContaining({
          uid: THANOS_DATASOURCE_UID,
          url: TENANTS_QUERY_URL,
          editable: false,
          jsonData: expect.objectContaining({ httpHeaderName1: THANOS_TENANCY.header }),
          secureJsonData: { httpHeaderValue1: 'education' },
        }),
      ]);
      const pod = podSpec(find(objects, 'Deployment', release))!;
      const sidecar = pod.containers.find((c: Manifest) => c.name === 'grafana-sc-dashboard');
      expect(sidecar.env).toEqual(
        expect.arrayContaining([
          { name: 'LABEL', value: GRAFANA_DEPARTMENT_DASHBOARD_LABEL },
          { name: 'LABEL_VALUE', value: 'education' },
          { name: 'NAMESPACE', value: MONITORING_NAMESPACE },
        ]),
      );
    },
  },
  {
    name: 'keda',
    archive: `${KEDA.chart}-${KEDA.chartVersion}.tgz`,
    release: KEDA_RELEASE,
    namespace: KEDA_NAMESPACE,
    values: kedaValues({ registry: REGISTRY, serviceMonitors: true }),
    pinned: KEDA,
    promises: (objects) => {
      const images = objects.filter((o) => o.kind === 'Deployment').flatMap((o) => podSpec(o)!.containers.map((c: Manifest) => c.image as string));
      expect(images.sort()).toEqual(
        Object.values(KEDA.images)
          .map((image) => `${REGISTRY}/${image.repository}:${image.tag}`)
          .sort(),
      );
      expect(objects.filter((o) => o.kind === 'ServiceMonitor')).toHaveLength(3);
    },
  },
];

/**
 * Kinds ManifestValidator cannot judge, skipped with the reason. CustomResourceDefinition: the
 * kubernetes-models validator it relies on does not read JSONSchemaProps' `description` and
 * `x-kubernetes-*` fields, so every CRD (KEDA's four) is reported full of "unknown field"s the API
 * server accepts; the CRDs themselves are in ../shared/crds, from which the validator checks the
 * custom resources.
 */
const UNVALIDATED_KINDS: Readonly<Record<string, string>> = {
  CustomResourceDefinition: 'the validator does not know JSONSchemaProps fields (description, x-kubernetes-*)',
};

let workdir: string;
let validator: ManifestValidator;

beforeAll(() => {
  workdir = temporaryDirectory('observability-charts');
  validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
});

afterAll(() => {
  if (workdir) removeDirectory(workdir);
});

describe.each(CASES)('$name with the catalogue values', (chartCase) => {
  const archive = path.join(CHARTS_DIR, chartCase.archive);
  let valuesFile: string;
  let objects: Manifest[] = [];
  let renderError: Error | undefined;

  beforeAll(() => {
    valuesFile = path.join(workdir, `${chartCase.name}-values.yaml`);
    fs.writeFileSync(valuesFile, stringify(chartCase.values));
    try {
      objects = renderedObjects(runHelm(['template', chartCase.release, archive, '-n', chartCase.namespace, '-f', valuesFile, '--kube-version', KUBE_VERSION]));
    } catch (error) {
      renderError = error as Error;
    }
  });

  test('renders with helm template', () => {
    expect(renderError?.message).toBeUndefined();
    expect(objects.length).toBeGreaterThan(0);
  });

  test('passes helm lint --strict', () => {
    const output = runHelm(['lint', '--strict', archive, '-n', chartCase.namespace, '-f', valuesFile, '--kube-version', KUBE_VERSION]);
    expect(output).toContain('0 chart(s) failed');
  });

  test('every key of the values is one the chart reads', () => {
    const chart = unpackChart(archive, path.join(workdir, 'charts', chartCase.name));
    expect(unreadKeys(chartCase.values, chart, chartCase.freeForm)).toEqual([]);
    // The check itself: a key the chart does not know is found.
    expect(unreadKeys({ ...chartCase.values, notAChartKey: true }, chart, chartCase.freeForm)).toEqual(['notAChartKey']);
  });

  test('every image is a pinned image of the catalogue, below the mirror', () => {
    const pinned = Object.values(chartCase.pinned.images).map((image) => `${REGISTRY}/${image.repository}:${image.tag}`);
    const images = renderedImages(objects);
    expect(images.length).toBeGreaterThan(0);
    expect(images.filter(({ image }) => !pinned.includes(image))).toEqual([]);
  });

  test('renders what the values promise', () => {
    chartCase.promises(objects);
  });

  test('every pod template passes the restricted Pod Security Standard', () => {
    expect(restrictedPodTemplateProblems(objects, chartCase.unrestricted)).toEqual([]);
    for (const allowed of Object.keys(chartCase.unrestricted ?? {})) expect(objects.map(objectName)).toContain(allowed);
  });

  test('every object is valid for the API server', () => {
    const problems = objects.flatMap((object, index) =>
      object.kind in UNVALIDATED_KINDS ? [] : validator.validateObject(object, { file: `${chartCase.name} (helm template)`, document: index }),
    );
    expect(formatManifestProblems(problems)).toBe('');
  });
});

test('thanos with receiveServiceType ClusterIP: the remote-write Service is ClusterIP', () => {
  const valuesFile = path.join(workdir, 'thanos-clusterip-values.yaml');
  fs.writeFileSync(valuesFile, stringify(thanosValues({ ...THANOS_INPUT, receiveServiceType: 'ClusterIP' })));
  const archive = path.join(CHARTS_DIR, `${THANOS.chart}-${THANOS.chartVersion}.tgz`);
  const objects = renderedObjects(runHelm(['template', THANOS_RELEASE, archive, '-n', MONITORING_NAMESPACE, '-f', valuesFile, '--kube-version', KUBE_VERSION]));
  expectRemoteWriteService(objects, 'ClusterIP');
});

test('the key check finds misspelt keys deep in a chart and in a subchart', () => {
  const chart = unpackChart(
    path.join(CHARTS_DIR, `${KUBE_PROMETHEUS_STACK.chart}-${KUBE_PROMETHEUS_STACK.chartVersion}.tgz`),
    path.join(workdir, 'charts', 'key-check'),
  );
  const values = {
    prometheus: { prometheusSpec: { retension: '1d', externalLabels: { anything: 'x' } } },
    'kube-state-metrics': { metricLabelsAllowList: [], image: { registry: REGISTRY } },
    global: { imageRegistry: REGISTRY, imageRegistryy: REGISTRY },
  };
  expect(unreadKeys(values, chart).sort()).toEqual([
    'global.imageRegistryy',
    'kube-state-metrics.metricLabelsAllowList',
    'prometheus.prometheusSpec.retension',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Every helm_release the default blueprint and the examples synthesize.

interface HelmRelease {
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  readonly values?: string[];
  readonly set?: Array<{ name: string; value: string }>;
}

/** `${kubernetes_namespace_v1.<id>.metadata[0].name}` -> that namespace's name in the same stack. */
function resolveNamespace(reference: string, stack: Manifest): string {
  const match = /^\$\{kubernetes_namespace_v1\.([^.]+)\.metadata\[0\]\.name\}$/.exec(reference);
  if (!match) return reference;
  const namespace = stack.resource?.kubernetes_namespace_v1?.[match[1]];
  const metadata = Array.isArray(namespace?.metadata) ? namespace.metadata[0] : namespace?.metadata;
  return metadata?.name ?? match[1];
}

function firstLines(text: string, count = 4): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('==>'))
    .slice(0, count)
    .join(' | ');
}

/**
 * Maps a chart takes whole, by chart: every key under them is read. Grafana renders `grafana.ini`
 * into the ini file; istiod merges `meshConfig` over its mesh configuration (the MeshConfig API).
 */
const FREE_FORM: Readonly<Record<string, readonly string[]>> = {
  grafana: ['grafana.ini'],
  istiod: ['meshConfig'],
  // The controller's Deployment renders both whole (toYaml), whatever keys they hold.
  'argo-rollouts': ['podSecurityContext', 'containerSecurityContext'],
};

/** The charts the library pins: each must be among the releases rendered, so none goes unchecked. */
const PINNED_CHARTS = [
  ...[KUBE_PROMETHEUS_STACK, THANOS, GRAFANA, KEDA].map((pinned) => pinned.chart),
  ...Object.values(CATALOGUE).map((engine) => engine.chart),
  ...Object.values(ISTIO_CHARTS),
  VELERO.chart,
  CLOUDNATIVE_PG.chart,
  ARGO_ROLLOUTS.chart,
  ARGO_CD.chart,
];

type LabelSelector = { match_labels?: Record<string, string>; match_expressions?: Array<{ key: string; operator: string; values?: string[] }> };

/** Whether a Terraform-shaped label selector selects `labels`. */
function selectsLabels(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.match_labels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    byLabel &&
    (selector.match_expressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'In') return values.includes(labels[key]);
      if (operator === 'NotIn') return !values.includes(labels[key]);
      if (operator === 'Exists') return key in labels;
      return !(key in labels);
    })
  );
}

/**
 * The stack's NetworkPolicies in the monitoring namespace against the pods its releases render
 * there: each selects at least one pod, each port it opens is a port of a pod it selects, and each
 * peer in the namespace is a rendered pod (or Prometheus, whose pods the operator creates).
 */
function monitoringPolicyProblems(stack: Manifest, rendered: Manifest[]): string[] {
  const policies = Object.values((stack.resource?.kubernetes_network_policy_v1 ?? {}) as Record<string, Manifest>).filter(
    (policy) => resolveNamespace(policy.metadata.namespace, stack) === MONITORING_NAMESPACE,
  );
  const pods = rendered
    .filter((o) => podSpec(o))
    .map((o) => ({ name: objectName(o), labels: (o.spec.template?.metadata?.labels ?? {}) as Record<string, string>, spec: podSpec(o)! }));
  const prometheusPeer = (selector: LabelSelector) =>
    rendered.some((o) => o.kind === 'Prometheus') && JSON.stringify(selector.match_labels) === JSON.stringify({ 'app.kubernetes.io/name': 'prometheus' });
  const problems: string[] = [];
  for (const policy of policies) {
    const name = `NetworkPolicy ${policy.metadata.name}`;
    const selected = pods.filter((pod) => selectsLabels(policy.spec.pod_selector, pod.labels));
    if (selected.length === 0) problems.push(`${name} selects no pod of the releases (${pods.map((p) => p.name).join(', ')})`);
    const containerPorts = new Set(
      selected.flatMap((pod) => pod.spec.containers.flatMap((c: Manifest) => (c.ports ?? []).map((p: Manifest) => String(p.containerPort)))),
    );
    for (const rule of policy.spec.ingress ?? []) {
      for (const port of rule.ports ?? [])
        if (!containerPorts.has(String(port.port))) problems.push(`${name} opens port ${port.port}, which no pod it selects listens on`);
      for (const peer of rule.from ?? []) {
        const inNamespace = !peer.namespace_selector || peer.namespace_selector.match_labels?.['kubernetes.io/metadata.name'] === MONITORING_NAMESPACE;
        if (!inNamespace || !peer.pod_selector || prometheusPeer(peer.pod_selector)) continue;
        if (!pods.some((pod) => selectsLabels(peer.pod_selector, pod.labels)))
          problems.push(`${name} admits ${JSON.stringify(peer.pod_selector)}, which selects no pod`);
      }
    }
  }
  return problems;
}

/** The labels of the stack's namespace called `name` (empty when the stack does not create it). */
function namespaceLabels(name: string, stack: Manifest): Record<string, string> {
  for (const namespace of Object.values((stack.resource?.kubernetes_namespace_v1 ?? {}) as Record<string, Manifest>)) {
    const metadata = Array.isArray(namespace.metadata) ? namespace.metadata[0] : namespace.metadata;
    if (metadata?.name === name) return metadata.labels ?? {};
  }
  return {};
}

/**
 * The registry each stack's cluster pulls from (`<region>-<cluster>` -> the cluster's `registry`,
 * else the blueprint's `supplyChain.registry`), read from the fleet's spec, not from the output.
 */
function clusterRegistries(fleet: import('../../index').Fleet): Map<string, string> {
  return new Map(
    regionClusters(fleet).map(({ region, cluster, spec }) => [
      `${region}-${cluster}`,
      spec.clusters.find((c) => c.name === cluster)?.registry ?? spec.supplyChain.registry,
    ]),
  );
}

describe('helm_releases of the default blueprint and the examples', () => {
  test('render each with helm template and lint --strict, clean, with only keys the chart reads, images from the cluster mirror, restricted pods where enforced', () => {
    const outdir = path.join(workdir, 'synth');
    synthesizeDefaultBlueprint(outdir);
    const { EXAMPLES } = require(path.join(REPO_ROOT, 'dist', 'examples', 'index.js')) as typeof import('../../examples/index');
    const outputs = [
      {
        stacks: path.join(outdir, 'terraform', 'stacks'),
        registries: clusterRegistries(library().defaultFleet({ outdir: path.join(workdir, 'fleets', 'default') })),
      },
      ...exampleNames().map((name) => ({
        stacks: path.join(synthesizeExample(name, path.join(workdir, 'examples', name)), 'terraform', 'stacks'),
        registries: clusterRegistries(EXAMPLES[name](path.join(workdir, 'fleets', name))),
      })),
    ];
    const registryOf = new Map(outputs.flatMap(({ stacks, registries }) => [...registries].map(([stack, registry]) => [path.join(stacks, stack), registry])));
    const stackDirs = outputs.map((output) => output.stacks);
    let restrictedReleases = 0;
    const injectingStacks = new Set<string>();
    const autoImages: Array<{ stackKey: string; where: string }> = [];
    const available = fs.readdirSync(CHARTS_DIR).filter((file) => file.endsWith('.tgz'));
    const lines: string[] = [];
    const charts = new Map<string, ChartSource>();
    const observed = new Set<string>();
    /** Objects the releases of each stack render in the monitoring namespace, by stack. */
    const renderedInMonitoring = new Map<string, Manifest[]>();
    let releases = 0;
    for (const [stacksDir, stackName] of stackDirs.flatMap((dir) =>
      fs
        .readdirSync(dir)
        .sort()
        .map((name) => [dir, name] as const),
    )) {
      const stack = JSON.parse(fs.readFileSync(path.join(stacksDir, stackName, 'cdk.tf.json'), 'utf8')) as Manifest;
      const stackKey = path.join(stacksDir, stackName);
      for (const release of Object.values((stack.resource?.helm_release ?? {}) as Record<string, HelmRelease>)) {
        releases += 1;
        const where = `${stackName} ${release.name} (${release.chart} ${release.version})`;
        const archive = `${release.chart}-${release.version}.tgz`;
        if (!available.includes(archive)) {
          const others = available.filter((file) => file.startsWith(`${release.chart}-`) && /^\d/.test(file.slice(release.chart.length + 1)));
          lines.push(`FAIL ${where}: chart version ${release.version} does not exist (../shared/charts has ${others.join(', ') || 'no version'})`);
          continue;
        }
        observed.add(release.chart);
        const dir = path.join(workdir, 'releases', `${path.basename(path.dirname(path.dirname(stacksDir)))}-${stackName}-${release.name}`);
        fs.mkdirSync(dir, { recursive: true });
        const files = (release.values ?? []).flatMap((text, i) => {
          const file = path.join(dir, `values-${i}.yaml`);
          fs.writeFileSync(file, text);
          return ['-f', file];
        });
        const sets = (release.set ?? []).flatMap((entry) => ['--set', `${entry.name}=${entry.value}`]);
        const args = [path.join(CHARTS_DIR, archive), '-n', resolveNamespace(release.namespace, stack), ...files, ...sets, '--kube-version', KUBE_VERSION];
        const problems: string[] = [];
        const namespace = resolveNamespace(release.namespace, stack);
        const registry = registryOf.get(stackKey);
        const enforced = namespaceLabels(namespace, stack)['pod-security.kubernetes.io/enforce'];
        try {
          // Helm passes duplicate keys through (a label set twice); the YAML parser reports them.
          const documents = parseAllDocuments(runHelm(['template', release.name, ...args]));
          const errors = documents.flatMap((document) => document.errors);
          if (errors.length > 0) problems.push(`rendered YAML: ${firstLines(errors.map((e) => e.message.split('\n')[0]).join('\n'))}`);
          else {
            // What the release installs (helm_release never runs `helm test`).
            const objects = documents
              .map((document) => document.toJS() as Manifest | null)
              .filter((o): o is Manifest => isObject(o))
              .filter((o) => !isTestHook(o));
            if (namespace === MONITORING_NAMESPACE) renderedInMonitoring.set(stackKey, [...(renderedInMonitoring.get(stackKey) ?? []), ...objects]);
            if (!registry) problems.push(`no cluster of the fleet's spec is stack ${stackName}`);
            const images = [...renderedImages(objects), ...injectedImages(objects)];
            if (injectedImages(objects).length > 0) injectingStacks.add(stackKey);
            // `auto`: istiod's injector fills the image in at admission (checked with istiod's release).
            for (const { where: container } of images.filter(({ image }) => image === 'auto')) autoImages.push({ stackKey, where: `${where} ${container}` });
            const foreign = images.filter(({ image }) => image !== 'auto' && !String(image).startsWith(`${registry}/`));
            if (foreign.length > 0) problems.push(`images not below ${registry}/: ${foreign.map(({ where, image }) => `${where} ${image}`).join(', ')}`);
            if (enforced === 'restricted') {
              restrictedReleases += 1;
              const violations = restrictedPodTemplateProblems(objects);
              if (violations.length > 0) problems.push(`namespace ${namespace} enforces restricted: ${violations.join('; ')}`);
            }
            problems.push(...emptyDisruptionBudgets(objects));
          }
        } catch (error) {
          problems.push(`template: ${firstLines((error as Error).message.split('\n').slice(1).join('\n'))}`);
        }
        try {
          runHelm(['lint', '--strict', ...args]);
        } catch (error) {
          problems.push(`lint --strict: ${firstLines((error as Error).message.split('\n').slice(1).join('\n'))}`);
        }
        if (!charts.has(archive)) charts.set(archive, unpackChart(path.join(CHARTS_DIR, archive), path.join(workdir, 'charts', archive)));
        const merged = (release.values ?? []).reduce<Json>((all, text) => deepMerge(all, (parseYaml(text) as Json | null) ?? {}), {});
        const unread = unreadKeys(merged, charts.get(archive)!, FREE_FORM[release.chart]);
        const note = unread.length > 0 ? ` (keys the chart does not read: ${unread.join(', ')})` : '';
        lines.push(problems.length === 0 ? `ok   ${where}${note}` : `FAIL ${where}: ${problems.join('; ')}${note}`);
      }
      for (const problem of monitoringPolicyProblems(stack, renderedInMonitoring.get(stackKey) ?? [])) lines.push(`FAIL ${stackName}: ${problem}`);
    }
    for (const { stackKey, where } of autoImages) {
      if (!injectingStacks.has(stackKey)) lines.push(`FAIL ${where}: image "auto", but no istiod of this stack injects one`);
    }
    process.stdout.write(`\n[e2e] helm_releases of the default blueprint and the examples against ../shared/charts (${releases}):\n  ${lines.join('\n  ')}\n`);
    expect(PINNED_CHARTS.filter((chart) => !observed.has(chart))).toEqual([]);
    // Releases in namespaces that enforce restricted were judged by it (the middleware shelf's at least).
    expect(restrictedReleases).toBeGreaterThan(0);
    expect(lines.filter((line) => line.startsWith('FAIL') || line.includes('keys the chart does not read'))).toEqual([]);
  });
});
