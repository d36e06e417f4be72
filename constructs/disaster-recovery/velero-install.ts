import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import { toYaml } from '../../lib/output/canonical-yaml';
import { RELEASE_SAFETY } from '../core/cluster-stack';
import { placementLabels, podSecurityLabels } from '../core/labels';
import { VELERO, VELERO_NAMESPACE, VELERO_RELEASE, veleroValues } from './velero-catalogue';
import type { ICluster } from '../core/tree';

export interface VeleroInstallProps {
  /** Existing Secret in the Velero namespace with the object-store credentials. */
  readonly credentialsSecret: string;
}

/** Helm waits this long for the server and the node agent on every node. */
const RELEASE_TIMEOUT_SECONDS = 600;

/**
 * Velero on one cluster: its namespace and the pinned chart from the mirror. One per cluster,
 * whatever uses it: the DR pairs' schedules and locations, and the shelf's instance backups.
 * Lives in the cluster's Terraform stack as `velero`, not below `disaster-recovery`: it is the
 * cluster's backup server, so its address stays put whoever else comes to need it.
 */
export class VeleroInstall extends Construct {
  readonly namespace: NamespaceV1;
  readonly release: Release;
  readonly credentialsSecret: string;

  constructor(cluster: ICluster, props: VeleroInstallProps) {
    super(cluster.stack, 'velero');
    this.credentialsSecret = props.credentialsSecret;
    const labels = placementLabels({ blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name });
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: VELERO_NAMESPACE,
        // The node agent mounts the kubelet's pod and plugin directories from the host to move
        // snapshot data: `privileged` is enforced, `baseline` audited so anything else shows up.
        labels: { ...labels, ...podSecurityLabels('privileged', 'baseline') },
      },
    });
    this.release = new Release(this, 'release', {
      name: VELERO_RELEASE,
      namespace: this.namespace.metadata.name,
      repository: cluster.supplyChain.chartRepository,
      chart: VELERO.chart,
      version: VELERO.chartVersion,
      values: [toYaml(veleroValues({ registry: cluster.supplyChain.registry, credentialsSecret: props.credentialsSecret }))],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
    });
  }
}
