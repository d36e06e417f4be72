import type { BlueprintSpec } from '../../constructs/blueprint-spec';
import type { ServiceSpec } from '../../constructs/workload/service-spec';
import { serviceLoad } from '../../constructs/tenancy/tier-quota-plan';
import { dashboardInput } from '../../constructs/observability/dashboard-inputs-plan';
import { allDashboards } from '../../constructs/observability/dashboards-plan';
import { minimalBlueprint, problemsOf, publicBurstCluster, synthesize, enrolmentBurstLink, observabilityWithHubIn } from '../support/fleet-fixtures';

const OBSERVABILITY = observabilityWithHubIn('city');

const PROGRESSIVE = { steps: [{ weight: 20, pause: '5m' }], analysis: { successRate: 99.5 } };

/** The minimal blueprint, meshed and observed, its service delivered progressively; `change` edits the service. */
function progressiveBlueprint(change: Partial<ServiceSpec> = {}, blueprint: Partial<BlueprintSpec> = {}): BlueprintSpec {
  const bp = minimalBlueprint();
  return {
    ...bp,
    mesh: { version: '1.30.3' },
    observability: OBSERVABILITY,
    departments: bp.departments.map((d) => ({ ...d, alertReceivers: [{ name: 'edu', webhook: { url: 'https://edu.example/hook' } }] })),
    services: [{ ...bp.services[0], autoscaling: { minReplicas: 2, maxReplicas: 8 }, traffic: { canary: { progressive: PROGRESSIVE } }, ...change }],
    ...blueprint,
  };
}

const problems = (blueprint: BlueprintSpec) => problemsOf(() => synthesize(blueprint, { city: {} })).join('\n');
const AT = 'services.enrolment.traffic.canary';

describe('progressive delivery', () => {
  it('makes the workload a Rollout, and installs Argo Rollouts, only for a progressive service', () => {
    const out = synthesize(progressiveBlueprint(), { city: {} });
    expect(out.find('city', 'gov', 'Rollout', 'enrolment').spec.strategy.canary.steps).toEqual([{ setWeight: 20 }, { pause: { duration: '5m' } }]);
    expect(out.find('city', 'gov', 'AnalysisTemplate', 'enrolment').spec.metrics.map((m: any) => m.successCondition)).toEqual([
      'len(result) > 0 && result[0] >= 0.995',
    ]);
    const releases = out.resources('city-gov', 'helm_release');
    expect(releases['city-gov/argo-rollouts/release']).toBeDefined();
    // Its ServiceMonitor needs the CRD the monitoring release installs.
    expect(releases['city-gov/argo-rollouts/release'].depends_on).toEqual([`helm_release.${releases['city-gov/monitoring/release']['//'].metadata.uniqueId}`]);

    const plain = synthesize({ ...progressiveBlueprint({ traffic: { timeout: '5s' } }) }, { city: {} });
    expect(plain.manifests('city', 'gov').map((o) => o.kind)).not.toContain('Rollout');
    expect(plain.find('city', 'gov', 'Deployment', 'enrolment')).toBeDefined();
    expect(plain.resources('city-gov', 'helm_release')['city-gov/argo-rollouts/release']).toBeUndefined();
  });

  it("judges the new version by the service's SLOs when the analysis names no threshold", () => {
    const out = synthesize(
      progressiveBlueprint({
        metrics: { port: 'http' },
        slos: [
          { name: 'available', objective: 99.9 },
          { name: 'fast', objective: 95, latency: { threshold: '250ms' } },
        ],
        traffic: { canary: { progressive: { steps: [{ weight: 10, pause: '2m' }], analysis: { interval: '2m', failureLimit: 0 } } } },
      }),
      { city: {} },
    );
    const metrics = out.find('city', 'gov', 'AnalysisTemplate', 'enrolment').spec.metrics;
    expect(metrics.map((m: any) => [m.name, m.interval, m.initialDelay, m.failureLimit, m.successCondition])).toEqual([
      ['success-rate', '2m', '2m', 0, 'len(result) > 0 && result[0] >= 0.999'],
      ['latency', '2m', '2m', 0, 'len(result) > 0 && result[0] <= 250'],
    ]);
    expect(metrics[1].provider.prometheus.query).toContain('histogram_quantile(0.95, ');
    expect(metrics[0].provider.prometheus.query).toContain('[2m]');
  });

  it('scales a progressive service with KEDA through its Rollout, and runs its burst copy as a Rollout too', () => {
    const bp = progressiveBlueprint({ dataClassification: 'internal' });
    const out = synthesize(
      {
        ...bp,
        clusters: [...bp.clusters, publicBurstCluster()],
        departments: bp.departments.map((d) => ({ ...d, quota: { cpu: '16', memory: '32Gi' } })),
        burst: [enrolmentBurstLink({ events: [{ name: 'open', start: '0 8 1 9 *', end: '0 20 1 9 *' }] })],
      },
      { city: {} },
    );
    for (const cluster of ['gov', 'burst']) {
      expect(out.find('city', cluster, 'ScaledObject', 'enrolment').spec.scaleTargetRef).toEqual({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'enrolment',
      });
      expect(out.resources(`city-${cluster}`, 'helm_release')[`city-${cluster}/argo-rollouts/release`]).toBeDefined();
    }
  });

  it('plans a full second set of pods for the rollout of a progressive service (the tier quota holds it)', () => {
    const bp = progressiveBlueprint();
    const service = bp.services[0];
    expect(serviceLoad(bp, service, 'gov').rollout.pods).toBe(16);
    expect(serviceLoad(bp, { ...service, traffic: undefined }, 'gov').rollout.pods).toBe(10);
  });

  it("counts a Rollout's ready pods on the dashboards, by its ReplicaSets", () => {
    const bp = progressiveBlueprint();
    const exprs: string[] = [];
    JSON.stringify(allDashboards(dashboardInput(bp, 'city')), (key, value) => {
      if (key === 'expr') exprs.push(value);
      return value;
    });
    const replicas = exprs.filter((e) => e.includes('kube_replicaset_status_ready_replicas{'));
    expect(replicas.length).toBeGreaterThan(0);
    for (const expr of replicas) expect(expr).toContain('namespace="education", replicaset=~"enrolment-[a-z0-9]+"');
    expect(exprs.filter((e) => e.includes('deployment="enrolment"'))).toEqual([]);
  });
});

