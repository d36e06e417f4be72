import type { Problems } from '../../lib/errors';
import type { BlueprintSpec } from '../blueprint-spec';
import { meshClusters, serviceClusters } from '../core/placement-plan';
import { canaryAnalysis, progressiveCanary } from './progressive-plan';

/**
 * What a progressive canary stands on: the mesh (its traffic routing) on every cluster the
 * service runs on, the clusters' Prometheus (observability) for its analysis, something to judge
 * the new version by, and per-cluster mode (the Karmada control plane does not carry Rollouts yet).
 * A service without the mesh at all is told so by the mesh's own check of `traffic`.
 */
export function checkProgressiveDelivery(spec: BlueprintSpec, path: string, problems: Problems): void {
  const meshed = meshClusters(spec);
  for (const service of spec.services) {
    const progressive = progressiveCanary(service);
    if (!progressive) continue;
    const at = `${path}.services.${service.name}.traffic.canary.progressive`;
    if (service.stateful) {
      problems.add(
        at,
        "a stateful service's canary would start with empty volumes of its own, not the stable pods' data; roll the StatefulSet forward by changing version, or remove progressive",
      );
      continue;
    }
    if (spec.karmada) {
      problems.add(
        at,
        'progressive delivery is not supported in Karmada mode yet: the control plane propagates Deployments, not Argo Rollouts; remove karmada for this region, or use static canary weights',
      );
    }
    const unmeshed = serviceClusters(spec, service).filter((c) => !meshed.includes(c));
    if (spec.mesh && unmeshed.length > 0) {
      problems.add(
        at,
        `the service runs on ${unmeshed.join(', ')}, outside the mesh (${meshed.join(', ')}), where nothing could split its traffic; add ${unmeshed.length > 1 ? 'them' : 'it'} to mesh.clusters, or use static weights`,
      );
    }
    if (!spec.observability) {
      problems.add(
        at,
        "its analysis reads the mesh metrics from each cluster's Prometheus, and the blueprint has no observability; add observability: { hub, dataBureauReceivers }, or use static weights",
      );
    }
    const analysis = canaryAnalysis(service);
    if (!analysis.successRate && !analysis.latency) {
      problems.add(
        `${at}.analysis`,
        'nothing to judge the new version by: the service has no SLO and the analysis no threshold; add slos (e.g. { name: "availability", objective: 99.9 }), or analysis.successRate or analysis.latency',
      );
    }
  }
}
