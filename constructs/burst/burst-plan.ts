import { type Resources, addResources, formatCpu, formatMemory, replicasFor, scaleResources, shortfall } from '../../lib/capacity';
import { parseQuantity } from '../../lib/quantity';
import type { Problem } from '../../lib/errors';
import { cachePerObject } from '../../lib/per-object-cache';
import type { BlueprintSpec } from '../blueprint-spec';
import type { ClusterSpec } from '../core/cluster-spec';
import type { DepartmentSpec } from '../tenancy/department-spec';
import { type BurstLinkSpec, DEFAULT_HEADROOM_PERCENT } from './burst-spec';
import { clusterAllocatable, clusterFloorLoad, podRequests, servicesFloorLoad } from '../core/cluster-load-plan';
import { primaryReplicas, publicFloor } from '../workload/copies-plan';

/** One service of a burst link, at baseline and at peak. */
export interface BurstServicePlan {
  readonly name: string;
  readonly department: string;
  readonly baselineRps: number;
  readonly peakRps: number;
  readonly rpsPerReplica: number;
  /** Replicas for the baseline with headroom, all on the government cloud (at least its floor). */
  readonly baselineReplicas: number;
  /** Replicas for the peak with headroom, both sides together. */
  readonly peakReplicas: number;
  /** The government side's ceiling (its HPA maximum). */
  readonly govMaxReplicas: number;
  readonly govPeakReplicas: number;
  readonly publicMinReplicas: number;
  /** The public side's ceiling: declared, or what the peak needs. */
  readonly publicMaxReplicas: number;
  readonly publicPeakReplicas: number;
  /** Requests per second both sides serve at their ceilings, without the headroom. */
  readonly capacityRps: number;
  /** Replicas missing at peak when the ceilings are too low; zero when they suffice. */
  readonly missingReplicas: number;
}

/** A cluster of the link at peak: the rest of its workloads at their floor, plus the link's services at peak. */
export interface BurstClusterPlan {
  readonly cluster: string;
  readonly allocatable: Resources;
  readonly atRest: Resources;
  readonly burst: Resources;
  readonly used: Resources;
  readonly missing: Resources;
}

export interface BurstPlan {
  readonly link: BurstLinkSpec;
  readonly headroomPercent: number;
  readonly services: readonly BurstServicePlan[];
  readonly from: BurstClusterPlan;
  readonly to: BurstClusterPlan;
  /** Where the plan does not hold, with the spec path below the link and the fix. */
  readonly problems: readonly Problem[];
}

/**
 * The capacity plan of a burst link: for each service, the replicas both sides need at
 * `baseline x surgeFactor` plus headroom, against the ceilings; for each cluster, CPU and memory
 * at peak against what its nodes offer; for each department, its quota at peak. The spec's
 * references must be valid. Plans are cached per spec: specs are never changed once resolved.
 */
export const planBurst: (spec: BlueprintSpec, link: BurstLinkSpec) => BurstPlan = cachePerObject(computePlan, (link) => link.name);

