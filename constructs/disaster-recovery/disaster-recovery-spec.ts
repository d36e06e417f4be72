import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { parseDuration } from '../../lib/duration';

/**
 * `hot-standby`: the standby runs every protected service warm at a small floor and takes the
 * whole load when the primary fails. `active-active`: both clusters serve all the time, each
 * scaled like the primary.
 */
export type DrMode = 'hot-standby' | 'active-active';
export const DR_MODES: readonly DrMode[] = ['hot-standby', 'active-active'];

/** What Karmada does with the primary's copy once the application has failed over. */
export type PurgeMode = 'Directly' | 'Gracefully' | 'Never';
export const PURGE_MODES: readonly PurgeMode[] = ['Directly', 'Gracefully', 'Never'];

/** A PostgreSQL shelf instance replicated to the standby as a CloudNativePG replica cluster. */
export interface DrDatabaseSpec {
  /** A `postgresql` middleware instance installed on the primary cluster. */
  readonly name: string;
  /**
   * Where the standby reaches the primary's PostgreSQL across clouds (a load balancer or private
   * link in front of the primary pod), as `host` or `host:port`.
   */
  readonly primaryHost: string;
  /**
   * Source addresses the primary admits replication from: the standby's egress.
   * @default the standby cluster's pod CIDR (a private link without NAT)
   */
  readonly replicationSourceCidrs?: readonly string[];
}

/** Velero backups to S3-compatible object storage outside the primary's failure domain. */
export interface DrBackupSpec {
  /** S3-compatible endpoint, e.g. "https://obs.cn-central-221.example". */
  readonly endpoint: string;
  readonly bucket: string;
  /** Region the endpoint expects in its signatures. @default "us-east-1" */
  readonly region?: string;
  /**
   * An existing Secret in the `velero` namespace holding the object store credentials in
   * Velero's credentials-file format; no credential is ever synthesized.
   */
  readonly credentialsSecret: { readonly name: string; readonly key: string };
  /**
   * Time between backups: at most the RPO.
   * @default the longest interval within the RPO that a cron line can keep (a divisor of an hour or a day)
   */
  readonly interval?: string;
  /** How long each backup is kept. @default "168h" (7 days) */
  readonly retention?: string;
}

/** How failure is detected and handled. */
export interface DrFailoverSpec {
  /**
   * Seconds the primary may be unhealthy before its load moves: Karmada's
   * `decisionConditions.tolerationSeconds`, and the detection budget of the recovery time.
   * @default 60
   */
  readonly tolerationSeconds?: number;
  /** Karmada application failover: what happens to the primary's copy. @default "Gracefully" */
  readonly purgeMode?: PurgeMode;
  /**
   * Seconds the operator takes, once the primary is declared failed, to promote the replica
   * databases on the standby (a manual step, listed in the report): part of the recovery time
   * of every protected service that uses one of them.
   * @default 60
   */
  readonly promotionSeconds?: number;
}

/**
 * A recovery drill: a Velero Restore of the pair's latest backup on the standby, into separate
 * namespaces so the drill never touches the live copies there. Written outside the cluster's
 * kustomization: applying the folder starts no restore, `kubectl create -f` does.
 */
export interface DrDrillSpec {
  /** Appended to each backed-up namespace to name its drill namespace. @default "-drill" */
  readonly namespaceSuffix?: string;
}

export const DEFAULT_DRILL_SUFFIX = '-drill';

/**
 * A primary cluster and a standby cluster in another failure domain (another cloud, or another
 * location of the same cloud) for the named services and databases, with the declared recovery
 * point and time objectives checked at synth (white paper 4.4 and 5.1).
 */
export interface DrPairSpec {
  readonly name: string;
  readonly primary: string;
  readonly standby: string;
  readonly mode: DrMode;
  /** Recovery point objective: the most data that may be lost, as a duration, e.g. "15m". */
  readonly rpo: string;
  /** Recovery time objective: the longest the services may be down, as a duration, e.g. "5m". */
  readonly rto: string;
  /** Services protected: each runs on the standby too. */
  readonly services: readonly string[];
  /** PostgreSQL instances replicated to the standby. @default none */
  readonly databases?: readonly DrDatabaseSpec[];
  readonly backup: DrBackupSpec;
  /** Replicas each protected service keeps running on the standby in `hot-standby` mode. @default 1 */
  readonly standbyReplicas?: number;
  /** @default { tolerationSeconds: 60, purgeMode: "Gracefully", promotionSeconds: 60 } */
  readonly failover?: DrFailoverSpec;
  /** A recovery drill restoring the latest backup on the standby. @default none */
  readonly drill?: DrDrillSpec;
}

