import { placementLabels } from '../core/labels';
import type { ManifestFolder } from '../core/manifest-folders';
import type { IRegion } from '../core/tree';
import { GITOPS_FILE, application, destinationName, managementCluster, rolloutIgnoreDifferences, withSyncWave } from './gitops-plan';

/**
 * The region's manifest folders ready for Argo CD, or as they are without `gitops`: every object
 * Argo CD syncs carries its sync wave, and the management cluster's folder gets `gitops.yaml`, one
 * Application per folder (the management cluster's own, every other cluster's, and in Karmada mode
 * the control plane's). The file is left out of the folder's kustomization: an Application that
 * synced the folder holding itself would loop. Un-kustomized files (drills) are applied by hand
 * and keep no wave.
 *
 * Applications, not one ApplicationSet with a list generator: each cluster's differs by more than
 * its name (the fields its Rollouts own), every one is plain and checked against the Application
 * CRD at synth, and `kubectl get applications` shows exactly what the file says.
 */
export function withGitOps(region: IRegion, folders: readonly ManifestFolder[]): ManifestFolder[] {
  const spec = region.spec.gitops;
  const management = managementCluster(region.spec);
  if (!spec || !management) return [...folders];
  const waved = folders.map((folder) => ({
    ...folder,
    files: folder.files.map((file) => (file.unkustomized ? file : { ...file, objects: file.objects.map(withSyncWave) })),
  }));
  const labels = placementLabels({ blueprint: region.blueprint.name, region: region.name, cluster: management });
  const applications = folders.map((folder) =>
    application({
      spec,
      region: region.name,
      directory: folder.directory,
      destination: destinationName(region.name, folder.directory.split('/').pop()!, management),
      labels,
      ignoreDifferences: rolloutIgnoreDifferences(folder.files.filter((f) => !f.unkustomized).flatMap((f) => f.objects)),
    }),
  );
  const home = `${region.name}/${management}`;
  return waved.map((folder) =>
    folder.directory === home ? { ...folder, files: [...folder.files, { stem: GITOPS_FILE, objects: applications, unkustomized: true }] } : folder,
  );
}
