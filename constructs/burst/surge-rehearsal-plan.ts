import { HPA_SYNC_PERIOD_SECONDS } from '../../lib/capacity';
import { parseDuration } from '../../lib/duration';
import { cachePerObject } from '../../lib/per-object-cache';
import type { BlueprintSpec } from '../blueprint-spec';
import { BURST_SCALE_UP, type BurstLinkSpec, DEFAULT_REHEARSAL } from './burst-spec';
import { planBurst } from './burst-plan';
import { podStartAllowance } from '../disaster-recovery/disaster-recovery-plan';
import { usesScaledObject, workloadScaling } from '../workload/scaling-plan';

// The surge rehearsal: a time-step simulation of a burst link's surge under the scaling the
// blueprint generates. The model, every part of which the report states:
// - demand: the baseline until the surge at t = 0, then the peak (baseline x surgeFactor), or a
//   straight ramp to it over `rehearsal.ramp`;
// - traffic: each side gets a share in proportion to its ready replicas (the mesh spreads calls
//   over ready endpoints; without a mesh, a global load balancer weighted by healthy backends);
// - capacity: a ready replica serves rpsPerReplica at the CPU target, so rpsPerReplica x 100 /
//   target at its full CPU request (CPU grows linearly with requests); requests above that queue
//   or fail;
// - the HPA controller syncs every 15 s. It reads the load of the 15 s before the sync (the
//   metrics pipeline's resolution), wants ceil(load / rpsPerReplica) replicas, and moves only when
//   that is more than 10% off (its tolerance). The request-rate trigger asks the same under this
//   model and lags the CPU trigger beside it (a rate over 1 minute), so the rise follows CPU;
// - scheduled pre-scale: the event's KEDA cron trigger asks for the planned peak from the event's
//   start, under the same tolerance;
// - the HPA's scale-up behaviour: the stabilisation window (the lowest recommendation within it),
//   then per period the larger of the Percent and Pods policies (selectPolicy Max), then the
//   ceiling. A workload at zero has no HPA: KEDA wakes it to one replica at its poll (each 15 s)
//   when a trigger is active, and only the cron trigger can be (no pod, no CPU or request metric);
// - a new pod serves after the pod-start allowance, and on the public side after a new node too
//   when `rehearsal.nodeProvisioning` is declared;
// - scale-down is not simulated: the rehearsal covers the rise.
// Against lib/capacity's scaleUpSeconds (the DR plan's estimate): under a demand it already sees
// (the cron trigger) the rehearsal takes the same steps, decided one sync earlier, since
// scaleUpSeconds charges a period before the first step too; and a Percent step here rounds up
// (ceil(current x (1 + percent / 100)), as the HPA does) where scaleUpSeconds rounds it down.

/** Kubernetes' HPA tolerance: no change while the metric is within 10% of the target. */
export const HPA_TOLERANCE = 0.1;
/** KEDA's polling interval for the ScaledObjects the blueprint writes (see scaled-object.ts). */
export const KEDA_POLLING_SECONDS = 15;
/** The window of load a CPU reading covers: the metrics pipeline's resolution. */
export const CPU_METRIC_WINDOW_SECONDS = 15;

/** The rehearsal's settings in seconds, every default applied and rounded up to whole steps. */
export interface RehearsalSettings {
  readonly stepSeconds: number;
  readonly rampSeconds: number;
  readonly durationSeconds: number;
  /** Declared pod start (seconds), or undefined for each service's own allowance. */
  readonly podStartSeconds?: number;
  readonly nodeProvisioningSeconds: number;
  readonly preScaleLeadSeconds: number;
}

/** How one side of a link scales, as the generated autoscaler does. */
export interface RehearsalSide {
  readonly cluster: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Replicas before the surge. */
  readonly initialReplicas: number;
  readonly scaleUp: { readonly percent?: number; readonly pods?: number; readonly periodSeconds: number; readonly stabilizationWindowSeconds: number };
  /** A KEDA ScaledObject, which wakes the workload from zero. */
  readonly keda: boolean;
  /** What the event's cron trigger asks for; undefined without events. */
  readonly preScaleReplicas?: number;
  /** From a pod's creation to its serving, in whole steps. */
  readonly readySeconds: number;
}

/** One service of the link, as the rehearsal models it. */
export interface RehearsalService {
  readonly name: string;
  readonly baselineRps: number;
  readonly peakRps: number;
  /** What the autoscaler aims a replica at. */
  readonly rpsPerReplica: number;
  /** What a ready replica serves at its full CPU request. */
  readonly replicaCapacityRps: number;
  readonly gov: RehearsalSide;
  readonly public: RehearsalSide;
}