export const DEFAULT_TOLERATION_SECONDS = 60;
export const DEFAULT_PROMOTION_SECONDS = 60;
export const DEFAULT_BACKUP_RETENTION = '168h';

function checkPair(pair: DrPairSpec, path: string, problems: Problems): void {
  if (pair.primary === pair.standby)
    problems.add(`${path}.standby`, `is the primary itself (${JSON.stringify(pair.primary)}); name a cluster in another failure domain`);
  const rpo = parseDuration(pair.rpo);
  const interval = pair.backup.interval === undefined ? undefined : parseDuration(pair.backup.interval);
  if (rpo !== undefined && interval !== undefined && interval > rpo) {
    problems.add(
      `${path}.backup.interval`,
      `${JSON.stringify(pair.backup.interval)} is longer than the RPO ${JSON.stringify(pair.rpo)}: a failure just before a backup would lose more than the RPO allows; back up at least every ${pair.rpo} (or leave interval out to derive it), or relax the RPO`,
    );
  }
  if (pair.mode === 'active-active' && pair.standbyReplicas !== undefined) {
    problems.add(`${path}.standbyReplicas`, 'applies to hot-standby only: in active-active mode both clusters are scaled like the primary; remove it');
  }
}

export const drPairSchema = s.object<DrPairSpec>(
  {
    name: s.name('Name of the pair.'),
    primary: s.name('Cluster that serves normally.'),
    standby: s.name('Cluster in another failure domain that takes over.'),
    mode: s.enumOf(DR_MODES, 'hot-standby: warm standby at a small floor; active-active: both serve.'),
    rpo: s.duration('Recovery point objective: the most data that may be lost.'),
    rto: s.duration('Recovery time objective: the longest the services may be down.'),
    services: s.list(s.name(), 'Services protected by the pair.'),
    databases: s
      .namedList(
        s.object<DrDatabaseSpec>(
          {
            name: s.name('A postgresql instance on the primary.'),
            primaryHost: s.string({
              description: 'Address of the primary PostgreSQL reachable from the standby.',
              maxLength: 253 + ':65535'.length,
              pattern: {
                regex: /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/,
                meaning: 'a host name with an optional port, such as "pg.changsha.gov.example:5432"',
              },
            }),
            replicationSourceCidrs: s.list(s.cidr(undefined, '100.64.0.0/16')).optional(),
          },
          { title: 'a replicated database' },
        ),
        'PostgreSQL instances replicated to the standby.',
      )
      .optional(),
    backup: s.object<DrBackupSpec>(
      {
        endpoint: s.string({
          description: 'S3-compatible endpoint.',
          pattern: { regex: /^https:\/\/\S+$/, meaning: 'an https URL such as "https://obs.example"' },
        }),
        bucket: s.string({
          description: 'Bucket name.',
          pattern: { regex: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, meaning: 'an S3 bucket name (3-63 lower-case letters, digits, "." and "-")' },
        }),
        region: s.string().optional(),
        credentialsSecret: s.object<{ readonly name: string; readonly key: string }>({ name: s.name(), key: s.string() }, { title: 'a Secret key reference' }),
        interval: s.duration('Time between backups; at most the RPO.').optional(),
        retention: s.duration('How long each backup is kept.').optional(),
      },
      { title: 'backup settings' },
    ),
    standbyReplicas: s.integer({ min: 1 }).optional(),
    failover: s
      .object<DrFailoverSpec>(
        {
          tolerationSeconds: s.integer({ min: 0, max: 3600 }).optional(),
          purgeMode: s.enumOf(PURGE_MODES).optional(),
          promotionSeconds: s.integer({ min: 0, max: 3600 }).optional(),
        },
        { title: 'failover settings' },
      )
      .optional(),
    drill: s
      .object<DrDrillSpec>(
        {
          namespaceSuffix: s
            .string({
              description: 'Appended to each backed-up namespace to name its drill namespace.',
              pattern: { regex: /^-[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, meaning: 'a "-" followed by lower-case letters, digits and "-", such as "-drill"' },
            })
            .optional(),
        },
        { title: 'a recovery drill' },
      )
      .optional(),
  },
  { title: 'a disaster-recovery pair', rules: [checkPair] },
);
