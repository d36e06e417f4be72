import { Construct } from 'constructs';
import { childPath, Problems, showValue, ValidationError } from '../../lib/errors';
import { locateYamlProblems } from '../../lib/yaml-file';
import { dns1123LabelProblem } from '../../lib/names';
import { FLEET_REPORT } from './core-checks';
import { PriorityClasses } from '../workload/priority-classes';
import { type Difference, resolveOverrides } from '../../lib/schema';
import type { BlueprintOverrides, BlueprintSpec } from '../blueprint-spec';
import { blueprintSchema } from '../blueprint-schema';
import { departmentClusters, meshClusters, middlewareClusters, serviceClusters } from './placement-plan';
import { MiddlewareInstance } from '../middleware/middleware-instance';
import { connectionReference, planMiddleware } from '../middleware/middleware-plan';
import { Cluster } from './cluster';
import { Department } from '../tenancy/department';
import { planStatefulSet } from '../workload/stateful-plan';
import { expandHostTemplates } from './region-templates';
import { isPlainObject, plainObjectFix, reservedKeyProblem } from '../../lib/schema';
import { checkPricedClouds, cloudsOf, pricesInUse } from '../operations/cost-checks';
import { Service } from '../workload/service';
import { TrafficPolicy } from '../workload/traffic-policy';
import { openCallerPaths } from '../workload/service-access';
import { workloadScaling } from '../workload/scaling-plan';
import { installKeda } from '../workload/keda-install';
import { installArgoRollouts } from '../delivery/argo-rollouts-install';
import { installArgoCd } from '../gitops/argo-cd-install';
import { addDisasterRecovery } from '../disaster-recovery/dr-pair';
import { EscapeHatches } from './escape-hatch';
import { checkHubPlacement } from '../observability/observability-checks';
import { checkClusterFloors } from './cluster-capacity-checks';
import { addObservability } from '../observability/add-observability';
import type { IFleet, IRegion } from './tree';

export interface RegionProps {
  /** The region's changes to the blueprint. @default none: the blueprint as is */
  readonly overrides?: BlueprintOverrides;
  /** Where the overrides come from (a file path), named in errors and the report. @default "typescript" */
  readonly source?: string;
}

/**
 * A city or district: the fleet's blueprint merged with this region's overrides, built into
 * clusters, departments and services. Invalid overrides throw one error listing every problem.
 */
export class Region extends Construct implements IRegion {
  readonly fleet: IFleet;
  /** The effective spec: blueprint plus overrides. */
  readonly spec: BlueprintSpec;
  /** What the overrides change relative to the blueprint. */
  readonly differences: readonly Difference[];
  readonly source: string;
  /** Raw Terraform overrides and manifest patches applied in this region, with their reasons. */
  readonly escapeHatches = new EscapeHatches();
  private readonly clustersByName = new Map<string, Cluster>();

  constructor(fleet: IFleet, name: string, props: RegionProps = {}) {
    super(fleet, regionId(fleet, name, props));
    this.fleet = fleet;
    this.source = props.source ?? 'typescript';
    const specPath = childPath('regions', name);
    const problems = new Problems();
    const nameProblem = dns1123LabelProblem(name);
    if (nameProblem) problems.add(specPath, `region name ${showValue(name)} ${nameProblem}`);
    else if (name === FLEET_REPORT)
      problems.add(specPath, `region name "${name}" is taken by the fleet report (reports/${FLEET_REPORT}.md); rename the region`);
    const resolved = resolveOverrides(blueprintSchema, fleet.blueprint, props.overrides, specPath, problems);
    if (resolved) {
      checkVersionChanges(fleet.blueprint, resolved.effective, specPath, problems);
      checkHubPlacement(resolved.effective, name, specPath, problems);
      checkPricedClouds(pricesWritten(props.overrides), cloudsOf(resolved.effective), specPath, problems);
      // Needs every plan to hold, the department quotas' included.
      if (problems.empty) checkClusterFloors(resolved.effective, name, specPath, problems);
    }
    const effective = resolved ? pricesInUse(expandHostTemplates(resolved.effective, name, specPath, problems)) : undefined;
    // Overrides read from a YAML file point each problem at its line there.
    if (!problems.empty)
      throw new ValidationError(`region "${name}" (overrides from ${this.source}) is invalid`, locateYamlProblems(problems.list, props.overrides, specPath));
    this.spec = effective!;
    this.differences = resolved!.differences;

    for (const cluster of this.spec.clusters) this.clustersByName.set(cluster.name, new Cluster(this, cluster.name, { spec: cluster }));
    const meshed = this.spec.clusters.filter((c) => meshClusters(this.spec).includes(c.name));
    for (const cluster of meshed)
      this.cluster(cluster.name).joinMesh(
        this.spec.mesh!,
        meshed.filter((peer) => peer !== cluster),
      );
    for (const department of this.spec.departments) {
      for (const clusterName of departmentClusters(this.spec, department)) new Department(this.cluster(clusterName), department.name, { spec: department });
    }
    for (const instance of this.spec.middleware ?? []) {
      for (const clusterName of middlewareClusters(this.spec, instance)) {
        const cluster = this.cluster(clusterName);
        const created = new MiddlewareInstance(cluster.middleware(), instance.name, { spec: instance });
        for (const department of instance.grants ?? []) created.grant(cluster.department(department)!);
      }
    }
    for (const service of this.spec.services) {
      for (const clusterName of serviceClusters(this.spec, service)) {
        const cluster = this.cluster(clusterName);
        // Where a DR pair keeps the instance's replica, the shelf installs none: the connection
        // names the replica's grant (written by the pair), with the same names and keys.
        const connections = (service.middleware ?? []).map(
          (use) =>
            cluster.middleware().instance(use.name)?.connectionFor(use) ??
            connectionReference(
              planMiddleware(
                this.spec.middleware!.find((m) => m.name === use.name)!,
                cluster.spec,
              ),
              use,
            ),
        );
        const created = new Service(cluster.department(service.department)!, service.name, {
          spec: service,
          connections,
          scaling: workloadScaling(this.spec, service, clusterName),
          imageRepository: cluster.imageRepository(service.image),
          stateful: planStatefulSet(this.spec, service, cluster.spec),
        });
        if (cluster.mesh && (service.traffic || service.callers)) {
          const callers = (service.callers ?? []).map((name) => this.spec.services.find((s) => s.name === name)!);
          new TrafficPolicy(created, 'traffic', { mesh: cluster.mesh, callers: callers.map((c) => ({ namespace: c.department, serviceAccount: c.name })) });
        }
      }
    }
    for (const cluster of this.clusters) openCallerPaths(cluster);
    for (const cluster of this.clusters) if (cluster.departments.length > 0) new PriorityClasses(cluster);
    addDisasterRecovery(this);
    installArgoCd(this);
    addObservability(this);
    // After observability: their charts' ServiceMonitors wait for the cluster's monitoring release.
    installKeda(this);
    installArgoRollouts(this);
  }

