import type { Problems } from '../../lib/errors';
import type { BlueprintSpec } from '../blueprint-spec';
import { ALLOWED_OUTSIDE_GOV_CLOUD, mustStayInGovCloud } from './data-classification-spec';
import { middlewareClusters, serviceHomeClusters } from './placement-plan';

/**
 * The data-classification rule for what is declared on a public-cloud cluster (a service's or
 * its department's clusters, a shelf instance's). Burst copies, standbys and replicated
 * databases are checked with their link or pair.
 */
export function checkDataClassification(spec: BlueprintSpec, path: string, problems: Problems): void {
  const isPublic = (name: string) => spec.clusters.find((c) => c.name === name)?.role === 'public';
  for (const service of spec.services) {
    const reason = mustStayInGovCloud(service);
    const publicHome = serviceHomeClusters(spec, service).filter(isPublic);
    if (reason && publicHome.length > 0) {
      problems.add(
        `${path}.services.${service.name}`,
        `runs on public-cloud cluster ${publicHome.join(', ')} (its own or its department's clusters), but it ${reason}; ${ALLOWED_OUTSIDE_GOV_CLOUD}: keep it on gov clusters with clusters: [...], or mark it`,
      );
    }
  }
  for (const instance of spec.middleware ?? []) {
    const reason = mustStayInGovCloud({ dataClassification: instance.dataClassification });
    const placed = middlewareClusters(spec, instance).filter(isPublic);
    if (reason && placed.length > 0)
      problems.add(
        `${path}.middleware.${instance.name}.clusters`,
        `installs the instance on public-cloud cluster ${placed.join(', ')}, but it ${reason}; ${ALLOWED_OUTSIDE_GOV_CLOUD}: install it on gov clusters, or mark it`,
      );
  }
}
