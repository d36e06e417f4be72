import { type Problems } from '../../lib/errors';
import { parseQuantity } from '../../lib/quantity';
import type { BlueprintSpec } from '../blueprint-spec';
import { DEFAULT_LIMITS } from '../tenancy/department-spec';
import { containerLimits } from './limits-plan';

/**
 * Every container fits its department's LimitRange maximum, request and limit. A request above the
 * maximum is an error rather than a limit raised to meet it: the LimitRange refuses any container
 * asking for more than its maximum, so raising the limit would only move the refusal to the cluster.
 * (With the request at most the maximum, the default CPU limit, twice the request capped at the
 * maximum, is never below the request.)
 */
export function checkContainerLimits(spec: BlueprintSpec, path: string, problems: Problems): void {
  for (const service of spec.services) {
    const department = spec.departments.find((d) => d.name === service.department);
    if (!department) continue; // core-checks names the unknown department
    const max = department.limits?.max ?? DEFAULT_LIMITS.max;
    const maxPath = `departments.${department.name}.limits.max`;
    const limits = containerLimits(service, department);
    for (const resource of ['cpu', 'memory'] as const) {
      const request = service.resources.requests[resource];
      const fix = `lower it, or raise ${maxPath}.${resource}`;
      if (parseQuantity(request)! > parseQuantity(max[resource])!) {
        problems.add(
          `${path}.services.${service.name}.resources.requests.${resource}`,
          `${JSON.stringify(request)} is more than the container maximum of department "${department.name}" (${JSON.stringify(max[resource])}), which its LimitRange enforces, so its pods would be refused; ${fix}`,
        );
      } else if (service.resources.limits?.[resource] !== undefined && parseQuantity(limits[resource])! > parseQuantity(max[resource])!) {
        problems.add(
          `${path}.services.${service.name}.resources.limits.${resource}`,
          `${JSON.stringify(limits[resource])} is more than the container maximum of department "${department.name}" (${JSON.stringify(max[resource])}), which its LimitRange enforces, so its pods would be refused; ${fix}`,
        );
      }
    }
  }
}
