import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { platformInstalls } from '../../constructs/core/platform-load-plan';
import { departmentQuotaFit } from '../../constructs/tenancy/quota-fit-plan';
import { EXAMPLES } from '../../examples';
import { tempDir, enrolmentBurstLink, minimalBlueprint, problemsOf, publicBurstCluster, synthesize, observabilityWithHubIn } from '../support/fleet-fixtures';

// The minimal blueprint: cluster gov of 3 nodes x (8 CPU, 32Gi); department education (quota 8
// CPU, 16Gi, 200 pods by default) runs enrolment: 2 fixed replicas of 250m and 256Mi.

const GiB = 2 ** 30;
const MiB = 2 ** 20;

function blueprintWith(change: (b: any) => void): BlueprintSpec {
  const b: any = minimalBlueprint();
  change(b);
  return b;
}

const regionProblems = (blueprint: BlueprintSpec) => problemsOf(() => synthesize(blueprint, { changsha: {} }));
const quotaFitSection = (report: string) => report.slice(report.indexOf('## Quota fit'), report.indexOf('Per priority tier'));

const OBSERVABILITY = observabilityWithHubIn('changsha');

const FLOOR_FIX = 'lower their autoscaling.minReplicas (or replicas), or move a service to another cluster';

describe('a department quota must admit its services at their floor', () => {
  it('refuses a CPU quota below the floor, naming the path, the value, the need and the fix', () => {
    expect(regionProblems(blueprintWith((b) => (b.departments[0].quota.cpu = '400m')))).toEqual([
      `blueprint.departments.education.quota.cpu: "400m" cannot admit the 500m CPU requested by its services on cluster "gov" (enrolment) at their floor; raise it to at least "500m", or ${FLOOR_FIX}`,
    ]);
  });

  it("refuses a memory quota below even one pod's request", () => {
    expect(regionProblems(blueprintWith((b) => (b.departments[0].quota.memory = '200Mi')))).toEqual([
      `blueprint.departments.education.quota.memory: "200Mi" cannot admit the 512Mi of memory requested by its services on cluster "gov" (enrolment) at their floor; raise it to at least "512Mi", or ${FLOOR_FIX}`,
    ]);
  });

  it('refuses a pod count below the floor, and reports every resource at once', () => {
    expect(
      regionProblems(
        blueprintWith((b) => {
          b.departments[0].quota = { cpu: '100m', memory: '1Gi', pods: 1 };
        }),
      ),
    ).toEqual([
      `blueprint.departments.education.quota.cpu: "100m" cannot admit the 500m CPU requested by its services on cluster "gov" (enrolment) at their floor; raise it to at least "500m", or ${FLOOR_FIX}`,
      `blueprint.departments.education.quota.pods: 1 cannot admit the 2 pods of its services on cluster "gov" (enrolment) at their floor; raise it to at least 2, or ${FLOOR_FIX}`,
    ]);
  });

  it('counts every track and the sidecars on a meshed cluster', () => {
    expect(
      regionProblems(
        blueprintWith((b) => {
          b.mesh = { version: '1.30.3' };
          b.departments[0].quota = { cpu: '2', memory: '2Gi', pods: 5 };
          b.services[0].replicas = 4;
          b.services[0].traffic = { canary: { weights: { '1.0.0': 50, '1.1.0': 50 } } };
        }),
      ),
    ).toEqual([
      // 4 stable and 2 canary pods, each 250m + 100m and 256Mi + 128Mi (the Istio sidecar).
      `blueprint.departments.education.quota.cpu: "2" cannot admit the 2100m CPU requested by its services on cluster "gov" (enrolment) at their floor, Istio sidecars included; raise it to at least "2100m", or ${FLOOR_FIX}`,
      `blueprint.departments.education.quota.memory: "2Gi" cannot admit the 2304Mi of memory requested by its services on cluster "gov" (enrolment) at their floor, Istio sidecars included; raise it to at least "2304Mi", or ${FLOOR_FIX}`,
      `blueprint.departments.education.quota.pods: 5 cannot admit the 6 pods of its services on cluster "gov" (enrolment) at their floor, Istio sidecars included; raise it to at least 6, or ${FLOOR_FIX}`,
    ]);
  });

  it('counts against the default pod quota when the spec sets none', () => {
    expect(
      regionProblems(
        blueprintWith((b) => {
          b.departments[0].quota = { cpu: '64', memory: '64Gi' };
          b.services[0].replicas = 201;
        }),
      ),
    ).toEqual([
      `blueprint.departments.education.quota.pods: 200 (the default) cannot admit the 201 pods of its services on cluster "gov" (enrolment) at their floor; raise it to at least 201, or ${FLOOR_FIX}`,
    ]);
  });

  it("counts a burst copy's floor on the public cluster, naming that cluster", () => {
    const blueprint = blueprintWith((b) => {
      b.clusters.push(publicBurstCluster());
      b.departments[0].quota.pods = 2;
      Object.assign(b.services[0], { dataClassification: 'internal', autoscaling: { minReplicas: 2, maxReplicas: 10 } });
      b.burst = [enrolmentBurstLink({ services: [{ name: 'enrolment', baselineRps: 100, rpsPerReplica: 50, publicMinReplicas: 3 }] })];
    });
    expect(regionProblems(blueprint)).toEqual([
      `blueprint.departments.education.quota.pods: 2 cannot admit the 3 pods of its services on cluster "burst" (enrolment) at their floor; raise it to at least 3, or ${FLOOR_FIX}`,
    ]);
  });

  it("names the region's path when the region's override is what does not fit", () => {
    const overrides = { departments: [{ name: 'education', quota: { memory: '256Mi' } }] };
    expect(problemsOf(() => synthesize(minimalBlueprint(), { changsha: { overrides } }))).toEqual([
      `regions.changsha.departments.education.quota.memory: "256Mi" cannot admit the 512Mi of memory requested by its services on cluster "gov" (enrolment) at their floor; raise it to at least "512Mi", or ${FLOOR_FIX}`,
    ]);
  });

  it('accepts a quota the floor fits exactly, and the report says it fits', () => {
    const out = synthesize(
      blueprintWith((b) => (b.departments[0].quota = { cpu: '500m', memory: '512Mi', pods: 2 })),
      { changsha: {} },
    );
    expect(quotaFitSection(out.read('reports/changsha.md'))).toContain('| gov | education | 0.5 | 0.5 | 0.5 | 0.5Gi | 0.5Gi | 512Mi | 2 | 2 | 2 | fits |');
  });
});

