import * as s from '../lib/schema';
import { Problems } from '../lib/errors';
import { unknownNameMessage } from '../lib/did-you-mean';
import { imageIsFromRegistry } from '../lib/supply-chain';
import { departmentHomeClusters } from './placement';
import { BackendSpec, backendSchema } from './backend-spec';
import { ClusterSpec, clusterSchema } from './cluster-spec';
import { DepartmentSpec, departmentSchema } from './department-spec';
import { ServiceSpec, serviceSchema } from './service-spec';
import { MiddlewareSpec, middlewareSchema } from './middleware-spec';
import { SupplyChainSpec, supplyChainSchema } from './supply-chain-spec';
import { checkMiddlewareReferences } from './middleware-references';
import { MeshSpec, meshSchema } from './mesh-spec';
import { checkMeshReferences } from './mesh-references';
import { BurstLinkSpec, burstLinkSchema } from './burst-spec';
import { DrPairSpec, drPairSchema } from './disaster-recovery-spec';
import { KarmadaSpec, karmadaSchema } from './karmada-spec';
import { checkContinuityReferences } from './continuity-references';

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
  /** The registry mirror and chart repository every image and chart comes from. */
  readonly supplyChain: SupplyChainSpec;
  readonly clusters: readonly ClusterSpec[];
  readonly departments: readonly DepartmentSpec[];
  readonly services: readonly ServiceSpec[];
  /** The shared middleware shelf: database, cache, queue and object storage instances. @default none */
  readonly middleware?: readonly MiddlewareSpec[];
  /** The service mesh: Istio on the meshed clusters, STRICT mTLS, per-service traffic policy. @default none */
  readonly mesh?: MeshSpec;
  /** Elastic burst from government-cloud clusters to public-cloud clusters, with capacity plans. @default none */
  readonly burst?: readonly BurstLinkSpec[];
  /** Disaster-recovery pairs: standby clusters in another failure domain, with RPO and RTO. @default none */
  readonly disasterRecovery?: readonly DrPairSpec[];
  /**
   * A Karmada control plane in front of the region's clusters: the application layer is written
   * once for it, with propagation and override policies. @default none: one manifest folder per cluster
   */
  readonly karmada?: KarmadaSpec;
}

/** A region's changes to the blueprint: a typed deep-partial (see `Override`). */
export type BlueprintOverrides = s.Override<BlueprintSpec>;

/** Cross-references between clusters, departments and services. */
function checkReferences(spec: BlueprintSpec, path: string, problems: Problems): void {
  const clusterNames = spec.clusters.map((c) => c.name);
  const departmentNames = spec.departments.map((d) => d.name);
  if (!spec.clusters.some((c) => c.role === 'gov')) {
    problems.add(`${path}.clusters`, `needs at least one cluster with role "gov" (the government private cloud), got ${clusterNames.length === 0 ? 'no clusters' : `only ${clusterNames.join(', ')}`}; add one or stop removing it`);
  }
  for (const department of spec.departments) {
    department.clusters?.forEach((name, i) => {
      if (!clusterNames.includes(name)) problems.add(`${path}.departments.${department.name}.clusters[${i}]`, unknownNameMessage('cluster', name, clusterNames));
    });
  }
  for (const service of spec.services) {
    const servicePath = `${path}.services.${service.name}`;
    const department = spec.departments.find((d) => d.name === service.department);
    if (!department) {
      problems.add(`${servicePath}.department`, `${unknownNameMessage('department', service.department, departmentNames)}; add the department or fix the name`);
      continue;
    }
    if (!imageIsFromRegistry(service.image, spec.supplyChain.registry)) {
      problems.add(`${servicePath}.image`, `${JSON.stringify(service.image)} is not served by the blueprint's registry mirror ${JSON.stringify(spec.supplyChain.registry)}; mirror the image there and name it as ${JSON.stringify(`${spec.supplyChain.registry}/...`)}`);
    }
    const allowed = departmentHomeClusters(spec, department);
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
    supplyChain: supplyChainSchema,
    clusters: s.namedList(clusterSchema, 'Clusters of each region: at least one gov cluster.'),
    departments: s.namedList(departmentSchema, 'Departments (tenants), one namespace each.'),
    services: s.namedList(serviceSchema, 'Standard stateless services.'),
    middleware: s.namedList(middlewareSchema, 'The shared middleware shelf.').optional(),
    mesh: meshSchema.optional(),
    burst: s.namedList(burstLinkSchema, 'Burst links from gov clusters to public clusters.').optional(),
    disasterRecovery: s.namedList(drPairSchema, 'Disaster-recovery pairs.').optional(),
    karmada: karmadaSchema.optional(),
  },
  { title: 'a blueprint', rules: [checkReferences, checkMiddlewareReferences, checkMeshReferences, checkContinuityReferences] },
);
