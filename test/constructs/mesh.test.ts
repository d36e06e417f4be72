import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { Fleet } from '../../constructs/core/fleet';
import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { type ServiceSpec } from '../../constructs/workload/service-spec';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { imageReferences } from '../../lib/supply-chain';
import { minimalBlueprint, problemsOf, synthesize, type SynthOutput, tempDir } from '../support/fleet-fixtures';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');
const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });

/** A second department whose `tracker` service calls `enrolment`; a canary, breaker, limit and failover on `enrolment`. */
function meshBlueprint(change: (b: any) => void = () => undefined): BlueprintSpec {
  const blueprint: any = minimalBlueprint();
  blueprint.mesh = { version: '1.30.3' };
  blueprint.departments.push({ name: 'port', quota: { cpu: '8', memory: '16Gi' } });
  blueprint.services[0].callers = ['tracker', 'portal'];
  blueprint.services[0].autoscaling = { minReplicas: 4, maxReplicas: 20 };
  blueprint.services[0].traffic = {
    canary: { weights: { '1.0.0': 90, '1.1.0': 10 }, testers: { header: 'x-canary', value: 'always', version: '1.1.0' } },
    timeout: '5s',
    retries: { attempts: 2, perTryTimeout: '2s' },
    circuitBreaker: {
      connectionPool: { maxConnections: 100, maxPendingRequests: 50, maxRequests: 200, maxRequestsPerConnection: 10, connectTimeout: '2s' },
      outlierDetection: { consecutiveErrors: 3 },
    },
    rateLimit: { requests: 600, fillInterval: '1m' },
    localityFailover: {},
    expose: { hosts: ['enrol.test.example'], tlsSecret: 'enrol-tls' },
  };
  const other = (name: string, department: string): ServiceSpec => ({
    name,
    department,
    image: `registry.test.example/${department}/${name}`,
    version: '2.0.0',
    ports: [{ name: 'http', port: 80, targetPort: 9090 }],
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
  });
  blueprint.services.push(other('tracker', 'port'), other('portal', 'education'));
  change(blueprint);
  return blueprint;
}

