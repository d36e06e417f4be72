import { formatCores, parseQuantity } from '../../lib/quantity';
import { DEFAULT_LIMITS, type DepartmentSpec } from '../tenancy/department-spec';
import type { ServiceSpec } from './service-spec';

/**
 * The limits of a service's container, as its Deployment writes them: the memory limit defaults
 * to the request (no overcommit of what cannot be reclaimed); the CPU limit to twice the request,
 * capped at the department's container maximum.
 */
export function containerLimits(service: ServiceSpec, department: DepartmentSpec): { readonly cpu: string | number; readonly memory: string | number } {
  const { requests, limits } = service.resources;
  const maxCpu = (department.limits?.max ?? DEFAULT_LIMITS.max).cpu;
  return {
    cpu: limits?.cpu ?? formatCores(Math.min(2 * parseQuantity(requests.cpu)!, parseQuantity(maxCpu)!)),
    memory: limits?.memory ?? requests.memory,
  };
}
