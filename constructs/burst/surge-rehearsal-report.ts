import { type ChartSeries, lineChart } from '../../lib/report/svg-chart';
import { table } from '../../lib/report/markdown';
import type { BurstLinkSpec } from './burst-spec';
import { type RehearsalSample, type ScenarioRun, type SurgeRehearsal, rehearseSurge } from './surge-rehearsal-plan';
import type { IRegion } from '../core/tree';

/** A chart file of the region's reports: `path` relative to the output root. */
export interface ReportFile {
  readonly path: string;
  readonly content: string;
}

/** Where a link's chart goes, relative to `reports/`, so the region report can link it. */
export function rehearsalChartPath(region: string, link: string): string {
  return `${region}/${link}-rehearsal.svg`;
}

/** Every rehearsal chart of the region, as files under `reports/`. */
export function rehearsalCharts(region: IRegion): ReportFile[] {
  return (region.spec.burst ?? []).map((link) => ({
    path: `reports/${rehearsalChartPath(region.name, link.name)}`,
    content: rehearsalChart(rehearseSurge(region.spec, link)),
  }));
}

/** The rehearsal of one link in the region report: the verdict, the key numbers per service, the chart, and the model. */
export function rehearsalReport(region: IRegion, link: BurstLinkSpec): string {
  const r = rehearseSurge(region.spec, link);
  const { settings } = r;
  const scenarios = [r.load, ...(r.preScaled ? [r.preScaled] : [])];
  let out = `Surge rehearsal (a simulation of the surge under the generated scaling, in ${settings.stepSeconds}s steps for ${seconds(settings.durationSeconds)} after it starts; `;
  out += `demand ${settings.rampSeconds === 0 ? 'steps' : `ramps over ${seconds(settings.rampSeconds)}`} from the baseline to ${link.surgeFactor}x): ${verdict(r)}\n\n`;
  out += table(
    [
      'service',
      'scenario',
      'capacity meets demand after',
      'requests above capacity',
      'peak shortfall req/s',
      `replicas at the end (${link.from} + ${link.to})`,
    ],
    scenarios.flatMap((run) =>
      run.services.map((s) => {
        const last = s.samples[s.samples.length - 1];
        return [
          s.service.name,
          scenarioName(run),
          meets(s.meetsAfterSeconds, settings.durationSeconds),
          num(s.requestsAboveCapacity),
          num(s.peakShortfallRps),
          `${last.gov.replicas} + ${last.public.replicas}`,
        ];
      }),
    ),
  );
  out += `\n![Surge rehearsal of ${link.name}: load and capacity of each side over time](${rehearsalChartPath(region.name, link.name)})\n\n`;
  out += `The model: ${modelNotes(r).join('; ')}.\n`;
  return out;
}

function verdict(r: SurgeRehearsal): string {
  const { load, preScaled, settings } = r;
  const onLoad =
    load.requestsAboveCapacity === 0
      ? '**on load alone, capacity meets demand throughout**'
      : `**on load alone, ${num(load.requestsAboveCapacity)} requests above capacity** (peak shortfall ${num(load.peakShortfallRps)} req/s), capacity meets demand ${meets(load.meetsAfterSeconds, settings.durationSeconds)}`;
  if (!preScaled) return `${onLoad}; the link has no events to pre-scale for.`;
  const events = (r.link.events ?? []).map((e) => `\`${e.name}\``).join(', ');
  const lead = seconds(settings.preScaleLeadSeconds);
  return preScaled.requestsAboveCapacity === 0
    ? `${onLoad}; **the pre-scale of ${events} (starting ${lead} before the surge) avoids the shortfall**.`
    : `${onLoad}; **the pre-scale of ${events} (starting ${lead} before the surge) does not avoid it**: ${num(preScaled.requestsAboveCapacity)} requests above capacity (peak shortfall ${num(preScaled.peakShortfallRps)} req/s), capacity meets demand ${meets(preScaled.meetsAfterSeconds, settings.durationSeconds)}.`;
}

