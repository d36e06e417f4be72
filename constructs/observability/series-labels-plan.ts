import type { ICluster } from '../core/tree';

/** The labels every Prometheus of the fleet attaches to its series and alerts. */
export function externalLabels(cluster: ICluster): Record<string, string> {
  return { blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name, cloud: cluster.spec.cloud, role: cluster.spec.role };
}
