import type { Problems } from '../../lib/errors';
import { cidrsOverlap, parseCidr } from '../../lib/cidr';
import type { ClusterSpec } from './cluster-spec';

/** Clusters that carry traffic or replication between them route each other's pod and service addresses, so these must be disjoint. */
export function checkNetworked(a: ClusterSpec, b: ClusterSpec, path: string, why: string, problems: Problems): void {
  const ranges = (c: ClusterSpec) =>
    [
      ['pod', c.network.podCidr],
      ['service', c.network.serviceCidr],
    ] as const;
  for (const [kindA, textA] of ranges(a)) {
    for (const [kindB, textB] of ranges(b)) {
      const cidrA = parseCidr(textA);
      const cidrB = parseCidr(textB);
      if (typeof cidrA === 'string' || typeof cidrB === 'string' || !cidrsOverlap(cidrA, cidrB)) continue;
      problems.add(
        path,
        `clusters "${a.name}" and "${b.name}" must reach each other for ${why}, but ${a.name}'s ${kindA} CIDR ${textA} overlaps ${b.name}'s ${kindB} CIDR ${textB}, so addresses would be ambiguous; give clusters.${b.name}.network disjoint ranges`,
      );
    }
  }
}
