import * as path from 'path';
import { Fleet } from '../../constructs/core/fleet';
import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { planBurst } from '../../constructs/burst/burst-plan';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { minimalBlueprint, problemsOf, synthesize, tempDir, publicBurstCluster } from '../support/fleet-fixtures';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');

/**
 * enrolment (250m, 256Mi; HPA 2-10 on gov) bursts from gov (3 x 8 CPU) to a public cluster
 * (2 x 8 CPU) for a 10x surge: 100 req/s x 10 x 1.2 headroom / 50 per replica = 24 replicas at
 * peak, 10 on gov and 14 on the public side.
 */
function burstBlueprint(change: (b: any) => void = () => undefined): BlueprintSpec {
  const b: any = minimalBlueprint();
  b.clusters.push(publicBurstCluster());
  b.departments[0].quota = { cpu: '16', memory: '32Gi' };
  Object.assign(b.services[0], { dataClassification: 'internal', autoscaling: { minReplicas: 2, maxReplicas: 10 } });
  b.burst = [{ name: 'enrolment-day', from: 'gov', to: 'burst', surgeFactor: 10, services: [{ name: 'enrolment', baselineRps: 100, rpsPerReplica: 50 }] }];
  change(b);
  return b;
}

const regionProblems = (blueprint: BlueprintSpec, overrides?: any) =>
  problemsOf(() => new Fleet({ blueprint, outdir: tempDir() }).addRegions({ r: { overrides } }));
const plan = (blueprint: BlueprintSpec) => {
  const fleet = new Fleet({ blueprint, outdir: tempDir() });
  const [region] = fleet.addRegions({ r: {} });
  return planBurst(region.spec, region.spec.burst![0]);
};

describe('the capacity plan of a burst link', () => {
  it('splits the peak between the government side (up to its ceiling) and the public side', () => {
    const p = plan(burstBlueprint());
    expect(p.services[0]).toMatchObject({
      peakRps: 1000,
      peakReplicas: 24,
      baselineReplicas: 3,
      govMaxReplicas: 10,
      govPeakReplicas: 10,
      publicPeakReplicas: 14,
      publicMaxReplicas: 14,
      missingReplicas: 0,
    });
    expect(p.from).toMatchObject({ burst: { cpu: 2.5, memory: 10 * 256 * 2 ** 20 } });
    expect(p.to).toMatchObject({ burst: { cpu: 3.5, memory: 14 * 256 * 2 ** 20 }, allocatable: { cpu: 16, memory: 64 * 2 ** 30 } });
    expect(p.problems).toEqual([]);
  });

  it('keeps the declared headroom: 50% more needs 30 replicas', () => {
    expect(plan(burstBlueprint((b) => (b.burst[0].headroomPercent = 50))).services[0].peakReplicas).toBe(30);
  });

  it('fails a region whose plan falls short, by how much and with what to raise', () => {
    const problems = regionProblems(burstBlueprint(), { burst: [{ name: 'enrolment-day', services: [{ name: 'enrolment', publicMaxReplicas: 10 }] }] });
    expect(problems).toEqual([
      'regions.r.burst.enrolment-day.services.enrolment: cannot absorb the 10x surge: the peak of 1000 requests/s with 20% headroom needs 24 replicas at 50 requests/s each, but "gov" scales to 10 and "burst" to 10: short by 4 replicas (200 requests/s); raise burst.enrolment-day.services.enrolment.publicMaxReplicas to 14, or raise services.enrolment.autoscaling.maxReplicas to 14',
    ]);
  });

  it('fails a public cluster too small for the peak, naming the nodes to add', () => {
    const problems = regionProblems(burstBlueprint((b) => (b.clusters[1].capacity = { nodes: 1, nodeCpu: '2', nodeMemory: '8Gi' })));
    expect(problems).toEqual([
      'blueprint.burst.enrolment-day.to: cluster "burst" cannot hold the peak of burst link "enrolment-day": it needs 3.5 CPU and 3.5Gi of requests, its 1 nodes offer 2 CPU and 8Gi: short by 1.5 CPU; raise clusters.burst.capacity.nodes to 2, or shift replicas to the other side of the link',
    ]);
  });

  it('fails a department quota the peak would exceed', () => {
    const problems = regionProblems(burstBlueprint((b) => (b.departments[0].quota = { cpu: '3', memory: '32Gi' })));
    expect(problems).toEqual([
      expect.stringContaining(
        'blueprint.departments.education.quota: at the peak of burst link "enrolment-day" the department requests 3.5 CPU and 3.5Gi on cluster "burst", more than its quota (3 CPU, 32Gi)',
      ),
    ]);
    expect(problems[0]).toContain('raise quota cpu to "4"');
  });

  it('fails a government ceiling that cannot carry even the baseline', () => {
    const problems = regionProblems(burstBlueprint((b) => (b.services[0].autoscaling = { minReplicas: 1, maxReplicas: 2 })));
    expect(problems).toContainEqual(
      expect.stringContaining('blueprint.services.enrolment.autoscaling.maxReplicas: 2 replicas on cluster "gov" cannot carry even the baseline'),
    );
  });
});

