import type { Problems } from '../../lib/errors';
import { parseDuration } from '../../lib/duration';
import { unknownNameMessage } from '../../lib/did-you-mean';
import type { BlueprintSpec } from '../blueprint-spec';

/**
 * Every cloud priced must be one a cluster runs on, where the price is written: the Fleet checks
 * the blueprint's prices against the blueprint's clusters, a Region the prices its own overrides
 * write against the region's clusters (an inherited price for a cloud the region left is dropped
 * from its spec: pricesInUse).
 */
export function checkPricedClouds(priced: readonly string[], known: readonly string[], path: string, problems: Problems): void {
  const clouds = [...new Set(known)];
  for (const cloud of priced) {
    if (!clouds.includes(cloud)) {
      problems.add(
        `${path}.costs.prices.${cloud}`,
        `${unknownNameMessage('cloud', cloud, clouds).replace('no cloud named', 'no cluster runs on a cloud named')}; price only the clouds of the clusters (a region adds the price of a cloud it adds)`,
      );
    }
  }
}

/** The spec with the prices of clouds none of its clusters runs on left out, so a region's spec is a blueprint of its own. */
export function pricesInUse(spec: BlueprintSpec): BlueprintSpec {
  if (!spec.costs) return spec;
  const clouds = cloudsOf(spec);
  const prices = Object.fromEntries(Object.entries(spec.costs.prices).filter(([cloud]) => clouds.includes(cloud)));
  return { ...spec, costs: { ...spec.costs, prices } };
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
