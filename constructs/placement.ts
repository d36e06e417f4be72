import type { BlueprintSpec } from './blueprint-spec';
import type { DepartmentSpec } from './department-spec';
import type { ServiceSpec } from './service-spec';
import type { MiddlewareSpec } from './middleware-spec';
import type { ClusterSpec } from './cluster-spec';

/** Every gov cluster: where departments and the middleware shelf live unless told otherwise. */
export function govClusters(spec: BlueprintSpec): readonly string[] {
  return spec.clusters.filter((c) => c.role === 'gov').map((c) => c.name);
}

/** The clusters a department runs on: its own list, or every gov cluster. */
export function departmentClusters(spec: BlueprintSpec, department: DepartmentSpec): readonly string[] {
  return department.clusters ?? govClusters(spec);
}

/** The clusters a service runs on: its own list, or every cluster of its department. */
export function serviceClusters(spec: BlueprintSpec, service: ServiceSpec): readonly string[] {
  const department = spec.departments.find((d) => d.name === service.department);
  return service.clusters ?? (department ? departmentClusters(spec, department) : []);
}

/** The clusters a middleware instance is installed on: its own list, or every gov cluster. */
export function middlewareClusters(spec: BlueprintSpec, instance: MiddlewareSpec): readonly string[] {
  return instance.clusters ?? govClusters(spec);
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