  get name(): string {
    return this.node.id;
  }

  get blueprint(): BlueprintSpec {
    return this.fleet.blueprint;
  }

  get clusters(): Cluster[] {
    return [...this.clustersByName.values()];
  }

  cluster(name: string): Cluster {
    const cluster = this.clustersByName.get(name);
    if (!cluster) throw new Error(`[${this.node.path}] no cluster "${name}"; have ${[...this.clustersByName.keys()].join(', ')}`);
    return cluster;
  }
}

/**
 * `name`, when a region of that name can be made in `fleet`, else a ValidationError: the problems
 * that would otherwise surface as the construct library's own errors ("Only root constructs may
 * have an empty ID", "There is already a Construct with name ...") or as a crash on null props.
 */
function regionId(fleet: IFleet, name: unknown, props: unknown): string {
  const specPath = typeof name === 'string' && name !== '' ? childPath('regions', name) : 'regions';
  const problems = new Problems();
  if (typeof name !== 'string' || name === '') {
    problems.add(specPath, `a region needs a name (a DNS-1123 label such as "changsha"), got ${showValue(name)}; name the region`);
  } else if (reservedKeyProblem(name)) {
    problems.add(specPath, `region name ${reservedKeyProblem(name)}`);
  } else if (fleet.node.tryFindChild(name) !== undefined) {
    problems.add(specPath, `the fleet has a region "${name}" already: each region is added once; rename one or merge their overrides`);
  }
  if (!isPlainObject(props)) {
    problems.add(
      specPath,
      `must be the region's props { overrides?, source? }, got ${showValue(props)}${plainObjectFix(props)}; write { overrides: { ... } }, or {} for the blueprint as is`,
    );
  } else if (props.source !== undefined && typeof props.source !== 'string') {
    problems.add(childPath(specPath, 'source'), `must be a string naming where the overrides come from (a file path), got ${showValue(props.source)}`);
  }
  problems.throwIfAny(`region ${showValue(name)} cannot be added`);
  return name as string;
}

/**
 * A region may run another catalogue version of an inherited instance, but only on purpose: the
 * change needs `versionChangeReason`, which the report shows next to both versions.
 */
function checkVersionChanges(blueprint: BlueprintSpec, effective: BlueprintSpec, specPath: string, problems: Problems): void {
  for (const instance of effective.middleware ?? []) {
    const inherited = blueprint.middleware?.find((m) => m.name === instance.name);
    const path = `${specPath}.middleware.${instance.name}`;
    const changed = inherited !== undefined && (inherited.version !== instance.version || inherited.engine !== instance.engine);
    if (changed && !instance.versionChangeReason) {
      problems.add(
        `${path}.version`,
        `${JSON.stringify(instance.version)} differs from the blueprint's pinned ${inherited.engine} ${JSON.stringify(inherited.version)}; a region changes a pinned version only with versionChangeReason: "..." (shown in the report), or keep the blueprint's version`,
      );
    }
    if (!changed && instance.versionChangeReason !== undefined && inherited?.versionChangeReason !== instance.versionChangeReason) {
      const why = inherited ? `the version is the blueprint's (${JSON.stringify(instance.version)})` : 'the instance is new in this region, not inherited';
      problems.add(`${path}.versionChangeReason`, `${why}, so there is no change to explain; remove versionChangeReason`);
    }
  }
}

/** The clouds a region's own overrides price (they may come from YAML: read them defensively). */
function pricesWritten(overrides: unknown): string[] {
  const costs = isPlainObject(overrides) ? overrides.costs : undefined;
  const prices = isPlainObject(costs) ? costs.prices : undefined;
  return isPlainObject(prices) ? Object.keys(prices) : [];
}
