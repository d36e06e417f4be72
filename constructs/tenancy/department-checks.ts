import { type Problems } from '../../lib/errors';
import { formatBytes, formatCores, parseQuantity } from '../../lib/quantity';
import type { BlueprintSpec } from '../blueprint-spec';
import { departmentClusters } from '../core/placement-plan';
import { PRIORITY_TIERS } from '../workload/priority-catalogue';
import { departmentTierLoads } from './tier-quota-plan';

/**
 * A tier quota the spec sets must hold the department's services of that tier at their ceiling
 * on each cluster: otherwise their autoscaling stops early, in the tier that matters most. Runs
 * once everything else holds, since the ceilings come from the burst and DR plans.
 */
export function checkTierQuotas(spec: BlueprintSpec, path: string, problems: Problems): void {
  if (!problems.empty) return;
  for (const department of spec.departments) {
    for (const tier of PRIORITY_TIERS) {
      const own = department.quota.tiers?.[tier];
      if (!own) continue;
      const tierPath = `${path}.departments.${department.name}.quota.tiers.${tier}`;
      for (const cluster of departmentClusters(spec, department)) {
        const load = departmentTierLoads(spec, department, cluster).find((l) => l.tier === tier);
        if (!load) continue;
        const needed = load.ceiling;
        const where = `its ${tier} services on cluster "${cluster}" (${load.services.join(', ')}) at their ceiling`;
        const fix = `raise it, or lower their autoscaling.maxReplicas (or replicas)`;
        if (parseQuantity(own.cpu)! < needed.requests.cpu)
          problems.add(`${tierPath}.cpu`, `${JSON.stringify(own.cpu)} is less than the ${formatCores(needed.requests.cpu)} CPU requested by ${where}; ${fix}`);
        if (parseQuantity(own.memory)! < needed.requests.memory)
          problems.add(
            `${tierPath}.memory`,
            `${JSON.stringify(own.memory)} is less than the ${formatBytes(needed.requests.memory)} of memory requested by ${where}; ${fix}`,
          );
        if (own.pods < needed.pods) problems.add(`${tierPath}.pods`, `${own.pods} is less than the ${needed.pods} pods of ${where}; ${fix}`);
      }
    }
  }
}
