import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { ROLLOUT_MAX_SURGE_PERCENT } from '../../constructs/tenancy/tier-quota-plan';
import { minimalBlueprint, problemsOf, synthesize, publicBurstCluster } from '../support/fleet-fixtures';

/** The minimal blueprint changed in place by `change`. */
function blueprintWith(change: (b: any) => void): BlueprintSpec {
  const b: any = minimalBlueprint();
  change(b);
  return b;
}

/** enrolment is citizen-critical, 250m and 256Mi a pod. */
const critical = (b: any) => (b.services[0].priority = 'citizen-critical');

const tierQuotas = (blueprint: BlueprintSpec, stack = 'changsha-gov') => {
  const out = synthesize(blueprint, { changsha: {} });
  return { out, quotas: out.resources(stack, 'kubernetes_resource_quota_v1') };
};

const scopedTo = (className: string) => ({ match_expression: [{ scope_name: 'PriorityClass', operator: 'In', values: [className] }] });

describe('quotas scoped by priority tier', () => {
  it("caps the department's citizen-critical pods at a rollout of its services at their ceiling: 2 replicas plus 1 surge pod", () => {
    const { quotas } = tierQuotas(blueprintWith(critical));
    const quota = quotas['changsha-gov/education/quota-citizen-critical'];
    expect(quota.metadata.name).toBe('department-quota-citizen-critical');
    expect(quota.spec.scope_selector).toEqual(scopedTo('govcloud-citizen-critical'));
    expect(quota.spec.hard).toEqual({ 'requests.cpu': '750m', 'requests.memory': '768Mi', pods: '3' });
    // The department quota keeps its id and stays unscoped.
    expect(quotas['changsha-gov/education/quota'].spec.scope_selector).toBeUndefined();
  });

  it('counts every track at its ceiling, canaries and sidecars included, and each Deployment rounds its surge up', () => {
    const { quotas } = tierQuotas(
      blueprintWith((b) => {
        critical(b);
        b.mesh = { version: '1.30.3' };
        b.services[0].autoscaling = { minReplicas: 2, maxReplicas: 10 };
        b.services[0].traffic = { canary: { weights: { '1.0.0': 90, '1.1.0': 10 } } };
      }),
    );
    // 10 stable + 1 canary at the ceiling, surge ceil(2.5) + ceil(0.25) = 4: 15 pods of 250m + 100m
    // and 256Mi + 128Mi (the Istio sidecar).
    expect(quotas['changsha-gov/education/quota-citizen-critical'].spec.hard).toEqual({ 'requests.cpu': '5250m', 'requests.memory': '5760Mi', pods: '15' });
  });

  it('gives a department without citizen-critical services 0 pods of that tier, so none can claim it unplanned', () => {
    const { quotas } = tierQuotas(minimalBlueprint());
    expect(quotas['changsha-gov/education/quota-citizen-critical'].spec.hard).toEqual({ 'requests.cpu': '0', 'requests.memory': '0', pods: '0' });
    // Other tiers have no quota of their own unless the spec sets one.
    expect(Object.keys(quotas).sort()).toEqual(['changsha-gov/education/quota', 'changsha-gov/education/quota-citizen-critical']);
  });

  it("counts a copy on a public cluster as a burst copy: the public side's citizen-critical quota is 0 pods", () => {
    const blueprint = blueprintWith((b) => {
      critical(b);
      b.clusters.push(publicBurstCluster());
      b.departments[0].quota = { cpu: '16', memory: '32Gi' };
      Object.assign(b.services[0], { dataClassification: 'internal', autoscaling: { minReplicas: 2, maxReplicas: 10 } });
      b.burst = [{ name: 'enrolment-day', from: 'gov', to: 'burst', surgeFactor: 10, services: [{ name: 'enrolment', baselineRps: 100, rpsPerReplica: 50 }] }];
    });
    const { out, quotas } = tierQuotas(blueprint, 'changsha-burst');
    expect(quotas['changsha-burst/education/quota-citizen-critical'].spec.hard).toEqual({ 'requests.cpu': '0', 'requests.memory': '0', pods: '0' });
    // The gov side holds 10 replicas plus 3 surge pods.
    expect(out.resources('changsha-gov', 'kubernetes_resource_quota_v1')['changsha-gov/education/quota-citizen-critical'].spec.hard.pods).toBe('13');
    const report = out.read('reports/changsha.md');
    expect(report).toContain('| burst | education | burst-copy | 1-14 | 0.25 | 3.5 | 0.3Gi | 3.5Gi | department quota only |');
  });

  it("takes the department's own tier quotas, and adds one for any other tier it names", () => {
    const { quotas } = tierQuotas(
      blueprintWith((b) => {
        critical(b);
        b.departments[0].quota.tiers = { 'citizen-critical': { cpu: '4', memory: '8Gi', pods: 20 }, batch: { cpu: '2', memory: '4Gi', pods: 10 } };
      }),
    );
    expect(quotas['changsha-gov/education/quota-citizen-critical'].spec.hard).toEqual({ 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '20' });
    const batch = quotas['changsha-gov/education/quota-batch'];
    expect(batch.metadata.name).toBe('department-quota-batch');
    expect(batch.spec.scope_selector).toEqual(scopedTo('govcloud-batch'));
    expect(batch.spec.hard).toEqual({ 'requests.cpu': '2', 'requests.memory': '4Gi', pods: '10' });
  });

  it('refuses a tier quota its services do not fit at their ceiling, naming the spec path, what they need and the fix', () => {
    const problems = problemsOf(() =>
      synthesize(
        blueprintWith((b) => {
          critical(b);
          // Floor 2 pods (500m, 512Mi), ceiling 4 (1 CPU, 1Gi): the floor fits, the ceiling does not.
          b.services[0].autoscaling = { minReplicas: 2, maxReplicas: 4 };
          b.departments[0].quota.tiers = { 'citizen-critical': { cpu: '600m', memory: '512Mi', pods: 3 } };
        }),
        { changsha: {} },
      ),
    );
    expect(problems).toEqual([
      'blueprint.departments.education.quota.tiers.citizen-critical.cpu: "600m" is less than the 1 CPU requested by its citizen-critical services on cluster "gov" (enrolment) at their ceiling; raise it, or lower their autoscaling.maxReplicas (or replicas)',
      'blueprint.departments.education.quota.tiers.citizen-critical.memory: "512Mi" is less than the 1Gi of memory requested by its citizen-critical services on cluster "gov" (enrolment) at their ceiling; raise it, or lower their autoscaling.maxReplicas (or replicas)',
      'blueprint.departments.education.quota.tiers.citizen-critical.pods: 3 is less than the 4 pods of its citizen-critical services on cluster "gov" (enrolment) at their ceiling; raise it, or lower their autoscaling.maxReplicas (or replicas)',
    ]);
  });

  it("names the region's spec path when a region's override is what does not fit", () => {
    const overrides = { departments: [{ name: 'education', quota: { tiers: { 'citizen-critical': { cpu: '1', memory: '1Gi', pods: 1 } } } }] };
    expect(problemsOf(() => synthesize(blueprintWith(critical), { changsha: { overrides } }))).toEqual([
      'regions.changsha.departments.education.quota.tiers.citizen-critical.pods: 1 cannot admit the 2 pods of its citizen-critical services on cluster "gov" (enrolment) at their floor; raise it (at their ceiling they need 2 pods), or lower their autoscaling.minReplicas (or replicas)',
    ]);
  });

  it('accepts a tier quota that holds the ceiling exactly', () => {
    expect(() =>
      synthesize(
        blueprintWith((b) => {
          critical(b);
          b.departments[0].quota.tiers = { 'citizen-critical': { cpu: '500m', memory: '512Mi', pods: 2 } };
        }),
        { changsha: {} },
      ),
    ).not.toThrow();
  });

  it('refuses an unknown tier, as a quota key and as a default', () => {
    expect(
      problemsOf(() =>
        synthesize(
          blueprintWith((b) => (b.departments[0].quota.tiers = { critical: { cpu: '1', memory: '1Gi', pods: 1 } })),
          { changsha: {} },
        ),
      ),
    ).toEqual(['blueprint.departments.education.quota.tiers.critical: unknown key. Allowed keys: citizen-critical, standard, burst-copy, batch']);
    expect(
      problemsOf(() =>
        synthesize(
          blueprintWith((b) => (b.departments[0].defaultPriority = 'vip')),
          { changsha: {} },
        ),
      ),
    ).toEqual([
      expect.stringMatching(/^blueprint\.departments\.education\.defaultPriority: must be one of "citizen-critical", "standard", "burst-copy", "batch"/),
    ]);
  });

  it("plans the surge the services' Deployments roll out with", () => {
    const out = synthesize(minimalBlueprint(), { changsha: {} });
    expect(out.find('changsha', 'gov', 'Deployment', 'enrolment').spec.strategy.rollingUpdate.maxSurge).toBe(`${ROLLOUT_MAX_SURGE_PERCENT}%`);
  });

  it("shows each tier's requests at floor and ceiling per cluster and department in the report, next to its quota", () => {
    const blueprint = blueprintWith((b) => {
      critical(b);
      b.services.push({ ...b.services[0], name: 'reports', priority: 'batch', replicas: 1, resources: { requests: { cpu: '1', memory: '1Gi' } } });
    });
    const report = synthesize(blueprint, { changsha: {} }).read('reports/changsha.md');
    const quotaFit = report.slice(report.indexOf('## Quota fit'), report.indexOf('## Middleware shelf'));
    // The department's table: 2 x (250m, 256Mi) + 1 x (1, 1Gi) at rest and at the ceiling.
    expect(quotaFit).toContain('| gov | education | 1.5 | 1.5 | 8 | 1.5Gi | 1.5Gi | 16Gi | 3 | 3 | 200 | fits |');
    expect(quotaFit).toContain(
      '| gov | education | citizen-critical | 2-2 | 0.5 | 0.5 | 0.5Gi | 0.5Gi | requests.cpu 750m, requests.memory 768Mi, pods 3 (planned: a rollout at the ceiling) |',
    );
    expect(quotaFit).toContain('| gov | education | batch | 1-1 | 1 | 1 | 1Gi | 1Gi | department quota only |');
  });
});
