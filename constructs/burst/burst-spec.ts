import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { parseDuration } from '../../lib/duration';
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
 * How the surge rehearsal of a link runs (a time-step simulation of the surge in the region
 * report). Every field is a duration; the simulation rounds each up to whole steps.
 */
export interface BurstRehearsalSpec {
  /** Time step of the simulation: 1s, 3s, 5s or 15s, so every HPA sync (each 15 s) falls on a step. @default "5s" */
  readonly step?: string;
  /** How long the demand takes to rise from the baseline to the peak. @default "0s": a step at the surge */
  readonly ramp?: string;
  /** How long the rehearsal runs after the surge starts, at most 2h. @default "10m" */
  readonly duration?: string;
  /**
   * From a pod's creation to its readiness: image pull, process start, readiness probe.
   * @default 30s plus the readiness probe's initial delay and one probe period (as the DR plan counts it)
   */
  readonly podStart?: string;
  /** Time a new node of the public cluster takes to join: declared, every pod added there waits for one. @default no wait */
  readonly nodeProvisioning?: string;
  /** How long before the surge an event's pre-scale starts (its cron line's start). Needs events. @default "5m" */
  readonly preScaleLead?: string;
}

export const REHEARSAL_STEPS_SECONDS: readonly number[] = [1, 3, 5, 15];
export const DEFAULT_REHEARSAL = { step: '5s', ramp: '0s', duration: '10m', preScaleLead: '5m' } as const;
export const MAX_REHEARSAL_SECONDS = 7200;

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
  /** How the surge rehearsal runs. @default every field's default */
  readonly rehearsal?: BurstRehearsalSpec;
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
  if (link.rehearsal) checkRehearsal(link.rehearsal, hasEvents, `${path}.rehearsal`, problems);
}

/** Rules between the rehearsal's durations; that each is a duration the schema checks first. */
function checkRehearsal(rehearsal: BurstRehearsalSpec, hasEvents: boolean, path: string, problems: Problems): void {
  const seconds = (value: string | undefined) => (value === undefined ? undefined : parseDuration(value));
  const step = seconds(rehearsal.step);
  if (step !== undefined && !REHEARSAL_STEPS_SECONDS.includes(step)) {
    problems.add(
      `${path}.step`,
      `must be "1s", "3s", "5s" or "15s" so every HPA sync (each 15s) falls on a step, got ${JSON.stringify(rehearsal.step)}; use "5s" (the default) or "15s"`,
    );
  }
  const duration = seconds(rehearsal.duration);
  if (duration !== undefined && (duration < 15 || duration > MAX_REHEARSAL_SECONDS)) {
    problems.add(`${path}.duration`, `must be from "15s" to "2h", got ${JSON.stringify(rehearsal.duration)}; the default is "10m"`);
  }
  const ramp = seconds(rehearsal.ramp);
  const horizon = duration ?? parseDuration(DEFAULT_REHEARSAL.duration)!;
  if (ramp !== undefined && ramp > horizon) {
    problems.add(
      `${path}.ramp`,
      `${JSON.stringify(rehearsal.ramp)} is longer than the rehearsal (${rehearsal.duration ?? DEFAULT_REHEARSAL.duration}): the demand would never reach the peak; shorten it or raise rehearsal.duration`,
    );
  }
  if (rehearsal.preScaleLead !== undefined && !hasEvents) {
    problems.add(`${path}.preScaleLead`, 'the link has no events to pre-scale for; remove preScaleLead, or add events: [{ name, start, end }] to the link');
  }
  const lead = seconds(rehearsal.preScaleLead);
  if (lead !== undefined && lead > MAX_REHEARSAL_SECONDS) {
    problems.add(`${path}.preScaleLead`, `must be at most "2h", got ${JSON.stringify(rehearsal.preScaleLead)}; the default is "5m"`);
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
      { minItems: 1 },
    ),
    events: s
      .namedList(s.object<BurstEventSpec>(scheduledEventFields, { title: 'a burst event', rules: [checkScheduledEvent] }), 'Known events to pre-scale for.')
      .optional(),
    scaleUp: scalingPolicySchema.optional(),
    scaleDown: scalingPolicySchema.optional(),
    rehearsal: s
      .object<BurstRehearsalSpec>(
        {
          step: s.duration('Time step of the simulation: 1s, 3s, 5s or 15s.').optional(),
          ramp: s.duration('How long the demand takes to rise to the peak.').optional(),
          duration: s.duration('How long the rehearsal runs after the surge starts.').optional(),
          podStart: s.duration("From a pod's creation to its readiness.").optional(),
          nodeProvisioning: s.duration('Time a new node of the public cluster takes to join.').optional(),
          preScaleLead: s.duration("How long before the surge an event's pre-scale starts.").optional(),
        },
        { title: 'a surge rehearsal' },
      )
      .optional(),
  },
  { title: 'a burst link', rules: [checkLink] },
);
