import { type Resources, NO_RESOURCES, addResources, scaleResources } from '../../lib/capacity';
import { cronSpanHours } from '../../lib/cron-span';
import { parseDuration } from '../../lib/duration';
import type { BlueprintSpec } from '../blueprint-spec';
import type { BurstLinkSpec } from '../burst/burst-spec';
import { planBurst } from '../burst/burst-plan';
import { podRequests } from '../core/cluster-load-plan';
import { type CloudPriceSpec, type CostSpec, DEFAULT_HOURS_PER_MONTH } from './cost-spec';
import { type ClusterUtilisation, planUtilisation } from './utilisation-plan';

/** Price of holding `requests` for one hour. */
export function hourlyCost(requests: Resources, price: CloudPriceSpec): number {
  return requests.cpu * price.vcpuHour + (requests.memory / 2 ** 30) * price.gibHour;
}

export interface ClusterCost {
  readonly utilisation: ClusterUtilisation;
  /** Undefined when the table has no price for the cluster's cloud. */
  readonly price?: CloudPriceSpec;
  /** Requests at rest, held all month. */
  readonly floorMonthly?: number;
  /** The nodes' allocatable, held all month, at the same prices. */
  readonly allocatableMonthly?: number;
}

/** One event of a link: its window and length, when its cron lines give one. */
export interface BurstEventCost {
  readonly name: string;
  readonly start: string;
  readonly end: string;
  readonly hours?: number;
  /** The public replicas the event adds above the public floor, for its hours. */
  readonly cost?: number;
}

/** A burst link priced: its events, and the month with them, provisioned for the peak or bursting. */
export interface BurstCost {
  readonly link: BurstLinkSpec;
  readonly events: readonly BurstEventCost[];
  /** Hours at peak in the month costed: declared, or the events' sum; undefined when neither gives it. */
  readonly peakHours?: number;
  readonly peakHoursSource: 'declared' | 'events' | 'unknown';
  /** Requests of the public replicas at peak above the public floor. */
  readonly publicExtra: Resources;
  /** Requests of the public floor, held all month. */
  readonly publicFloor: Resources;
  /** The government cluster holding the whole peak: its other workloads at rest and every replica of the link at peak. */
  readonly peakOnGov: Resources;
  /** The government cluster's own share of the peak (its other workloads at rest and its replicas at peak). */
  readonly govShare: Resources;
  /** Set when both clouds are priced and the hours at peak are known. */
  readonly comparison?: {
    /** The government cloud provisioned for the whole peak, all month. */
    readonly provisionForPeak: number;
    readonly burstGov: number;
    readonly burstPublic: number;
    readonly burst: number;
    /** (provisionForPeak - burst) / provisionForPeak, in percent. */
    readonly savingPercent: number;
  };
}

export interface CostPlan {
  readonly costs: CostSpec;
  readonly hoursPerMonth: number;
  readonly clusters: readonly ClusterCost[];
  readonly links: readonly BurstCost[];
}

/** The region's costs from its price table; undefined without one. The spec must be valid. */
export function planCosts(spec: BlueprintSpec): CostPlan | undefined {
  const costs = spec.costs;
  if (!costs) return undefined;
  const hoursPerMonth = costs.hoursPerMonth ?? DEFAULT_HOURS_PER_MONTH;
  const clusters = planUtilisation(spec).map((u): ClusterCost => {
    const price = costs.prices[u.cluster.cloud];
    if (!price) return { utilisation: u };
    return {
      utilisation: u,
      price,
      floorMonthly: hourlyCost(u.floor, price) * hoursPerMonth,
      allocatableMonthly: hourlyCost(u.allocatable, price) * hoursPerMonth,
    };
  });
  return { costs, hoursPerMonth, clusters, links: (spec.burst ?? []).map((link) => burstCost(spec, costs, hoursPerMonth, link)) };
}

function burstCost(spec: BlueprintSpec, costs: CostSpec, hoursPerMonth: number, link: BurstLinkSpec): BurstCost {
  const plan = planBurst(spec, link);
  const cloudOf = (name: string) => spec.clusters.find((c) => c.name === name)!.cloud;
  const govPrice = costs.prices[cloudOf(link.from)];
  const publicPrice = costs.prices[cloudOf(link.to)];
  let publicExtra = NO_RESOURCES;
  let publicFloor = NO_RESOURCES;
  let peakOnGov = plan.from.atRest;
  for (const s of plan.services) {
    const service = spec.services.find((x) => x.name === s.name)!;
    const publicPod = podRequests(spec, service, link.to);
    publicExtra = addResources(publicExtra, scaleResources(publicPod, Math.max(0, s.publicPeakReplicas - s.publicMinReplicas)));
    publicFloor = addResources(publicFloor, scaleResources(publicPod, s.publicMinReplicas));
    peakOnGov = addResources(peakOnGov, scaleResources(podRequests(spec, service, link.from), s.govPeakReplicas + s.publicPeakReplicas));
  }
  const events = (link.events ?? []).map((e): BurstEventCost => {
    const hours = cronSpanHours(e.start, e.end);
    return {
      name: e.name,
      start: e.start,
      end: e.end,
      hours,
      cost: hours !== undefined && publicPrice ? hourlyCost(publicExtra, publicPrice) * hours : undefined,
    };
  });
  const declared = costs.burstDurations?.[link.name];
  const fromEvents = events.length > 0 && events.every((e) => e.hours !== undefined) ? events.reduce((sum, e) => sum + e.hours!, 0) : undefined;
  const peakHours = declared !== undefined ? parseDuration(declared)! / 3600 : fromEvents;
  const peakHoursSource = declared !== undefined ? 'declared' : fromEvents !== undefined ? 'events' : 'unknown';
  const govShare = plan.from.used;
  let comparison: BurstCost['comparison'];
  if (govPrice && publicPrice && peakHours !== undefined) {
    const provisionForPeak = hourlyCost(peakOnGov, govPrice) * hoursPerMonth;
    const burstGov = hourlyCost(govShare, govPrice) * hoursPerMonth;
    const burstPublic = hourlyCost(publicFloor, publicPrice) * hoursPerMonth + hourlyCost(publicExtra, publicPrice) * peakHours;
    const burst = burstGov + burstPublic;
    comparison = {
      provisionForPeak,
      burstGov,
      burstPublic,
      burst,
      savingPercent: provisionForPeak > 0 ? ((provisionForPeak - burst) / provisionForPeak) * 100 : 0,
    };
  }
  return { link, events, peakHours, peakHoursSource, publicExtra, publicFloor, peakOnGov, govShare, comparison };
}
