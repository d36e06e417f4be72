// The program `npm run bench` measures the library against: what a platform team would write by
// hand with cdktf and cdk8s alone, emitting the same number and kinds of objects as the library
// does for the same regions (the per-region shape comes from the library's own output), with
// literal configs and no checks. It uses cdktf directly, as such a program would.
const fs = require('fs');
const { App: TerraformApp, TerraformStack, TerraformVariable } = require('cdktf');
const { App: ManifestApp, Chart, ApiObject } = require('cdk8s');
const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider');
const { NamespaceV1 } = require('@cdktf/provider-kubernetes/lib/namespace-v1');
const { NetworkPolicyV1 } = require('@cdktf/provider-kubernetes/lib/network-policy-v1');
const { ConfigMapV1 } = require('@cdktf/provider-kubernetes/lib/config-map-v1');
const { LimitRangeV1 } = require('@cdktf/provider-kubernetes/lib/limit-range-v1');
const { PriorityClassV1 } = require('@cdktf/provider-kubernetes/lib/priority-class-v1');
const { ResourceQuotaV1 } = require('@cdktf/provider-kubernetes/lib/resource-quota-v1');
const { RoleBindingV1 } = require('@cdktf/provider-kubernetes/lib/role-binding-v1');
const { RoleV1 } = require('@cdktf/provider-kubernetes/lib/role-v1');
const { SecretV1 } = require('@cdktf/provider-kubernetes/lib/secret-v1');
const { HelmProvider } = require('@cdktf/provider-helm/lib/provider');
const { Release } = require('@cdktf/provider-helm/lib/release');

const labels = (region) => ({ 'app.kubernetes.io/managed-by': 'bench', 'example.io/region': region });

/** One small, literal resource per Terraform type the library emits. */
const RESOURCES = {
  kubernetes_namespace_v1: (stack, id, i, region) => new NamespaceV1(stack, id, { metadata: { name: `ns-${i}`, labels: labels(region) } }),
  kubernetes_network_policy_v1: (stack, id, i, region) =>
    new NetworkPolicyV1(stack, id, {
      metadata: { name: `policy-${i}`, namespace: 'apps', labels: labels(region) },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'apps' } } }] }] },
    }),
  kubernetes_config_map_v1: (stack, id, i, region) =>
    new ConfigMapV1(stack, id, { metadata: { name: `config-${i}`, namespace: 'apps', labels: labels(region) }, data: { HOST: 'db.apps.svc', PORT: '5432' } }),
  kubernetes_limit_range_v1: (stack, id, i, region) =>
    new LimitRangeV1(stack, id, {
      metadata: { name: `limits-${i}`, namespace: 'apps', labels: labels(region) },
      spec: { limit: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
    }),
  kubernetes_priority_class_v1: (stack, id, i, region) =>
    new PriorityClassV1(stack, id, { metadata: { name: `priority-${i}`, labels: labels(region) }, value: 1000 + i, preemptionPolicy: 'Never' }),
  kubernetes_resource_quota_v1: (stack, id, i, region) =>
    new ResourceQuotaV1(stack, id, {
      metadata: { name: `quota-${i}`, namespace: 'apps', labels: labels(region) },
      spec: { hard: { pods: '20', 'requests.cpu': '8' } },
    }),
  kubernetes_role_binding_v1: (stack, id, i, region) =>
    new RoleBindingV1(stack, id, {
      metadata: { name: `binding-${i}`, namespace: 'apps', labels: labels(region) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'admin' },
      subject: [{ kind: 'Group', name: 'apps-admins', apiGroup: 'rbac.authorization.k8s.io' }],
    }),
  kubernetes_role_v1: (stack, id, i, region) =>
    new RoleV1(stack, id, {
      metadata: { name: `role-${i}`, namespace: 'apps', labels: labels(region) },
      rule: [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] }],
    }),
  kubernetes_secret_v1: (stack, id, i, region) => {
    const password = new TerraformVariable(stack, `${id}-password`, { type: 'string', sensitive: true });
    return new SecretV1(stack, id, {
      metadata: { name: `secret-${i}`, namespace: 'apps', labels: labels(region) },
      dataWo: { password: password.stringValue },
      dataWoRevision: 1,
    });
  },
  helm_release: (stack, id, i) =>
    new Release(stack, id, {
      name: `release-${i}`,
      namespace: 'apps',
      chart: 'app',
      repository: 'oci://registry.example/charts',
      version: '1.0.0',
      values: ['replicas: 2\n'],
    }),
};

