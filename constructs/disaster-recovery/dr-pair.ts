import { Construct } from 'constructs';
import type { DrPairSpec } from './disaster-recovery-spec';
import { BITNAMI_REPLICATION_USER, type DrPlan, drBackupPrefix, drLocationName, planDisasterRecovery } from './disaster-recovery-plan';
import { planMiddleware } from '../middleware/middleware-plan';
import { placementLabels } from '../core/labels';
import { serviceClusters } from '../core/placement-plan';
import { ClusterDisasterRecovery } from './cluster-disaster-recovery';
import { addBackupSchedule, addBackupStorageLocation, addDrillRestore } from './backup-objects';
import { ReplicaDatabase } from './replica-database';
import { CNPG_POSTGRESQL_IMAGES, cnpgPostgresqlImage } from './cloudnative-pg-catalogue';
import type { ICluster, IRegion } from '../core/tree';

/** Label naming the DR pair an object belongs to. */
export const DR_PAIR_LABEL = 'govcloud.io/disaster-recovery-pair';

export interface DrPairProps {
  readonly region: IRegion;
  readonly spec: DrPairSpec;
  /** The pair's location is the primary's default one (the first pair of each primary). */
  readonly defaultLocation: boolean;
  /** Replica databases already claimed on a standby, by `<standby>/<instance>`: the pair that claimed it. */
  readonly replicaClaims: Map<string, string>;
}

/**
 * A disaster-recovery pair: a primary cluster and a standby in another failure domain. The
 * standby copies of the protected services come from placement and workload scaling; this
 * construct adds the data side: Velero on both clusters with the off-site location (ReadWrite on
 * the primary, ReadOnly on the standby), the primary's backup Schedule at the interval derived
 * from the RPO, a CloudNativePG replica cluster on the standby per replicated database, and the
 * recovery drill's Restore on the standby when the pair declares one.
 */
export class DrPair extends Construct {
  readonly region: IRegion;
  readonly spec: DrPairSpec;
  readonly plan: DrPlan;
  readonly primary: ICluster;
  readonly standby: ICluster;
  /** The BackupStorageLocation on both clusters and the Schedule on the primary. */
  readonly locationName: string;
  /** Folder of the backups in the bucket. */
  readonly backupPrefix: string;
  /** Namespaces the Schedule backs up; none (and no Schedule) when the pair protects nothing. */
  readonly backedUpNamespaces: readonly string[];
  readonly databases: readonly ReplicaDatabase[];

