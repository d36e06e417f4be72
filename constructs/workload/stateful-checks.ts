import { type Problems } from '../../lib/errors';
import type { BlueprintSpec } from '../blueprint-spec';
import { isProductionCluster, offeredStorageClasses } from '../core/cluster-spec';
import { serviceClusters } from '../core/placement-plan';

/** What a stateful service needs of each cluster it runs on: the StorageClasses it names, a reason to go without backups. */
export function checkStatefulServices(spec: BlueprintSpec, path: string, problems: Problems): void {
  for (const service of spec.services) {
    if (!service.stateful || !spec.departments.some((d) => d.name === service.department)) continue;
    const servicePath = `${path}.services.${service.name}.statefulSet`;
    const volumes = service.statefulSet?.volumes ?? [];
    for (const clusterName of serviceClusters(spec, service)) {
      const cluster = spec.clusters.find((c) => c.name === clusterName);
      if (!cluster) continue;
      const offered = offeredStorageClasses(cluster);
      for (const volume of volumes) {
        if (volume.storageClass !== undefined && offered && !offered.includes(volume.storageClass)) {
          problems.add(
            `${servicePath}.volumes.${volume.name}.storageClass`,
            `cluster "${clusterName}" offers no StorageClass ${JSON.stringify(volume.storageClass)} (it offers ${offered.join(', ')}); use one of those, or add it to clusters.${clusterName}.storageClasses if the cluster has it`,
          );
        }
      }
      const backup = service.statefulSet?.backup;
      if (volumes.length > 0 && backup?.enabled === false && !backup.reason && isProductionCluster(cluster)) {
        problems.add(
          `${servicePath}.backup`,
          `switches backups off on production cluster "${clusterName}" without a reason; add reason: "..." (shown in the region report) or keep them on`,
        );
      }
    }
  }
}
