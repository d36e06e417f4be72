import type { Problems } from '../../lib/errors';
import { parseDuration } from '../../lib/duration';
import { unknownNameMessage } from '../../lib/did-you-mean';
import type { BlueprintSpec } from '../blueprint-spec';

/** Every cloud priced must be one a cluster runs on; every duration must name a burst link and be longer than zero. */
export function checkCosts(spec: BlueprintSpec, path: string, problems: Problems): void {
  if (!spec.costs) return;
  const costsPath = `${path}.costs`;
  const clouds = [...new Set(spec.clusters.map((c) => c.cloud))];
  for (const cloud of Object.keys(spec.costs.prices)) {
    if (!clouds.includes(cloud)) {
      problems.add(
        `${costsPath}.prices.${cloud}`,
        `${unknownNameMessage('cloud', cloud, clouds).replace('no cloud named', 'no cluster runs on a cloud named')}; price only the clouds of the clusters (a region adds the price of a cloud it adds)`,
      );
    }
  }
  const links = (spec.burst ?? []).map((l) => l.name);
  for (const [link, duration] of Object.entries(spec.costs.burstDurations ?? {})) {
    const durationPath = `${costsPath}.burstDurations.${link}`;
    if (!links.includes(link)) problems.add(durationPath, `${unknownNameMessage('burst link', link, links)}; key each duration by the name of a burst link`);
    else if (parseDuration(duration) === 0)
      problems.add(durationPath, `"${duration}" is no time at peak; give how long the link runs at its peak in the month, e.g. "4h", or remove it`);
  }
}