  constructor(scope: Construct, id: string, props: DrPairProps) {
    super(scope, id);
    const { region, spec } = props;
    this.region = region;
    this.spec = spec;
    this.plan = planDisasterRecovery(region.spec, spec);
    this.primary = region.cluster(spec.primary);
    this.standby = region.cluster(spec.standby);
    this.locationName = drLocationName(spec.name);
    this.backupPrefix = drBackupPrefix(region.name, spec.primary);
    const specPath = `regions.${region.name}.disasterRecovery.${spec.name}`;
    const labels = (cluster: ICluster) => ({
      ...placementLabels({ blueprint: region.blueprint.name, region: region.name, cluster: cluster.name }),
      [DR_PAIR_LABEL]: spec.name,
    });

    const primaryDr = ClusterDisasterRecovery.of(this.primary);
    const standbyDr = ClusterDisasterRecovery.of(this.standby);
    primaryDr.velero(spec.backup.credentialsSecret.name);
    standbyDr.velero(spec.backup.credentialsSecret.name);
    const location = { name: this.locationName, backup: spec.backup, prefix: this.backupPrefix };
    addBackupStorageLocation(primaryDr.manifests(), { ...location, accessMode: 'ReadWrite', default: props.defaultLocation, labels: labels(this.primary) });
    addBackupStorageLocation(standbyDr.manifests(), { ...location, accessMode: 'ReadOnly', default: false, labels: labels(this.standby) });

    const databases = spec.databases ?? [];
    this.backedUpNamespaces = this.plan.backedUpNamespaces;
    const backup = this.plan.backup!;
    // An empty namespace list means every namespace to Velero: a pair that protects nothing
    // backs up nothing, rather than the whole cluster.
    if (this.backedUpNamespaces.length > 0) {
      addBackupSchedule(primaryDr.manifests(), {
        name: this.locationName,
        cron: backup.cron,
        retention: backup.retention,
        namespaces: this.backedUpNamespaces,
        storageLocation: this.locationName,
        labels: labels(this.primary),
      });
    }

    // The drill's Restore on the standby, in a file the folder's kustomization leaves out:
    // applying the folder must never start a restore.
    const drill = this.plan.drill;
    if (drill) {
      addDrillRestore(this.standby.addManifests(drill.file, { kustomized: false }), {
        name: drill.restoreName,
        scheduleName: drill.scheduleName,
        namespaceMapping: drill.namespaceMapping,
        labels: labels(this.standby),
      });
    }

    const problems: string[] = [];
    const replicas: ReplicaDatabase[] = [];
    for (const database of databases) {
      const path = `${specPath}.databases.${database.name}`;
      const instance = (region.spec.middleware ?? []).find((m) => m.name === database.name)!;
      const claim = `${spec.standby}/${database.name}`;
      const other = props.replicaClaims.get(claim);
      if (other) {
        problems.push(
          `${path}: instance "${database.name}" is already replicated to standby "${spec.standby}" by pair "${other}" (as "${database.name}-replica"); replicate it to "${spec.standby}" from one pair only`,
        );
        continue;
      }
      props.replicaClaims.set(claim, spec.name);
      const onPrimary = planMiddleware(instance, this.primary.spec);
      if (!onPrimary.highAvailability) {
        problems.push(
          `${path}: instance "${database.name}" runs standalone on the primary "${spec.primary}" (highAvailability off), and the Bitnami chart creates the replication user "${BITNAMI_REPLICATION_USER}" only in replication architecture, so the standby has nothing to stream from; switch middleware.${database.name}.highAvailability on for the primary, or remove the database from the pair`,
        );
      }
      if (!cnpgPostgresqlImage(instance.version)) {
        problems.push(
          `${path}: no CloudNativePG PostgreSQL image is pinned for major version ${instance.version.split('.')[0]} (instance version ${instance.version}); pinned majors: ${Object.keys(CNPG_POSTGRESQL_IMAGES).join(', ')}; a replica runs the primary's major version: add the image to the catalogue (constructs/disaster-recovery/cloudnative-pg.ts)`,
        );
      }
      const replica = new ReplicaDatabase(this, database.name, {
        pair: spec.name,
        primary: this.primary,
        standby: this.standby,
        database,
        instance,
        labels: labels(this.standby),
        departments: [
          ...new Set(
            region.spec.services
              .filter((s) => (s.middleware ?? []).some((use) => use.name === database.name) && serviceClusters(region.spec, s).includes(spec.standby))
              .map((s) => s.department),
          ),
        ].sort(),
      });
      if (replica.plan.highAvailability && replica.plan.replicas > this.standby.spec.capacity.nodes) {
        problems.push(
          `${path}: the replica "${replica.clusterName}" runs ${replica.plan.replicas} instances, one per node, but standby cluster "${spec.standby}" has ${this.standby.spec.capacity.nodes} nodes; lower middleware.${database.name}.replicas or add nodes to the standby`,
        );
      }
      replicas.push(replica);
    }
    this.databases = replicas;
    this.node.addValidation({ validate: () => problems });
  }
}

const pairsByRegion = new WeakMap<IRegion, readonly DrPair[]>();

/**
 * The region's DR pairs, built once: call at the end of the Region constructor, after the
 * clusters, departments, shelf and services exist. A primary's first pair (in spec order) holds
 * its default backup location, so the shelf's instance Schedules, which name no location, are
 * written off-site too.
 */
export function addDisasterRecovery(region: IRegion): readonly DrPair[] {
  const existing = pairsByRegion.get(region);
  if (existing) return existing;
  const specs = region.spec.disasterRecovery ?? [];
  const scope = specs.length > 0 ? new Construct(region, 'disaster-recovery') : undefined;
  const defaultTaken = new Set<string>();
  const replicaClaims = new Map<string, string>();
  const pairs = specs.map((spec) => {
    const defaultLocation = !defaultTaken.has(spec.primary);
    defaultTaken.add(spec.primary);
    return new DrPair(scope!, spec.name, { region, spec, defaultLocation, replicaClaims });
  });
  pairsByRegion.set(region, pairs);
  return pairs;
}

/** The DR pairs built for the region, none if `addDisasterRecovery` has not run. */
export function disasterRecoveryPairs(region: IRegion): readonly DrPair[] {
  return pairsByRegion.get(region) ?? [];
}
