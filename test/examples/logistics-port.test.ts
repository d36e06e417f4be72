import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { logisticsPortFleet } from '../../examples/logistics-port/logistics-port';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { SynthOutput, tempDir } from '../support/fleet-fixtures';

const ROOT = path.resolve(__dirname, '../..');
const SHARED_CRDS = path.resolve(ROOT, '../shared/crds');

describe('example: the Changsha logistics port (white paper 5.2)', () => {
  const dir = path.join(tempDir(), 'out');
  logisticsPortFleet(dir).synth();
  const out = new SynthOutput(dir);
  const get = (kind: string, name: string, cluster = 'gov') => out.find('changsha', cluster, kind, name);

  it('validates every manifest, Istio objects included, against the Kubernetes and CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(dir, 'manifests')))).toBe('');
  });

  it('runs customs-declaration 2.5.0 as a 10% canary that testers reach by header', () => {
    const weighted = get('VirtualService', 'customs-declaration').spec.http;
    expect(weighted.map((r: any) => r.name)).toEqual(['testers', 'weighted']);
    expect(weighted[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([
      ['v2-4-0', 90],
      ['v2-5-0', 10],
    ]);
    expect(get('Deployment', 'customs-declaration-v2-5-0').spec.template.spec.containers[0].image).toBe(
      'registry.gov.hunan.example/port-logistics/customs-declaration:2.5.0',
    );
  });

  it('protects the public freight-tracking API for Double-11: rate limit, circuit breaker, HPA and failover to the public cloud', () => {
    expect(get('Gateway', 'freight-tracking').spec.servers[0].hosts).toEqual(['track.port.changsha.gov.hunan.example']);
    expect(get('EnvoyFilter', 'freight-tracking-rate-limit').spec.configPatches[0].patch.value.typed_config.token_bucket).toEqual({
      max_tokens: 400,
      tokens_per_fill: 200,
      fill_interval: '1s',
    });
    expect(get('DestinationRule', 'freight-tracking').spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(3);
    expect(get('HorizontalPodAutoscaler', 'freight-tracking').spec).toMatchObject({ minReplicas: 4, maxReplicas: 80 });
    // The same service on the public-cloud cluster, in one mesh across two networks.
    expect(get('Deployment', 'freight-tracking', 'burst').metadata.namespace).toBe('port-logistics');
    expect(out.resources('changsha-gov', 'helm_release')['changsha-gov/mesh/east-west-gateway']).toBeDefined();
  });

  it('makes the cross-department call from the citizen app explicit', () => {
    const policy = get('AuthorizationPolicy', 'freight-tracking').spec.rules[0].from[0].source.principals;
    expect(policy).toContain('cluster.local/ns/data-bureau/sa/citizen-app');
    const egress = out.resources('changsha-gov', 'kubernetes_network_policy_v1')['changsha-gov/data-bureau/network-policy-traffic-citizen-app'].spec.egress;
    expect(egress.flatMap((rule: any) => rule.to.map((peer: any) => peer.pod_selector.match_labels['app.kubernetes.io/name']))).toContain('freight-tracking');
  });

  it('reports the mesh, the canary and the rate limit at the replica ceiling', () => {
    const report = out.read('reports/changsha.md');
    expect(report).toContain('| customs-declaration | single-window, ecommerce-parcels |  | 2.4.0 90%, 2.5.0 10%; `x-canary: always` -> 2.5.0 |');
    expect(report).toContain('200 per 1s per pod (burst 400); ~16000/s at 80 pods');
    expect(report).not.toContain('ceiling exceeds quota');
  });
});

describe('npm run example (dist/examples/run.js)', () => {
  const RUN = path.join(ROOT, 'dist', 'examples', 'run.js');

  it('writes the example to out/examples/<name>/ in the layout of out/', () => {
    const cwd = tempDir();
    const stdout = execFileSync('node', [RUN, 'logistics-port'], { cwd, encoding: 'utf8' });
    expect(stdout).toMatch(/^example logistics-port: 2 stacks, \d+ manifest files and 2 reports in out\/examples\/logistics-port\/\n$/);
    for (const file of ['terraform/manifest.json', 'manifests/changsha/gov/kustomization.yaml', 'manifests/changsha/gov/mesh.yaml', 'reports/changsha.md']) {
      expect(fs.existsSync(path.join(cwd, 'out', 'examples', 'logistics-port', file))).toBe(true);
    }
  });

  it('names the examples when given an unknown one', () => {
    const run = spawnSync('node', [RUN, 'harbour'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no example "harbour"');
    expect(run.stderr).toContain('one of: continuity, cross-cloud-view, health-code, logistics-port, red-packet-surge, school-enrolment');
  });
});

describe('the README mesh section', () => {
  it('shows the YAML the example really synthesizes for its canary, circuit breaker and rate limit', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = readme.split('## The service mesh')[1].split('```yaml\n')[1].split('```')[0];
    const shown = parseAllDocuments(block).map((d) => d.toJS());
    const dir = path.join(tempDir(), 'out');
    logisticsPortFleet(dir).synth();
    const out = new SynthOutput(dir);
    expect(shown.map((o: any) => o.kind)).toEqual(['DestinationRule', 'VirtualService', 'EnvoyFilter']);
    for (const object of shown) {
      const real = out.find('changsha', 'gov', object.kind, object.metadata.name);
      // The README leaves out the labels only.
      expect(object.spec).toEqual(real.spec);
      expect({ apiVersion: object.apiVersion, namespace: object.metadata.namespace }).toEqual({
        apiVersion: real.apiVersion,
        namespace: real.metadata.namespace,
      });
    }
  });
});
