import { LABELS, MANAGED_BY } from '../core/labels';
import { karmadaMemberName } from './karmada-spec';
import { serviceHomeClusters } from '../core/placement-plan';
import { type FoldedObject, baseCopy, foldDepartment, foldedClusters } from './folded-objects';
import { type JsonObject, cloneJson } from './json-diff';
import { overridersFor } from './override-rules';
import { type ClusterOverride, type ControlPlaneLabels, overridePolicy, propagationPolicy, resourceSelector } from './policies';
import { type FederatedScaling, federatedScaling, isScaler, scalerTarget } from './federated-scaling';
import { type MemberName, type WorkloadPlacement, workloadPlacement } from './workload-placement';
import type { IRegion } from '../core/tree';

/** Keeps Karmada from creating the namespace on every member: Terraform owns member namespaces (with quotas, RBAC, Pod Security). */
export const SKIP_AUTO_PROPAGATION_LABEL = 'namespace.karmada.io/skip-auto-propagation';

/** A service workload (one track's Deployment) as Karmada runs it. */
export interface KarmadaWorkload {
  readonly service: string;
  readonly department: string;
  readonly deployment: string;
  readonly placement: WorkloadPlacement;
  /** Undefined for a fixed count (`replicas` of the template). */
  readonly scaling?: FederatedScaling;
  readonly replicas?: number;
}

/** The application layer of one department, written once for the Karmada API server. */
export interface KarmadaDepartment {
  readonly name: string;
  readonly objects: readonly JsonObject[];
}

export interface KarmadaFold {
  readonly departments: readonly KarmadaDepartment[];
  readonly workloads: readonly KarmadaWorkload[];
}

/**
 * The region's application layer folded for Karmada: every department file of every cluster,
 * as per-cluster mode builds it, becomes one set of resource templates (each object once, as its
 * first cluster has it) plus the policies that place and adapt them per member cluster. The
 * region's spec must have `karmada`.
 */
export function foldRegion(region: IRegion): KarmadaFold {
  const member: MemberName = (cluster) => karmadaMemberName(region.spec.karmada!, region.name, cluster);
  checkDistinctMembers(region, member);
  const departments: KarmadaDepartment[] = [];
  const workloads: KarmadaWorkload[] = [];
  for (const department of region.spec.departments) {
    const folded = foldDepartment(region, department.name);
    if (folded.length === 0) continue;
    const result = new DepartmentFold(region, department.name, member, folded);
    departments.push({ name: department.name, objects: result.objects() });
    workloads.push(...result.workloads);
  }
  return { departments, workloads };
}

/**
 * Two clusters under one member name would receive each other's workloads. The spec check sees
 * explicit names only; a region's default names (`<region>-<cluster>`) are known here.
 */
function checkDistinctMembers(region: IRegion, member: MemberName): void {
  const seen = new Map<string, string>();
  for (const cluster of region.clusters) {
    const name = member(cluster.name);
    const other = seen.get(name);
    if (other)
      throw new Error(
        `[${region.node.path}] clusters "${other}" and "${cluster.name}" would both be Karmada member "${name}"; give each its own name in karmada.memberNames`,
      );
    seen.set(name, cluster.name);
  }
}

/** One department's templates, policies and federated autoscalers. */
class DepartmentFold {
  readonly workloads: KarmadaWorkload[] = [];
  private readonly labels: ControlPlaneLabels;
  private readonly templates: JsonObject[] = [];
  private readonly propagation: JsonObject[] = [];
  private readonly overrides: JsonObject[] = [];
  private readonly autoscalers: JsonObject[] = [];
  /** Objects propagated as they are, grouped by the member clusters that get them. */
  private readonly duplicated = new Map<string, { members: string[]; selectors: JsonObject[] }>();

