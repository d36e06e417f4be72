import { PinnedChartInstall } from '../core/pinned-chart';
import type { ICluster, IRegion } from '../core/tree';
import { isProgressive } from './progressive-plan';
import { ARGO_ROLLOUTS, ARGO_ROLLOUTS_NAMESPACE, ARGO_ROLLOUTS_RELEASE, argoRolloutsValues } from './argo-rollouts-catalogue';

/** Helm waits this long for the controller. */
const RELEASE_TIMEOUT_SECONDS = 600;

/**
 * Argo Rollouts on one cluster, from the mirror: the controller that moves each progressive
 * canary through its steps and runs its analysis. Installed by the platform layer, with its CRDs,
 * so Rollouts and AnalysisTemplates can be applied.
 */
export class ArgoRolloutsInstall extends PinnedChartInstall {
  /** Lives in the cluster's Terraform stack as `argo-rollouts`. */
  constructor(cluster: ICluster, props: { readonly serviceMonitor: boolean }) {
    super(cluster, 'argo-rollouts', {
      namespace: ARGO_ROLLOUTS_NAMESPACE,
      release: ARGO_ROLLOUTS_RELEASE,
      chart: ARGO_ROLLOUTS,
      values: argoRolloutsValues({ registry: cluster.supplyChain.registry, serviceMonitor: props.serviceMonitor }),
      timeoutSeconds: RELEASE_TIMEOUT_SECONDS,
    });
  }
}

/** Argo Rollouts on each of the region's clusters that runs a progressive service's Rollout, once. Call once the region's services are built. */
export function installArgoRollouts(region: IRegion): void {
  for (const cluster of region.clusters) {
    const progressive = cluster.departments.some((d) => d.services.some((s) => isProgressive(s.spec)));
    if (progressive) new ArgoRolloutsInstall(cluster, { serviceMonitor: region.spec.observability !== undefined });
  }
}