function modelNotes(r: SurgeRehearsal): string[] {
  const { settings, link } = r;
  const podStarts = [...new Set(r.services.map((s) => s.gov.readySeconds))].map((s) => `${s}s`).join(' or ');
  return [
    'each side gets a share of the demand in proportion to its ready replicas',
    'a ready replica serves rpsPerReplica at the CPU target, so rpsPerReplica x 100 / target at its full CPU request: that is its capacity, and requests above it queue or fail',
    'the HPA syncs every 15s on the load of the 15s before, wants load / rpsPerReplica replicas and moves only when that is more than 10% off, as far as the stabilisation window and the scale-up policies allow (the larger step wins), up to the ceiling',
    'a workload at zero is woken to one replica by KEDA (polling every 15s) only by an active cron trigger',
    `a new pod serves after ${settings.podStartSeconds !== undefined ? 'the declared pod start' : "the pod-start allowance (30s, the readiness probe's initial delay and one period)"}: ${podStarts} here` +
      (settings.nodeProvisioningSeconds > 0 ? `, plus ${seconds(settings.nodeProvisioningSeconds)} for a new node on \`${link.to}\`` : ', nodes already there'),
    'scale-down is not simulated',
  ];
}

/** The chart: one panel per scenario, load and capacity of each side summed over the link's services. */
export function rehearsalChart(r: SurgeRehearsal): string {
  const { link } = r;
  const panel = (run: ScenarioRun) => ({
    title: `${scenarioName(run)}: ${run.requestsAboveCapacity === 0 ? 'no requests above capacity' : `${num(run.requestsAboveCapacity)} requests above capacity`}`,
    series: [
      series(`demand`, '#000000', run, (s) => s.demandRps, true),
      series(`load on ${link.from}`, '#1f77b4', run, (s) => s.gov.loadRps),
      series(`capacity of ${link.from}`, '#1f77b4', run, (s) => s.gov.capacityRps, true),
      series(`load on ${link.to}`, '#d62728', run, (s) => s.public.loadRps),
      series(`capacity of ${link.to}`, '#d62728', run, (s) => s.public.capacityRps, true),
    ],
  });
  return lineChart({
    title: `Surge rehearsal of ${link.name}: ${link.from} -> ${link.to}, ${link.surgeFactor}x`,
    xLabel: 'seconds from the surge',
    yLabel: 'requests per second',
    panels: [r.load, ...(r.preScaled ? [r.preScaled] : [])].map(panel),
    formatY: (y) => Math.round(y).toLocaleString('en-US'),
  });
}

/** A series as the step function the simulation computes: constant over each step. */
function series(name: string, color: string, run: ScenarioRun, value: (s: RehearsalSample) => number, dashed = false): ChartSeries {
  const samples = run.samples;
  const step = samples.length > 1 ? samples[1].t - samples[0].t : 1;
  const points: [number, number][] = [];
  samples.forEach((s, i) => {
    const v = round(value(s));
    if (i === 0) points.push([s.t, v]);
    else if (v !== round(value(samples[i - 1]))) points.push([s.t, round(value(samples[i - 1]))], [s.t, v]);
  });
  const last = samples[samples.length - 1];
  points.push([last.t + step, round(value(last))]);
  return dashed ? { name, color, points, dashed } : { name, color, points };
}

function scenarioName(run: ScenarioRun): string {
  return run.scenario === 'load' ? 'on load alone' : 'pre-scaled by the event';
}

function meets(after: number | undefined, duration: number): string {
  if (after === undefined) return `not within ${seconds(duration)}`;
  return after === 0 ? 'from the start' : `after ${seconds(after)}`;
}

/** Seconds as the report writes them: "45s", "5m", "2m30s". */
function seconds(value: number): string {
  const m = Math.floor(value / 60);
  const s = value % 60;
  return m === 0 ? `${s}s` : s === 0 ? `${m}m` : `${m}m${s}s`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function num(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
