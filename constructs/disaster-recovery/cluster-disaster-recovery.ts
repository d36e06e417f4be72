import { Construct } from 'constructs';
import { type Chart } from 'cdk8s';
import { VeleroInstall } from './velero-install';
import { CloudNativePgInstall } from './cloudnative-pg-install';
import type { ICluster } from '../core/tree';

const byCluster = new WeakMap<ICluster, ClusterDisasterRecovery>();

/** Name (stem) of each cluster's manifest file of DR objects: locations, schedules, replica databases. */
export const DR_MANIFEST_FILE = 'disaster-recovery';

/**
 * What the DR pairs share on one cluster, each created once on first use however many pairs the
 * cluster is in: Velero, the CloudNativePG operator, the `disaster-recovery.yaml` manifest file,
 * and the stack scope of each pair's resources (`disaster-recovery/<pair>`).
 */
export class ClusterDisasterRecovery extends Construct {
  readonly cluster: ICluster;
  private veleroInstall?: VeleroInstall;
  private cnpgInstall?: CloudNativePgInstall;
  private manifestFile?: Chart;

  /** The cluster's DR scope, created on first use. */
  static of(cluster: ICluster): ClusterDisasterRecovery {
    let found = byCluster.get(cluster);
    if (!found) byCluster.set(cluster, (found = new ClusterDisasterRecovery(cluster)));
    return found;
  }

  /** Lives in the cluster's Terraform stack as `disaster-recovery`. */
  private constructor(cluster: ICluster) {
    super(cluster.stack, 'disaster-recovery');
    this.cluster = cluster;
  }

  /** Velero, installed on first use with the first caller's credentials Secret as the chart's default. */
  velero(credentialsSecret: string): VeleroInstall {
    this.veleroInstall ??= new VeleroInstall(this.cluster, { credentialsSecret });
    return this.veleroInstall;
  }

  /** Velero if installed. */
  get installedVelero(): VeleroInstall | undefined {
    return this.veleroInstall;
  }

  /** The CloudNativePG operator, installed on first use. */
  cloudNativePg(): CloudNativePgInstall {
    this.cnpgInstall ??= new CloudNativePgInstall(this.cluster);
    return this.cnpgInstall;
  }

  get installedCloudNativePg(): CloudNativePgInstall | undefined {
    return this.cnpgInstall;
  }

  /** The cluster's `disaster-recovery.yaml`; each object names its own namespace. */
  manifests(): Chart {
    this.manifestFile ??= this.cluster.addManifests(DR_MANIFEST_FILE);
    return this.manifestFile;
  }

  /** The Terraform scope of one pair's resources on this cluster: `disaster-recovery/<pair>`. */
  pairScope(pair: string): Construct {
    return this.node.tryFindChild(pair) ?? new Construct(this, pair);
  }
}
