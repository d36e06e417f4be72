import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { type ScalingPolicySpec, scalingPolicySchema } from '../workload/service-spec';
import { CRON_LINE, DEFAULT_EVENT_TIMEZONE, type ScheduledEventSpec, checkScheduledEvent, scheduledEventFields } from '../workload/schedule-spec';

export { CRON_LINE, DEFAULT_EVENT_TIMEZONE };

/** A service that bursts over a link, with the load figures its capacity plan is computed from. */
export interface BurstServiceSpec {
  /** A service of the blueprint that runs on the link's `from` cluster. */
  readonly name: string;
  /** Requests per second at normal load. */
  readonly baselineRps: number;
  /** Requests per second one replica serves at its target utilisation (from a load test). */
  readonly rpsPerReplica: number;
  /**
   * Replicas the public copy keeps between surges. Zero needs an event: only a scheduled
   * trigger (KEDA cron) can wake a workload from zero.
   * @default 0 when the link has events, else 1
   */
  readonly publicMinReplicas?: number;
  /** Ceiling of the public copy. @default what the capacity plan needs at peak */
  readonly publicMaxReplicas?: number;
  /**
   * What both sides scale on: CPU utilisation, or the request rate per replica the capacity plan
   * is written in (`rpsPerReplica`, a KEDA prometheus trigger on the cluster's own Prometheus;
   * needs the blueprint's observability, and the mesh or the service's own request metrics).
   * @default "cpu"
   */
  readonly scaleOn?: BurstScaleMetric;
}

export type BurstScaleMetric = 'cpu' | 'requests';
export const BURST_SCALE_METRICS: readonly BurstScaleMetric[] = ['cpu', 'requests'];

/** A known event (enrolment day, a red-packet draw, Double-11): both sides are pre-scaled to the plan's peak for its duration. */
export type BurstEventSpec = ScheduledEventSpec;

/**
 * Elastic burst from a government-cloud cluster to a public-cloud cluster (white paper 4.1 and
 * 5.1): the named services also run on the public cluster, scaled from a small or zero floor,
 * and the capacity plan proves at synth that the two together absorb `baseline x surgeFactor`
 * with `headroomPercent` to spare.
 */
export interface BurstLinkSpec {
  /** Name of the link or the event it is for, e.g. "red-packet". */
  readonly name: string;
  /** The government-cloud cluster the services normally run on. */
  readonly from: string;
  /** The public-cloud cluster that takes the overflow. */
  readonly to: string;
  /** Peak load as a multiple of the baseline, e.g. 40; more than 1. */
  readonly surgeFactor: number;
  /** Spare capacity the plan keeps above the peak, in percent of it. @default 20 */
  readonly headroomPercent?: number;
  readonly services: readonly BurstServiceSpec[];
  /** Scheduled pre-scaling. Without events, both sides scale on load only (HPA). @default none */
  readonly events?: readonly BurstEventSpec[];
  /**
   * Scale-up of the burst services on both sides, unless a service sets its own.
   * @default { percent: 900, periodSeconds: 15 }: ten times the pods every 15 seconds
   */
  readonly scaleUp?: ScalingPolicySpec;
  /**
   * Scale-down of the burst services on both sides, unless a service sets its own.
   * @default { percent: 10, periodSeconds: 60, stabilizationWindowSeconds: 1800 }: hold the peak for 30 minutes
   */
  readonly scaleDown?: ScalingPolicySpec;
}

export const DEFAULT_HEADROOM_PERCENT = 20;
export const BURST_SCALE_UP: ScalingPolicySpec = { percent: 900, periodSeconds: 15, stabilizationWindowSeconds: 0 };
export const BURST_SCALE_DOWN: ScalingPolicySpec = { percent: 10, periodSeconds: 60, stabilizationWindowSeconds: 1800 };

function checkLink(link: BurstLinkSpec, path: string, problems: Problems): void {
  if (link.from === link.to) problems.add(`${path}.to`, `is the same cluster as from (${JSON.stringify(link.from)}); burst to another cluster`);
  const hasEvents = (link.events ?? []).length > 0;
  for (const service of link.services) {
    const servicePath = `${path}.services.${service.name}`;
    if (service.publicMinReplicas === 0 && !hasEvents) {
      problems.add(
        `${servicePath}.publicMinReplicas`,
        '0 needs a scheduled event: a load-based autoscaler cannot wake a workload from zero replicas; add events: [{ name, start, end }] to the link, or use a floor of at least 1',
      );
    }
    if (service.publicMaxReplicas !== undefined && service.publicMinReplicas !== undefined && service.publicMaxReplicas < service.publicMinReplicas) {
      problems.add(`${servicePath}.publicMaxReplicas`, `must be >= publicMinReplicas (${service.publicMinReplicas}), got ${service.publicMaxReplicas}`);
    }
  }
}

const positiveNumber = (description: string) => s.number({ above: 0, description });

export const burstLinkSchema = s.object<BurstLinkSpec>(
  {
    name: s.name('Name of the link or its event.'),
    from: s.name('Government-cloud cluster the services normally run on.'),
    to: s.name('Public-cloud cluster that takes the overflow.'),
    surgeFactor: s.number({ above: 1, description: 'Peak load as a multiple of the baseline, e.g. 40.' }),
    headroomPercent: s.integer({ min: 0, max: 500, description: 'Spare capacity above the peak, in percent.' }).optional(),
    services: s.namedList(
      s.object<BurstServiceSpec>(
        {
          name: s.name('A service running on the from cluster.'),
          baselineRps: positiveNumber('Requests per second at normal load.'),
          rpsPerReplica: positiveNumber('Requests per second one replica serves.'),
          publicMinReplicas: s.integer({ min: 0 }).optional(),
          publicMaxReplicas: s.integer({ min: 1 }).optional(),
          scaleOn: s.enumOf(BURST_SCALE_METRICS, 'What both sides scale on.').optional(),
        },
        { title: 'a burst service' },
      ),
      'Services that burst, with their load figures.',
    ),
    events: s
      .namedList(s.object<BurstEventSpec>(scheduledEventFields, { title: 'a burst event', rules: [checkScheduledEvent] }), 'Known events to pre-scale for.')
      .optional(),
    scaleUp: scalingPolicySchema.optional(),
    scaleDown: scalingPolicySchema.optional(),
  },
  { title: 'a burst link', rules: [checkLink] },
);