/** Two clusters: gov, and a public one on another network. */
function twoClusters(b: any, publicNetwork: Record<string, string> = { podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/16' }): void {
  b.clusters.push({
    name: 'burst',
    role: 'public',
    cloud: 'test-public-cloud',
    connection: { kubeconfig: { path: '~/.kube/config', context: 'burst' } },
    capacity: { nodes: 2, nodeCpu: '8', nodeMemory: '32Gi' },
    network: publicNetwork,
  });
}

function values(out: SynthOutput, stack: string, release: string): any {
  return parseYaml(out.resources(stack, 'helm_release')[`${stack}/mesh/${release}`].values[0]);
}

describe('the mesh on one cluster', () => {
  const out = synthesize(meshBlueprint(), { changsha: {} });
  const releases = out.resources('changsha-gov', 'helm_release');
  const get = (kind: string, name: string) => out.find('changsha', 'gov', kind, name);

  it('installs base, CNI, istiod and an ingress gateway from the chart mirror, pinned to the release, in order', () => {
    const mesh = Object.entries(releases).filter(([p]) => p.startsWith('changsha-gov/mesh/'));
    expect(Object.fromEntries(mesh.map(([p, r]) => [p.split('/')[2], [r.name, r.chart, r.version, r.repository]]))).toEqual({
      base: ['istio-base', 'base', '1.30.3', 'oci://registry.test.example/charts'],
      cni: ['istio-cni', 'cni', '1.30.3', 'oci://registry.test.example/charts'],
      istiod: ['istiod', 'istiod', '1.30.3', 'oci://registry.test.example/charts'],
      'ingress-gateway': ['istio-ingressgateway', 'gateway', '1.30.3', 'oci://registry.test.example/charts'],
    });
    expect(releases['changsha-gov/mesh/cni'].namespace).toBe('kube-system');
    expect(releases['changsha-gov/mesh/istiod'].depends_on).toEqual(['helm_release.mesh_base_F15BB500', 'helm_release.mesh_cni_A3C294C0']);
    expect(releases['changsha-gov/mesh/ingress-gateway'].depends_on).toEqual(['helm_release.mesh_istiod_1C846E49']);
  });

  it('sets mesh ID, cluster name, network and trust domain, with CNI instead of a privileged init container', () => {
    const istiod = values(out, 'changsha-gov', 'istiod');
    expect(istiod.global).toMatchObject({
      hub: 'registry.test.example/istio',
      tag: '1.30.3',
      meshID: 'changsha',
      multiCluster: { clusterName: 'changsha-gov' },
      network: 'gov',
    });
    expect(istiod.cni).toEqual({ enabled: true });
    expect(istiod.meshConfig).toMatchObject({ trustDomain: 'cluster.local', defaultConfig: { holdApplicationUntilProxyStarts: true } });
    expect(istiod.autoscaleMin).toBe(2);
    expect(istiod.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  it('takes every Istio image from the registry mirror', () => {
    for (const release of ['istiod', 'cni', 'ingress-gateway']) {
      const found = imageReferences(values(out, 'changsha-gov', release));
      for (const image of found) expect(image.registry).toBe('registry.test.example');
    }
    expect(
      imageReferences(values(out, 'changsha-gov', 'istiod'))
        .map((i) => i.repository)
        .sort(),
    ).toEqual(['istio/pilot', 'istio/proxyv2', 'istio/proxyv2']);
    expect(imageReferences(values(out, 'changsha-gov', 'cni')).map((i) => i.repository)).toEqual(['istio/install-cni']);
  });

  it("sets the CNI agent's AppArmor profile by field, not by the deprecated annotation the API server warns about", () => {
    expect(values(out, 'changsha-gov', 'cni')).toMatchObject({ useAppArmorAnnotation: false });
  });

  it('labels istio-system with the network and department namespaces for injection', () => {
    const namespaces = out.resources('changsha-gov', 'kubernetes_namespace_v1');
    expect(namespaces['changsha-gov/mesh/namespace-istio-system'].metadata.labels).toMatchObject({
      'topology.istio.io/network': 'gov',
      'pod-security.kubernetes.io/enforce': 'baseline',
    });
    expect(namespaces['changsha-gov/education/namespace'].metadata.labels).toMatchObject({
      'istio-injection': 'enabled',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('lets department pods reach istiod and no east-west gateway exists on a single network', () => {
    const policies = out.resources('changsha-gov', 'kubernetes_network_policy_v1');
    const baseline = policies['changsha-gov/education/network-policy-baseline-traffic'].spec;
    expect(baseline.egress).toContainEqual({
      to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'istio-system' } }, pod_selector: { match_labels: { app: 'istiod' } } }],
      ports: [{ port: '15012', protocol: 'TCP' }],
    });
    // Single network: no path from or to east-west gateways.
    expect(baseline.ingress).toEqual([{ from: [{ pod_selector: {} }] }]);
    expect(baseline.egress.some((rule: any) => rule.ports?.some((p: any) => p.port === '15443'))).toBe(false);
    expect(releases['changsha-gov/mesh/east-west-gateway']).toBeUndefined();
    expect(() => get('Gateway', 'cross-network-gateway')).toThrow();
  });

  it('makes mutual TLS STRICT mesh-wide, in the root namespace', () => {
    const peer = get('PeerAuthentication', 'default');
    expect(peer).toMatchObject({ apiVersion: 'security.istio.io/v1', metadata: { namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } });
  });

  it('starts each department from allow-nothing and admits only the declared callers and the ingress gateway, on the workload ports', () => {
    expect(get('AuthorizationPolicy', 'allow-nothing')).toMatchObject({ metadata: { namespace: 'education' }, spec: {} });
    expect(
      out
        .manifests('changsha', 'gov')
        .filter((o) => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'allow-nothing')
        .map((o) => o.metadata.namespace),
    ).toEqual(['education', 'port']);
    expect(get('AuthorizationPolicy', 'enrolment').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'enrolment', 'govcloud.io/department': 'education' } },
      action: 'ALLOW',
      rules: [
        {
          from: [
            {
              source: {
                principals: [
                  'cluster.local/ns/port/sa/tracker',
                  'cluster.local/ns/education/sa/portal',
                  'cluster.local/ns/istio-ingress/sa/istio-ingressgateway',
                ],
              },
            },
          ],
          to: [{ operation: { ports: ['8080'] } }],
        },
      ],
    });
    // A service nobody calls has no policy of its own: allow-nothing covers it.
    expect(() => get('AuthorizationPolicy', 'tracker')).toThrow();
  });

  it('opens the network path for a caller of another department on both sides, and none inside a department', () => {
    const policies = out.resources('changsha-gov', 'kubernetes_network_policy_v1');
    // One policy per service's pods holds every path to and from them.
    const enrolment = policies['changsha-gov/education/network-policy-traffic-enrolment'];
    expect(enrolment.metadata.name).toBe('traffic-enrolment');
    const ingress = enrolment.spec;
    expect(ingress.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': 'enrolment', 'govcloud.io/department': 'education' });
    expect(ingress.policy_types).toEqual(['Ingress']);
    expect(ingress.ingress[0].from).toEqual([
      {
        namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'port' } },
        pod_selector: { match_labels: { 'app.kubernetes.io/name': 'tracker', 'govcloud.io/department': 'port' } },
      },
      // The ingress gateway on the same port joins the same rule; the portal (same department) needs no rule.
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'istio-ingress' } }, pod_selector: { match_labels: { istio: 'ingressgateway' } } },
    ]);
    expect(ingress.ingress[0].ports).toEqual([{ port: '8080', protocol: 'TCP' }]);
    expect(ingress.ingress).toHaveLength(1);
    const egress = policies['changsha-gov/port/network-policy-traffic-tracker'].spec;
    expect(egress.policy_types).toEqual(['Egress']);
    expect(egress.egress[0].to[0].namespace_selector.match_labels).toEqual({ 'kubernetes.io/metadata.name': 'education' });
  });

  it('runs the canary as its own Deployment and HPA, sized by its weight, on a selector disjoint from stable', () => {
    const stable = get('Deployment', 'enrolment');
    const canary = get('Deployment', 'enrolment-v1-1-0');
    expect(canary.spec.template.spec.containers[0].image).toBe('registry.test.example/edu/enrolment:1.1.0');
    expect(canary.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/version': '1.1.0', 'govcloud.io/track': 'v1-1-0' });
    expect(stable.spec.selector.matchLabels['govcloud.io/track']).toBe('stable');
    expect(canary.spec.selector.matchLabels['govcloud.io/track']).toBe('v1-1-0');
    // 10% of a 4-20 service: at least 1 pod, at most 2.
    expect(get('HorizontalPodAutoscaler', 'enrolment-v1-1-0').spec).toMatchObject({
      minReplicas: 1,
      maxReplicas: 2,
      scaleTargetRef: { name: 'enrolment-v1-1-0' },
    });
    expect(get('Service', 'enrolment').spec.selector).not.toHaveProperty(['govcloud.io/track']);
  });

  it('splits traffic by version subsets, testers first, with the timeout and safe retries on every route', () => {
    const rule = get('DestinationRule', 'enrolment');
    expect(rule.spec.host).toBe('enrolment.education.svc.cluster.local');
    expect(rule.spec.subsets).toEqual([
      { name: 'v1-0-0', labels: { 'app.kubernetes.io/version': '1.0.0' } },
      { name: 'v1-1-0', labels: { 'app.kubernetes.io/version': '1.1.0' } },
    ]);
    const routes = get('VirtualService', 'enrolment').spec.http;
    const retries = { attempts: 2, perTryTimeout: '2s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled' };
    expect(routes).toEqual([
      {
        name: 'testers',
        match: [{ headers: { 'x-canary': { exact: 'always' } } }],
        route: [{ destination: { host: 'enrolment.education.svc.cluster.local', subset: 'v1-1-0' } }],
        timeout: '5s',
        retries,
      },
      {
        name: 'weighted',
        route: [
          { destination: { host: 'enrolment.education.svc.cluster.local', subset: 'v1-0-0' }, weight: 90 },
          { destination: { host: 'enrolment.education.svc.cluster.local', subset: 'v1-1-0' }, weight: 10 },
        ],
        timeout: '5s',
        retries,
      },
    ]);
  });

  it('breaks the circuit with a connection pool and outlier detection, and fails over by network', () => {
    expect(get('DestinationRule', 'enrolment').spec.trafficPolicy).toEqual({
      connectionPool: {
        tcp: { maxConnections: 100, connectTimeout: '2s' },
        http: { http1MaxPendingRequests: 50, http2MaxRequests: 200, maxRequestsPerConnection: 10 },
      },
      outlierDetection: { consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      loadBalancer: { localityLbSetting: { enabled: true, failoverPriority: ['topology.istio.io/network'] } },
    });
  });

  it('limits the rate in each sidecar with an EnvoyFilter, in protobuf durations', () => {
    const filter = get('EnvoyFilter', 'enrolment-rate-limit');
    expect(filter.apiVersion).toBe('networking.istio.io/v1alpha3');
    expect(filter.spec.workloadSelector.labels).toEqual({ 'app.kubernetes.io/name': 'enrolment', 'govcloud.io/department': 'education' });
    const patch = filter.spec.configPatches[0];
    expect(patch).toMatchObject({
      applyTo: 'HTTP_FILTER',
      match: { context: 'SIDECAR_INBOUND' },
      patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.local_ratelimit' } },
    });
    // "1m" in the spec; Envoy accepts only "60s".
    expect(patch.patch.value.typed_config.token_bucket).toEqual({ max_tokens: 600, tokens_per_fill: 600, fill_interval: '60s' });
    expect(patch.patch.value.typed_config['@type']).toBe('type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit');
  });

  it('exposes the service through the ingress gateway over HTTPS, redirecting HTTP', () => {
    const gateway = get('Gateway', 'enrolment');
    expect(gateway.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: 'enrol-tls' }, hosts: ['enrol.test.example'] },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, tls: { httpsRedirect: true }, hosts: ['enrol.test.example'] },
      ],
    });
    const service = get('VirtualService', 'enrolment').spec;
    expect(service.hosts).toEqual(['enrolment.education.svc.cluster.local', 'enrol.test.example']);
    expect(service.gateways).toEqual(['mesh', 'enrolment']);
  });

  it('validates every Istio object against the Istio CRDs', () => {
    const problems = validator.validateDirectory(path.join(out.dir, 'manifests'));
    expect(formatManifestProblems(problems)).toBe('');
    // PeerAuthentication, two allow-nothing, and enrolment's policy, rule, service, gateway and filter.
    expect(out.manifests('changsha', 'gov').filter((o) => /istio\.io/.test(o.apiVersion)).length).toBe(8);
  });

  it('shows the mesh and each policy in the region report', () => {
    const report = out.read('reports/changsha.md');
    expect(report).toContain('Istio 1.30.3 (sidecar mode, CNI), objects in `networking.istio.io/v1` / `security.istio.io/v1`; mesh `changsha`');
    expect(report).toContain(
      '| enrolment | tracker, portal | enrol.test.example (HTTPS, certificate enrol-tls) | 1.0.0 90%, 1.1.0 10%; `x-canary: always` -> 1.1.0 | timeout 5s, 2 retries of 2s |',
    );
    expect(report).toContain('600 per 1m per pod (burst 600); ~200/s at 20 pods');
  });
});

