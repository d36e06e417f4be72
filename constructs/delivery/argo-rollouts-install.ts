import { PinnedChartInstall } from '../core/pinned-chart';
import type { ICluster, IRegion } from '../core/tree';
import { isProgressive } from './progressive-plan';
import { ARGO_ROLLOUTS, ARGO_ROLLOUTS_NAMESPACE, ARGO_ROLLOUTS_RELEASE, argoRolloutsValues } from './argo-rollouts-catalogue';
import { ClusterMonitoring } from '../observability/cluster-monitoring';

/** Helm waits this long for the controller. */
const RELEASE_TIMEOUT_SECONDS = 600;

/**
 * Argo Rollouts on one cluster, from the mirror: the controller that moves each progressive
 * canary through its steps and runs its analysis. Installed by the platform layer, with its CRDs,
 * so Rollouts and AnalysisTemplates can be applied.
 */
export class ArgoRolloutsInstall extends PinnedChartInstall {
  /**
   * Lives in the cluster's Terraform stack as `argo-rollouts`. With `monitoring`, the chart
   * renders a ServiceMonitor, whose CRD that release installs: Helm refuses the chart until it exists.
   */
  constructor(cluster: ICluster, props: { readonly monitoring?: ClusterMonitoring }) {
    super(cluster, 'argo-rollouts', {
      namespace: ARGO_ROLLOUTS_NAMESPACE,
      release: ARGO_ROLLOUTS_RELEASE,
      chart: ARGO_ROLLOUTS,
      values: argoRolloutsValues({ registry: cluster.supplyChain.registry, serviceMonitor: props.monitoring !== undefined }),
      timeoutSeconds: RELEASE_TIMEOUT_SECONDS,
      ...(props.monitoring ? { dependsOn: [props.monitoring.release] } : {}),
    });
  }
}

/**
 * Argo Rollouts on each of the region's clusters that runs a progressive service's Rollout, once.
 * Call once the region's services are built and its observability added (the controller's
 * ServiceMonitor waits for the cluster's monitoring release).
 */
export function installArgoRollouts(region: IRegion): void {
  for (const cluster of region.clusters) {
    const progressive = cluster.departments.some((d) => d.services.some((s) => isProgressive(s.spec)));
    const monitoring = cluster.stack.node.tryFindChild(ClusterMonitoring.ID);
    if (progressive) new ArgoRolloutsInstall(cluster, { monitoring: monitoring instanceof ClusterMonitoring ? monitoring : undefined });
  }
}
