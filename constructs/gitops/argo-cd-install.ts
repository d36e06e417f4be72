import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import { toYaml } from '../../lib/output/canonical-yaml';
import { RELEASE_SAFETY } from '../core/cluster-stack';
import { placementLabels, podSecurityLabels } from '../core/labels';
import type { ICluster, IRegion } from '../core/tree';
import { managementCluster } from './gitops-plan';
import { argoCdSettings } from './gitops-spec';
import { ARGO_CD, ARGO_CD_RELEASE, argoCdValues } from './argo-cd-catalogue';

/** Helm waits this long for Argo CD's components. */
const RELEASE_TIMEOUT_SECONDS = 600;

/**
 * Argo CD on the region's management cluster, from the mirror, with its CRDs: installed by the
 * platform layer, so the Applications in the cluster's `gitops.yaml` can be applied after `cdktf deploy`.
 */
export class ArgoCdInstall extends Construct {
  readonly namespace: NamespaceV1;
  readonly release: Release;

  /** Lives in the cluster's Terraform stack as `argo-cd`. */
  constructor(cluster: ICluster, props: { readonly namespace: string }) {
    super(cluster.stack, 'argo-cd');
    const labels = placementLabels({ blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name });
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: { name: props.namespace, labels: { ...labels, ...podSecurityLabels('restricted') } },
    });
    this.release = new Release(this, 'release', {
      name: ARGO_CD_RELEASE,
      namespace: this.namespace.metadata.name,
      repository: cluster.supplyChain.chartRepository,
      chart: ARGO_CD.chart,
      version: ARGO_CD.chartVersion,
      values: [toYaml(argoCdValues(cluster.supplyChain.registry))],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
    });
  }
}

/** Argo CD on the region's management cluster, when `gitops.argocd.install` asks for it. */
export function installArgoCd(region: IRegion): void {
  const spec = region.spec.gitops;
  if (!spec) return;
  const settings = argoCdSettings(spec);
  if (settings.install) new ArgoCdInstall(region.cluster(managementCluster(region.spec)!), { namespace: settings.namespace });
}
