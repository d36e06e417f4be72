import { type Problems } from '../../lib/errors';
import { unknownNameMessage } from '../../lib/did-you-mean';
import type { BlueprintSpec } from '../blueprint-spec';
import { DEFAULT_CREDENTIAL_DELIVERY, defaultEnvPrefix } from './middleware-spec';
import { clientConnectionKeys, credentialEnvName, planMiddleware } from './middleware-plan';
import { isProductionCluster } from '../core/cluster-spec';
import { departmentClusters, middlewareClusters, middlewareReachableClusters, serviceClusters } from '../core/placement-plan';

/**
 * Cross-references of the middleware shelf: where each instance runs, who may use it, and the
 * reliability defaults a production cluster demands. Runs on the merged spec of each region.
 */
export function checkMiddlewareReferences(spec: BlueprintSpec, path: string, problems: Problems): void {
  const clusterNames = spec.clusters.map((c) => c.name);
  const departmentNames = spec.departments.map((d) => d.name);
  const instances = spec.middleware ?? [];

  for (const instance of instances) {
    const instancePath = `${path}.middleware.${instance.name}`;
    instance.clusters?.forEach((name, i) => {
      if (!clusterNames.includes(name)) problems.add(`${instancePath}.clusters[${i}]`, unknownNameMessage('cluster', name, clusterNames));
    });
    const placed = middlewareClusters(spec, instance).filter((name) => clusterNames.includes(name));
    if (placed.length === 0) problems.add(`${instancePath}.clusters`, 'installs the instance on no cluster; name a cluster or add a gov cluster');

    instance.grants?.forEach((name, i) => {
      const department = spec.departments.find((d) => d.name === name);
      if (!department) {
        problems.add(
          `${instancePath}.grants[${i}]`,
          `${unknownNameMessage('department', name, departmentNames)}; grant an existing department, or add "${name}" to this region`,
        );
        return;
      }
      const missing = placed.filter((c) => !departmentClusters(spec, department).includes(c));
      if (missing.length > 0) {
        problems.add(
          `${instancePath}.grants[${i}]`,
          `department "${name}" does not run on cluster ${missing.join(', ')} where the instance is installed, so it cannot reach it there; add the cluster to the department or limit the instance's clusters`,
        );
      }
    });

    for (const clusterName of placed) {
      const cluster = spec.clusters.find((c) => c.name === clusterName)!;
      const plan = planMiddleware(instance, cluster);
      if (isProductionCluster(cluster)) {
        if (instance.highAvailability?.enabled === false && !instance.highAvailability.reason) {
          problems.add(
            `${instancePath}.highAvailability`,
            `switches high availability off on production cluster "${clusterName}" without a reason; add reason: "..." (shown in the region report) or keep it on`,
          );
        }
        if (instance.backup?.enabled === false && !instance.backup.reason) {
          problems.add(
            `${instancePath}.backup`,
            `switches backups off on production cluster "${clusterName}" without a reason; add reason: "..." (shown in the region report) or keep them on`,
          );
        }
      }
      const replicaProblem = plan.highAvailability ? plan.engine.replicaProblem?.(plan.replicas) : undefined;
      if (replicaProblem) problems.add(`${instancePath}.replicas`, `${replicaProblem} on cluster "${clusterName}"; change replicas`);
      if (plan.highAvailability && plan.replicas < plan.engine.highAvailability.minReplicas) {
        problems.add(
          `${instancePath}.replicas`,
          `${plan.replicas} is too few for high availability of ${plan.engine.product} on cluster "${clusterName}" (${plan.engine.highAvailability.summary}); use at least ${plan.engine.highAvailability.minReplicas}, or switch high availability off with a reason`,
        );
      }
      // Replicas of an HA instance must land on different nodes (hard anti-affinity).
      if (plan.highAvailability && plan.replicas > cluster.capacity.nodes) {
        problems.add(
          `${instancePath}.replicas`,
          `${plan.replicas} replicas need ${plan.replicas} nodes for node anti-affinity, but cluster "${clusterName}" has ${cluster.capacity.nodes}; lower replicas or add nodes to the cluster`,
        );
      }
    }
  }

  for (const service of spec.services) {
    const uses = service.middleware ?? [];
    const envNames = new Map<string, string>((service.env ?? []).map((e) => [e.name, 'env']));
    uses.forEach((use, i) => {
      const usePath = `${path}.services.${service.name}.middleware[${i}]`;
      const instance = instances.find((m) => m.name === use.name);
      if (!instance) {
        problems.add(
          `${usePath}.name`,
          `${unknownNameMessage(
            'middleware instance',
            use.name,
            instances.map((m) => m.name),
          )}; add the instance to the shelf or fix the name`,
        );
        return;
      }
      if (!(instance.grants ?? []).includes(service.department)) {
        problems.add(
          usePath,
          `department "${service.department}" has no grant on middleware "${use.name}"; add "${service.department}" to ${path}.middleware.${use.name}.grants`,
        );
      }
      // A standby holding the instance's replica serves it too.
      const placed = middlewareReachableClusters(spec, instance);
      const missing = serviceClusters(spec, service).filter((c) => !placed.includes(c));
      if (missing.length > 0) {
        problems.add(
          usePath,
          `middleware "${use.name}" is not installed on cluster ${missing.join(', ')} where the service runs; add the cluster to the instance or limit the service's clusters`,
        );
      }
      const prefix = use.envPrefix ?? defaultEnvPrefix(use.name);
      const delivery = use.credentials ?? DEFAULT_CREDENTIAL_DELIVERY;
      const names = new Set(
        placed.flatMap((clusterName) => {
          const cluster = spec.clusters.find((c) => c.name === clusterName);
          if (!cluster) return [];
          const keys = clientConnectionKeys(planMiddleware(instance, cluster));
          return [...keys.settings.map((key) => `${prefix}_${key}`), ...keys.secretKeys.map((k) => credentialEnvName(prefix, k.env, delivery))];
        }),
      );
      for (const name of names) {
        const owner = envNames.get(name);
        if (owner) {
          problems.add(
            `${usePath}.envPrefix`,
            `${name} is already set by ${owner === 'env' ? 'the service env' : `middleware "${owner}"`}; choose another envPrefix`,
          );
        } else envNames.set(name, use.name);
      }
    });
  }
}
