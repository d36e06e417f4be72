import { parseQuantity } from '../../lib/quantity';
import type { BlueprintSpec } from '../blueprint-spec';
import { serviceClusters } from '../core/placement-plan';
import { DEFAULT_QUOTA_PODS, type DepartmentSpec } from './department-spec';
import { NO_PODS, type PodLoad, serviceLoad } from './tier-quota-plan';

// A department's quota (one ResourceQuota per namespace, so per cluster) against its services'
// pods there. The synth check and the report's verdict both read this plan, so they agree.

/** What a ResourceQuota counts that the plans know: `requests.cpu`, `requests.memory`, `pods`. */
export type QuotaResource = 'cpu' | 'memory' | 'pods';
export const QUOTA_RESOURCES: readonly QuotaResource[] = ['cpu', 'memory', 'pods'];

export interface QuotaFit {
  readonly cluster: string;
  /** The department's services on the cluster. */
  readonly services: readonly string[];
  /** Every service at its floor there (every track, sidecars included on meshed clusters). */
  readonly floor: PodLoad;
  /** Every service at its ceiling there. */
  readonly ceiling: PodLoad;
  /** The quota: cores, bytes, pods. */
  readonly quota: { readonly cpu: number; readonly memory: number; readonly pods: number };
  /** Where the floor exceeds the quota: pods at rest it cannot admit (a synth error). */
  readonly floorOver: readonly QuotaResource[];
  /** Where the ceiling exceeds the quota: autoscaling stops early (a warning in the report). */
  readonly ceilingOver: readonly QuotaResource[];
}

function over(load: PodLoad, quota: QuotaFit['quota']): QuotaResource[] {
  const used = { cpu: load.requests.cpu, memory: load.requests.memory, pods: load.pods };
  return QUOTA_RESOURCES.filter((r) => used[r] > quota[r]);
}

/** The department's quota on one of its clusters against its services there. The spec must be valid. */
export function departmentQuotaFit(spec: BlueprintSpec, department: DepartmentSpec, cluster: string): QuotaFit {
  const services = spec.services.filter((s) => s.department === department.name && serviceClusters(spec, s).includes(cluster));
  const loads = services.map((s) => serviceLoad(spec, s, cluster));
  const sum = (pick: (l: (typeof loads)[number]) => PodLoad): PodLoad =>
    loads
      .map(pick)
      .reduce(
        (a, b) => ({ pods: a.pods + b.pods, requests: { cpu: a.requests.cpu + b.requests.cpu, memory: a.requests.memory + b.requests.memory } }),
        NO_PODS,
      );
  const floor = sum((l) => l.floor);
  const ceiling = sum((l) => l.ceiling);
  const quota = {
    cpu: parseQuantity(department.quota.cpu)!,
    memory: parseQuantity(department.quota.memory)!,
    pods: department.quota.pods ?? DEFAULT_QUOTA_PODS,
  };
  return { cluster, services: services.map((s) => s.name), floor, ceiling, quota, floorOver: over(floor, quota), ceilingOver: over(ceiling, quota) };
}
