import { type Resources, formatCpu, formatMemory } from '../../lib/capacity';
import { table } from '../../lib/report/markdown';
import { barChart } from '../../lib/report/svg-chart';
import { BURST_SCALE_DOWN, BURST_SCALE_UP } from './burst-spec';
import { type BurstClusterPlan, type BurstPlan, planBurst } from './burst-plan';
import { meshClusters } from '../core/placement-plan';
import { workloadScaling } from '../workload/scaling-plan';
import { workloadFloor } from '../workload/copies-plan';
import { type ReportFile, rehearsalReport } from './surge-rehearsal-report';
import type { ScalingPolicySpec } from '../workload/service-spec';
import type { IRegion } from '../core/tree';

/**
 * The region report's burst section: per link, whether the two clusters absorb the surge, the
 * replicas each side runs at baseline and at peak, the clusters' CPU and memory at peak against
 * what their nodes offer, the scale triggers, how traffic reaches the public side, and the
 * surge rehearsal.
 */
export function burstSection(region: IRegion): string {
  const links = region.spec.burst ?? [];
  if (links.length === 0) return 'No burst links.\n';
  return links.map((link) => linkReport(region, planBurst(region.spec, link))).join('\n');
}

function linkReport(region: IRegion, plan: BurstPlan): string {
  const { link } = plan;
  const spec = region.spec;
  const peakRps = plan.services.reduce((sum, s) => sum + s.peakRps, 0);
  const needed = peakRps * (1 + plan.headroomPercent / 100);
  const capacity = plan.services.reduce((sum, s) => sum + s.capacityRps, 0);
  const to = spec.clusters.find((c) => c.name === link.to)!;
  let out = `**${link.name}**: \`${link.from}\` (government cloud) -> \`${link.to}\` (${to.cloud}), surge ${link.surgeFactor}x with ${plan.headroomPercent}% headroom. `;
  const verdict =
    plan.problems.length === 0
      ? '**Absorbed**'
      : `**Not absorbed** (${plan.problems.length} problem${plan.problems.length === 1 ? '' : 's'}, listed by the synth error)`;
  out += `${verdict}: ${num(capacity)} requests/s at the ceilings against ${num(needed)} needed at peak (${num(peakRps)} plus headroom).\n\n`;
  out += table(
    [
      'service',
      'baseline req/s',
      'peak req/s',
      'req/s per replica',
      'replicas at baseline',
      `replicas at peak (${link.from} + ${link.to})`,
      `ceilings (${link.from} / ${link.to})`,
      `floor on ${link.to}`,
    ],
    plan.services.map((s) => [
      s.name,
      num(s.baselineRps),
      num(s.peakRps),
      num(s.rpsPerReplica),
      `${s.baselineReplicas} on ${link.from}`,
      `${s.govPeakReplicas} + ${s.publicPeakReplicas} = ${s.govPeakReplicas + s.publicPeakReplicas} (needs ${s.peakReplicas})`,
      `${s.govMaxReplicas} / ${s.publicMaxReplicas}`,
      workloadFloor(
        spec,
        spec.services.find((x) => x.name === s.name)!,
        link.to,
      ),
    ]),
  );
  out += `\n![Burst plan of ${link.name}: replicas on ${link.from} and ${link.to} at baseline and at peak](${burstChartPath(region.name, link.name)})\n\n`;
  out += table(
    ['cluster', 'CPU at rest', 'CPU at peak', 'CPU offered', 'memory at rest', 'memory at peak', 'memory offered', 'free at peak'],
    [plan.from, plan.to].map((c) => clusterRow(c)),
  );
  out += '\nRequests count each pod\'s Istio sidecar on meshed clusters; "at rest" is everything else on the cluster at its floor, the shelf included.\n\n';
  out += triggers(region, plan);
  out += `\n${rehearsalReport(region, link)}`;
  return out;
}

/** Where a link's burst-plan chart goes, relative to `reports/`, so the region report can link it. */
export function burstChartPath(region: string, link: string): string {
  return `${region}/${link}-burst.svg`;
}

/** Every burst-plan chart of the region, as files under `reports/`. */
export function burstCharts(region: IRegion): ReportFile[] {
  return (region.spec.burst ?? []).map((link) => ({
    path: `reports/${burstChartPath(region.name, link.name)}`,
    content: burstChart(planBurst(region.spec, link)),
  }));
}