  constructor(
    private readonly region: IRegion,
    private readonly department: string,
    private readonly member: MemberName,
    folded: readonly FoldedObject[],
  ) {
    this.labels = {
      [LABELS.partOf]: region.blueprint.name,
      [LABELS.managedBy]: MANAGED_BY,
      [LABELS.department]: department,
      [LABELS.region]: region.name,
    };
    const workloads = folded.filter((o) => o.service && o.apiVersion === 'apps/v1' && o.kind === 'Deployment');
    const scalersOf = (w: FoldedObject) => folded.filter((o) => isScaler(o) && scalerTarget(o) === `${w.namespace ?? ''}|${w.name}`);
    const replaced = new Set(workloads.flatMap(scalersOf));
    for (const object of folded) {
      if (replaced.has(object)) continue;
      if (workloads.includes(object)) this.addWorkload(object, scalersOf(object));
      else this.addDuplicated(object);
    }
    for (const { members, selectors } of this.duplicated.values()) {
      this.propagation.push(
        propagationPolicy({
          name: `duplicated-to-${members.join('-')}`,
          namespace: department,
          labels: this.labels,
          selectors,
          placement: { clusterAffinity: { clusterNames: members }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } },
        }),
      );
    }
    checkUniqueNames([...this.propagation, ...this.overrides, ...this.autoscalers]);
  }

  /** The department's file: its namespace on the control plane, the templates, then what acts on them. */
  objects(): JsonObject[] {
    const namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: this.department, labels: { ...this.labels, [SKIP_AUTO_PROPAGATION_LABEL]: 'true' } },
    };
    return [namespace, ...this.templates, ...this.propagation, ...this.overrides, ...this.autoscalers];
  }

  /**
   * A service's Deployment: placed from the spec, scaled by one FederatedHPA when any cluster
   * autoscales it. Where Karmada owns the count (a FederatedHPA, or Divided scheduling), the
   * template's `replicas` is left to it and kept out of the per-cluster differences.
   */
  private addWorkload(object: FoldedObject, scalers: readonly FoldedObject[]): void {
    const service = object.service!;
    const placement = workloadPlacement(this.region.spec, service, this.member, scalers.length > 0);
    this.checkPlacedWhereBuilt(object, placement);
    const scaling = scalers.length > 0 ? federatedScaling(object, scalers, serviceHomeClusters(this.region.spec, service), this.labels) : undefined;
    const replicas = scaling ? undefined : fixedReplicas(object, placement);
    const template = withoutReplicas(baseCopy(object));
    if (replicas !== undefined) (template.spec as JsonObject).replicas = replicas;
    this.templates.push(template);
    this.propagation.push(
      propagationPolicy({
        name: `workload-${object.name}`,
        namespace: this.department,
        labels: this.labels,
        selectors: [resourceSelector(object)],
        placement: placement.placement,
        ...(placement.failover ? { failover: placement.failover } : {}),
      }),
    );
    this.addOverrides(object, template, placement.divided || scaling ? withoutReplicas : (json) => json);
    if (scaling) this.autoscalers.push(...scaling.objects);
    this.workloads.push({
      service: service.name,
      department: this.department,
      deployment: object.name,
      placement,
      ...(scaling ? { scaling } : {}),
      ...(replicas !== undefined ? { replicas } : {}),
    });
  }

  /** The placement comes from the spec, the copies from the constructs: they must name the same clusters. */
  private checkPlacedWhereBuilt(object: FoldedObject, placement: WorkloadPlacement): void {
    const built = foldedClusters(object).map(this.member);
    if (built.join() === placement.members.join()) return;
    throw new Error(
      `[${this.region.node.path}] Deployment ${object.name} was built on ${built.join(', ')}, but its service is placed on ${placement.members.join(', ')}; Karmada mode places workloads where per-cluster mode builds them`,
    );
  }

  /** Anything else goes, as it is, to exactly the clusters that had it. */
  private addDuplicated(object: FoldedObject): void {
    const members = foldedClusters(object).map(this.member);
    const key = members.join('|');
    if (!this.duplicated.has(key)) this.duplicated.set(key, { members, selectors: [] });
    this.duplicated.get(key)!.selectors.push(resourceSelector(object));
    const template = cloneJson(baseCopy(object));
    this.templates.push(template);
    this.addOverrides(object, template, (json) => json);
  }

  /** Per member cluster, what turns the template into that cluster's own copy. */
  private addOverrides(object: FoldedObject, template: JsonObject, comparable: (json: JsonObject) => JsonObject): void {
    const rules: ClusterOverride[] = [];
    for (const [cluster, copy] of object.copies) {
      const overriders = overridersFor(comparable(template), comparable(copy));
      if (overriders) rules.push({ member: this.member(cluster), overriders });
    }
    if (rules.length > 0) this.overrides.push(overridePolicy(object, this.department, this.labels, rules));
  }
}

/** A copy of the object without `spec.replicas`. */
function withoutReplicas(json: JsonObject): JsonObject {
  const copy = cloneJson(json);
  if (copy.spec && typeof copy.spec === 'object' && !Array.isArray(copy.spec)) delete copy.spec.replicas;
  return copy;
}

/** A count no autoscaler owns: every member runs the template's (Duplicated), or Karmada splits the clusters' total (Divided). */
function fixedReplicas(object: FoldedObject, placement: WorkloadPlacement): number | undefined {
  const replicas = (copy: JsonObject) => (copy.spec as JsonObject | undefined)?.replicas as number | undefined;
  if (!placement.divided) return replicas(baseCopy(object));
  return [...object.copies.values()].reduce((total, copy) => total + (replicas(copy) ?? 1), 0);
}

/** Policies and autoscalers are named after what they act on; two with one name would replace each other. */
function checkUniqueNames(objects: readonly JsonObject[]): void {
  const seen = new Set<string>();
  for (const object of objects) {
    const key = `${String(object.kind)}/${String((object.metadata as JsonObject).name)}`;
    if (seen.has(key)) throw new Error(`Karmada mode would write two ${key} in one namespace; rename one of the objects they are named after`);
    seen.add(key);
  }
}
