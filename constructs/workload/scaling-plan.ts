import type { BlueprintSpec } from '../blueprint-spec';
import type { ScalingPolicySpec, ServiceSpec } from './service-spec';
import { BURST_SCALE_DOWN, BURST_SCALE_UP, type BurstLinkSpec, DEFAULT_EVENT_TIMEZONE } from '../burst/burst-spec';
import type { DrPairSpec } from '../disaster-recovery/disaster-recovery-spec';
import { meshClusters, serviceHomeClusters } from '../core/placement-plan';
import { type BurstServicePlan, planBurst } from '../burst/burst-plan';
import { burstLinksFrom, burstLinksTo, fixedStateful, primaryReplicas, standbyPairsOn, workloadFloor } from './copies-plan';

/** A known event: the workload is held at `desiredReplicas` or more from `start` to `end`. */
export interface ScheduledScale {
  readonly name: string;
  readonly start: string;
  readonly end: string;
  readonly timezone: string;
  readonly desiredReplicas: number;
}

/** KEDA scales the workload (a ScaledObject, which makes its own HPA): scheduled events or a request-rate trigger. */
export function usesScaledObject(scaling: WorkloadScaling): boolean {
  return scaling.autoscaled && (scaling.events.length > 0 || scaling.requestRate !== undefined);
}

/** Scaling on load as the capacity plan counts it: requests per second per replica. */
export interface RequestRateTrigger {
  /** PromQL for the workload's requests per second on its cluster. */
  readonly query: string;
  /** Requests per second one replica serves: KEDA adds replicas above it. */
  readonly perReplica: number;
}

/** Why a service runs on a cluster it is not declared on. */
export type WorkloadCopy =
  { readonly kind: 'burst'; readonly link: string } | { readonly kind: 'standby'; readonly pair: string; readonly mode: DrPairSpec['mode'] };

/**
 * How one service is scaled on one cluster, with every default applied: fixed replicas, an HPA,
 * or (with scheduled events) a KEDA ScaledObject, never both for one workload.
 */
export interface WorkloadScaling {
  /** False: a fixed count of `minReplicas`. */
  readonly autoscaled: boolean;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization: number;
  readonly targetMemoryUtilization?: number;
  /** @default the Service's own defaults */
  readonly scaleUp?: ScalingPolicySpec;
  readonly scaleDown?: ScalingPolicySpec;
  /** Pre-scaling for known events; non-empty means a KEDA ScaledObject instead of an HPA. */
  readonly events: readonly ScheduledScale[];
  /** Scale on the request rate per replica (a KEDA prometheus trigger), besides CPU; set means a ScaledObject. */
  readonly requestRate?: RequestRateTrigger;
  /** Set when the service is a copy here: a burst link's public side or a DR standby. */
  readonly copies: readonly WorkloadCopy[];
}

const DEFAULT_TARGET_CPU = 70;

/** The burst plan of one service of a link. */
function burstPlanOf(spec: BlueprintSpec, link: BurstLinkSpec, service: ServiceSpec): BurstServicePlan {
  return planBurst(spec, link).services.find((s) => s.name === service.name)!;
}

/** The service's own events (`autoscaling.schedule`), held on each cluster it is declared on. */
export function ownEvents(service: ServiceSpec): ScheduledScale[] {
  return (service.autoscaling?.schedule ?? []).map((e) => ({
    name: e.name,
    start: e.start,
    end: e.end,
    timezone: e.timezone ?? DEFAULT_EVENT_TIMEZONE,
    desiredReplicas: e.minReplicas,
  }));
}

function scheduled(link: BurstLinkSpec, desiredReplicas: number): ScheduledScale[] {
  return (link.events ?? []).map((e) => ({ name: e.name, start: e.start, end: e.end, timezone: e.timezone ?? DEFAULT_EVENT_TIMEZONE, desiredReplicas }));
}

