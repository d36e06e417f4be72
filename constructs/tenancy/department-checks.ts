import { type Problems } from '../../lib/errors';
import { formatBytes, formatCores, parseQuantity } from '../../lib/quantity';
import type { BlueprintSpec } from '../blueprint-spec';
import { departmentClusters, meshClusters } from '../core/placement-plan';
import { PRIORITY_TIERS } from '../workload/priority-catalogue';
import { DEFAULT_QUOTA_PODS, type DepartmentSpec } from './department-spec';
import { departmentQuotaFit } from './quota-fit-plan';
import { type PodLoad, departmentTierLoads } from './tier-quota-plan';

/**
 * Each department's quotas against its services on each of its clusters: the department quota
 * (requests.cpu, requests.memory, pods) must admit every service at its floor, or pods the
 * blueprint plans at rest would never start; a tier quota the spec sets must hold the tier's
 * services at their ceiling. Runs once everything else holds, since floors and ceilings come from
 * the burst and DR plans; reports every cluster and resource at once.
 */
export function checkDepartmentQuotas(spec: BlueprintSpec, path: string, problems: Problems): void {
  if (!problems.empty) return;
  for (const department of spec.departments) checkQuotaFloor(spec, department, path, problems);
  checkTierQuotas(spec, path, problems);
}

function checkQuotaFloor(spec: BlueprintSpec, department: DepartmentSpec, path: string, problems: Problems): void {
  const quotaPath = `${path}.departments.${department.name}.quota`;
  for (const cluster of departmentClusters(spec, department)) {
    const fit = departmentQuotaFit(spec, department, cluster);
    if (fit.floorOver.length === 0) continue;
    const sidecars = meshClusters(spec).includes(cluster) ? ', Istio sidecars included' : '';
    const where = `its services on cluster "${cluster}" (${fit.services.join(', ')}) at their floor${sidecars}`;
    const fix = 'lower their autoscaling.minReplicas (or replicas), or move a service to another cluster';
    const { floor } = fit;
    for (const resource of fit.floorOver) {
      if (resource === 'cpu')
        problems.add(
          `${quotaPath}.cpu`,
          `${JSON.stringify(department.quota.cpu)} cannot admit the ${formatCores(floor.requests.cpu)} CPU requested by ${where}; raise it to at least "${formatCores(floor.requests.cpu)}", or ${fix}`,
        );
      if (resource === 'memory')
        problems.add(
          `${quotaPath}.memory`,
          `${JSON.stringify(department.quota.memory)} cannot admit the ${formatBytes(floor.requests.memory)} of memory requested by ${where}; raise it to at least "${formatBytes(floor.requests.memory)}", or ${fix}`,
        );
      if (resource === 'pods') {
        const value = department.quota.pods === undefined ? `${DEFAULT_QUOTA_PODS} (the default)` : String(department.quota.pods);
        problems.add(`${quotaPath}.pods`, `${value} cannot admit the ${floor.pods} pods of ${where}; raise it to at least ${floor.pods}, or ${fix}`);
      }
    }
  }
}

/**
 * A tier quota the spec sets must hold the department's services of that tier at their ceiling
 * on each cluster: otherwise their autoscaling stops early, in the tier that matters most. Below
 * their floor it cannot even admit them at rest, and the message says so.
 */
function checkTierQuotas(spec: BlueprintSpec, path: string, problems: Problems): void {
  for (const department of spec.departments) {
    for (const tier of PRIORITY_TIERS) {
      const own = department.quota.tiers?.[tier];
      if (!own) continue;
      const tierPath = `${path}.departments.${department.name}.quota.tiers.${tier}`;
      for (const cluster of departmentClusters(spec, department)) {
        const load = departmentTierLoads(spec, department, cluster).find((l) => l.tier === tier);
        if (!load) continue;
        const services = `its ${tier} services on cluster "${cluster}" (${load.services.join(', ')})`;
        const check = (
          resource: 'cpu' | 'memory' | 'pods',
          value: string | number,
          have: number,
          need: (at: PodLoad) => number,
          amount: (n: number) => string,
        ) => {
          const of = resource === 'pods' ? 'of' : 'requested by';
          if (have < need(load.floor))
            problems.add(
              `${tierPath}.${resource}`,
              `${JSON.stringify(value)} cannot admit the ${amount(need(load.floor))} ${of} ${services} at their floor; raise it (at their ceiling they need ${amount(need(load.ceiling))}), or lower their autoscaling.minReplicas (or replicas)`,
            );
          else if (have < need(load.ceiling))
            problems.add(
              `${tierPath}.${resource}`,
              `${JSON.stringify(value)} is less than the ${amount(need(load.ceiling))} ${of} ${services} at their ceiling; raise it, or lower their autoscaling.maxReplicas (or replicas)`,
            );
        };
        check(
          'cpu',
          own.cpu,
          parseQuantity(own.cpu)!,
          (l) => l.requests.cpu,
          (n) => `${formatCores(n)} CPU`,
        );
        check(
          'memory',
          own.memory,
          parseQuantity(own.memory)!,
          (l) => l.requests.memory,
          (n) => `${formatBytes(n)} of memory`,
        );
        check(
          'pods',
          own.pods,
          own.pods,
          (l) => l.pods,
          (n) => `${n} pods`,
        );
      }
    }
  }
}