describe('the Istio API version setting', () => {
  const out = synthesize(
    meshBlueprint((b) => (b.mesh.apiVersion = 'v1beta1')),
    { changsha: {} },
  );
  const istio = out.manifests('changsha', 'gov').filter((o) => /istio\.io/.test(o.apiVersion));

  it('writes every object but the EnvoyFilter in v1beta1 for older managed meshes', () => {
    expect([...new Set(istio.map((o) => `${o.kind} ${o.apiVersion}`))].sort()).toEqual([
      'AuthorizationPolicy security.istio.io/v1beta1',
      'DestinationRule networking.istio.io/v1beta1',
      'EnvoyFilter networking.istio.io/v1alpha3',
      'Gateway networking.istio.io/v1beta1',
      'PeerAuthentication security.istio.io/v1beta1',
      'VirtualService networking.istio.io/v1beta1',
    ]);
  });

  it('validates against the v1beta1 schemas', () => {
    expect(formatManifestProblems(validator.validateDirectory(path.join(out.dir, 'manifests')))).toBe('');
  });

  it('is caught by the CRD check when a field is wrong', () => {
    const broken = { ...out.find('changsha', 'gov', 'DestinationRule', 'enrolment') };
    broken.spec = { ...broken.spec, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 'five' } } };
    expect(formatManifestProblems(validator.validateObject(broken))).toMatch(/consecutive5xxErrors/);
  });
});