/**
 * The plan as bars: per service, the replicas at baseline and at peak, the government side below
 * the public side, and the replicas the peak needs drawn across the peak bar.
 */
export function burstChart(plan: BurstPlan): string {
  const { link } = plan;
  const gov = `on ${link.from} (government cloud)`;
  const pub = `on ${link.to} (public cloud)`;
  return barChart({
    title: `Burst plan of ${link.name}: ${link.from} -> ${link.to}, surge ${link.surgeFactor}x, ${plan.headroomPercent}% headroom`,
    yLabel: 'replicas',
    series: [
      { name: gov, color: '#1f77b4' },
      { name: pub, color: '#d62728' },
    ],
    groups: plan.services.map((s) => ({
      name: s.name,
      bars: [
        {
          label: 'baseline',
          segments: [
            { series: gov, value: s.baselineReplicas },
            { series: pub, value: s.publicMinReplicas },
          ],
        },
        {
          label: 'peak',
          segments: [
            { series: gov, value: s.govPeakReplicas },
            { series: pub, value: s.publicPeakReplicas },
          ],
          mark: { value: s.peakReplicas, label: 'replicas the peak needs' },
        },
      ],
    })),
  });
}

function clusterRow(c: BurstClusterPlan): unknown[] {
  const rest = c.atRest;
  return [
    c.cluster,
    formatCpu(rest.cpu),
    formatCpu(c.used.cpu),
    formatCpu(c.allocatable.cpu),
    formatMemory(rest.memory),
    formatMemory(c.used.memory),
    formatMemory(c.allocatable.memory),
    free(c.used, c.allocatable),
  ];
}

function free(used: Resources, offered: Resources): string {
  const percent = (u: number, o: number) => `${Math.round(((o - u) / o) * 100)}%`;
  return `CPU ${percent(used.cpu, offered.cpu)}, memory ${percent(used.memory, offered.memory)}`;
}

function triggers(region: IRegion, plan: BurstPlan): string {
  const { link } = plan;
  const scaler = (link.events ?? []).length > 0 ? 'through KEDA' : 'HPA';
  const lines = [
    ...link.services.map((burst) => {
      const gov = workloadScaling(
        region.spec,
        region.spec.services.find((s) => s.name === burst.name)!,
        link.from,
      );
      return `- ${burst.name} on load (${scaler}, both sides): CPU at ${gov.targetCpuUtilization}%, scale-up ${policy(gov.scaleUp ?? BURST_SCALE_UP)}, scale-down ${policy(gov.scaleDown ?? BURST_SCALE_DOWN)}.`;
    }),
    ...(link.events ?? []).map((e) => {
      const desired = plan.services.map((s) => `${s.name} ${s.govPeakReplicas} + ${s.publicPeakReplicas}`).join(', ');
      return `- Event \`${e.name}\`: pre-scaled from \`${e.start}\` to \`${e.end}\` (${e.timezone ?? 'Asia/Shanghai'}) by KEDA cron triggers to the peak (${desired} replicas); the ScaledObjects own the HPAs.`;
    }),
    meshClusters(region.spec).includes(link.from) && meshClusters(region.spec).includes(link.to)
      ? `- Traffic: one mesh across both clusters; callers on \`${link.from}\` reach the public copy through the east-west gateway, spread over ready endpoints, so the public side takes load as it scales.`
      : `- Traffic: no mesh joins the two clusters; front both with the global load balancer. At peak, ${plan.services.map((s) => `${s.name} splits ${split(s.govPeakReplicas, s.publicPeakReplicas)}`).join('; ')}.`,
  ];
  return `Scale triggers and traffic:\n\n${lines.join('\n')}\n`;
}

function policy(p: ScalingPolicySpec): string {
  const steps = [p.percent !== undefined ? `${p.percent}%` : '', p.pods !== undefined ? `${p.pods} pods` : ''].filter(Boolean).join(' or ');
  return `${steps} per ${p.periodSeconds ?? 15}s${p.stabilizationWindowSeconds ? ` after ${p.stabilizationWindowSeconds}s stable` : ''}`;
}

function split(gov: number, pub: number): string {
  const govPercent = Math.round((gov / (gov + pub)) * 100);
  return `${govPercent}% / ${100 - govPercent}%`;
}

function num(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
