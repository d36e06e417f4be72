import { type Resources, formatCpu, formatMemory, shortfall } from '../../lib/capacity';
import { table } from '../../lib/report/markdown';
import { type ScheduledEventPlan, type ScheduledScope, planSchedules } from './schedule-plan';
import type { IRegion } from '../core/tree';

/** Whether any service of the region has events of its own: the report shows the section only then. */
export function hasScheduledScaling(region: IRegion): boolean {
  return region.spec.services.some((s) => (s.autoscaling?.schedule ?? []).length > 0);
}

/**
 * The region report's scheduled-scaling section: per event and cluster, when it holds, the
 * replicas of its services outside it, during it and at the ceiling, and what the cluster's nodes
 * and each department's quota have to spare with them held and everything else at its floor.
 */
export function scheduledScalingSection(region: IRegion): string {
  const plan = planSchedules(region.spec);
  let out =
    "The services' own events (`autoscaling.schedule`), pre-scaled inside their own clusters: a KEDA cron trigger holds each service at the event's replicas, " +
    'and its CPU trigger scales it on load above them up to its ceiling (the ScaledObject owns the HPA). During an event its services are held together, ' +
    'everything else at its floor (the shelf and sidecars on meshed clusters included); held replicas that do not fit are a synth error.\n\n';
  out += plan.events.map((event) => eventReport(event, plan.problems.length)).join('\n');
  return out;
}

function eventReport(event: ScheduledEventPlan, problems: number): string {
  const fits = event.scopes.every((s) => s.missing.cpu === 0 && s.missing.memory === 0);
  const verdict = fits ? '**Fits**' : `**Does not fit** (${problems} problem${problems === 1 ? '' : 's'}, listed by the synth error)`;
  let out = `**${event.name}** on \`${event.cluster}\`: from \`${event.start}\` to \`${event.end}\` (${event.timezone}). ${verdict}.\n\n`;
  out += table(
    ['service', 'department', 'replicas outside the event', 'held during the event', 'ceiling'],
    event.services.map((s) => [s.name, s.department, s.floor, s.held, s.ceiling]),
  );
  out += '\n';
  out += table(
    ['scope', 'offered', 'requests held', 'headroom held', 'requests at the ceilings', 'at the ceilings'],
    event.scopes.map((s) => [
      s.kind === 'cluster' ? `cluster \`${s.name}\` (nodes)` : `department \`${s.name}\` (quota)`,
      resources(s.offered),
      resources(s.held),
      headroom(s.held, s.offered),
      resources(s.ceiling),
      ceilingVerdict(s),
    ]),
  );
  return out;
}

function resources(r: Resources): string {
  return `${formatCpu(r.cpu)} CPU, ${formatMemory(r.memory)}`;
}

function headroom(used: Resources, offered: Resources): string {
  const percent = (u: number, o: number) => `${Math.round(((o - u) / o) * 100)}%`;
  return `${formatCpu(offered.cpu - used.cpu)} CPU (${percent(used.cpu, offered.cpu)}), ${formatMemory(offered.memory - used.memory)} (${percent(used.memory, offered.memory)})`;
}

function ceilingVerdict(scope: ScheduledScope): string {
  const over = shortfall(scope.ceiling, scope.offered);
  if (over.cpu === 0 && over.memory === 0) return 'fits';
  const by = [over.cpu > 0 ? `${formatCpu(over.cpu)} CPU` : '', over.memory > 0 ? formatMemory(over.memory) : ''].filter(Boolean).join(' and ');
  return `over by ${by}: autoscaling stops below the ceiling`;
}