describe('the quota fit report counts memory and pods, as the check does', () => {
  it('warns when the ceiling exceeds the memory quota, though CPU fits', () => {
    const blueprint = blueprintWith((b) => {
      b.departments[0].quota = { cpu: '8', memory: '1Gi' };
      b.services[0].autoscaling = { minReplicas: 2, maxReplicas: 6 };
    });
    const fit = departmentQuotaFit(blueprint, blueprint.departments[0], 'gov');
    expect(fit.floorOver).toEqual([]);
    expect(fit.ceilingOver).toEqual(['memory']);
    const report = synthesize(blueprint, { changsha: {} }).read('reports/changsha.md');
    expect(quotaFitSection(report)).toContain(
      '| gov | education | 0.5 | 1.5 | 8 | 0.5Gi | 1.5Gi | 1Gi | 2 | 6 | 200 | ceiling exceeds quota (memory): autoscaling will stop early |',
    );
  });

  it('warns when the ceiling exceeds the pod quota', () => {
    const blueprint = blueprintWith((b) => {
      b.departments[0].quota.pods = 4;
      b.services[0].autoscaling = { minReplicas: 2, maxReplicas: 6 };
    });
    expect(quotaFitSection(synthesize(blueprint, { changsha: {} }).read('reports/changsha.md'))).toContain(
      '| 2 | 6 | 4 | ceiling exceeds quota (pods): autoscaling will stop early |',
    );
  });

  it('gives the plan a floor over the quota for the memory quota below one pod, which the check refuses', () => {
    const blueprint = blueprintWith((b) => (b.departments[0].quota.memory = '200Mi'));
    const fit = departmentQuotaFit(blueprint, blueprint.departments[0], 'gov');
    expect(fit.floorOver).toEqual(['memory']);
    expect(fit.floor).toEqual({ pods: 2, requests: { cpu: 0.5, memory: 512 * MiB } });
  });
});