describe('a mesh across two networks', () => {
  const out = synthesize(meshBlueprint(twoClusters), { changsha: {} });

  it('adds an east-west gateway on the network, a cross-network Gateway and a remote secret per peer', () => {
    for (const [stack, cluster, peer] of [
      ['changsha-gov', 'gov', 'changsha-burst'],
      ['changsha-burst', 'burst', 'changsha-gov'],
    ]) {
      const ew = values(out, stack, 'east-west-gateway');
      // The chart labels the gateway's pods and Service with the network from `networkGateway`: not in `labels` too.
      expect(ew).toMatchObject({ networkGateway: cluster, labels: { istio: 'eastwestgateway' } });
      expect(ew.labels['topology.istio.io/network']).toBeUndefined();
      expect(ew.service.ports.map((p: any) => p.port)).toEqual([15021, 15443, 15012, 15017]);
      expect(out.find('changsha', cluster, 'Gateway', 'cross-network-gateway').spec.servers[0]).toEqual({
        port: { number: 15443, name: 'tls', protocol: 'TLS' },
        tls: { mode: 'AUTO_PASSTHROUGH' },
        hosts: ['*.local'],
      });
      const secret = out.resources(stack, 'kubernetes_secret_v1')[`${stack}/mesh/remote-secret-${peer.split('-')[1]}`];
      expect(secret.metadata).toMatchObject({
        name: `istio-remote-secret-${peer}`,
        labels: { 'istio/multiCluster': 'true' },
        annotations: { 'networking.istio.io/cluster': peer },
      });
      const variable = `mesh_remote_kubeconfig_${peer.replace('-', '_')}`;
      expect(secret.data_wo).toEqual({ [peer]: `\${var.${variable}}` });
      expect(out.stack(stack).variable[variable]).toMatchObject({ sensitive: true, ephemeral: true });
    }
  });

  it('lets department pods take calls from the east-west gateway and call remote ones', () => {
    const policies = out.resources('changsha-gov', 'kubernetes_network_policy_v1');
    const baseline = policies['changsha-gov/education/network-policy-baseline-traffic'].spec;
    // The same namespace and the east-west gateway, both on every port: one rule.
    expect(baseline.ingress).toEqual([
      {
        from: [
          { pod_selector: {} },
          {
            namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'istio-system' } },
            pod_selector: { match_labels: { istio: 'eastwestgateway' } },
          },
        ],
      },
    ]);
    expect(baseline.egress).toContainEqual({ ports: [{ port: '15443', protocol: 'TCP' }] });
  });

  it('needs no east-west gateway when the clusters share a network', () => {
    const shared = synthesize(
      meshBlueprint((b) => {
        b.clusters[0].network.meshNetwork = 'hunan';
        twoClusters(b, { podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/16', meshNetwork: 'hunan' });
      }),
      { changsha: {} },
    );
    expect(shared.resources('changsha-gov', 'helm_release')['changsha-gov/mesh/east-west-gateway']).toBeUndefined();
    expect(values(shared, 'changsha-gov', 'istiod').global.network).toBe('hunan');
    // Still two primaries: each istiod watches the other's API server.
    expect(shared.resources('changsha-gov', 'kubernetes_secret_v1')['changsha-gov/mesh/remote-secret-burst']).toBeDefined();
  });

  it('leaves a cluster out of the mesh when mesh.clusters says so', () => {
    const one = synthesize(
      meshBlueprint((b) => {
        twoClusters(b);
        b.mesh.clusters = ['gov'];
      }),
      { changsha: {} },
    );
    expect(Object.keys(one.resources('changsha-burst', 'helm_release'))).toEqual([]);
    expect(one.resources('changsha-gov', 'helm_release')['changsha-gov/mesh/east-west-gateway']).toBeUndefined();
  });
});

