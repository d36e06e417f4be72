import type { Chart } from 'cdk8s';
import type { KarmadaFold } from '../karmada/karmada-fold';
import { KARMADA_DIRECTORY } from '../karmada/karmada-spec';
import { chartApiObjects } from '../karmada/folded-objects';
import type { ICluster, IRegion } from './tree';

/** One manifest file `<stem>.yaml` and its objects, in order. */
export interface ManifestFile {
  readonly stem: string;
  readonly objects: readonly Record<string, unknown>[];
  /** Left out of the folder's kustomization.yaml: written, never applied with the folder. @default false */
  readonly unkustomized?: boolean;
}

/** A kustomize folder below the manifest root, e.g. `changsha/gov`. */
export interface ManifestFolder {
  readonly directory: string;
  readonly files: readonly ManifestFile[];
}

/**
 * The manifest folders of a region. Without Karmada: one per cluster, every manifest file of the
 * cluster. With Karmada: the department files of every cluster (the application layer) are folded
 * into one folder for the Karmada API server, and each cluster's folder keeps the rest (platform
 * manifests such as backups and the mesh). Files without objects are left out. `karmadaFold` is
 * the region's folded application layer (`foldRegion(region)`), undefined without Karmada.
 */
export function regionManifestFolders(region: IRegion, karmadaFold: KarmadaFold | undefined): ManifestFolder[] {
  if (!region.spec.karmada || !karmadaFold) return region.clusters.map((cluster) => clusterFolder(cluster, () => true));
  const clash = region.clusters.find((cluster) => cluster.name === KARMADA_DIRECTORY);
  if (clash)
    throw new Error(
      `[${clash.node.path}] a cluster named "${KARMADA_DIRECTORY}" would share its manifest folder with the Karmada control plane; rename the cluster`,
    );
  const departmentCharts = new Set<Chart>(region.clusters.flatMap((cluster) => cluster.departments.map((d) => d.chart)));
  const karmada: ManifestFolder = {
    directory: `${region.name}/${KARMADA_DIRECTORY}`,
    files: karmadaFold.departments.map((d) => ({ stem: d.name, objects: d.objects })),
  };
  return [...region.clusters.map((cluster) => clusterFolder(cluster, (chart) => !departmentCharts.has(chart))), karmada];
}

function clusterFolder(cluster: ICluster, include: (chart: Chart) => boolean): ManifestFolder {
  const files = [...cluster.manifestFiles]
    .filter(([, chart]) => include(chart))
    .map(([stem, chart]) => ({ stem, objects: chartObjects(chart), ...(cluster.unkustomizedFiles.has(stem) ? { unkustomized: true } : {}) }))
    .filter((file) => file.objects.length > 0);
  return { directory: cluster.manifestDirectory, files };
}

/** The chart's objects in construct order, resolved (JSON patches applied). */
export function chartObjects(chart: Chart): Record<string, unknown>[] {
  return chartApiObjects(chart).map((o) => o.toJson() as Record<string, unknown>);
}
