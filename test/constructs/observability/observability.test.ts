import * as path from 'path';
import { logisticsPortFleet } from '../../../examples/logistics-port/logistics-port';
import { Fleet } from '../../../constructs/core/fleet';
import type { BlueprintOverrides, BlueprintSpec } from '../../../constructs/blueprint-spec';
import { ManifestValidator, formatManifestProblems } from '../../../lib/validation/manifest-validator';
import { SynthOutput, minimalBlueprint, problemsOf, tempDir } from '../../support/fleet-fixtures';
import { parse as parseYaml } from 'yaml';

const SHARED_CRDS = path.resolve(__dirname, '../../../../shared/crds');

describe('observability of the logistics-port example', () => {
  const dir = path.join(tempDir(), 'out');
  logisticsPortFleet(dir).synth();
  const out = new SynthOutput(dir);
  const monitoring = (cluster: string) =>
    out.manifests('changsha', cluster).filter((o) => o.apiVersion.startsWith('monitoring.coreos.com') || o.kind === 'ConfigMap');
  const releaseValues = (stack: string, id: string) => {
    const releases = out.resources(stack, 'helm_release');
    const release = Object.entries(releases).find(([p]) => p.endsWith(id))![1];
    return parseYaml(release.values[0]);
  };

  it('installs the monitoring stack on every cluster, labelled and remote-writing to the hub over mutual TLS', () => {
    for (const cluster of ['gov', 'burst']) {
      const values = releaseValues(`changsha-${cluster}`, 'monitoring/release');
      const prometheus = values.prometheus.prometheusSpec;
      expect(prometheus.externalLabels).toEqual(expect.objectContaining({ region: 'changsha', cluster, blueprint: 'citizen-services' }));
      expect(prometheus.remoteWrite[0].url).toBe('https://metrics.hunan.gov.example/api/v1/receive');
      expect(prometheus.remoteWrite[0].tlsConfig).toEqual(
        expect.objectContaining({
          cert: { secret: { name: 'remote-write-credentials', key: 'tls.crt' } },
          keySecret: { name: 'remote-write-credentials', key: 'tls.key' },
          insecureSkipVerify: false,
        }),
      );
      expect(prometheus.remoteWrite[0].basicAuth).toBeUndefined();
      expect(prometheus.serviceMonitorSelectorNilUsesHelmValues).toBe(false);
      expect(prometheus.ruleSelectorNilUsesHelmValues).toBe(false);
    }
  });

  it('keeps the client certificate and key in write-only, ephemeral variables', () => {
    const stack = out.stack('changsha-gov');
    for (const name of ['observability_client_certificate', 'observability_client_key', 'observability_hub_ca_certificate']) {
      expect(stack.variable[name]).toEqual(expect.objectContaining({ sensitive: true, ephemeral: true }));
    }
    const secret = Object.entries(out.resources('changsha-gov', 'kubernetes_secret_v1')).find(([p]) => p.endsWith('monitoring/remote-write-credentials'))![1];
    expect(secret.data_wo).toEqual({
      'tls.crt': '${var.observability_client_certificate}',
      'tls.key': '${var.observability_client_key}',
      'ca.crt': '${var.observability_hub_ca_certificate}',
    });
    expect(secret.data).toBeUndefined();
  });

  it('runs the hub (Thanos and Grafana) on the gov cluster only, with the dashboards', () => {
    const gov = Object.keys(out.resources('changsha-gov', 'helm_release'));
    expect(gov.some((p) => p.endsWith('observability-hub/thanos'))).toBe(true);
    expect(gov.some((p) => p.endsWith('observability-hub/grafana'))).toBe(true);
    expect(Object.keys(out.resources('changsha-burst', 'helm_release')).some((p) => p.includes('observability-hub'))).toBe(false);
    const dashboards = monitoring('gov').filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(dashboards.map((d) => d.metadata.name)).toEqual(
      expect.arrayContaining(['dashboard-citizen-services-overview', 'dashboard-citizen-services-dept-port-logistics']),
    );
    const folder = (name: string) => dashboards.find((d) => d.metadata.name === name)!.metadata.annotations!.grafana_folder;
    expect(folder('dashboard-citizen-services-dept-port-logistics')).toBe('port-logistics');
    expect(folder('dashboard-citizen-services-overview')).toBe('province');
    expect(JSON.parse(Object.values(dashboards[0].data as Record<string, string>)[0]).uid).toBe(dashboards[0].metadata.name.replace(/^dashboard-/, ''));
  });

  it("gives each department a Grafana confined to its own series and dashboards; the data bureau's sees everything", () => {
    const releases = out.resources('changsha-gov', 'helm_release');
    const byName = (name: string) => Object.values(releases).find((r) => r.name === name)!;
    const departments = Object.values(releases)
      .map((r) => r.name as string)
      .filter((n) => n.startsWith('grafana-'));
    expect([...departments].sort()).toEqual([
      'grafana-education',
      'grafana-finance-office',
      'grafana-health',
      'grafana-port-logistics',
      'grafana-social-security',
      'grafana-tax',
    ]);

    // The tenants' query path enforces tenancy on the namespace label, over the main release's stores.
    const tenants = parseYaml(byName('thanos-tenants').values[0]);
    expect(tenants.query.extraFlags).toEqual(
      expect.arrayContaining(['--query.enforce-tenancy', '--query.tenant-label-name=namespace', '--query.tenant-header=THANOS-TENANT']),
    );
    expect(tenants.query.stores).toEqual([
      'dnssrv+_grpc._tcp.thanos-storegateway.monitoring.svc.cluster.local',
      'dnssrv+_grpc._tcp.thanos-receive.monitoring.svc.cluster.local',
    ]);
    expect(tenants.queryFrontend.enabled).toBe(false);

    const datasource = (release: string) => parseYaml(byName(release).values[0]).datasources['datasources.yaml'].datasources[0];
    const port = datasource('grafana-port-logistics');
    expect(port.url).toBe('http://thanos-tenants-query.monitoring.svc:9090');
    expect(port.jsonData.httpHeaderName1).toBe('THANOS-TENANT');
    expect(port.secureJsonData).toEqual({ httpHeaderValue1: 'port-logistics' });
    expect(port.uid).toBe('thanos-query');
    const bureau = datasource('grafana');
    expect(bureau.url).toBe('http://thanos-query.monitoring.svc:9090');
    expect(bureau.jsonData.httpHeaderName1).toBeUndefined();
    expect(bureau.secureJsonData).toBeUndefined();

    // Each Grafana loads the dashboards its label selects: the department's own, or all of them.
    const sidecar = (release: string) => parseYaml(byName(release).values[0]).sidecar.dashboards;
    expect(sidecar('grafana-port-logistics')).toEqual(
      expect.objectContaining({ label: 'govcloud.io/dashboard-department', labelValue: 'port-logistics', searchNamespace: 'monitoring' }),
    );
    expect(sidecar('grafana')).toEqual(expect.objectContaining({ label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' }));
    const dashboards = monitoring('gov').filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    const seenBy = (department: string) =>
      dashboards.filter((d) => d.metadata.labels!['govcloud.io/dashboard-department'] === department).map((d) => d.metadata.name);
    expect(seenBy('port-logistics')).toEqual(['dashboard-citizen-services-dept-port-logistics']);
    expect(seenBy('data-bureau')).toEqual([]);

    // Only the data bureau's Grafana (and Prometheus, and the frontend) reach the global query path.
    const policies = out.resources('changsha-gov', 'kubernetes_network_policy_v1');
    const policy = (suffix: string) => Object.entries(policies).find(([p]) => p.endsWith(suffix))![1];
    const global = policy('observability-hub/network-policy-global-query');
    expect(global.spec.pod_selector.match_expressions[0].values).toEqual(['query', 'query-frontend']);
    const globalReaders = global.spec.ingress[0].from.map(
      (f: any) => f.pod_selector.match_labels['app.kubernetes.io/instance'] ?? f.pod_selector.match_labels['app.kubernetes.io/name'],
    );
    expect(globalReaders).toEqual(['grafana', 'thanos', 'prometheus']);
    const tenantsPolicy = policy('observability-hub/network-policy-tenants-query');
    expect(tenantsPolicy.spec.pod_selector.match_labels['app.kubernetes.io/instance']).toBe('thanos-tenants');
    expect([...tenantsPolicy.spec.ingress[0].from[0].pod_selector.match_expressions[0].values].sort()).toEqual([...departments].sort());
  });

  it('scrapes every service sidecar and every shelf exporter, and opens exactly those paths', () => {
    const gov = monitoring('gov');
    const podMonitors = gov.filter((o) => o.kind === 'PodMonitor').map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(podMonitors).toEqual(
      expect.arrayContaining(['port-logistics/customs-declaration', 'middleware/citizen-db', 'middleware/port-messages', 'middleware/metrics-store']),
    );
    expect(gov.find((o) => o.kind === 'ServiceMonitor' && o.metadata.name === 'istiod')!.metadata.namespace).toBe('istio-system');
    // Inside the mesh the agent merges the service's own metrics: the pod says where they are.
    expect(out.find('changsha', 'gov', 'Deployment', 'citizen-app').spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
    const policies = out.resources('changsha-gov', 'kubernetes_network_policy_v1');
    const prometheus = {
      namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      pod_selector: { match_labels: { 'app.kubernetes.io/name': 'prometheus' } },
    };
    // A service's scrape path selects its pods by name, as the PodMonitor does: a policy of its own.
    const scrape = policies['changsha-gov/port-logistics/network-policy-traffic-customs-declaration-metrics'];
    expect(scrape.spec).toEqual({
      pod_selector: { match_labels: { 'app.kubernetes.io/name': 'customs-declaration' } },
      policy_types: ['Ingress'],
      ingress: [{ from: [prometheus], ports: [{ port: '15020', protocol: 'TCP' }] }],
    });
    // A shelf exporter's pods are the instance's pods: the path joins the instance's policy.
    const shelf = policies['changsha-gov/middleware/network-policy-traffic-citizen-db'];
    expect(shelf.spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/instance': 'citizen-db' });
    expect(shelf.spec.ingress).toContainEqual({ from: [prometheus], ports: [{ port: 'http-metrics', protocol: 'TCP' }] });
  });

  it('writes SLO rules owned by the department, with region and cluster', () => {
    const rules = monitoring('gov').find((o) => o.kind === 'PrometheusRule' && o.metadata.namespace === 'port-logistics')!;
    const alerts = rules.spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts)
      expect(alert.labels).toEqual(expect.objectContaining({ owner: 'port-logistics', layer: 'application', region: 'changsha', cluster: 'gov' }));
    expect(alerts.map((a: any) => a.labels.severity)).toEqual(expect.arrayContaining(['page', 'ticket']));
  });

  it('routes alerts by owner: the department to its receiver, the platform to the data bureau', () => {
    const configs = monitoring('gov').filter((o) => o.kind === 'AlertmanagerConfig');
    const byName = (n: string) => configs.find((c) => c.metadata.name === n)!;
    expect(byName('alerts-port-logistics').metadata.namespace).toBe('port-logistics');
    expect(byName('alerts-port-logistics').spec.route.matchers).toEqual([{ name: 'owner', value: 'port-logistics', matchType: '=' }]);
    expect(byName('alerts-port-logistics').spec.receivers[0].webhookConfigs[0].urlSecret).toEqual({ name: 'port-duty-webhook', key: 'url' });
    const bureau = configs.find((c) => c.metadata.name === 'alerts-data-bureau' && c.metadata.namespace === 'monitoring')!;
    expect(bureau.spec.route.matchers).toEqual([{ name: 'owner', value: 'data-bureau', matchType: '=' }]);
    // The heartbeats stop in a receiver that sends nothing; everything else reaches the duty system.
    expect(bureau.spec.route.routes[0]).toEqual({
      receiver: 'heartbeats',
      matchers: [{ name: 'alertname', value: 'Watchdog|InfoInhibitor', matchType: '=~' }],
    });
    expect(bureau.spec.route.routes[1]).toEqual({ receiver: 'duty-system', continue: true });
    const early = monitoring('gov').find((o) => o.metadata.name === 'govcloud-early-warnings')!;
    // Early warnings concern the platform and the infrastructure: the data bureau owns them all.
    const rules = early.spec.groups.flatMap((g: any) => g.rules);
    expect(new Set(rules.map((r: any) => r.labels.owner))).toEqual(new Set(['data-bureau']));
    expect(new Set(rules.map((r: any) => r.labels.layer))).toEqual(new Set(['infrastructure', 'platform']));
    const quota = rules.find((r: any) => r.alert === 'DepartmentQuotaNearlyUsed' && r.labels.department === 'port-logistics');
    expect(quota.labels).toEqual(expect.objectContaining({ owner: 'data-bureau', namespace: 'port-logistics', region: 'changsha', cluster: 'gov' }));
  });

  it('validates every observability object against the CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(dir, 'manifests')))).toBe('');
  });

  it('reports the SLOs with their error budget and the routing', () => {
    const report = out.read('reports/changsha.md');
    expect(report).toContain('## Observability');
    expect(report).toMatch(/\| customs-declaration \| 99\.9% of requests succeed \| 30d \| 43\.2 min \|/);
    expect(report).toContain('| SloErrorBudgetBurn | application | port-logistics | port-duty |');
    // Meshed: every service through the Istio agent, none on its own port.
    expect(report).toContain('customs-declaration :15020/stats/prometheus (PodMonitor)');
    expect(report).not.toContain('(ServiceMonitor)');
  });

  it('writes no password or secret value into any file', () => {
    for (const file of out.files()) expect(out.read(file)).not.toMatch(/admin-password: |password: ['"]?[A-Za-z0-9]{8,}/);
  });
});

describe('observability: bad input', () => {
  const observed = (): BlueprintSpec => ({
    ...minimalBlueprint(),
    observability: {
      hub: {
        region: 'city',
        remoteWriteUrl: 'https://metrics.example/api/v1/receive',
        objectStorage: { external: { endpoint: 'https://s3.example', bucket: 'm', configSecret: { name: 'objstore', key: 'objstore.yml' } } },
      },
      dataBureauReceivers: [{ name: 'duty', webhook: { url: 'https://duty.example/hook' } }],
    },
  });
  const build =
    (blueprint: BlueprintSpec, overrides: BlueprintOverrides = {}) =>
    () =>
      new Fleet({ blueprint, outdir: path.join(tempDir(), 'out') }).addRegions({ city: { overrides } });
  const service = (blueprint: BlueprintSpec) => blueprint.services[0].name;

  it('fails an objective not strictly between 0 and 100', () => {
    const bp = observed();
    expect(problemsOf(build(bp, { services: [{ name: service(bp), slos: [{ name: 'availability', objective: 100 }] }] })).join('\n')).toMatch(
      /slos\.availability\.objective: must be a number strictly between 0 and 100, got 100/,
    );
  });

  it('fails a latency threshold that is not a duration, and a window shorter than 3 days', () => {
    const bp = observed();
    const slo = (extra: object) =>
      problemsOf(
        build(bp, { services: [{ name: service(bp), metrics: { port: bp.services[0].ports[0].name }, slos: [{ name: 'fast', objective: 99, ...extra }] }] }),
      ).join('\n');
    expect(slo({ latency: { threshold: 'quick' } })).toMatch(/slos\.fast\.latency\.threshold: must be a duration/);
    expect(slo({ window: '1d' })).toMatch(/slos\.fast\.window: "1d" is shorter than the 3-day window/);
    expect(slo({ window: 'monthly' })).toMatch(/slos\.fast\.window: must be a Prometheus duration/);
  });

  it('fails a local retention too short for the slowest burn-rate alert', () => {
    const bp = observed();
    const problems = problemsOf(
      build(
        { ...bp, observability: { ...bp.observability!, prometheus: { retention: '12h' } } },
        { services: [{ name: service(bp), metrics: { port: 'http' }, slos: [{ name: 'a', objective: 99 }] }] },
      ),
    );
    expect(problems.join('\n')).toMatch(/observability\.prometheus\.retention: "12h" is shorter than the 3-day window/);
  });

  it("fails receivers on the data bureau's department: its alerts go to the bureau's receivers", () => {
    const bp = observed();
    const bureau = { name: 'data-bureau', quota: { cpu: '4', memory: '8Gi' }, alertReceivers: [{ name: 'x', webhook: { url: 'https://x.example/hook' } }] };
    expect(problemsOf(build({ ...bp, departments: [...bp.departments, bureau] })).join('\n')).toMatch(
      /departments\.data-bureau\.alertReceivers: the data bureau's alerts, its applications' included, go to observability\.dataBureauReceivers/,
    );
  });

  it('fails a metrics port the service does not expose', () => {
    const bp = observed();
    expect(problemsOf(build(bp, { services: [{ name: service(bp), metrics: { port: 'nope' } }] })).join('\n')).toMatch(
      /metrics\.port: "nope" is not one of the service's ports/,
    );
  });

  it('fails a department with SLO alerts but no receiver', () => {
    const bp = observed();
    const dept = bp.services[0].department;
    expect(
      problemsOf(
        build(bp, { services: [{ name: service(bp), metrics: { port: bp.services[0].ports[0].name }, slos: [{ name: 'availability', objective: 99.9 }] }] }),
      ).join('\n'),
    ).toMatch(new RegExp(`departments\\.${dept}\\.alertReceivers: the department owns SLO alerts`));
  });

  it('fails an SLO outside the mesh without the service metrics it needs', () => {
    const bp = observed();
    expect(problemsOf(build(bp, { services: [{ name: service(bp), slos: [{ name: 'availability', objective: 99.9 }] }] })).join('\n')).toMatch(
      /slos\.availability: the service runs outside the mesh/,
    );
  });

  it('fails a hub on a cluster that does not exist', () => {
    const bp = observed();
    expect(problemsOf(build({ ...bp, observability: { ...bp.observability!, hub: { ...bp.observability!.hub, cluster: 'nowhere' } } })).join('\n')).toMatch(
      /regions\.city\.observability\.hub\.cluster: .*nowhere/,
    );
  });

  it('fails a remote-write target that is not https, and object storage named twice or not at all', () => {
    const bp = observed();
    const hub = bp.observability!.hub;
    const withHub = (changed: object) =>
      problemsOf(() => new Fleet({ blueprint: { ...bp, observability: { ...bp.observability!, hub: { ...hub, ...changed } } }, outdir: tempDir() })).join('\n');
    expect(withHub({ remoteWriteUrl: 'http://metrics.example' })).toMatch(/hub\.remoteWriteUrl: .*https:\/\/ URL/);
    expect(withHub({ objectStorage: {} })).toMatch(/hub\.objectStorage: set exactly one of middleware/);
  });

  it('fails metrics and SLOs without observability', () => {
    const bp = minimalBlueprint();
    expect(problemsOf(build(bp, { services: [{ name: service(bp), metrics: { port: bp.services[0].ports[0].name } }] })).join('\n')).toMatch(
      /metrics: nothing scrapes it: the blueprint has no observability/,
    );
  });

  it('fails a receiver with a token in its URL, or with neither webhook nor e-mail', () => {
    const bp = observed();
    const problems = problemsOf(
      () =>
        new Fleet({
          blueprint: {
            ...bp,
            observability: { ...bp.observability!, dataBureauReceivers: [{ name: 'a', webhook: { url: 'https://x.example/hook?token=abc' } }, { name: 'b' }] },
          },
          outdir: tempDir(),
        }),
    ).join('\n');
    expect(problems).toMatch(/dataBureauReceivers\.a\.webhook\.url: the URL carries a credential/);
    expect(problems).toMatch(/dataBureauReceivers\.b: set exactly one of webhook or email/);
  });
  it('fails a hub on a public cluster while scraped services hold personal data', () => {
    const bp = observed();
    const burst = {
      ...bp.clusters[0],
      name: 'burst',
      role: 'public' as const,
      cloud: 'public-cloud',
      network: { podCidr: '10.2.0.0/16', serviceCidr: '10.3.0.0/16' },
    };
    const problems = problemsOf(
      build(
        { ...bp, clusters: [...bp.clusters, burst], observability: { ...bp.observability!, hub: { ...bp.observability!.hub, cluster: 'burst' } } },
        { services: [{ name: service(bp), metrics: { port: 'http' } }] },
      ),
    ).join('\n');
    expect(problems).toMatch(
      /observability\.hub\.cluster: "burst" is a public-cloud cluster, but the metrics it would store carry the labels of services holding personal data \(enrolment\)/,
    );
  });

  it('fails a department whose Grafana on the hub would have a Helm release name over 53 characters', () => {
    const blueprint = observed();
    const long = 'a'.repeat(46);
    blueprint.departments = [...blueprint.departments, { name: long, quota: { cpu: '1', memory: '1Gi' } }];
    expect(problemsOf(build(blueprint))).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^regions\\.city\\.departments\\.${long}\\.name: .*"grafana-${long}" \\(54 characters\\), and Helm allows 53; shorten the name to 45 characters or fewer$`,
        ),
      ),
    );
  });

  it('fails a shelf bucket for the hub that is not object storage', () => {
    const bp: BlueprintSpec = { ...observed(), middleware: [{ name: 'cache', engine: 'redis', version: '8.2.1' }] };
    const hub = { ...bp.observability!.hub, objectStorage: { middleware: 'cache' } };
    expect(problemsOf(build({ ...bp, observability: { ...bp.observability!, hub } })).join('\n')).toMatch(
      /hub\.objectStorage\.middleware: instance "cache" is redis; Thanos stores blocks in S3-compatible object storage/,
    );
  });

  it("fails a latency threshold of a meshed service that is not one of Istio's buckets", () => {
    const bp: BlueprintSpec = { ...observed(), mesh: { version: '1.30.3' } };
    expect(
      problemsOf(build(bp, { services: [{ name: service(bp), slos: [{ name: 'latency', objective: 99, latency: { threshold: '300ms' } }] }] })).join('\n'),
    ).toMatch(/slos\.latency\.latency\.threshold: .*300/);
  });
});
