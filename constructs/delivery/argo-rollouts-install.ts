import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import { toYaml } from '../../lib/output/canonical-yaml';
import { RELEASE_SAFETY } from '../core/cluster-stack';
import { placementLabels, podSecurityLabels } from '../core/labels';
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
export class ArgoRolloutsInstall extends Construct {
  readonly namespace: NamespaceV1;
  readonly release: Release;

  /** Lives in the cluster's Terraform stack as `argo-rollouts`. */
  constructor(cluster: ICluster, props: { readonly serviceMonitor: boolean }) {
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
      values: [toYaml(argoRolloutsValues({ registry: cluster.supplyChain.registry, serviceMonitor: props.serviceMonitor }))],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
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