describe('a tier quota must admit its services at their floor', () => {
  const critical = (b: any) => (b.services[0].priority = 'citizen-critical');

  it('refuses a tier quota below the floor in CPU, memory and pods, with the fix for the floor', () => {
    expect(
      regionProblems(
        blueprintWith((b) => {
          critical(b);
          b.departments[0].quota.tiers = { 'citizen-critical': { cpu: '400m', memory: '256Mi', pods: 1 } };
        }),
      ),
    ).toEqual([
      'blueprint.departments.education.quota.tiers.citizen-critical.cpu: "400m" cannot admit the 500m CPU requested by its citizen-critical services on cluster "gov" (enrolment) at their floor; raise it (at their ceiling they need 500m CPU), or lower their autoscaling.minReplicas (or replicas)',
      'blueprint.departments.education.quota.tiers.citizen-critical.memory: "256Mi" cannot admit the 512Mi of memory requested by its citizen-critical services on cluster "gov" (enrolment) at their floor; raise it (at their ceiling they need 512Mi of memory), or lower their autoscaling.minReplicas (or replicas)',
      'blueprint.departments.education.quota.tiers.citizen-critical.pods: 1 cannot admit the 2 pods of its citizen-critical services on cluster "gov" (enrolment) at their floor; raise it (at their ceiling they need 2 pods), or lower their autoscaling.minReplicas (or replicas)',
    ]);
  });
});

