import * as s from '../lib/schema';
import { Problems } from '../lib/errors';
import { didYouMean } from '../lib/did-you-mean';
import { BackendSpec, backendSchema } from './backend-spec';
import { ClusterSpec, clusterSchema } from './cluster-spec';
import { DepartmentSpec, departmentSchema } from './department-spec';
import { ServiceSpec, serviceSchema } from './service-spec';

/**
 * The standard platform, written once. A region is this spec merged with the region's
 * `BlueprintOverrides`; both go through the same schema.
 */
export interface BlueprintSpec {
  /** Short name, e.g. "citizen-services"; the `app.kubernetes.io/part-of` label. */
  readonly name: string;
  readonly description?: string;
  /** Terraform state backend of every stack. @default local state files */
  readonly backend?: BackendSpec;
  readonly clusters: readonly ClusterSpec[];
  readonly departments: readonly DepartmentSpec[];
  readonly services: readonly ServiceSpec[];
}

/** A region's changes to the blueprint: a typed deep-partial (see `Override`). */
export type BlueprintOverrides = s.Override<BlueprintSpec>;

/** The clusters a department runs on: its own list, or every gov cluster. */
export function departmentClusters(spec: BlueprintSpec, department: DepartmentSpec): readonly string[] {
  return department.clusters ?? spec.clusters.filter((c) => c.role === 'gov').map((c) => c.name);
}

/** The clusters a service runs on: its own list, or every cluster of its department. */
export function serviceClusters(spec: BlueprintSpec, service: ServiceSpec): readonly string[] {
  const department = spec.departments.find((d) => d.name === service.department);
  return service.clusters ?? (department ? departmentClusters(spec, department) : []);
}

function unknownName(kind: string, name: string, known: readonly string[]): string {
  const hint = didYouMean(name, known);
  return `no ${kind} named "${name}"${hint ? `; did you mean "${hint}"?` : ''} Known: ${known.join(', ') || 'none'}`;
}

/** Cross-references between clusters, departments and services. */
function checkReferences(spec: BlueprintSpec, path: string, problems: Problems): void {
  const clusterNames = spec.clusters.map((c) => c.name);
  const departmentNames = spec.departments.map((d) => d.name);
  if (!spec.clusters.some((c) => c.role === 'gov')) {
    problems.add(`${path}.clusters`, `needs at least one cluster with role "gov" (the government private cloud), got ${clusterNames.length === 0 ? 'no clusters' : `only ${clusterNames.join(', ')}`}; add one or stop removing it`);
  }
  for (const department of spec.departments) {
    department.clusters?.forEach((name, i) => {
      if (!clusterNames.includes(name)) problems.add(`${path}.departments.${department.name}.clusters[${i}]`, unknownName('cluster', name, clusterNames));
    });
  }
  for (const service of spec.services) {
    const servicePath = `${path}.services.${service.name}`;
    const department = spec.departments.find((d) => d.name === service.department);
    if (!department) {
      problems.add(`${servicePath}.department`, `${unknownName('department', service.department, departmentNames)}; add the department or fix the name`);
      continue;
    }
    const allowed = departmentClusters(spec, department);
    service.clusters?.forEach((name, i) => {
      if (!allowed.includes(name)) {
        problems.add(`${servicePath}.clusters[${i}]`, `department "${department.name}" does not run on cluster "${name}" (it runs on ${allowed.join(', ') || 'no cluster'}); add the cluster to the department's clusters or remove it here`);
      }
    });
  }
}

export const blueprintSchema = s.object<BlueprintSpec>(
  {
    name: s.name('Blueprint name; the app.kubernetes.io/part-of label.'),
    description: s.string().optional(),
    backend: backendSchema.optional(),
    clusters: s.namedList(clusterSchema, 'Clusters of each region: at least one gov cluster.'),
    departments: s.namedList(departmentSchema, 'Departments (tenants), one namespace each.'),
    services: s.namedList(serviceSchema, 'Standard stateless services.'),
  },
  { title: 'a blueprint', rules: [checkReferences] },
);
