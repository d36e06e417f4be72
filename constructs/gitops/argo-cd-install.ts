import { PinnedChartInstall } from '../core/pinned-chart';
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
export class ArgoCdInstall extends PinnedChartInstall {
  /** Lives in the cluster's Terraform stack as `argo-cd`. */
  constructor(cluster: ICluster, props: { readonly namespace: string }) {
    super(cluster, 'argo-cd', {
      namespace: props.namespace,
      release: ARGO_CD_RELEASE,
      chart: ARGO_CD,
      values: argoCdValues(cluster.supplyChain.registry),
      timeoutSeconds: RELEASE_TIMEOUT_SECONDS,
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