describe('bad mesh input', () => {
  const problems = (change: (b: any) => void) => problemsOf(() => new Fleet({ blueprint: meshBlueprint(change), outdir: path.join(tempDir(), 'out') }));
  const traffic = (b: any) => b.services[0].traffic;

  it('rejects canary weights that do not sum to 100', () => {
    expect(problems((b) => (traffic(b).canary.weights = { '1.0.0': 80, '1.1.0': 10 }))).toEqual([
      'blueprint.services.enrolment.traffic.canary.weights: weights must sum to 100, got 90 (1.0.0: 80, 1.1.0: 10); adjust them',
    ]);
  });

  it('rejects a canary without a second version', () => {
    expect(problems((b) => (traffic(b).canary = { weights: { '1.0.0': 100 } }))).toEqual([
      'blueprint.services.enrolment.traffic.canary.weights: a canary needs a second version beside "1.0.0", got {"1.0.0":100}; add the new version with its weight, e.g. { "1.0.0": 90, "<new version>": 10 }',
    ]);
  });

  it('rejects canary weights without the stable version', () => {
    expect(problems((b) => (traffic(b).canary = { weights: { '1.1.0': 50, '1.2.0': 50 } }))).toEqual([
      'blueprint.services.enrolment.traffic.canary.weights: must include the service\'s own version "1.0.0" (the stable track), got 1.1.0, 1.2.0; add it with its weight, or promote by changing version',
    ]);
  });

  it('rejects versions whose subset names would collide', () => {
    expect(problems((b) => (traffic(b).canary = { weights: { '1.0.0': 80, '1.1.0': 10, '1-1-0': 10 } }))).toEqual([
      'blueprint.services.enrolment.traffic.canary.weights: versions "1.1.0" and "1-1-0" both become subset and Deployment suffix "v1-1-0"; use tags that differ in more than punctuation',
    ]);
  });

  it('rejects testers routed to a version the canary does not serve', () => {
    expect(problems((b) => (traffic(b).canary.testers.version = '9.9.9'))).toEqual([
      'blueprint.services.enrolment.traffic.canary.testers.version: "9.9.9" is not one of the canary\'s versions (1.0.0, 1.1.0); route testers to one of them',
    ]);
  });

  it('rejects a rate limit of zero', () => {
    expect(problems((b) => (traffic(b).rateLimit.requests = 0))).toEqual([
      'blueprint.services.enrolment.traffic.rateLimit.requests: must be an integer >= 1, got 0',
    ]);
  });

  it('rejects a fill interval that is not a duration, or shorter than Envoy allows', () => {
    expect(problems((b) => (traffic(b).rateLimit.fillInterval = 'fast'))).toEqual([
      'blueprint.services.enrolment.traffic.rateLimit.fillInterval: must be a duration such as "500ms", "30s", "5m" or "1h30m", got "fast"',
    ]);
    expect(problems((b) => (traffic(b).rateLimit.fillInterval = '10ms'))).toEqual([
      'blueprint.services.enrolment.traffic.rateLimit.fillInterval: "10ms" is shorter than Envoy\'s minimum of 50ms; use "50ms" or more',
    ]);
  });

  it('rejects locality failover without outlier detection', () => {
    expect(problems((b) => delete traffic(b).circuitBreaker.outlierDetection)).toEqual([
      'blueprint.services.enrolment.traffic.localityFailover: needs circuitBreaker.outlierDetection: without it Envoy never marks the local endpoints unhealthy, so traffic never fails over; add circuitBreaker: { outlierDetection: { consecutiveErrors: 5 } }',
    ]);
  });

  it('rejects a caller that does not exist, suggesting the near name', () => {
    expect(problems((b) => (b.services[0].callers = ['trackr']))).toEqual([
      'blueprint.services.enrolment.callers[0]: no service named "trackr"; did you mean "tracker"? Known: enrolment, tracker, portal; a caller is a service of the blueprint (the ingress gateway is allowed by traffic.expose)',
    ]);
  });

  it('rejects a mesh network shared by clusters with overlapping pod CIDRs', () => {
    expect(
      problems((b) => {
        b.clusters[0].network.meshNetwork = 'hunan';
        twoClusters(b, { podCidr: '10.0.128.0/17', serviceCidr: '172.21.0.0/16', meshNetwork: 'hunan' });
      }),
    ).toEqual([
      'blueprint.clusters.burst.network.meshNetwork: mesh network "hunan" is shared with cluster "gov", but their pod CIDRs overlap (10.0.128.0/17 and 10.0.0.0/16), so pod addresses would be ambiguous; give the clusters disjoint pod CIDRs or separate meshNetwork names (joined by east-west gateways)',
    ]);
    // On separate networks the same CIDRs are fine: the east-west gateways keep them apart.
    expect(
      () =>
        new Fleet({
          blueprint: meshBlueprint((b) => twoClusters(b, { podCidr: '10.0.128.0/17', serviceCidr: '172.21.0.0/16' })),
          outdir: path.join(tempDir(), 'out'),
        }),
    ).not.toThrow();
  });

  it('rejects traffic policy without a mesh, and a service whose clusters are all outside it', () => {
    expect(problems((b) => delete b.mesh)).toEqual([
      'blueprint.services.enrolment.traffic: needs the service mesh: add mesh: { version: "..." } to the blueprint, or remove traffic',
    ]);
    expect(
      problems((b) => {
        twoClusters(b);
        b.mesh.clusters = ['burst'];
      }),
    ).toEqual(['blueprint.services.enrolment.traffic: the service runs on gov, none of them in the mesh (burst); add one to mesh.clusters or remove traffic']);
  });

  it('rejects an unknown mesh cluster, an unpinned Istio release and an unknown API version', () => {
    expect(problems((b) => (b.mesh = { version: '1.22.0', apiVersion: 'v2', clusters: ['gvo'] }))).toEqual([
      'blueprint.mesh.version: must be one of "1.30.3", got "1.22.0"',
      'blueprint.mesh.apiVersion: must be one of "v1", "v1beta1", got "v2"; did you mean "v1"?',
    ]);
    expect(problems((b) => (b.mesh.clusters = ['gvo']))).toEqual([
      'blueprint.mesh.clusters[0]: no cluster named "gvo"; did you mean "gov"? Known: gov',
      'blueprint.mesh.clusters: puts no cluster in the mesh; name at least one cluster or remove the mesh',
    ]);
  });

  it('rejects a per-try timeout longer than the timeout and an empty breaker', () => {
    expect(
      problems((b) => {
        traffic(b).retries.perTryTimeout = '6s';
        b.services[1].traffic = { circuitBreaker: {} };
      }),
    ).toEqual([
      'blueprint.services.enrolment.traffic.retries.perTryTimeout: "6s" is longer than the request timeout "5s", so no retry could ever run; shorten it or raise timeout',
      'blueprint.services.tracker.traffic.circuitBreaker: set connectionPool, outlierDetection or both',
    ]);
  });

  it('rejects an unknown exposed port and a service naming itself as caller', () => {
    expect(
      problems((b) => {
        traffic(b).expose.port = 'grpc';
        b.services[1].callers = ['tracker'];
      }),
    ).toEqual([
      'blueprint.services.enrolment.traffic.expose.port: "grpc" is not one of the service\'s ports (http)',
      'blueprint.services.tracker.callers[0]: a service does not need to allow itself; remove it',
    ]);
  });

  it("checks a region's overrides the same way", () => {
    const fleet = new Fleet({ blueprint: meshBlueprint(), outdir: path.join(tempDir(), 'out') });
    expect(
      problemsOf(() => fleet.addRegions({ changsha: { overrides: { services: [{ name: 'enrolment', traffic: { canary: { weights: { '1.1.0': 20 } } } }] } } })),
    ).toEqual(['regions.changsha.services.enrolment.traffic.canary.weights: weights must sum to 100, got 110 (1.0.0: 90, 1.1.0: 20); adjust them']);
  });
});