describe('scaling on both sides of a burst link', () => {
  it('without events: an HPA on each side, aggressive up and slow down; the public side from a floor of 1 and its own registry', () => {
    const out = synthesize(burstBlueprint(), { r: {} });
    const gov = out.find('r', 'gov', 'HorizontalPodAutoscaler', 'enrolment').spec;
    const pub = out.find('r', 'burst', 'HorizontalPodAutoscaler', 'enrolment').spec;
    expect([gov.minReplicas, gov.maxReplicas, pub.minReplicas, pub.maxReplicas]).toEqual([2, 10, 1, 14]);
    expect(gov.behavior.scaleUp).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 900, periodSeconds: 15 }],
    });
    expect(pub.behavior.scaleDown.stabilizationWindowSeconds).toBe(1800);
    expect(out.find('r', 'burst', 'Deployment', 'enrolment').spec.template.spec.containers[0].image).toBe('registry.public.example/mirror/edu/enrolment:1.0.0');
    expect(out.find('r', 'gov', 'Deployment', 'enrolment').spec.template.spec.containers[0].image).toBe('registry.test.example/edu/enrolment:1.0.0');
    expect(out.manifests('r', 'burst').some((o) => o.kind === 'ScaledObject')).toBe(false);
  });

  it("keeps a service's own scale-up policy over the link default", () => {
    const out = synthesize(
      burstBlueprint((b) => (b.services[0].autoscaling.scaleUp = { pods: 3, periodSeconds: 30 })),
      { r: {} },
    );
    expect(out.find('r', 'gov', 'HorizontalPodAutoscaler', 'enrolment').spec.behavior.scaleUp.policies).toEqual([
      { type: 'Pods', value: 3, periodSeconds: 30 },
    ]);
  });

  describe('with a scheduled event', () => {
    const blueprint = burstBlueprint((b) => (b.burst[0].events = [{ name: 'enrolment-opens', start: '0 8 1 9 *', end: '0 20 1 9 *' }]));
    const out = synthesize(blueprint, { r: {} });

    it('pre-scales each side to its planned peak with a KEDA cron trigger in Asia/Shanghai, and never emits an HPA beside it', () => {
      for (const [cluster, min, max, desired] of [
        ['gov', 2, 10, '10'],
        ['burst', 0, 14, '14'],
      ] as const) {
        const objects = out.manifests('r', cluster);
        expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
        const scaled = out.find('r', cluster, 'ScaledObject', 'enrolment').spec;
        expect([scaled.minReplicaCount, scaled.maxReplicaCount]).toEqual([min, max]);
        expect(scaled.triggers[0]).toEqual({
          type: 'cron',
          name: 'event-enrolment-opens',
          metadata: { timezone: 'Asia/Shanghai', start: '0 8 1 9 *', end: '0 20 1 9 *', desiredReplicas: desired },
        });
        expect(scaled.triggers[1]).toEqual({ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } });
        expect(scaled.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0]).toEqual({ type: 'Percent', value: 900, periodSeconds: 15 });
        // KEDA owns the count: the Deployment carries no replicas.
        expect(out.find('r', cluster, 'Deployment', 'enrolment').spec.replicas).toBeUndefined();
      }
    });

    it('writes KEDA objects that validate against the KEDA CRD', () => {
      const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
      expect(formatManifestProblems(validator.validateDirectory(path.join(out.dir, 'manifests')))).toBe('');
    });

    it('reports the plan: both sides at baseline and peak, cluster use, triggers and the traffic split', () => {
      const report = out.read('reports/r.md');
      expect(report).toContain('**Absorbed**: 1,200 requests/s at the ceilings against 1,200 needed at peak (1,000 plus headroom).');
      expect(report).toContain('| enrolment | 100 | 1,000 | 50 | 3 on gov | 10 + 14 = 24 (needs 24) | 10 / 14 | 0 |');
      expect(report).toContain('| burst | 0 | 3.5 | 16 | 0Gi | 3.5Gi | 64Gi | CPU 78%, memory 95% |');
      expect(report).toContain('Event `enrolment-opens`: pre-scaled from `0 8 1 9 *` to `0 20 1 9 *` (Asia/Shanghai)');
      expect(report).toContain('enrolment splits 42% / 58%');
      expect(report).toContain('| enrolment | education | 1.0.0 | gov, burst | gov: 2-10 (KEDA); burst: 0-14 (KEDA, burst enrolment-day) |');
    });
  });
});

