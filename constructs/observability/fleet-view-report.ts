import { table } from '../../lib/report/markdown';
import type { IRegion } from '../core/tree';
import { failureDomain } from '../core/cluster-spec';
import { externalLabels } from './series-labels-plan';

/**
 * The fleet report's observability section (white paper 4.3, one view across clouds): every
 * cluster of the regions synthesized together, its cloud, the labels its series carry and the
 * hub it remote-writes to, so the data bureau sees which clouds feed which view, and what does not.
 */
export function fleetObservabilitySection(regions: readonly IRegion[]): string {
  const rows = regions.flatMap((region) =>
    region.clusters.map((cluster) => {
      const hub = region.spec.observability?.hub;
      const labels = externalLabels(region.blueprint.name, region.name, cluster.spec);
      return [
        region.name,
        cluster.name,
        cluster.spec.role,
        failureDomain(cluster.spec),
        hub
          ? Object.entries(labels)
              .map(([key, value]) => `${key}=${value}`)
              .join(', ')
          : 'not monitored',
        hub ? `\`${hub.remoteWriteUrl}\` (hub in region \`${hub.region}\`)` : 'none',
      ];
    }),
  );
  const feeding = regions.flatMap((r) => (r.spec.observability ? r.clusters : []));
  const hubs = [...new Set(regions.flatMap((r) => (r.spec.observability ? [r.spec.observability.hub.remoteWriteUrl] : [])))];
  const clouds = [...new Set(feeding.map((c) => c.spec.cloud))];
  const summary =
    hubs.length === 0
      ? 'No region is monitored.'
      : `${feeding.length} of ${rows.length} clusters, on ${clouds.length} cloud${clouds.length === 1 ? '' : 's'} (${clouds.join(', ')}), remote-write to ${hubs.length === 1 ? 'one hub' : `${hubs.length} hubs`}; every series carries its region, cluster and cloud, so one query compares them.`;
  return `${summary}\n\n${table(['region', 'cluster', 'role', 'failure domain', 'labels on every series', 'remote write'], rows)}`;
}
