import { type Problems } from '../../lib/errors';
import { unknownNameMessage } from '../../lib/did-you-mean';
import { cidrsOverlap, parseCidr } from '../../lib/cidr';
import type { BlueprintSpec } from '../blueprint-spec';
import { meshClusters, meshNetwork, serviceClusters } from '../core/placement-plan';

/**
 * Cross-references of the mesh: which clusters join it, how their networks fit together, and
 * which services may call which. Runs on the merged spec of each region.
 */
export function checkMeshReferences(spec: BlueprintSpec, path: string, problems: Problems): void {
  const clusterNames = spec.clusters.map((c) => c.name);
  const serviceNames = spec.services.map((s) => s.name);
  spec.mesh?.clusters?.forEach((name, i) => {
    if (!clusterNames.includes(name)) problems.add(`${path}.mesh.clusters[${i}]`, unknownNameMessage('cluster', name, clusterNames));
  });
  const meshed = meshClusters(spec).filter((name) => clusterNames.includes(name));
  if (spec.mesh && meshed.length === 0) problems.add(`${path}.mesh.clusters`, 'puts no cluster in the mesh; name at least one cluster or remove the mesh');
  checkSharedNetworks(spec, meshed, path, problems);

  for (const service of spec.services) {
    const servicePath = `${path}.services.${service.name}`;
    service.callers?.forEach((caller, i) => {
      if (caller !== service.name && !serviceNames.includes(caller)) {
        problems.add(
          `${servicePath}.callers[${i}]`,
          `${unknownNameMessage('service', caller, serviceNames)}; a caller is a service of the blueprint (the ingress gateway is allowed by traffic.expose)`,
        );
      }
    });
    if (!service.traffic) continue;
    if (!spec.mesh) {
      problems.add(`${servicePath}.traffic`, 'needs the service mesh: add mesh: { version: "..." } to the blueprint, or remove traffic');
    } else if (meshed.length > 0 && !serviceClusters(spec, service).some((c) => meshed.includes(c))) {
      problems.add(
        `${servicePath}.traffic`,
        `the service runs on ${serviceClusters(spec, service).join(', ') || 'no cluster'}, none of them in the mesh (${meshed.join(', ')}); add one to mesh.clusters or remove traffic`,
      );
    }
  }
}

/** Clusters of one mesh network route pod IPs directly to each other, so their pod CIDRs must be disjoint. */
function checkSharedNetworks(spec: BlueprintSpec, meshed: readonly string[], path: string, problems: Problems): void {
  const clusters = spec.clusters.filter((c) => meshed.includes(c.name));
  clusters.forEach((cluster, i) => {
    const pods = parseCidr(cluster.network.podCidr);
    if (typeof pods === 'string') return;
    for (const earlier of clusters.slice(0, i)) {
      const earlierPods = parseCidr(earlier.network.podCidr);
      if (meshNetwork(earlier) !== meshNetwork(cluster) || typeof earlierPods === 'string' || !cidrsOverlap(pods, earlierPods)) continue;
      problems.add(
        `${path}.clusters.${cluster.name}.network.meshNetwork`,
        `mesh network "${meshNetwork(cluster)}" is shared with cluster "${earlier.name}", but their pod CIDRs overlap (${pods.text} and ${earlierPods.text}), so pod addresses would be ambiguous; give the clusters disjoint pod CIDRs or separate meshNetwork names (joined by east-west gateways)`,
      );
    }
  });
}
