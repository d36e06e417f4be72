/** Capacity arithmetic for plans: resource sums, replicas for a load, and how fast an HPA gets there. */

import { parseQuantity } from './quantity';

/** CPU in cores and memory in bytes. */
export interface Resources {
  readonly cpu: number;
  readonly memory: number;
}

export const NO_RESOURCES: Resources = { cpu: 0, memory: 0 };

export function addResources(...all: readonly Resources[]): Resources {
  return all.reduce((sum, r) => ({ cpu: sum.cpu + r.cpu, memory: sum.memory + r.memory }), NO_RESOURCES);
}

export function scaleResources(r: Resources, factor: number): Resources {
  return { cpu: r.cpu * factor, memory: r.memory * factor };
}

/** CPU and memory as a chart's values take them: Kubernetes quantities. */
export interface QuantityPair {
  readonly cpu: string | number;
  readonly memory: string | number;
}

/** `count` pods of one kind (a Deployment's replicas, a DaemonSet's one per node), each with these containers' requests. */
export interface PodGroup {
  readonly name: string;
  readonly count: number;
  readonly containers: readonly QuantityPair[];
}

/** Pods and the sum of their requests. */
export function podGroupsLoad(groups: readonly PodGroup[]): { pods: number; requests: Resources } {
  const perPod = (g: PodGroup) => addResources(...g.containers.map((c) => ({ cpu: parseQuantity(c.cpu)!, memory: parseQuantity(c.memory)! })));
  return {
    pods: groups.reduce((sum, g) => sum + g.count, 0),
    requests: addResources(...groups.map((g) => scaleResources(perPod(g), g.count))),
  };
}

/**
 * Replicas that serve `rps` with `headroomPercent` to spare when each serves `rpsPerReplica`.
 * Rounded to 1e-9 first so 2000 x 1.2 / 100 is 24, not 24.000000000000004 -> 25.
 */
export function replicasFor(rps: number, rpsPerReplica: number, headroomPercent: number): number {
  const exact = (rps * (1 + headroomPercent / 100)) / rpsPerReplica;
  return Math.ceil(Math.round(exact * 1e9) / 1e9);
}

/** A `behavior.scaleUp` of an `autoscaling/v2` HPA: the larger of the two steps per period (selectPolicy Max). */
export interface ScaleUpPolicy {
  readonly percent?: number;
  readonly pods?: number;
  readonly periodSeconds: number;
  readonly stabilizationWindowSeconds?: number;
}

/** Seconds the HPA controller waits between evaluations: no scale-up step is shorter. */
export const HPA_SYNC_PERIOD_SECONDS = 15;

/**
 * Seconds an HPA needs to grow from `from` to `to` replicas under the policy, if the metric
 * demands it the whole time: each period adds the larger of `percent` of the current count and
 * `pods`. A step takes at least the HPA controller's sync period.
 */
export function scaleUpSeconds(from: number, to: number, policy: ScaleUpPolicy, syncPeriodSeconds = HPA_SYNC_PERIOD_SECONDS): number {
  if (to <= from) return 0;
  const step = Math.max(policy.periodSeconds, syncPeriodSeconds);
  let current = Math.max(from, 1);
  // From zero, the first evaluation only wakes the workload to one replica.
  let seconds = (policy.stabilizationWindowSeconds ?? 0) + (from === 0 ? step : 0);
  while (current < to) {
    const grow = Math.max(Math.floor((current * (policy.percent ?? 0)) / 100), policy.pods ?? 0, 1);
    current += grow;
    seconds += step;
  }
  return seconds;
}

/** How far `available` falls short of `needed`, per resource; zero where it suffices. */
export function shortfall(needed: Resources, available: Resources): Resources {
  return { cpu: Math.max(0, needed.cpu - available.cpu), memory: Math.max(0, needed.memory - available.memory) };
}

/** Cores to two decimals, without trailing zeros: 2.5, 0.25, 48. */
export function formatCpu(cores: number): string {
  return String(Math.round(cores * 100) / 100);
}

/** Memory in Gi to one decimal: "12.5Gi". */
export function formatMemory(bytes: number): string {
  return `${Math.round((bytes / 2 ** 30) * 10) / 10}Gi`;
}
