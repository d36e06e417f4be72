import type { BlueprintSpec } from '../blueprint-spec';
import type { DepartmentSpec } from '../tenancy/department-spec';
import type { ServiceSpec } from '../workload/service-spec';
import type { MiddlewareSpec } from '../middleware/middleware-spec';
import type { ClusterSpec } from './cluster-spec';

/** Every gov cluster: where departments and the middleware shelf live unless told otherwise. */
export function govClusters(spec: BlueprintSpec): readonly string[] {
  return spec.clusters.filter((c) => c.role === 'gov').map((c) => c.name);
}

/** The clusters a department is declared on: its own list, or every gov cluster. */
export function departmentHomeClusters(spec: BlueprintSpec, department: DepartmentSpec): readonly string[] {
  return department.clusters ?? govClusters(spec);
}

/** The clusters a service is declared on: its own list, or every cluster its department is declared on. */
export function serviceHomeClusters(spec: BlueprintSpec, service: ServiceSpec): readonly string[] {
  const department = spec.departments.find((d) => d.name === service.department);
  return service.clusters ?? (department ? departmentHomeClusters(spec, department) : []);
}

/**
 * The clusters a service runs on: where it is declared, plus the public cluster of each burst
 * link and the standby of each disaster-recovery pair that carries it from one of those.
 */
export function serviceClusters(spec: BlueprintSpec, service: ServiceSpec): readonly string[] {
  const home = serviceHomeClusters(spec, service);
  const copies = [
    ...(spec.burst ?? []).filter((l) => home.includes(l.from) && l.services.some((s) => s.name === service.name)).map((l) => l.to),
    ...(spec.disasterRecovery ?? []).filter((p) => home.includes(p.primary) && p.services.includes(service.name)).map((p) => p.standby),
  ];
  return inClusterOrder(spec, [...home, ...copies]);
}

/** The clusters a department runs on: where it is declared, plus wherever one of its services runs. */
export function departmentClusters(spec: BlueprintSpec, department: DepartmentSpec): readonly string[] {
  const services = spec.services.filter((s) => s.department === department.name);
  return inClusterOrder(spec, [...departmentHomeClusters(spec, department), ...services.flatMap((s) => serviceClusters(spec, s))]);
}

/** Each name once, in the order the spec lists its clusters (unknown names last, as given). */
function inClusterOrder(spec: BlueprintSpec, names: readonly string[]): readonly string[] {
  const known = spec.clusters.map((c) => c.name).filter((c) => names.includes(c));
  return [...known, ...[...new Set(names)].filter((n) => !known.includes(n))];
}

/**
 * The clusters the shelf installs a middleware instance on: its own list, or every gov cluster,
 * less the standbys where a disaster-recovery pair keeps a replica of it: a shelf primary there
 * would be a second, empty database.
 */
export function middlewareClusters(spec: BlueprintSpec, instance: MiddlewareSpec): readonly string[] {
  const replicas = replicaClusters(spec, instance);
  return (instance.clusters ?? govClusters(spec)).filter((c) => !replicas.includes(c));
}

/**
 * The standbys where a disaster-recovery pair keeps a CloudNativePG replica of a PostgreSQL
 * instance (the pair lists it in `databases`): services there reach the replica.
 */
export function replicaClusters(spec: BlueprintSpec, instance: MiddlewareSpec): readonly string[] {
  if (instance.engine !== 'postgresql') return [];
  const pairs = (spec.disasterRecovery ?? []).filter((p) => p.standby !== p.primary && (p.databases ?? []).some((d) => d.name === instance.name));
  return inClusterOrder(
    spec,
    pairs.map((p) => p.standby),
  );
}

/** The clusters where services can use a middleware instance: where the shelf installs it, and its replicas' standbys. */
export function middlewareReachableClusters(spec: BlueprintSpec, instance: MiddlewareSpec): readonly string[] {
  return inClusterOrder(spec, [...middlewareClusters(spec, instance), ...replicaClusters(spec, instance)]);
}

/** The clusters in the region's mesh: the mesh's own list, or every cluster; none without a mesh. */
export function meshClusters(spec: BlueprintSpec): readonly string[] {
  if (!spec.mesh) return [];
  return spec.mesh.clusters ?? spec.clusters.map((c) => c.name);
}

/** The Istio network of a cluster: its own setting, or a network of its own named after it. */
export function meshNetwork(cluster: ClusterSpec): string {
  return cluster.network.meshNetwork ?? cluster.name;
}
