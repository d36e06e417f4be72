import type { Problems } from '../../lib/errors';
import { unknownNameMessage } from '../../lib/did-you-mean';
import type { BlueprintSpec } from '../blueprint-spec';
import { karmadaMemberName } from './karmada-spec';

/** Karmada member names: each names a cluster of the region, and no two clusters share one. */
export function checkKarmadaReferences(spec: BlueprintSpec, path: string, problems: Problems): void {
  const clusterNames = spec.clusters.map((c) => c.name);
  Object.keys(spec.karmada?.memberNames ?? {}).forEach((name) => {
    if (!clusterNames.includes(name))
      problems.add(
        `${path}.karmada.memberNames.${name}`,
        `${unknownNameMessage('cluster', name, clusterNames)}; a Karmada placement can only name the region's clusters`,
      );
  });
  if (spec.karmada) {
    const seen = new Map<string, string>();
    for (const c of spec.clusters) {
      const member = karmadaMemberName(spec.karmada, '', c.name);
      const other = seen.get(member);
      if (other)
        problems.add(
          `${path}.karmada.memberNames.${c.name}`,
          `"${member}" is also the member name of cluster "${other}"; each cluster joins Karmada under its own name`,
        );
      seen.set(member, c.name);
    }
  }
}
