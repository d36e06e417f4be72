import { PinnedChartInstall } from '../core/pinned-chart';
import type { ICluster, IRegion } from '../core/tree';
import { usesScaledObject } from './scaling-plan';
import { KEDA, KEDA_NAMESPACE, KEDA_RELEASE, kedaValues } from '../observability/monitoring-catalogue';
import { ClusterMonitoring } from '../observability/cluster-monitoring';

/** Helm waits this long for the operator, the metrics API server and the webhooks. */
const RELEASE_TIMEOUT_SECONDS = 600;

/**
 * KEDA on one cluster, from the mirror: the operator that turns the cluster's ScaledObjects
 * (scheduled pre-scaling, request-rate triggers) into HPAs. Installed on every cluster that has a
 * ScaledObject, by the platform layer, so the CRDs exist before the manifests are applied.
 */
export class KedaInstall extends PinnedChartInstall {
  /**
   * Lives in the cluster's Terraform stack as `keda`. With `monitoring`, the chart renders
   * ServiceMonitors, whose CRD that release installs: Helm refuses the chart until it exists.
   */
  constructor(cluster: ICluster, props: { readonly monitoring?: ClusterMonitoring }) {
    super(cluster, 'keda', {
      namespace: KEDA_NAMESPACE,
      release: KEDA_RELEASE,
      chart: KEDA,
      values: kedaValues({ registry: cluster.supplyChain.registry, serviceMonitors: props.monitoring !== undefined }),
      timeoutSeconds: RELEASE_TIMEOUT_SECONDS,
      ...(props.monitoring ? { dependsOn: [props.monitoring.release] } : {}),
    });
  }
}

/**
 * KEDA on each of the region's clusters whose workloads scale by ScaledObject. Also in Karmada
 * mode, where the control plane folds them into FederatedHPAs: the platform layer is the same in
 * both modes, so a region can leave Karmada without a platform change. Call once the region's
 * services are built and its observability added (KEDA's ServiceMonitors wait for the cluster's
 * monitoring release).
 */
export function installKeda(region: IRegion): void {
  for (const cluster of region.clusters) {
    const scaled = cluster.departments.some((d) => d.services.some((s) => usesScaledObject(s.scaling)));
    const monitoring = cluster.stack.node.tryFindChild(ClusterMonitoring.ID);
    if (scaled) new KedaInstall(cluster, { monitoring: monitoring instanceof ClusterMonitoring ? monitoring : undefined });
  }
}
