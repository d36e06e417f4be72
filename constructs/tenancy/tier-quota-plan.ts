import { type Resources, NO_RESOURCES, addResources, scaleResources } from '../../lib/capacity';
import { parseQuantity } from '../../lib/quantity';
import type { BlueprintSpec } from '../blueprint-spec';
import type { ServiceSpec } from '../workload/service-spec';
import type { DepartmentSpec } from './department-spec';
import { podRequests } from '../core/cluster-load-plan';
import { serviceClusters } from '../core/placement-plan';
import { workloadScaling } from '../workload/scaling-plan';
import { canaryReplicas, canaryVersions } from '../workload/canary-plan';
import { isProgressive } from '../delivery/progressive-plan';
import { PRIORITY_TIERS, type PriorityTier, effectivePriorityTier } from '../workload/priority-catalogue';

// What each priority tier of a department asks of a cluster, and the quotas scoped to a tier's
// PriorityClass. Preemption only goes downwards: pods claiming the top tier cannot be preempted by
// health-code, so only the pods the blueprint plans there may claim it.

/** Pods and the sum of their requests (sidecars included on meshed clusters). */
export interface PodLoad {
  readonly pods: number;
  readonly requests: Resources;
}

/** One service's pods on one cluster: every track (stable and canaries). */
export interface ServiceLoad {
  /** At rest: every Deployment at its floor. */
  readonly floor: PodLoad;
  /** Every Deployment at its ceiling (its HPA's or KEDA's maxReplicas, or its fixed count). */
  readonly ceiling: PodLoad;
  /** At the ceiling while rolling out a new version: each Deployment's surge pods on top. */
  readonly rollout: PodLoad;
}

/**
 * The services' `maxSurge` in percent (rounded up per Deployment, as Kubernetes does). The
 * Deployment's strategy must say the same: a test holds them together.
 */
export const ROLLOUT_MAX_SURGE_PERCENT = 25;

/**
 * A progressive canary's Rollout brings the new version to full size before it takes the last
 * requests, and scales the old one down only then: for a while it runs twice its pods.
 */
export const PROGRESSIVE_SURGE_PERCENT = 100;

export const NO_PODS: PodLoad = { pods: 0, requests: NO_RESOURCES };

function addPods(...all: readonly PodLoad[]): PodLoad {
  return all.reduce((sum, l) => ({ pods: sum.pods + l.pods, requests: addResources(sum.requests, l.requests) }), NO_PODS);
}

/** The service's tier on a cluster, as its pods run there. The spec must be valid. */
export function serviceTierOn(spec: BlueprintSpec, service: ServiceSpec, cluster: string): PriorityTier {
  const department = spec.departments.find((d) => d.name === service.department);
  const role = spec.clusters.find((c) => c.name === cluster)?.role ?? 'gov';
  return effectivePriorityTier(service.priority, department?.defaultPriority, role);
}

/** The service's pods on a cluster it runs on, at floor, ceiling and a rollout at the ceiling. The spec must be valid. */
export function serviceLoad(spec: BlueprintSpec, service: ServiceSpec, cluster: string): ServiceLoad {
  const scaling = workloadScaling(spec, service, cluster);
  const canaries = canaryVersions(service).map((v) => canaryReplicas(service, v));
  const pod = podRequests(spec, service, cluster);
  const at = (pods: number): PodLoad => ({ pods, requests: scaleResources(pod, pods) });
  const ceilings = [scaling.maxReplicas, ...canaries.map((c) => c.max)];
  const surgePercent = isProgressive(service) ? PROGRESSIVE_SURGE_PERCENT : ROLLOUT_MAX_SURGE_PERCENT;
  const surge = ceilings.reduce((sum, n) => sum + Math.ceil((n * surgePercent) / 100), 0);
  const ceiling = scaling.maxReplicas + canaries.reduce((sum, c) => sum + c.max, 0);
  return {
    floor: at(scaling.minReplicas + canaries.reduce((sum, c) => sum + c.min, 0)),
    ceiling: at(ceiling),
    rollout: at(ceiling + surge),
  };
}

/** The department's services of one tier on one cluster and what they ask of it. */
export interface TierLoad {
  readonly tier: PriorityTier;
  readonly services: readonly string[];
  readonly floor: PodLoad;
  readonly ceiling: PodLoad;
  readonly rollout: PodLoad;
}

/** Per tier (in tier order), the department's services on the cluster; tiers none of them runs at are left out. */
export function departmentTierLoads(spec: BlueprintSpec, department: DepartmentSpec, cluster: string): TierLoad[] {
  const services = spec.services.filter((s) => s.department === department.name && serviceClusters(spec, s).includes(cluster));
  return PRIORITY_TIERS.flatMap((tier) => {
    const here = services.filter((s) => serviceTierOn(spec, s, cluster) === tier);
    if (here.length === 0) return [];
    const loads = here.map((s) => serviceLoad(spec, s, cluster));
    return [
      {
        tier,
        services: here.map((s) => s.name),
        floor: addPods(...loads.map((l) => l.floor)),
        ceiling: addPods(...loads.map((l) => l.ceiling)),
        rollout: addPods(...loads.map((l) => l.rollout)),
      },
    ];
  });
}

/** A ResourceQuota scoped to one tier's PriorityClass in a department's namespace. */
export interface TierQuota {
  readonly tier: PriorityTier;
  /** Cores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
  readonly pods: number;
  /** `spec`: the department's `quota.tiers`; `plan`: its services' rollout at their ceiling. */
  readonly source: 'spec' | 'plan';
}

/** The tier with a scoped quota in every department namespace, planned unless the spec sets it. */
export const CAPPED_TIER: PriorityTier = 'citizen-critical';

/**
 * The tier quotas of a department on a cluster, in tier order: citizen-critical always (from
 * `quota.tiers`, else what its services there request in a rollout at their ceiling, 0 pods for
 * none), and every other tier `quota.tiers` names.
 */
export function departmentTierQuotas(spec: BlueprintSpec, department: DepartmentSpec, cluster: string): TierQuota[] {
  const loads = departmentTierLoads(spec, department, cluster);
  return PRIORITY_TIERS.flatMap((tier): TierQuota[] => {
    const own = department.quota.tiers?.[tier];
    if (own) return [{ tier, cpu: parseQuantity(own.cpu)!, memory: parseQuantity(own.memory)!, pods: own.pods, source: 'spec' }];
    if (tier !== CAPPED_TIER) return [];
    const planned = loads.find((l) => l.tier === tier)?.rollout ?? NO_PODS;
    return [{ tier, cpu: planned.requests.cpu, memory: planned.requests.memory, pods: planned.pods, source: 'plan' }];
  });
}