describe('bad burst input', () => {
  it('rejects a burst target that is not a public-cloud cluster, and a start that is not a gov cluster', () => {
    const problems = regionProblems(
      burstBlueprint((b) => {
        b.clusters[1].role = 'gov';
        b.clusters.push({ ...b.clusters[1], name: 'other', role: 'public', network: { podCidr: '172.30.0.0/16', serviceCidr: '172.31.0.0/16' } });
        b.burst[0].from = 'other';
      }),
    );
    expect(problems).toContainEqual(
      'blueprint.burst.enrolment-day.from: cluster "other" has role "public"; a burst starts from a government-cloud cluster (role "gov")',
    );
    expect(problems).toContainEqual(
      'blueprint.burst.enrolment-day.to: cluster "burst" has role "gov", not "public"; burst capacity is rented on a public cloud: name a cluster with role "public", or add one',
    );
  });

  it('rejects unknown clusters and services with a suggestion', () => {
    const problems = regionProblems(
      burstBlueprint((b) => {
        b.burst[0].to = 'brust';
        b.burst[0].services[0].name = 'enrollment';
      }),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^blueprint\.burst\.enrolment-day\.to: .*"brust".*did you mean "burst"/));
    expect(problems).toContainEqual(expect.stringMatching(/^blueprint\.burst\.enrolment-day\.services\.enrollment\.name: .*did you mean "enrolment"/));
  });

  it('rejects a surge of 1 or less', () => {
    expect(regionProblems(burstBlueprint((b) => (b.burst[0].surgeFactor = 1)))).toEqual([
      'blueprint.burst.enrolment-day.surgeFactor: must be a number more than 1, got 1',
    ]);
  });

  it('rejects a service holding citizen personal data (the default) or keeping state in its pods: the data-classification rule', () => {
    const unmarked = regionProblems(burstBlueprint((b) => delete b.services[0].dataClassification));
    expect(unmarked).toContainEqual(
      'blueprint.burst.enrolment-day.services.enrolment: may not burst to public-cloud cluster "burst": the service holds citizen personal data (dataClassification "personal", the default for an unmarked workload); only a workload marked dataClassification "internal" or "public" (and, for a service, not stateful) may run outside the government cloud: remove it from the link, or mark services.enrolment',
    );
    // Autoscaling declared safe, so the spec check lets it through to the data rule.
    const stateful = regionProblems(burstBlueprint((b) => Object.assign(b.services[0], { stateful: true, statefulSet: { allowAutoscaling: true } })));
    expect(stateful).toContainEqual(expect.stringContaining('may not burst to public-cloud cluster "burst": the service is stateful (stateful: true)'));
  });

  it("rejects personal data on a public cluster however it gets there: a department's clusters, a shelf instance", () => {
    const problems = regionProblems(
      burstBlueprint((b) => {
        b.burst = undefined;
        delete b.services[0].dataClassification;
        b.departments[0].clusters = ['gov', 'burst'];
        b.middleware = [{ name: 'cache', engine: 'redis', version: '8.2.1', clusters: ['burst'], highAvailability: { enabled: false, reason: 'test' } }];
      }),
    );
    expect(problems).toEqual([
      expect.stringContaining(
        "blueprint.services.enrolment: runs on public-cloud cluster burst (its own or its department's clusters), but it holds citizen personal data",
      ),
      expect.stringContaining('blueprint.middleware.cache.clusters: installs the instance on public-cloud cluster burst, but it holds citizen personal data'),
    ]);
  });

  it('rejects a service without autoscaling, or not on the from cluster, or declared on the target already', () => {
    expect(
      regionProblems(
        burstBlueprint((b) => {
          b.services[0].autoscaling = undefined;
          b.services[0].replicas = 3;
        }),
      ),
    ).toContainEqual(
      'blueprint.burst.enrolment-day.services.enrolment: the service has fixed replicas (3); the government side must scale on load to burst: give services.enrolment autoscaling: { minReplicas, maxReplicas }',
    );
    expect(regionProblems(burstBlueprint((b) => (b.departments[0].clusters = ['gov', 'burst'])))).toContainEqual(
      expect.stringContaining('the service is already declared on cluster "burst", so a burst copy would be a second workload there'),
    );
  });

  it('rejects a zero public floor without an event to wake it, and a ceiling under the floor', () => {
    expect(regionProblems(burstBlueprint((b) => (b.burst[0].services[0].publicMinReplicas = 0)))).toEqual([
      'blueprint.burst.enrolment-day.services.enrolment.publicMinReplicas: 0 needs a scheduled event: a load-based autoscaler cannot wake a workload from zero replicas; add events: [{ name, start, end }] to the link, or use a floor of at least 1',
    ]);
    expect(regionProblems(burstBlueprint((b) => Object.assign(b.burst[0].services[0], { publicMinReplicas: 5, publicMaxReplicas: 3 })))).toEqual([
      'blueprint.burst.enrolment-day.services.enrolment.publicMaxReplicas: must be >= publicMinReplicas (5), got 3',
    ]);
  });

  it('rejects one service in two links from the same cluster: a workload has one autoscaler', () => {
    const problems = regionProblems(burstBlueprint((b) => b.burst.push({ ...b.burst[0], name: 'second' })));
    expect(problems).toContainEqual(
      'blueprint.burst.second.services.enrolment: the service already bursts from "gov" in link "enrolment-day"; a workload has one autoscaler, so put both surges in one link',
    );
  });

  it('rejects clusters that must be networked but whose address ranges overlap', () => {
    const problems = regionProblems(burstBlueprint((b) => (b.clusters[1].network = { podCidr: '10.0.128.0/17', serviceCidr: '172.21.0.0/16' })));
    expect(problems).toEqual([
      'blueprint.burst.enrolment-day.to: clusters "gov" and "burst" must reach each other for burst link "enrolment-day", but gov\'s pod CIDR 10.0.0.0/16 overlaps burst\'s pod CIDR 10.0.128.0/17, so addresses would be ambiguous; give clusters.burst.network disjoint ranges',
    ]);
  });

  it('rejects cron lines and time zones that are not', () => {
    const problems = regionProblems(
      burstBlueprint((b) => (b.burst[0].events = [{ name: 'e', start: 'at eight', end: '0 20 1 9 *', timezone: 'Shanghai time' }])),
    );
    expect(problems).toEqual([
      'blueprint.burst.enrolment-day.events.e.start: must be a cron line with five fields such as "30 19 10 2 *", got "at eight"',
      'blueprint.burst.enrolment-day.events.e.timezone: must be an IANA time zone such as "Asia/Shanghai", got "Shanghai time"',
    ]);
  });
});