/** One side during one step `[t, t + step)`. */
export interface SideSample {
  /** Replicas the workload asks for (created, ready or not). */
  readonly replicas: number;
  readonly ready: number;
  readonly loadRps: number;
  readonly capacityRps: number;
}

export interface RehearsalSample {
  readonly t: number;
  readonly demandRps: number;
  readonly gov: SideSample;
  readonly public: SideSample;
  /** Demand above both sides' capacity. */
  readonly shortfallRps: number;
}

/** The outcome of one scenario, for a service or summed over the link's services. */
export interface RehearsalOutcome {
  /** Seconds from the surge until capacity meets demand for good; 0 when it always did; undefined if not within the rehearsal. */
  readonly meetsAfterSeconds: number | undefined;
  /** Requests above capacity over the whole rehearsal. */
  readonly requestsAboveCapacity: number;
  /** The largest shortfall at any step, in requests per second. */
  readonly peakShortfallRps: number;
}

export interface ServiceRun extends RehearsalOutcome {
  readonly service: RehearsalService;
  readonly samples: readonly RehearsalSample[];
}

export type RehearsalScenario = 'load' | 'pre-scaled';

export interface ScenarioRun extends RehearsalOutcome {
  readonly scenario: RehearsalScenario;
  readonly services: readonly ServiceRun[];
  /** The samples summed over the services (meets-after and shortfall are per service, then combined). */
  readonly samples: readonly RehearsalSample[];
}

export interface SurgeRehearsal {
  readonly link: BurstLinkSpec;
  readonly settings: RehearsalSettings;
  readonly services: readonly RehearsalService[];
  /** The surge on load alone: no event announced it. */
  readonly load: ScenarioRun;
  /** The same surge with the event's pre-scale started `preScaleLeadSeconds` before; only with events. */
  readonly preScaled?: ScenarioRun;
}

/** The rehearsal of a burst link; the spec must be valid. Cached per spec. */
export const rehearseSurge: (spec: BlueprintSpec, link: BurstLinkSpec) => SurgeRehearsal = cachePerObject(computeRehearsal, (link) => link.name);

function computeRehearsal(spec: BlueprintSpec, link: BurstLinkSpec): SurgeRehearsal {
  const settings = rehearsalSettings(link);
  const plan = planBurst(spec, link);
  const hasEvents = (link.events ?? []).length > 0;
  const services = plan.services.map((p): RehearsalService => {
    const service = spec.services.find((s) => s.name === p.name)!;
    const podStart = settings.podStartSeconds ?? podStartAllowance(service);
    const side = (cluster: string, preScale: number, extraSeconds: number, initial: (min: number, max: number) => number): RehearsalSide => {
      const scaling = workloadScaling(spec, service, cluster);
      const policy = scaling.scaleUp ?? BURST_SCALE_UP;
      return {
        cluster,
        minReplicas: scaling.minReplicas,
        maxReplicas: scaling.maxReplicas,
        initialReplicas: initial(scaling.minReplicas, scaling.maxReplicas),
        scaleUp: {
          percent: policy.percent,
          pods: policy.pods,
          periodSeconds: policy.periodSeconds ?? 15,
          stabilizationWindowSeconds: policy.stabilizationWindowSeconds ?? 0,
        },
        keda: usesScaledObject(scaling),
        preScaleReplicas: hasEvents ? preScale : undefined,
        readySeconds: roundUp(podStart + extraSeconds, settings.stepSeconds),
      };
    };
    const targetCpu = workloadScaling(spec, service, link.from).targetCpuUtilization;
    return {
      name: p.name,
      baselineRps: p.baselineRps,
      peakRps: p.peakRps,
      rpsPerReplica: p.rpsPerReplica,
      replicaCapacityRps: (p.rpsPerReplica * 100) / targetCpu,
      // The government side starts where its autoscaler holds the baseline; the public side at its floor.
      gov: side(link.from, p.govPeakReplicas, 0, (min, max) => Math.min(max, Math.max(min, ceil(p.baselineRps / p.rpsPerReplica)))),
      public: side(link.to, p.publicPeakReplicas, settings.nodeProvisioningSeconds, (min) => min),
    };
  });
  return {
    link,
    settings,
    services,
    load: runScenario(services, settings, 'load'),
    preScaled: hasEvents ? runScenario(services, settings, 'pre-scaled') : undefined,
  };
}

