import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import { toYaml } from '../../lib/output/canonical-yaml';
import { RELEASE_SAFETY } from '../core/cluster-stack';
import { placementLabels, podSecurityLabels } from '../core/labels';
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
export class ArgoRolloutsInstall extends Construct {
  readonly namespace: NamespaceV1;
  readonly release: Release;

  /**
   * Lives in the cluster's Terraform stack as `argo-rollouts`. With `monitoring`, the chart
   * renders a ServiceMonitor, whose CRD that release installs: Helm refuses the chart until it exists.
   */
  constructor(cluster: ICluster, props: { readonly monitoring?: ClusterMonitoring }) {
    super(cluster.stack, 'argo-rollouts');
    const labels = placementLabels({ blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name });
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: { name: ARGO_ROLLOUTS_NAMESPACE, labels: { ...labels, ...podSecurityLabels('restricted') } },
    });
    this.release = new Release(this, 'release', {
      name: ARGO_ROLLOUTS_RELEASE,
      namespace: this.namespace.metadata.name,
      repository: cluster.supplyChain.chartRepository,
      chart: ARGO_ROLLOUTS.chart,
      version: ARGO_ROLLOUTS.chartVersion,
      values: [toYaml(argoRolloutsValues({ registry: cluster.supplyChain.registry, serviceMonitor: props.monitoring !== undefined }))],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
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