function computePlan(spec: BlueprintSpec, link: BurstLinkSpec): BurstPlan {
  const headroomPercent = link.headroomPercent ?? DEFAULT_HEADROOM_PERCENT;
  const path = `burst.${link.name}`;
  const problems: Problem[] = [];
  const services = link.services.map((burst): BurstServicePlan => {
    const service = spec.services.find((s) => s.name === burst.name)!;
    const gov = primaryReplicas(service);
    const peakRps = burst.baselineRps * link.surgeFactor;
    const peakReplicas = replicasFor(peakRps, burst.rpsPerReplica, headroomPercent);
    const govPeakReplicas = Math.min(peakReplicas, gov.max);
    const publicMinReplicas = publicFloor(link, burst);
    const needPublic = peakReplicas - govPeakReplicas;
    const publicMaxReplicas = burst.publicMaxReplicas ?? Math.max(needPublic, publicMinReplicas, 1);
    const publicPeakReplicas = Math.min(Math.max(needPublic, publicMinReplicas), publicMaxReplicas);
    const missingReplicas = Math.max(0, peakReplicas - govPeakReplicas - publicMaxReplicas);
    const baselineReplicas = Math.max(gov.min, replicasFor(burst.baselineRps, burst.rpsPerReplica, headroomPercent));
    if (baselineReplicas > gov.max) {
      problems.push({
        path: `services.${service.name}.autoscaling.maxReplicas`,
        message: `${gov.max} replicas on cluster "${link.from}" cannot carry even the baseline of burst link "${link.name}" (${burst.baselineRps} requests/s with ${headroomPercent}% headroom at ${burst.rpsPerReplica} per replica needs ${baselineReplicas}); raise it to at least ${baselineReplicas}`,
      });
    }
    if (missingReplicas > 0) {
      const raisePublic =
        burst.publicMaxReplicas !== undefined
          ? `raise ${path}.services.${service.name}.publicMaxReplicas to ${burst.publicMaxReplicas + missingReplicas}, or `
          : '';
      problems.push({
        path: `${path}.services.${service.name}`,
        message:
          `cannot absorb the ${link.surgeFactor}x surge: the peak of ${fmt(peakRps)} requests/s with ${headroomPercent}% headroom needs ${peakReplicas} replicas at ${burst.rpsPerReplica} requests/s each, ` +
          `but "${link.from}" scales to ${gov.max} and "${link.to}" to ${publicMaxReplicas}: short by ${missingReplicas} replicas (${fmt(missingReplicas * burst.rpsPerReplica)} requests/s); ` +
          `${raisePublic}raise services.${service.name}.autoscaling.maxReplicas to ${gov.max + missingReplicas}`,
      });
    }
    return {
      name: service.name,
      department: service.department,
      baselineRps: burst.baselineRps,
      peakRps,
      rpsPerReplica: burst.rpsPerReplica,
      baselineReplicas,
      peakReplicas,
      govMaxReplicas: gov.max,
      govPeakReplicas,
      publicMinReplicas,
      publicMaxReplicas,
      publicPeakReplicas,
      capacityRps: (gov.max + publicMaxReplicas) * burst.rpsPerReplica,
      missingReplicas,
    };
  });

  const clusterPlan = (name: string, replicas: (s: BurstServicePlan) => number): BurstClusterPlan => {
    const cluster = spec.clusters.find((c) => c.name === name)!;
    const allocatable = clusterAllocatable(cluster);
    const atRest = clusterFloorLoad(
      spec,
      cluster,
      link.services.map((s) => s.name),
    );
    const burst = addResources(
      ...services.map((s) =>
        scaleResources(
          podRequests(
            spec,
            spec.services.find((x) => x.name === s.name)!,
            name,
          ),
          replicas(s),
        ),
      ),
    );
    const used = addResources(atRest, burst);
    const missing = shortfall(used, allocatable);
    if (missing.cpu > 0 || missing.memory > 0)
      problems.push({ path: `${path}.${name === link.from ? 'from' : 'to'}`, message: clusterShortMessage(link, cluster, allocatable, used, missing) });
    return { cluster: name, allocatable, atRest, burst, used, missing };
  };
  const from = clusterPlan(link.from, (s) => s.govPeakReplicas);
  const to = clusterPlan(link.to, (s) => s.publicPeakReplicas);

  for (const [cluster, replicas] of [
    [link.from, (s: BurstServicePlan) => s.govPeakReplicas],
    [link.to, (s: BurstServicePlan) => s.publicPeakReplicas],
  ] as const) {
    for (const department of new Set(services.map((s) => s.department))) {
      const problem = quotaProblem(
        spec,
        link,
        cluster,
        spec.departments.find((d) => d.name === department)!,
        services,
        replicas,
      );
      if (problem) problems.push(problem);
    }
  }
  return { link, headroomPercent, services, from, to, problems };
}

function clusterShortMessage(link: BurstLinkSpec, cluster: ClusterSpec, allocatable: Resources, used: Resources, missing: Resources): string {
  const perNode = { cpu: allocatable.cpu / cluster.capacity.nodes, memory: allocatable.memory / cluster.capacity.nodes };
  const nodes = Math.max(Math.ceil(missing.cpu / perNode.cpu), Math.ceil(missing.memory / perNode.memory));
  const short = [missing.cpu > 0 ? `${formatCpu(missing.cpu)} CPU` : '', missing.memory > 0 ? formatMemory(missing.memory) : ''].filter(Boolean).join(' and ');
  return (
    `cluster "${cluster.name}" cannot hold the peak of burst link "${link.name}": it needs ${formatCpu(used.cpu)} CPU and ${formatMemory(used.memory)} of requests, ` +
    `its ${cluster.capacity.nodes} nodes offer ${formatCpu(allocatable.cpu)} CPU and ${formatMemory(allocatable.memory)}: short by ${short}; ` +
    `raise clusters.${cluster.name}.capacity.nodes to ${cluster.capacity.nodes + nodes}, or shift replicas to the other side of the link`
  );
}

/** A department's quota on one cluster at the link's peak: other services at their floor, the link's at peak. */
function quotaProblem(
  spec: BlueprintSpec,
  link: BurstLinkSpec,
  cluster: string,
  department: DepartmentSpec,
  services: readonly BurstServicePlan[],
  replicas: (s: BurstServicePlan) => number,
): Problem | undefined {
  const linked = link.services.map((s) => s.name);
  const others = servicesFloorLoad(
    spec,
    spec.services.filter((s) => s.department === department.name && !linked.includes(s.name)),
    cluster,
  );
  const burst = addResources(
    ...services
      .filter((s) => s.department === department.name)
      .map((s) =>
        scaleResources(
          podRequests(
            spec,
            spec.services.find((x) => x.name === s.name)!,
            cluster,
          ),
          replicas(s),
        ),
      ),
  );
  const used = addResources(others, burst);
  const quota = { cpu: parseQuantity(department.quota.cpu)!, memory: parseQuantity(department.quota.memory)! };
  const missing = shortfall(used, quota);
  if (missing.cpu === 0 && missing.memory === 0) return undefined;
  const raise = [
    missing.cpu > 0 ? `cpu to "${formatCpu(Math.ceil(used.cpu))}"` : '',
    missing.memory > 0 ? `memory to "${Math.ceil(used.memory / 2 ** 30)}Gi"` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    path: `departments.${department.name}.quota`,
    message: `at the peak of burst link "${link.name}" the department requests ${formatCpu(used.cpu)} CPU and ${formatMemory(used.memory)} on cluster "${cluster}", more than its quota (${department.quota.cpu} CPU, ${department.quota.memory}), which would stop the pods the surge needs; raise quota ${raise}`,
  };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}
