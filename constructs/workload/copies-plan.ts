import type { BlueprintSpec } from '../blueprint-spec';
import type { ServiceSpec } from './service-spec';
import type { BurstLinkSpec, BurstServiceSpec } from '../burst/burst-spec';
import type { DrPairSpec } from '../disaster-recovery/disaster-recovery-spec';
import { serviceHomeClusters } from '../core/placement-plan';

// Where a service runs as a copy (a burst link's public side, a DR pair's standby) and the floor
// it keeps on each cluster. Pure functions of the spec: the capacity plans build on them.

/** The burst links that carry the service from a cluster it is declared on to `cluster`. */
export function burstLinksTo(spec: BlueprintSpec, service: ServiceSpec, cluster: string): { link: BurstLinkSpec; burst: BurstServiceSpec }[] {
  const home = serviceHomeClusters(spec, service);
  return (spec.burst ?? [])
    .filter((l) => l.to === cluster && home.includes(l.from))
    .flatMap((link) => link.services.filter((s) => s.name === service.name).map((burst) => ({ link, burst })));
}

/** The burst links that take the service's overflow from `cluster`. */
export function burstLinksFrom(spec: BlueprintSpec, service: ServiceSpec, cluster: string): BurstLinkSpec[] {
  if (!serviceHomeClusters(spec, service).includes(cluster)) return [];
  return (spec.burst ?? []).filter((l) => l.from === cluster && l.services.some((s) => s.name === service.name));
}

/** The DR pairs that keep a copy of the service on `cluster` as their standby. */
export function standbyPairsOn(spec: BlueprintSpec, service: ServiceSpec, cluster: string): DrPairSpec[] {
  const home = serviceHomeClusters(spec, service);
  return (spec.disasterRecovery ?? []).filter((p) => p.standby === cluster && home.includes(p.primary) && p.services.includes(service.name));
}

/** The floor and ceiling the service has where it is declared. */
export function primaryReplicas(service: ServiceSpec): { min: number; max: number } {
  const fixed = service.replicas ?? 2;
  return { min: service.autoscaling?.minReplicas ?? fixed, max: service.autoscaling?.maxReplicas ?? fixed };
}

/** The public copy's floor: zero when an event wakes it, else one. */
export function publicFloor(link: BurstLinkSpec, burst: BurstServiceSpec): number {
  return burst.publicMinReplicas ?? ((link.events ?? []).length > 0 ? 0 : 1);
}

/**
 * The standby copy's floor: warm in hot-standby mode, the primary's floor in active-active. A
 * stateful service that may not autoscale cannot grow on failover, so its standby runs the
 * primary's count in either mode.
 */
export function standbyFloor(pair: DrPairSpec, service: ServiceSpec): number {
  return pair.mode === 'hot-standby' && !fixedStateful(service) ? (pair.standbyReplicas ?? 1) : primaryReplicas(service).min;
}

/** A stateful service without `statefulSet.allowAutoscaling`: fixed replicas wherever it runs. */
export function fixedStateful(service: ServiceSpec): boolean {
  return service.stateful === true && service.statefulSet?.allowAutoscaling !== true;
}

/** Replicas the service runs on the cluster at rest, before any load or event. */
export function workloadFloor(spec: BlueprintSpec, service: ServiceSpec, cluster: string): number {
  if (serviceHomeClusters(spec, service).includes(cluster)) return primaryReplicas(service).min;
  const floors = [
    ...burstLinksTo(spec, service, cluster).map(({ link, burst }) => publicFloor(link, burst)),
    ...standbyPairsOn(spec, service, cluster).map((p) => standbyFloor(p, service)),
  ];
  return Math.max(0, ...floors);
}