describe('exposed host templates', () => {
  const meshed = (hosts: string[], change: (b: any) => void = () => undefined): BlueprintSpec => {
    const blueprint: any = minimalBlueprint();
    blueprint.mesh = { version: '1.30.3' };
    blueprint.services[0].traffic = { expose: { hosts } };
    change(blueprint);
    return blueprint;
  };

  it('refuses a placeholder other than {region}, saying which', () => {
    expect(problemsOf(() => new Fleet({ blueprint: meshed(['enrol.{city}.gov.example']) }))).toEqual([
      'blueprint.services.enrolment.traffic.expose.hosts[0]: must be a DNS host name such as "api.port.changsha.gov.example", where "{region}" stands for the region\'s name, got "enrol.{city}.gov.example"; {city} is not a placeholder; the only one is {region}',
    ]);
  });

  it("refuses a host that the region's name makes too long for DNS, at the region", () => {
    const region = 'r'.repeat(40);
    const problems = problemsOf(() => new Fleet({ blueprint: meshed([`{region}-{region}.gov.example`]) }).addRegions({ [region]: {} }));
    expect(problems).toEqual([
      `regions.${region}.services.enrolment.traffic.expose.hosts[0]: "{region}-{region}.gov.example" becomes "${region}-${region}.gov.example" in region "${region}", past DNS limits (253 characters, 63 per label); shorten the template`,
    ]);
  });
});
