import type { Problems } from '../../lib/errors';
import type { BlueprintSpec } from '../blueprint-spec';
import { DEFAULT_EVENT_TIMEZONE, type ScheduledScalingSpec } from './schedule-spec';
import { burstLinksFrom } from './copies-plan';
import { serviceHomeClusters } from '../core/placement-plan';
import { planSchedules } from './schedule-plan';

/**
 * The services' own events across the blueprint: each is one cron trigger beside the burst
 * link's (so their names differ), events sharing a name are one event (so their times agree),
 * and, once everything else holds, every event fits its clusters and quotas.
 */
export function checkScheduledScaling(spec: BlueprintSpec, path: string, problems: Problems): void {
  const first = new Map<string, { service: string; event: ScheduledScalingSpec }>();
  for (const service of spec.services) {
    for (const event of service.autoscaling?.schedule ?? []) {
      const eventPath = `${path}.services.${service.name}.autoscaling.schedule.${event.name}`;
      for (const cluster of serviceHomeClusters(spec, service)) {
        for (const link of burstLinksFrom(spec, service, cluster)) {
          if ((link.events ?? []).some((e) => e.name === event.name)) {
            problems.add(
              `${eventPath}.name`,
              `burst link "${link.name}" has an event of the same name, and both become cron triggers of one ScaledObject on cluster "${cluster}", where KEDA needs distinct names; rename one (the link already holds the service at its planned peak during its own event)`,
            );
          }
        }
      }
      const earlier = first.get(event.name);
      if (!earlier) {
        first.set(event.name, { service: service.name, event });
        continue;
      }
      const when = (e: ScheduledScalingSpec) => `${e.start} to ${e.end} (${e.timezone ?? DEFAULT_EVENT_TIMEZONE})`;
      if (when(earlier.event) !== when(event)) {
        problems.add(
          eventPath,
          `runs ${when(event)}, but services.${earlier.service} has event "${event.name}" at ${when(earlier.event)}; events sharing a name are one event, whose capacity is checked with all its services held together: give them the same start, end and timezone, or different names`,
        );
      }
    }
  }
  // The plan needs every reference to hold (departments, clusters, burst plans).
  if (!problems.empty) return;
  for (const p of planSchedules(spec).problems) problems.add(`${path}.${p.path}`, p.message);
}