/** The link's rehearsal settings in seconds; durations the spec validated. */
export function rehearsalSettings(link: BurstLinkSpec): RehearsalSettings {
  const r = link.rehearsal ?? {};
  const stepSeconds = parseDuration(r.step ?? DEFAULT_REHEARSAL.step)!;
  const seconds = (value: string) => roundUp(parseDuration(value)!, stepSeconds);
  return {
    stepSeconds,
    rampSeconds: seconds(r.ramp ?? DEFAULT_REHEARSAL.ramp),
    durationSeconds: seconds(r.duration ?? DEFAULT_REHEARSAL.duration),
    podStartSeconds: r.podStart !== undefined ? parseDuration(r.podStart)! : undefined,
    nodeProvisioningSeconds: r.nodeProvisioning !== undefined ? parseDuration(r.nodeProvisioning)! : 0,
    preScaleLeadSeconds: seconds(r.preScaleLead ?? DEFAULT_REHEARSAL.preScaleLead),
  };
}

/** Runs one scenario for every service and sums them. */
export function runScenario(services: readonly RehearsalService[], settings: RehearsalSettings, scenario: RehearsalScenario): ScenarioRun {
  const runs = services.map((s) => simulateService(s, settings, scenario));
  const samples = runs[0].samples.map((first, i) => {
    const at = runs.map((r) => r.samples[i]);
    const sum = (pick: (s: RehearsalSample) => number) => at.reduce((total, s) => total + pick(s), 0);
    const side = (which: 'gov' | 'public'): SideSample => ({
      replicas: sum((s) => s[which].replicas),
      ready: sum((s) => s[which].ready),
      loadRps: sum((s) => s[which].loadRps),
      capacityRps: sum((s) => s[which].capacityRps),
    });
    return { t: first.t, demandRps: sum((s) => s.demandRps), gov: side('gov'), public: side('public'), shortfallRps: sum((s) => s.shortfallRps) };
  });
  const meets = runs.map((r) => r.meetsAfterSeconds);
  return {
    scenario,
    services: runs,
    samples,
    // The link meets its demand when its last service does.
    meetsAfterSeconds: meets.some((m) => m === undefined) ? undefined : Math.max(...(meets as number[])),
    requestsAboveCapacity: runs.reduce((total, r) => total + r.requestsAboveCapacity, 0),
    peakShortfallRps: Math.max(0, ...samples.map((s) => s.shortfallRps)),
  };
}

/** One side's autoscaler state during the simulation. */
class SideState {
  replicas: number;
  /** When each created pod serves. */
  private readonly readyAt: number[] = [];
  /** Scale-up events (time, pods added), for the policies' periods. */
  private readonly events: { t: number; added: number }[] = [];
  /** Raw recommendations, for the stabilisation window. */
  private readonly recommendations: { t: number; replicas: number }[] = [];

  constructor(
    readonly side: RehearsalSide,
    start: number,
  ) {
    this.replicas = side.initialReplicas;
    for (let i = 0; i < side.initialReplicas; i++) this.readyAt.push(start);
  }

  ready(t: number): number {
    return this.readyAt.filter((at) => at <= t).length;
  }

  /**
   * One HPA sync: `load` is what the side served in the metric window before `t`. The steps of
   * the Kubernetes HPA controller, scale-down left out.
   */
  sync(t: number, load: number, rpsPerReplica: number, cronActive: boolean): void {
    if (this.replicas === 0) return; // no HPA at zero: KEDA wakes the workload
    const current = this.replicas;
    const outsideTolerance = (wanted: number) => wanted / current - 1 > HPA_TOLERANCE + 1e-9;
    const byLoad = ceil(load / rpsPerReplica);
    const candidates = [current];
    if (outsideTolerance(load / rpsPerReplica)) candidates.push(byLoad);
    const preScale = this.side.preScaleReplicas;
    if (cronActive && preScale !== undefined && outsideTolerance(preScale)) candidates.push(preScale);
    const raw = Math.min(this.side.maxReplicas, Math.max(this.side.minReplicas, ...candidates));
    // Scale-up stabilisation: the lowest recommendation within the window, this one included.
    const window = this.side.scaleUp.stabilizationWindowSeconds;
    const stabilized = Math.min(raw, ...this.recommendations.filter((r) => r.t > t - window).map((r) => r.replicas));
    this.recommendations.push({ t, replicas: raw });
    const desired = Math.max(current, stabilized);
    if (desired > current) this.scaleTo(t, Math.min(desired, Math.max(current, this.scaleUpLimit(t))));
  }

  /** KEDA's poll: a workload at zero wakes to one replica (or its floor) when the cron trigger is active. */
  poll(t: number, cronActive: boolean): void {
    if (this.side.keda && this.replicas === 0 && cronActive && (this.side.preScaleReplicas ?? 0) > 0) this.scaleTo(t, Math.max(this.side.minReplicas, 1));
  }

