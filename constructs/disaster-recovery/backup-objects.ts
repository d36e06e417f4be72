import { type Chart, ApiObject } from 'cdk8s';
import { formatGoDuration, parseDuration } from '../../lib/duration';
import type { DrBackupSpec } from './disaster-recovery-spec';
import { VELERO_NAMESPACE } from './velero-catalogue';
import { DEFAULT_BACKUP_REGION } from './disaster-recovery-plan';

export interface BackupLocationProps {
  readonly name: string;
  readonly backup: DrBackupSpec;
  readonly prefix: string;
  /** ReadWrite on the primary; ReadOnly on the standby, which only restores from it. */
  readonly accessMode: 'ReadWrite' | 'ReadOnly';
  /** The cluster's default location, used by Schedules that name none (the shelf's). */
  readonly default: boolean;
  readonly labels: Record<string, string>;
}

/** An S3-compatible BackupStorageLocation (velero.io/v1) with credentials from an existing Secret. */
export function addBackupStorageLocation(chart: Chart, props: BackupLocationProps): ApiObject {
  const { backup } = props;
  return new ApiObject(chart, `backup-storage-location-${props.name}`, {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    metadata: { name: props.name, namespace: VELERO_NAMESPACE, labels: props.labels },
    spec: {
      provider: 'aws',
      objectStorage: { bucket: backup.bucket, prefix: props.prefix },
      config: { region: backup.region ?? DEFAULT_BACKUP_REGION, s3ForcePathStyle: 'true', s3Url: backup.endpoint },
      credential: { name: backup.credentialsSecret.name, key: backup.credentialsSecret.key },
      accessMode: props.accessMode,
      default: props.default,
    },
  });
}

export interface BackupScheduleProps {
  readonly name: string;
  /** Five-field cron line, evaluated in UTC by the Velero server. */
  readonly cron: string;
  readonly retention: string;
  readonly namespaces: readonly string[];
  readonly storageLocation: string;
  readonly labels: Record<string, string>;
}

/** A Velero Schedule (velero.io/v1): the namespaces, with CSI snapshots whose data is moved to the location. */
export function addBackupSchedule(chart: Chart, props: BackupScheduleProps): ApiObject {
  return new ApiObject(chart, `schedule-${props.name}`, {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { name: props.name, namespace: VELERO_NAMESPACE, labels: props.labels },
    spec: {
      schedule: props.cron,
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: [...props.namespaces],
        storageLocation: props.storageLocation,
        ttl: formatGoDuration(parseDuration(props.retention)!),
        // CSI snapshots, with their data moved to the off-site location by the node agent's data
        // mover: a snapshot left in the primary's storage would fail with it.
        snapshotVolumes: true,
        snapshotMoveData: true,
      },
    },
  });
}

export interface DrillRestoreProps {
  readonly name: string;
  /** The primary's Schedule: Velero restores its latest completed backup. */
  readonly scheduleName: string;
  /** Backed-up namespace -> drill namespace. */
  readonly namespaceMapping: Readonly<Record<string, string>>;
  readonly labels: Record<string, string>;
}

/**
 * A recovery drill's Restore (velero.io/v1) on the standby: the Schedule's latest backup, synced
 * from the ReadOnly location, into the drill namespaces, volumes included.
 */
export function addDrillRestore(chart: Chart, props: DrillRestoreProps): ApiObject {
  return new ApiObject(chart, `restore-${props.name}`, {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: { name: props.name, namespace: VELERO_NAMESPACE, labels: props.labels },
    spec: {
      scheduleName: props.scheduleName,
      includedNamespaces: Object.keys(props.namespaceMapping),
      namespaceMapping: { ...props.namespaceMapping },
      restorePVs: true,
    },
  });
}
