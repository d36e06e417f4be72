import { type Resources, addResources, formatCpu, formatMemory, shortfall } from '../../lib/capacity';
import { type Problems } from '../../lib/errors';
import type { BlueprintSpec } from '../blueprint-spec';
import type { ClusterSpec } from './cluster-spec';
import { clusterAllocatable, middlewareLoad, servicesFloorLoad } from './cluster-load-plan';
import { type PlatformInstall, platformInstalls } from './platform-load-plan';

/** What a cluster runs at rest, by kind, against what its nodes offer. */
export interface ClusterRest {
  /** Every service at its floor there (every track, DR standbys and burst copies at theirs, sidecars included). */
  readonly services: Resources;
  /** The shelf's instances and the DR pairs' replica databases. */
  readonly shelf: Resources;
  /** What the library installs there (mesh, monitoring, Velero ...). */
  readonly platform: readonly PlatformInstall[];
  readonly total: Resources;
  readonly allocatable: Resources;
  readonly missing: Resources;
}

/** The cluster at rest in `region` (the hub counts only there). The spec must be valid. */
export function clusterRest(spec: BlueprintSpec, cluster: ClusterSpec, region: string): ClusterRest {
  const services = servicesFloorLoad(spec, spec.services, cluster.name);
  const shelf = middlewareLoad(spec, cluster);
  const platform = platformInstalls(spec, cluster, region);
  const total = addResources(services, shelf, ...platform.map((p) => p.requests));
  const allocatable = clusterAllocatable(cluster);
  return { services, shelf, platform, total, allocatable, missing: shortfall(total, allocatable) };
}

const short = (r: Resources) => [r.cpu > 0 ? `${formatCpu(r.cpu)} CPU` : '', r.memory > 0 ? formatMemory(r.memory) : ''].filter(Boolean).join(' and ');
const both = (r: Resources) => `${formatCpu(r.cpu)} CPU and ${formatMemory(r.memory)}`;
const fits = (r: ClusterRest) => r.missing.cpu === 0 && r.missing.memory === 0;

/**
 * Each cluster's floor (its services at their floor, the shelf, and the platform pods the library
 * installs there) must fit what its nodes offer (`capacity`): otherwise pods the blueprint plans
 * at rest stay Pending. Burst and DR plans check their peaks on top of this. The spec must hold.
 */
export function checkClusterFloors(spec: BlueprintSpec, region: string, path: string, problems: Problems): void {
  for (const cluster of spec.clusters) {
    const rest = clusterRest(spec, cluster, region);
    if (fits(rest)) continue;
    // DaemonSets (node-exporter, Velero's node agent) grow with the nodes: count them again per size.
    let nodes = cluster.capacity.nodes;
    const limit = nodes * 100;
    while (nodes < limit && !fits(clusterRest(spec, { ...cluster, capacity: { ...cluster.capacity, nodes } }, region))) nodes++;
    const platform =
      rest.platform.length > 0
        ? `, platform pods ${both(addResources(...rest.platform.map((p) => p.requests)))} (${rest.platform.map((p) => p.name).join(', ')})`
        : '';
    const raise = nodes < limit ? `raise capacity.nodes to ${nodes} (or nodeCpu, nodeMemory)` : 'raise capacity.nodeCpu and nodeMemory';
    problems.add(
      `${path}.clusters.${cluster.name}.capacity`,
      `cluster "${cluster.name}" cannot hold what it runs at rest: ${both(rest.total)} of requests (services at their floor ${both(rest.services)}, middleware shelf ${both(rest.shelf)}${platform}), ` +
        `but its ${cluster.capacity.nodes} nodes offer ${both(rest.allocatable)}: short by ${short(rest.missing)}; ${raise}, or lower the floor (the services' autoscaling.minReplicas or replicas, the shelf's sizes)`,
    );
  }
}
