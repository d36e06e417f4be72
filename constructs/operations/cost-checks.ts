import type { Problems } from '../../lib/errors';
import { parseDuration } from '../../lib/duration';
import { unknownNameMessage } from '../../lib/did-you-mean';
import type { BlueprintSpec } from '../blueprint-spec';

/**
 * Every cloud priced must be one a cluster runs on, where the price is written: the blueprint's
 * clusters for the blueprint's prices; the blueprint's and the region's for a region's (a price the
 * blueprint gives for a cloud a region has left stays, unused). The Fleet and each Region call it.
 */
export function checkPricedClouds(spec: BlueprintSpec, known: readonly string[], path: string, problems: Problems): void {
  const clouds = [...new Set(known)];
  for (const cloud of Object.keys(spec.costs?.prices ?? {})) {
    if (!clouds.includes(cloud)) {
      problems.add(
        `${path}.costs.prices.${cloud}`,
        `${unknownNameMessage('cloud', cloud, clouds).replace('no cloud named', 'no cluster runs on a cloud named')}; price only the clouds of the clusters (a region adds the price of a cloud it adds)`,
      );
    }
  }
}

/** The clouds the spec's clusters run on. */
export function cloudsOf(spec: BlueprintSpec): string[] {
  return spec.clusters.map((c) => c.cloud);
}

/** Every duration must name a burst link and be longer than zero. */
export function checkCosts(spec: BlueprintSpec, path: string, problems: Problems): void {
  if (!spec.costs) return;
  const costsPath = `${path}.costs`;
  const links = (spec.burst ?? []).map((l) => l.name);
  for (const [link, duration] of Object.entries(spec.costs.burstDurations ?? {})) {
    const durationPath = `${costsPath}.burstDurations.${link}`;
    if (!links.includes(link)) problems.add(durationPath, `${unknownNameMessage('burst link', link, links)}; key each duration by the name of a burst link`);
    else if (parseDuration(duration) === 0)
      problems.add(durationPath, `"${duration}" is no time at peak; give how long the link runs at its peak in the month, e.g. "4h", or remove it`);
  }
}
