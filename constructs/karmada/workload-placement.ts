import type { BlueprintSpec } from '../blueprint-spec';
import type { ServiceSpec } from '../workload/service-spec';
import type { BurstLinkSpec } from '../burst/burst-spec';
import { DEFAULT_TOLERATION_SECONDS, type DrPairSpec } from '../disaster-recovery/disaster-recovery-spec';
import { serviceClusters, serviceHomeClusters } from '../core/placement-plan';
import { burstLinksFrom, standbyPairsOn } from '../workload/copies-plan';
import type { JsonObject } from './json-diff';

/** Karmada's name of a cluster of the region. */
export type MemberName = (cluster: string) => string;

/** Where Karmada schedules a service's workloads (each track's Deployment) and how it splits their replicas. */
export interface WorkloadPlacement {
  /** Member clusters the service may run on, in the spec's cluster order. */
  readonly members: readonly string[];
  /** `PropagationPolicy.spec.placement`. */
  readonly placement: JsonObject;
  /** `PropagationPolicy.spec.failover`, for services of a DR pair. */
  readonly failover?: JsonObject;
  /** Divided: the template's replicas are a total Karmada splits; Duplicated: every member runs them all. */
  readonly divided: boolean;
}

/** Group names in `clusterAffinities`, which Karmada reports as the group it scheduled to. */
export const PRIMARY_AFFINITY = 'primary';
export const burstAffinity = (link: BurstLinkSpec) => `burst-${link.name}`;
export const standbyAffinity = (pair: DrPairSpec) => `standby-${pair.name}`;

/**
 * The placement of a service's workloads, from the spec:
 * - plain: the clusters it runs on, each running every replica (Duplicated), as per-cluster mode
 *   does; but an autoscaled service on several clusters is Divided in equal shares, since one
 *   FederatedHPA scales the sum of the per-cluster autoscalers and Duplicated would multiply it;
 * - with burst links or DR pairs: ordered `clusterAffinities`. The first group is the clusters the
 *   service is declared on (plus active-active standbys, which serve all the time), with each burst
 *   link's public cluster as an overflow group, filled by available capacity (dynamicWeight) once
 *   the first group is full; each hot-standby follows as a group of its own, used when the groups
 *   before it fail, with application failover from the pair's settings.
 */
export function workloadPlacement(spec: BlueprintSpec, service: ServiceSpec, member: MemberName, autoscaled: boolean): WorkloadPlacement {
  const clusters = serviceClusters(spec, service);
  const home = serviceHomeClusters(spec, service);
  const bursts = home.flatMap((cluster) => burstLinksFrom(spec, service, cluster));
  const pairs = clusters.flatMap((cluster) => standbyPairsOn(spec, service, cluster));
  const members = clusters.map(member);

  if (bursts.length === 0 && pairs.length === 0) {
    const divided = autoscaled && members.length > 1;
    return {
      members,
      placement: { clusterAffinity: { clusterNames: members }, replicaScheduling: divided ? equalWeights(members) : { replicaSchedulingType: 'Duplicated' } },
      divided,
    };
  }

  const primary = clusters.filter((c) => home.includes(c) || pairs.some((p) => p.mode === 'active-active' && p.standby === c));
  const overflow = bursts.filter((link) => !primary.includes(link.to)).map((link) => ({ affinityName: burstAffinity(link), clusterNames: [member(link.to)] }));
  const standbys = pairs
    .filter((p) => p.mode === 'hot-standby' && !primary.includes(p.standby))
    .map((p) => ({ affinityName: standbyAffinity(p), clusterNames: [member(p.standby)] }));
  const placement = {
    clusterAffinities: [
      { affinityName: PRIMARY_AFFINITY, clusterNames: primary.map(member), ...(overflow.length > 0 ? { overflowAffinities: overflow } : {}) },
      ...standbys,
    ],
    replicaScheduling: bursts.length > 0 ? AVAILABLE_CAPACITY : equalWeights(members),
  };
  return { members, placement, ...(pairs.length > 0 ? { failover: applicationFailover(pairs[0]) } : {}), divided: true };
}

/** Burst: the replicas are split by free capacity among the clusters of the groups in use (the overflow joins when the first group is full). */
const AVAILABLE_CAPACITY = {
  replicaSchedulingType: 'Divided',
  replicaDivisionPreference: 'Weighted',
  weightPreference: { dynamicWeight: 'AvailableReplicas' },
};

/** Equal shares on every member the scheduler picks (members of groups not picked get none). */
function equalWeights(members: readonly string[]): JsonObject {
  return {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: { staticWeightList: members.map((m) => ({ targetCluster: { clusterNames: [m] }, weight: 1 })) },
  };
}

/**
 * Moves the application off a cluster where it stays unhealthy for `tolerationSeconds`. One
 * setting per policy: a service in several pairs takes the first pair's.
 */
function applicationFailover(pair: DrPairSpec): JsonObject {
  return {
    application: {
      decisionConditions: { tolerationSeconds: pair.failover?.tolerationSeconds ?? DEFAULT_TOLERATION_SECONDS },
      purgeMode: pair.failover?.purgeMode ?? 'Gracefully',
    },
  };
}