describe("each cluster's floor must fit its allocatable capacity", () => {
  // No quota in the way: these are about the nodes.
  const roomyQuota = (b: any) => (b.departments[0].quota = { cpu: '512', memory: '2Ti', pods: 1000 });

  it('refuses services whose floor needs more CPU than the nodes offer, naming the cluster path and the nodes to add', () => {
    expect(
      regionProblems(
        blueprintWith((b) => {
          roomyQuota(b);
          b.services[0].replicas = 100;
        }),
      ),
    ).toEqual([
      'regions.changsha.clusters.gov.capacity: cluster "gov" cannot hold what it runs at rest: 25 CPU and 25Gi of requests (services at their floor 25 CPU and 25Gi, middleware shelf 0 CPU and 0Gi), but its 3 nodes offer 24 CPU and 96Gi: short by 1 CPU; raise capacity.nodes to 4 (or nodeCpu, nodeMemory), or lower the floor (the services\' autoscaling.minReplicas or replicas, the shelf\'s sizes)',
    ]);
  });

  it("counts the middleware shelf's instances", () => {
    const problems = regionProblems(
      blueprintWith((b) => {
        roomyQuota(b);
        b.clusters[0].capacity = { nodes: 1, nodeCpu: '8', nodeMemory: '2Gi' };
        b.middleware = [{ name: 'cache', engine: 'redis', version: '8.2.1', size: 'medium', highAvailability: { enabled: false, reason: 'test' } }];
      }),
    );
    // Redis "medium", standalone: one replica of 1 CPU and 4Gi, beside enrolment's 2 x (250m, 256Mi).
    expect(problems).toEqual([
      'regions.changsha.clusters.gov.capacity: cluster "gov" cannot hold what it runs at rest: 1.5 CPU and 4.5Gi of requests (services at their floor 0.5 CPU and 0.5Gi, middleware shelf 1 CPU and 4Gi), but its 1 nodes offer 8 CPU and 2Gi: short by 2.5Gi; raise capacity.nodes to 3 (or nodeCpu, nodeMemory), or lower the floor (the services\' autoscaling.minReplicas or replicas, the shelf\'s sizes)',
    ]);
  });

  it('counts the platform pods the library installs there: monitoring (node-exporter on every node) and the observability hub', () => {
    expect(
      regionProblems(
        blueprintWith((b) => {
          roomyQuota(b);
          b.observability = OBSERVABILITY;
          b.clusters[0].capacity = { nodes: 1, nodeCpu: '4', nodeMemory: '8Gi' };
        }),
      ),
    ).toEqual([
      // Services 0.5 CPU, 512Mi; monitoring 1.32 CPU, 4Gi + 640Mi; hub 3.7 CPU, 11Gi + 384Mi. At 3
      // nodes (two more node-exporters) 12 CPU and 24Gi hold 5.62 CPU and 16.6Gi.
      'regions.changsha.clusters.gov.capacity: cluster "gov" cannot hold what it runs at rest: 5.52 CPU and 16.5Gi of requests (services at their floor 0.5 CPU and 0.5Gi, middleware shelf 0 CPU and 0Gi, platform pods 5.02 CPU and 16Gi (monitoring, observability hub)), but its 1 nodes offer 4 CPU and 8Gi: short by 1.52 CPU and 8.5Gi; raise capacity.nodes to 3 (or nodeCpu, nodeMemory), or lower the floor (the services\' autoscaling.minReplicas or replicas, the shelf\'s sizes)',
    ]);
  });

  it("counts the mesh's istiod and gateways, and no hub outside the hub's region", () => {
    const blueprint = blueprintWith((b) => {
      b.mesh = { version: '1.30.3' };
      b.observability = OBSERVABILITY;
    });
    const gov = blueprint.clusters[0];
    expect(platformInstalls(blueprint, gov, 'zhuzhou').map((p) => [p.name, p.pods])).toEqual([
      ['Istio', 4],
      ['monitoring', 7],
    ]);
    const [istio, monitoring] = platformInstalls(blueprint, gov, 'changsha');
    // istiod 2 x (500m, 2Gi) and the ingress gateway 2 x (100m, 128Mi) on a production cluster.
    expect(istio.requests).toEqual({ cpu: 1.2, memory: 4 * GiB + 256 * MiB });
    // Prometheus 1 + 10m, Alertmanager 50m + 10m, operator 100m, kube-state-metrics 100m, node-exporter 3 x 50m.
    expect(monitoring.requests.cpu).toBeCloseTo(1.42, 9);
    expect(monitoring.requests.memory).toBe(4 * GiB + (32 + 128 + 32 + 128 + 256 + 3 * 64) * MiB);
    expect(platformInstalls(blueprint, gov, 'changsha').map((p) => p.name)).toEqual(['Istio', 'monitoring', 'observability hub']);
  });

  it('counts Velero (its node agent on every node), CloudNativePG, KEDA and Argo Rollouts where they are installed', () => {
    const installs = (example: string, cluster: string) => {
      const region = EXAMPLES[example](tempDir()).regions.find((r) => r.name === 'changsha')!;
      return platformInstalls(
        region.spec,
        region.spec.clusters.find((c) => c.name === cluster)!,
        region.name,
      ).map((p) => [p.name, p.pods]);
    };
    // red-packet-surge's burst cluster (12 nodes in Changsha): a DR standby with a replica database,
    // and burst copies pre-scaled by KEDA. node-exporter and Velero's node agent run on every node.
    expect(installs('red-packet-surge', 'burst')).toEqual([
      ['Istio', 6],
      ['monitoring', 4 + 12],
      ['Velero', 1 + 12],
      ['CloudNativePG', 1],
      ['KEDA', 3],
    ]);
    // health-code's progressive canary runs Argo Rollouts' two controllers.
    expect(installs('health-code', 'gov')).toContainEqual(['Argo Rollouts', 2]);
  });

  it('counts Argo CD on the management cluster when the blueprint installs it, and nowhere else', () => {
    const region = EXAMPLES['health-code'](tempDir()).regions.find((r) => r.name === 'changsha')!;
    const installs = (spec: typeof region.spec) =>
      spec.clusters.map((cluster) => [cluster.name, platformInstalls(spec, cluster, region.name).find((p) => p.name === 'Argo CD')]);
    // The controller, repo server, API server, ApplicationSet controller and Redis, one each.
    expect(installs(region.spec)).toEqual([
      ['gov', { name: 'Argo CD', pods: 5, requests: { cpu: expect.closeTo(0.5, 9), memory: 1024 * MiB } }],
      ['burst', undefined],
    ]);
    const notInstalled = { ...region.spec, gitops: { ...region.spec.gitops!, argocd: { install: false } } };
    expect(installs(notInstalled).map(([, argoCd]) => argoCd)).toEqual([undefined, undefined]);
  });

  it('accepts a cluster whose floor fits exactly', () => {
    expect(() =>
      synthesize(
        blueprintWith((b) => (b.clusters[0].capacity = { nodes: 1, nodeCpu: '500m', nodeMemory: '512Mi' })),
        { changsha: {} },
      ),
    ).not.toThrow();
    expect(regionProblems(blueprintWith((b) => (b.clusters[0].capacity = { nodes: 1, nodeCpu: '500m', nodeMemory: '511Mi' })))).toEqual([
      expect.stringMatching(
        /^regions\.changsha\.clusters\.gov\.capacity: cluster "gov" cannot hold what it runs at rest: .* short by 0Gi; raise capacity\.nodes to 2/,
      ),
    ]);
  });
});