  /** The most replicas the policies allow now: per policy, from the count at the start of its period; the larger wins. */
  private scaleUpLimit(t: number): number {
    const { percent, pods, periodSeconds } = this.side.scaleUp;
    const added = this.events.filter((e) => e.t > t - periodSeconds).reduce((sum, e) => sum + e.added, 0);
    const periodStart = this.replicas - added;
    const limits = [percent !== undefined ? ceil(periodStart * (1 + percent / 100)) : 0, pods !== undefined ? periodStart + pods : 0];
    return Math.max(...limits);
  }

  private scaleTo(t: number, replicas: number): void {
    const added = replicas - this.replicas;
    for (let i = 0; i < added; i++) this.readyAt.push(t + this.side.readySeconds);
    this.events.push({ t, added });
    this.replicas = replicas;
  }
}

/** The time-step simulation of one service: controllers act at a step's start, traffic flows over it. */
export function simulateService(service: RehearsalService, settings: RehearsalSettings, scenario: RehearsalScenario): ServiceRun {
  const step = settings.stepSeconds;
  const start = scenario === 'pre-scaled' ? -settings.preScaleLeadSeconds : 0;
  const end = settings.durationSeconds;
  const gov = new SideState(service.gov, start);
  const pub = new SideState(service.public, start);
  const cronActive = scenario === 'pre-scaled';
  const demandAt = (t: number): number => {
    if (t < 0) return service.baselineRps;
    // The demand over the step, exactly: a straight ramp's value at the middle of the step.
    const risen = settings.rampSeconds === 0 ? 1 : Math.min(1, (t + step / 2) / settings.rampSeconds);
    return service.baselineRps + (service.peakRps - service.baselineRps) * risen;
  };
  const split = (t: number, demand: number) => {
    const g = gov.ready(t);
    const p = pub.ready(t);
    return g + p === 0 ? { gov: 0, public: 0 } : { gov: (demand * g) / (g + p), public: (demand * p) / (g + p) };
  };
  // Before the rehearsal the load is steady at the baseline, as the metric windows see it.
  const before = split(start, service.baselineRps);
  const history: { gov: number; public: number }[] = [];
  const windowLoad = (which: 'gov' | 'public'): number => {
    const steps = CPU_METRIC_WINDOW_SECONDS / step;
    let total = 0;
    for (let i = history.length - steps; i < history.length; i++) total += i < 0 ? before[which] : history[i][which];
    return total / steps;
  };

  const samples: RehearsalSample[] = [];
  for (let t = start; t < end; t += step) {
    if (t % HPA_SYNC_PERIOD_SECONDS === 0) {
      gov.sync(t, windowLoad('gov'), service.rpsPerReplica, cronActive);
      pub.sync(t, windowLoad('public'), service.rpsPerReplica, cronActive);
    }
    if (t % KEDA_POLLING_SECONDS === 0) {
      gov.poll(t, cronActive);
      pub.poll(t, cronActive);
    }
    const demand = demandAt(t);
    const load = split(t, demand);
    history.push(load);
    const side = (state: SideState, loadRps: number): SideSample => ({
      replicas: state.replicas,
      ready: state.ready(t),
      loadRps,
      capacityRps: state.ready(t) * service.replicaCapacityRps,
    });
    const g = side(gov, load.gov);
    const p = side(pub, load.public);
    samples.push({ t, demandRps: demand, gov: g, public: p, shortfallRps: Math.max(0, demand - g.capacityRps - p.capacityRps) });
  }

  const short = (s: RehearsalSample) => s.shortfallRps > 1e-9;
  const lastShort = samples.reduce((last, s, i) => (short(s) ? i : last), -1);
  const meetsAfterSeconds = lastShort === samples.length - 1 ? undefined : lastShort < 0 ? 0 : Math.max(0, samples[lastShort].t + step);
  return {
    service,
    samples,
    meetsAfterSeconds,
    requestsAboveCapacity: samples.reduce((total, s) => total + s.shortfallRps * step, 0),
    peakShortfallRps: Math.max(0, ...samples.map((s) => s.shortfallRps)),
  };
}

function roundUp(seconds: number, step: number): number {
  return Math.ceil(Math.round((seconds / step) * 1e9) / 1e9) * step;
}

/** Ceiling that ignores floating-point dust (4.000000000001 -> 4). */
function ceil(x: number): number {
  return Math.ceil(Math.round(x * 1e9) / 1e9);
}