const API_VERSIONS = {
  AlertmanagerConfig: 'monitoring.coreos.com/v1alpha1',
  AuthorizationPolicy: 'security.istio.io/v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  Gateway: 'networking.istio.io/v1',
  VirtualService: 'networking.istio.io/v1',
  DestinationRule: 'networking.istio.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PeerAuthentication: 'security.istio.io/v1',
  PodDisruptionBudget: 'policy/v1',
  PodMonitor: 'monitoring.coreos.com/v1',
  ServiceMonitor: 'monitoring.coreos.com/v1',
  PrometheusRule: 'monitoring.coreos.com/v1',
  Schedule: 'velero.io/v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  ValidatingAdmissionPolicy: 'admissionregistration.k8s.io/v1',
  ValidatingAdmissionPolicyBinding: 'admissionregistration.k8s.io/v1',
};

/** A small body per manifest kind: a Deployment-like spec for workloads, a selector otherwise. */
function manifestBody(kind, i) {
  if (kind === 'Deployment' || kind === 'StatefulSet') {
    return {
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: `app-${i}` } },
        template: {
          metadata: { labels: { app: `app-${i}` } },
          spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0.0', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
        },
      },
    };
  }
  if (kind === 'ServiceAccount') return {};
  return { spec: { selector: { matchLabels: { app: `app-${i}` } } } };
}

/**
 * Builds and synthesizes `regions` copies of `shape` (one region's stacks, with their resource
 * counts by type, and manifest files, with their object counts by kind) into `outdir`.
 * `onPhase` is told when build, terraform and yaml begin. Returns the number of objects made.
 */
function synthHandWritten({ regions, shape, outdir, onPhase = () => {} }) {
  fs.mkdirSync(outdir, { recursive: true });
  onPhase('build');
  const terraform = new TerraformApp({ outdir: `${outdir}/terraform`, stackTraces: false, hclOutput: false, skipValidation: true });
  const manifests = new ManifestApp({ outdir: `${outdir}/manifests`, recordConstructMetadata: false });
  let resources = 0;
  let objects = 0;
  for (let r = 0; r < regions; r++) {
    const region = `city-${r}`;
    for (const { name, resources: counts } of shape.stacks) {
      const stack = new TerraformStack(terraform, `${region}-${name}`);
      const kubernetes = { configPath: '~/.kube/config', configContext: `${region}-${name}` };
      new KubernetesProvider(stack, 'kubernetes', kubernetes);
      new HelmProvider(stack, 'helm', { kubernetes });
      for (const [type, count] of Object.entries(counts)) {
        const make = RESOURCES[type];
        if (!make) throw new Error(`bench/hand-written.js has no resource for ${type}: add one to RESOURCES`);
        for (let i = 0; i < count; i++) make(stack, `${type}-${i}`, i, region);
        resources += count;
      }
    }
    for (const { name, files } of shape.folders) {
      for (const { stem, kinds } of files) {
        const chart = new Chart(manifests, `${region}-${name}-${stem}`);
        for (const [kind, count] of Object.entries(kinds)) {
          for (let i = 0; i < count; i++) {
            const apiVersion = API_VERSIONS[kind];
            if (!apiVersion) throw new Error(`bench/hand-written.js has no apiVersion for ${kind}: add one to API_VERSIONS`);
            new ApiObject(chart, `${kind}-${i}`, {
              apiVersion,
              kind,
              metadata: { name: `${stem}-${i}`, namespace: 'apps', labels: labels(region) },
              ...manifestBody(kind, i),
            });
          }
          objects += count;
        }
      }
    }
  }
  onPhase('terraform');
  terraform.synth();
  onPhase('yaml');
  manifests.synth();
  onPhase('done');
  return { resources, manifests: objects };
}

module.exports = { synthHandWritten, RESOURCES, API_VERSIONS };
