import { type Resources, addResources, formatCpu, formatMemory, scaleResources, shortfall } from '../../lib/capacity';
import { parseQuantity } from '../../lib/quantity';
import type { Problem } from '../../lib/errors';
import type { BlueprintSpec } from '../blueprint-spec';
import { DEFAULT_EVENT_TIMEZONE } from './schedule-spec';
import { serviceHomeClusters } from '../core/placement-plan';
import { clusterAllocatable, clusterFloorLoad, podRequests, servicesFloorLoad } from '../core/cluster-load-plan';
import { primaryReplicas } from './copies-plan';

// The capacity check of the services' own scheduled events (`autoscaling.schedule`): during an
// event, on each cluster, its services are held at the event's replicas and everything else runs
// at its floor. The held replicas must fit the cluster's nodes and each department's quota, or
// the pre-scale would leave pods pending on the day. Events that share a name are one event: their
// services are held together (cron lines cannot tell whether two differently named events overlap).

/** One service held by an event on one cluster. */
export interface ScheduledService {
  readonly name: string;
  readonly department: string;
  /** Replicas outside the event. */
  readonly floor: number;
  /** Replicas the event holds (its `minReplicas`). */
  readonly held: number;
  /** Where the autoscaler stops during the event: `autoscaling.maxReplicas`. */
  readonly ceiling: number;
}

/** What holds the event's services on a cluster: its nodes, or one department's quota there. */
export interface ScheduledScope {
  readonly kind: 'cluster' | 'department';
  readonly name: string;
  /** The nodes' allocatable resources, or the department's quota. */
  readonly offered: Resources;
  /** Requests in the scope during the event: its services held, the rest at its floor. */
  readonly held: Resources;
  /** The same with the event's services at their ceilings. */
  readonly ceiling: Resources;
  /** How far `held` exceeds `offered`; zero where it fits. */
  readonly missing: Resources;
}

/** One event on one cluster. */
export interface ScheduledEventPlan {
  readonly name: string;
  readonly cluster: string;
  readonly start: string;
  readonly end: string;
  readonly timezone: string;
  readonly services: readonly ScheduledService[];
  /** The cluster first, then each department of the event's services, in spec order. */
  readonly scopes: readonly ScheduledScope[];
}

export interface SchedulePlan {
  /** Per cluster (in spec order), its events in order of first appearance. */
  readonly events: readonly ScheduledEventPlan[];
  /** Where an event does not fit, at the event of the first service it holds there, with the fix. */
  readonly problems: readonly Problem[];
}

