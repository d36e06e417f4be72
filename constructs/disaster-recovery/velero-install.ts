import { PinnedChartInstall } from '../core/pinned-chart';
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
export class VeleroInstall extends PinnedChartInstall {
  readonly credentialsSecret: string;

  constructor(cluster: ICluster, props: VeleroInstallProps) {
    super(cluster, 'velero', {
      namespace: VELERO_NAMESPACE,
      // The node agent mounts the kubelet's pod and plugin directories from the host to move
      // snapshot data: `privileged` is enforced, `baseline` audited so anything else shows up.
      podSecurity: { enforce: 'privileged', audit: 'baseline' },
      release: VELERO_RELEASE,
      chart: VELERO,
      values: veleroValues({ registry: cluster.supplyChain.registry, credentialsSecret: props.credentialsSecret }),
      timeoutSeconds: RELEASE_TIMEOUT_SECONDS,
    });
    this.credentialsSecret = props.credentialsSecret;
  }
}
