import type { ClusterSpec } from '../core/cluster-spec';

/** The labels every Prometheus of the fleet attaches to its series and alerts. */
export function externalLabels(blueprint: string, region: string, cluster: ClusterSpec): Record<string, string> {
  return { blueprint, region, cluster: cluster.name, cloud: cluster.cloud, role: cluster.role };
}
