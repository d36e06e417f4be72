import { PinnedChartInstall } from '../core/pinned-chart';
import { CLOUDNATIVE_PG, CNPG_NAMESPACE, CNPG_RELEASE, cloudNativePgValues } from './cloudnative-pg-catalogue';
import type { ICluster } from '../core/tree';

/** Helm waits this long for the operator and its webhooks. */
const RELEASE_TIMEOUT_SECONDS = 600;

/**
 * The CloudNativePG operator on one cluster (a standby of replicated databases): its namespace
 * and the pinned chart from the mirror, CRDs included. One per cluster. Lives in the cluster's
 * Terraform stack as `cloudnative-pg`.
 */
export class CloudNativePgInstall extends PinnedChartInstall {
  /** The operator's namespace name, as a reference that orders dependants after it. */
  readonly namespaceName: string;

  constructor(cluster: ICluster) {
    // The chart's defaults run the operator as non-root, read-only, without capabilities: `restricted`.
    super(cluster, 'cloudnative-pg', {
      namespace: CNPG_NAMESPACE,
      release: CNPG_RELEASE,
      chart: CLOUDNATIVE_PG,
      values: cloudNativePgValues(cluster.supplyChain.registry),
      timeoutSeconds: RELEASE_TIMEOUT_SECONDS,
    });
    this.namespaceName = this.namespace.metadata.name;
  }
}
