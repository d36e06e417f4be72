import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import { toYaml } from '../../lib/output/canonical-yaml';
import { RELEASE_SAFETY } from '../core/cluster-stack';
import { placementLabels, podSecurityLabels } from '../core/labels';
import { CLOUDNATIVE_PG, CNPG_NAMESPACE, CNPG_RELEASE, cloudNativePgValues } from './cloudnative-pg-catalogue';
import type { ICluster } from '../core/tree';

/** Helm waits this long for the operator and its webhooks. */
const RELEASE_TIMEOUT_SECONDS = 600;

/**
 * The CloudNativePG operator on one cluster (a standby of replicated databases): its namespace
 * and the pinned chart from the mirror, CRDs included. One per cluster. Lives in the cluster's
 * Terraform stack as `cloudnative-pg`.
 */
export class CloudNativePgInstall extends Construct {
  readonly namespace: NamespaceV1;
  readonly release: Release;
  /** The operator's namespace name, as a reference that orders dependants after it. */
  readonly namespaceName: string;

  constructor(cluster: ICluster) {
    super(cluster.stack, 'cloudnative-pg');
    const labels = placementLabels({ blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name });
    // The chart's defaults run the operator as non-root, read-only, without capabilities.
    this.namespace = new NamespaceV1(this, 'namespace', { metadata: { name: CNPG_NAMESPACE, labels: { ...labels, ...podSecurityLabels('restricted') } } });
    this.namespaceName = this.namespace.metadata.name;
    this.release = new Release(this, 'release', {
      name: CNPG_RELEASE,
      namespace: this.namespaceName,
      repository: cluster.supplyChain.chartRepository,
      chart: CLOUDNATIVE_PG.chart,
      version: CLOUDNATIVE_PG.chartVersion,
      values: [toYaml(cloudNativePgValues(cluster.supplyChain.registry))],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
    });
  }
}