/** The service's scaling on one cluster it runs on. The spec must be valid. */
export function workloadScaling(spec: BlueprintSpec, service: ServiceSpec, cluster: string): WorkloadScaling {
  const own = service.autoscaling;
  const targets = { targetCpuUtilization: own?.targetCpuUtilization ?? DEFAULT_TARGET_CPU, targetMemoryUtilization: own?.targetMemoryUtilization };
  const primary = primaryReplicas(service);

  if (serviceHomeClusters(spec, service).includes(cluster)) {
    const link = burstLinksFrom(spec, service, cluster)[0];
    if (!own) return { autoscaled: false, minReplicas: primary.min, maxReplicas: primary.max, ...targets, events: [], copies: [] };
    if (!link)
      return {
        autoscaled: true,
        minReplicas: primary.min,
        maxReplicas: primary.max,
        ...targets,
        scaleUp: own.scaleUp,
        scaleDown: own.scaleDown,
        events: ownEvents(service),
        copies: [],
      };
    const plan = burstPlanOf(spec, link, service);
    return {
      autoscaled: true,
      minReplicas: primary.min,
      maxReplicas: primary.max,
      ...targets,
      scaleUp: own.scaleUp ?? link.scaleUp ?? BURST_SCALE_UP,
      scaleDown: own.scaleDown ?? link.scaleDown ?? BURST_SCALE_DOWN,
      // The service's own events and the link's: one cron trigger each, KEDA holds the highest.
      events: [...ownEvents(service), ...scheduled(link, plan.govPeakReplicas)],
      ...requestRate(spec, service, link, cluster),
      copies: [],
    };
  }

  // A copy: the public side of burst links and the standby of DR pairs, merged when both.
  const links = burstLinksTo(spec, service, cluster);
  const pairs = standbyPairsOn(spec, service, cluster);
  const burstCeilings = links.map(({ link }) => burstPlanOf(spec, link, service).publicMaxReplicas);
  const minReplicas = workloadFloor(spec, service, cluster);
  const maxReplicas = Math.max(minReplicas, 1, ...burstCeilings, ...pairs.map(() => primary.max));
  const copies = [
    ...links.map(({ link: l }) => ({ kind: 'burst' as const, link: l.name })),
    ...pairs.map((p) => ({ kind: 'standby' as const, pair: p.name, mode: p.mode })),
  ];
  // Only a standby can hold such a copy (a stateful service never bursts); it waits at full count.
  if (fixedStateful(service)) return { autoscaled: false, minReplicas, maxReplicas: minReplicas, ...targets, events: [], copies };
  const link = links[0]?.link;
  return {
    autoscaled: true,
    minReplicas,
    maxReplicas,
    ...targets,
    // A copy must grow fast: to absorb a surge, or to take over from a failed primary.
    scaleUp: own?.scaleUp ?? link?.scaleUp ?? BURST_SCALE_UP,
    scaleDown: own?.scaleDown ?? link?.scaleDown ?? BURST_SCALE_DOWN,
    events: links.flatMap(({ link: l }) => scheduled(l, burstPlanOf(spec, l, service).publicPeakReplicas)),
    ...(link ? requestRate(spec, service, link, cluster) : {}),
    copies,
  };
}

/**
 * The request-rate trigger of a burst service that scales on requests: the rate the cluster's own
 * Prometheus sees (Istio's metrics inside the mesh, the service's own outside it), against the
 * per-replica rate the capacity plan counts with.
 */
function requestRate(spec: BlueprintSpec, service: ServiceSpec, link: BurstLinkSpec, cluster: string): { requestRate?: RequestRateTrigger } {
  const burst = link.services.find((s) => s.name === service.name)!;
  if (burst.scaleOn !== 'requests') return {};
  const namespace = service.department;
  const query = meshClusters(spec).includes(cluster)
    ? `sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="${namespace}",destination_service_name="${service.name}"}[1m]))`
    : `sum(rate(${service.metrics?.requestsTotal ?? 'http_requests_total'}{namespace="${namespace}",service="${service.name}"}[1m]))`;
  return { requestRate: { query, perReplica: burst.rpsPerReplica } };
}