/** The capacity check of every service's own events. The spec's references must be valid. */
export function planSchedules(spec: BlueprintSpec): SchedulePlan {
  const events: ScheduledEventPlan[] = [];
  const problems: Problem[] = [];
  for (const cluster of spec.clusters) {
    const scheduled = spec.services.filter((s) => (s.autoscaling?.schedule ?? []).length > 0 && serviceHomeClusters(spec, s).includes(cluster.name));
    const names = [...new Set(scheduled.flatMap((s) => s.autoscaling!.schedule!.map((e) => e.name)))];
    for (const name of names) {
      const services = scheduled.filter((s) => s.autoscaling!.schedule!.some((e) => e.name === name));
      const event = services[0].autoscaling!.schedule!.find((e) => e.name === name)!;
      const held = services.map((s): ScheduledService => {
        const { min, max } = primaryReplicas(s);
        return { name: s.name, department: s.department, floor: min, held: s.autoscaling!.schedule!.find((e) => e.name === name)!.minReplicas, ceiling: max };
      });
      const pods = held.map((h, i) => ({ ...h, pod: podRequests(spec, services[i], cluster.name) }));
      // `rest` counts the whole scope at its floor (canaries included); the event adds its services' pods above their floor.
      const scope = (kind: ScheduledScope['kind'], scopeName: string, offered: Resources, rest: Resources, of: typeof pods): ScheduledScope => {
        const above = (count: (s: ScheduledService) => number) => addResources(rest, ...of.map((s) => scaleResources(s.pod, count(s) - s.floor)));
        const atEvent = above((s) => s.held);
        return { kind, name: scopeName, offered, held: atEvent, ceiling: above((s) => s.ceiling), missing: shortfall(atEvent, offered) };
      };
      const scopes = [scope('cluster', cluster.name, clusterAllocatable(cluster), clusterFloorLoad(spec, cluster), pods)];
      for (const department of spec.departments.filter((d) => services.some((s) => s.department === d.name))) {
        const quota = { cpu: parseQuantity(department.quota.cpu)!, memory: parseQuantity(department.quota.memory)! };
        const rest = servicesFloorLoad(
          spec,
          spec.services.filter((s) => s.department === department.name),
          cluster.name,
        );
        scopes.push(
          scope(
            'department',
            department.name,
            quota,
            rest,
            pods.filter((s) => s.department === department.name),
          ),
        );
      }
      const plan: ScheduledEventPlan = {
        name,
        cluster: cluster.name,
        start: event.start,
        end: event.end,
        timezone: event.timezone ?? DEFAULT_EVENT_TIMEZONE,
        services: held,
        scopes,
      };
      events.push(plan);
      for (const s of scopes) {
        if (s.missing.cpu === 0 && s.missing.memory === 0) continue;
        // At the event of the first service the scope holds: for a quota, one of the department's own.
        const first = services.find((x) => s.kind === 'cluster' || x.department === s.name)!;
        problems.push({ path: `services.${first.name}.autoscaling.schedule.${name}`, message: shortMessage(spec, plan, s) });
      }
    }
  }
  return { events, problems };
}

function shortMessage(spec: BlueprintSpec, plan: ScheduledEventPlan, scope: ScheduledScope): string {
  const { held, offered, missing } = scope;
  const services = plan.services.filter((s) => scope.kind === 'cluster' || s.department === scope.name);
  const holding = services.map((s) => `${s.name} at ${s.held}`).join(', ');
  const short = [missing.cpu > 0 ? `${formatCpu(missing.cpu)} CPU` : '', missing.memory > 0 ? formatMemory(missing.memory) : ''].filter(Boolean).join(' and ');
  const lower = `or lower the event's minReplicas`;
  if (scope.kind === 'department') {
    const raise = [
      missing.cpu > 0 ? `cpu to "${formatCpu(Math.ceil(held.cpu))}"` : '',
      missing.memory > 0 ? `memory to "${Math.ceil(held.memory / 2 ** 30)}Gi"` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const quota = spec.departments.find((d) => d.name === scope.name)!.quota;
    return (
      `event "${plan.name}" holds ${holding} on cluster "${plan.cluster}": department "${scope.name}" then requests ${formatCpu(held.cpu)} CPU and ${formatMemory(held.memory)}, ` +
      `more than its quota (${quota.cpu} CPU, ${quota.memory}), which would refuse the pre-scaled pods: short by ${short}; raise departments.${scope.name}.quota ${raise}, ${lower}`
    );
  }
  const cluster = spec.clusters.find((c) => c.name === plan.cluster)!;
  const perNode = { cpu: offered.cpu / cluster.capacity.nodes, memory: offered.memory / cluster.capacity.nodes };
  const nodes = Math.max(Math.ceil(missing.cpu / perNode.cpu), Math.ceil(missing.memory / perNode.memory));
  return (
    `event "${plan.name}" holds ${holding} on cluster "${plan.cluster}": with everything else at its floor it needs ${formatCpu(held.cpu)} CPU and ${formatMemory(held.memory)} of requests, ` +
    `its ${cluster.capacity.nodes} nodes offer ${formatCpu(offered.cpu)} CPU and ${formatMemory(offered.memory)}, so pre-scaled pods would stay pending: short by ${short}; ` +
    `raise clusters.${cluster.name}.capacity.nodes to ${cluster.capacity.nodes + nodes}, ${lower}`
  );
}