describe('progressive delivery: bad input', () => {
  it('fails static weights beside progressive steps, and a canary with neither', () => {
    expect(problems(progressiveBlueprint({ traffic: { canary: { weights: { '1.0.0': 90, '1.1.0': 10 }, progressive: PROGRESSIVE } } }))).toMatch(
      `${AT}.weights: a canary is static (weights) or progressive, not both`,
    );
    expect(problems(progressiveBlueprint({ traffic: { canary: {} } }))).toMatch(`${AT}: give weights (static: e.g.`);
  });

  it("fails a static canary's testers, replicas and digests on a progressive one", () => {
    const text = problems(
      progressiveBlueprint({
        traffic: {
          canary: {
            progressive: PROGRESSIVE,
            testers: { header: 'x-canary', value: 'always', version: '1.0.0' },
            replicas: 2,
            digests: { '1.0.0': `sha256:${'a'.repeat(64)}` },
          },
        },
      }),
    );
    expect(text).toMatch(`${AT}.testers: a progressive canary has no tester route yet`);
    expect(text).toMatch(`${AT}.replicas: a progressive canary's pods follow each step's weight`);
    expect(text).toMatch(`${AT}.digests: a progressive canary runs only the service's own version`);
  });

  it('fails steps out of order, weights outside 1-99, no steps, and an analysis interval under a minute', () => {
    const steps = (s: unknown, analysis?: object) =>
      problems(progressiveBlueprint({ traffic: { canary: { progressive: { steps: s as never, analysis: { successRate: 99, ...analysis } } } } }));
    expect(
      steps([
        { weight: 50, pause: '5m' },
        { weight: 50, pause: '5m' },
      ]),
    ).toMatch(`${AT}.progressive.steps[1].weight: 50 is not above the step before's 50`);
    expect(steps([{ weight: 100, pause: '5m' }])).toMatch(`${AT}.progressive.steps[0].weight: must be an integer from 1 to 99, got 100`);
    expect(steps([])).toMatch(`${AT}.progressive.steps: name at least one step`);
    expect(steps([{ weight: 10, pause: '5m' }], { interval: '30s' })).toMatch(`${AT}.progressive.analysis.interval: "30s" is shorter than "1m"`);
    expect(steps([{ weight: 10, pause: 'soon' }])).toMatch(`${AT}.progressive.steps[0].pause: must be a duration`);
  });

  it('fails a progressive canary with nothing to judge the new version by', () => {
    expect(problems(progressiveBlueprint({ traffic: { canary: { progressive: { steps: [{ weight: 10, pause: '5m' }] } } } }))).toMatch(
      `${AT}.progressive.analysis: nothing to judge the new version by: the service has no SLO and the analysis no threshold`,
    );
  });

  it('fails progressive delivery without observability, off the mesh, in Karmada mode, and on a stateful service', () => {
    expect(problems(progressiveBlueprint({}, { observability: undefined }))).toMatch(
      `${AT}.progressive: its analysis reads the mesh metrics from each cluster's Prometheus, and the blueprint has no observability`,
    );
    expect(problems(progressiveBlueprint({}, { mesh: undefined }))).toMatch('services.enrolment.traffic: needs the service mesh');
    const burst = progressiveBlueprint({}, { mesh: { version: '1.30.3', clusters: ['gov'] } });
    const onBurst: BlueprintSpec = {
      ...burst,
      clusters: [...burst.clusters, publicBurstCluster()],
      services: [{ ...burst.services[0], clusters: ['gov', 'burst'], dataClassification: 'public' }],
    };
    expect(problems(onBurst)).toMatch(`${AT}.progressive: the service runs on burst, outside the mesh (gov), where nothing could split its traffic`);
    expect(problemsOf(() => synthesize(progressiveBlueprint(), { city: { overrides: { karmada: {} } } })).join('\n')).toMatch(
      `${AT}.progressive: progressive delivery is not supported in Karmada mode yet`,
    );
    expect(problems(progressiveBlueprint({ stateful: true, autoscaling: undefined, replicas: 1 }))).toMatch(
      `${AT}.progressive: a stateful service's canary would start with empty volumes of its own`,
    );
  });
});
