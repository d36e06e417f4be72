import { type Resources, NO_RESOURCES, addResources, scaleResources, shortfall } from '../../lib/capacity';
import { parseQuantity } from '../../lib/quantity';
import type { BlueprintSpec } from '../blueprint-spec';
import type { ClusterSpec } from '../core/cluster-spec';
import type { DepartmentSpec } from '../tenancy/department-spec';
import { clusterAllocatable, clusterFloorLoad, middlewareLoad } from '../core/cluster-load-plan';
import { departmentClusters, meshClusters, middlewareReachableClusters, serviceClusters } from '../core/placement-plan';
import { planMiddleware } from '../middleware/middleware-plan';
import { SIDECAR_RESOURCES } from '../mesh/istio-values';
import { serviceLoad } from '../tenancy/tier-quota-plan';
import { containerLimits } from '../workload/limits-plan';

// Requests and limits of what the blueprint plans, against what is reserved (quotas) and offered
// (allocatable). Every figure comes from the plans the quotas and capacity checks use.

/** One department's namespace on one cluster. */
export interface DepartmentUtilisation {
  readonly department: string;
  /** Requests of its services at their floor (canaries and sidecars included). */
  readonly floor: Resources;
  /** Requests of its services at their ceiling. */
  readonly ceiling: Resources;
  /** Requests of a rollout at the ceiling (surge pods on top): the most the quota must hold. */
  readonly rollout: Resources;
  /** Container limits at the ceiling. */
  readonly limits: Resources;
  /** The namespace's ResourceQuota (`requests.cpu`, `requests.memory`). */
  readonly quota: Resources;
  /** Quota the ceiling never reaches: reserved, never used. */
  readonly idle: Resources;
}

export interface ClusterUtilisation {
  readonly cluster: ClusterSpec;
  /** What the nodes offer. */
  readonly allocatable: Resources;
  readonly departments: readonly DepartmentUtilisation[];
  /** The middleware shelf's requests (the same at rest and at the ceiling: a fixed replica count). */
  readonly shelf: Resources;
  readonly shelfLimits: Resources;
  /** Everything at its floor: the load the capacity plans call "at rest". */
  readonly floor: Resources;
  /** Every service at its ceiling, and the shelf. */
  readonly ceiling: Resources;
  /** Limits of everything at the ceiling. */
  readonly limits: Resources;
  /** The departments' quotas together: what the cluster has promised. */
  readonly quotas: Resources;
}

/** Per cluster in spec order: its departments, its shelf and its totals. The spec must be valid. */
export function planUtilisation(spec: BlueprintSpec): ClusterUtilisation[] {
  return spec.clusters.map((cluster) => {
    const departments = spec.departments.filter((d) => departmentClusters(spec, d).includes(cluster.name)).map((d) => departmentUtilisation(spec, d, cluster));
    const shelf = middlewareLoad(spec, cluster);
    const shelfLimits = middlewareLimits(spec, cluster);
    return {
      cluster,
      allocatable: clusterAllocatable(cluster),
      departments,
      shelf,
      shelfLimits,
      floor: clusterFloorLoad(spec, cluster),
      ceiling: addResources(shelf, ...departments.map((d) => d.ceiling)),
      limits: addResources(shelfLimits, ...departments.map((d) => d.limits)),
      quotas: addResources(...departments.map((d) => d.quota)),
    };
  });
}

function departmentUtilisation(spec: BlueprintSpec, department: DepartmentSpec, cluster: ClusterSpec): DepartmentUtilisation {
  const services = spec.services.filter((s) => s.department === department.name && serviceClusters(spec, s).includes(cluster.name));
  const loads = services.map((s) => ({ service: s, load: serviceLoad(spec, s, cluster.name) }));
  const sidecar = meshClusters(spec).includes(cluster.name)
    ? { cpu: parseQuantity(SIDECAR_RESOURCES.limits.cpu)!, memory: parseQuantity(SIDECAR_RESOURCES.limits.memory)! }
    : NO_RESOURCES;
  const limits = addResources(
    ...loads.map(({ service, load }) => {
      const own = containerLimits(service, department);
      return scaleResources(addResources({ cpu: parseQuantity(own.cpu)!, memory: parseQuantity(own.memory)! }, sidecar), load.ceiling.pods);
    }),
  );
  const ceiling = addResources(...loads.map((l) => l.load.ceiling.requests));
  const quota = { cpu: parseQuantity(department.quota.cpu)!, memory: parseQuantity(department.quota.memory)! };
  return {
    department: department.name,
    floor: addResources(...loads.map((l) => l.load.floor.requests)),
    ceiling,
    rollout: addResources(...loads.map((l) => l.load.rollout.requests)),
    limits,
    quota,
    idle: shortfall(quota, ceiling),
  };
}

/** Limits of every shelf instance on the cluster (main component replicas, as `middlewareLoad` counts requests). */
function middlewareLimits(spec: BlueprintSpec, cluster: ClusterSpec): Resources {
  return addResources(
    ...(spec.middleware ?? [])
      .filter((m) => middlewareReachableClusters(spec, m).includes(cluster.name))
      .map((m) => {
        const plan = planMiddleware(m, cluster);
        return scaleResources({ cpu: parseQuantity(plan.resources.limits.cpu)!, memory: parseQuantity(plan.resources.limits.memory)! }, plan.replicas);
      }),
  );
}
