import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { cronLineMessage } from '../workload/schedule-spec';
import { type MiddlewareEngineName, SIZE_PRESETS, type SizePreset } from './engine';
import { MIDDLEWARE_ENGINES, catalogueEngine } from './catalogue';
import { type DataClassification, dataClassificationSchema } from '../core/data-classification-spec';

/** A decision that weakens a default, with the reason that makes it reviewable. */
export interface HighAvailabilitySpec {
  readonly enabled: boolean;
  /** Required to switch HA off on a production cluster. */
  readonly reason?: string;
}

/** Velero backups of the instance's volumes. */
export interface MiddlewareBackupSpec {
  /** @default true */
  readonly enabled?: boolean;
  /** Required to switch backups off on a production cluster. */
  readonly reason?: string;
  /**
   * Cron expression, evaluated by the Velero server (UTC in the upstream image).
   * @default "0 18 * * *" (02:00 Asia/Shanghai)
   */
  readonly schedule?: string;
  /** How long each backup is kept. @default "168h" (7 days) */
  readonly retention?: string;
  /** Velero BackupStorageLocation. @default the Velero default location */
  readonly storageLocation?: string;
}

export interface MiddlewareStorageSpec {
  /** Volume size per replica. @default the size preset's storage */
  readonly size?: string | number;
  /** StorageClass of the volumes. @default the cluster's `storageClass`, else the cluster default */
  readonly storageClass?: string;
}

/** One instance on the shared middleware shelf (货架). */
export interface MiddlewareSpec {
  /** Instance name, unique in the blueprint: the Helm release and the prefix of its objects. */
  readonly name: string;
  readonly engine: MiddlewareEngineName;
  /** A version from the catalogue, pinned (chart, chart version and images follow from it). */
  readonly version: string;
  /** Why a region runs another version than the blueprint; required for that and shown in the report. */
  readonly versionChangeReason?: string;
  /** @default "small" */
  readonly size?: SizePreset;
  /** Per-replica requests that replace the preset's. @default the size preset */
  readonly resources?: { readonly cpu?: string | number; readonly memory?: string | number };
  readonly storage?: MiddlewareStorageSpec;
  /** Replicas of the main component. @default the engine's HA count when HA, else 1 */
  readonly replicas?: number;
  /** @default enabled on production clusters, disabled elsewhere */
  readonly highAvailability?: HighAvailabilitySpec;
  /** Prometheus exporter or endpoint plus metrics service. @default true */
  readonly metrics?: boolean;
  /** @default enabled, daily */
  readonly backup?: MiddlewareBackupSpec;
  /** Bump to write new credential values from the variables (they are write-only, so Terraform cannot see a change). @default 1 */
  readonly credentialsRevision?: number;
  /** Database, vhost or bucket clients use, where the engine has one. @default the instance name */
  readonly resourceName?: string;
  /** Clusters it is installed on. @default every gov cluster */
  readonly clusters?: readonly string[];
  /** Departments whose services may connect. @default none */
  readonly grants?: readonly string[];
  /**
   * What the instance stores. Only `internal` or `public` data may be installed on, or
   * replicated to, a public-cloud cluster. @default "personal"
   */
  readonly dataClassification?: DataClassification;
}

/**
 * How a service receives an instance's client credentials: `file` mounts them read-only from the
 * credentials Secret and names each file in `<PREFIX>_<KEY>_FILE`; `env` puts the values in
 * `<PREFIX>_<KEY>` (secretKeyRef), for an application that cannot read a file.
 */
export type CredentialDelivery = 'file' | 'env';
export const CREDENTIAL_DELIVERIES: readonly CredentialDelivery[] = ['file', 'env'];
export const DEFAULT_CREDENTIAL_DELIVERY: CredentialDelivery = 'file';

/** Where a service's containers find the client credentials of the shelf instances they use, one directory per instance. */
export const CREDENTIALS_ROOT = '/var/run/secrets/govcloud.io';

/** Prefix of the pod volumes holding those credentials; a stateful service's own volumes may not use it. */
export const CREDENTIALS_VOLUME_PREFIX = 'credentials-';

/**
 * How a service connects to a shelf instance. The non-secret settings become env references to
 * the connection ConfigMap (`<PREFIX>_HOST`, `<PREFIX>_PORT` ...). The credentials (the engine's
 * client keys: `password`, or `access-key` and `secret-key`) are files by default: the department's
 * credentials Secret is mounted read-only (mode 0400) at `/var/run/secrets/govcloud.io/<instance>/`
 * and `<PREFIX>_PASSWORD_FILE` holds the path of `password` there (CIS 5.4.1: an environment is
 * inherited by child processes and dumped in crash reports). `credentials: env` gives
 * `<PREFIX>_PASSWORD` as a secretKeyRef instead, for an application that cannot read a file; the
 * rule pack warns about it (GCB-SEC-06).
 */
export interface MiddlewareUseSpec {
  /** Instance name. */
  readonly name: string;
  /** Prefix of the env variables (`<PREFIX>_HOST`, `<PREFIX>_PASSWORD_FILE` ...). @default the instance name in upper snake case */
  readonly envPrefix?: string;
  /**
   * `file`: credentials are read-only files named by `<PREFIX>_<KEY>_FILE`; `env`: their values in
   * `<PREFIX>_<KEY>`, for an application that cannot read files (GCB-SEC-06 warns).
   * @default "file"
   */
  readonly credentials?: CredentialDelivery;
}

export function defaultEnvPrefix(instance: string): string {
  return instance.toUpperCase().replace(/-/g, '_');
}

function checkMiddleware(spec: MiddlewareSpec, path: string, problems: Problems): void {
  const engine = catalogueEngine(spec.engine);
  const versions = engine.releases.map((r) => r.version);
  if (!versions.includes(spec.version)) {
    problems.add(
      `${path}.version`,
      `${JSON.stringify(spec.version)} is not in the catalogue for ${engine.product}; vetted versions: ${versions.join(', ')}. Pick one, or add the version to the catalogue entry (constructs/middleware/engines/${spec.engine}.ts)`,
    );
  }
  if (spec.highAvailability?.enabled === false && spec.replicas !== undefined && spec.replicas > 1) {
    problems.add(`${path}.replicas`, `${spec.replicas} replicas with high availability switched off: set replicas to 1, or enable high availability`);
  }
  if (spec.highAvailability?.enabled === true && spec.highAvailability.reason !== undefined) {
    problems.add(`${path}.highAvailability.reason`, 'a reason is only needed to switch high availability off; remove it');
  }
  const grants = spec.grants ?? [];
  grants.forEach((department, i) => {
    if (grants.indexOf(department) !== i) problems.add(`${path}.grants[${i}]`, `"${department}" is granted twice; remove one`);
  });
}

/** Five fields of a standard cron line, as Velero accepts it (or an @-descriptor such as "@daily"). */
const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|@every \d+[smh]|(\S+\s+){4}\S+)$/;

/** Velero backup settings: shelf instances and stateful services share them. */
export const backupSettingsSchema = s.object<MiddlewareBackupSpec>(
  {
    enabled: s.boolean().optional(),
    reason: s.string().optional(),
    schedule: s
      .string({
        description: 'Cron schedule (Velero server time, UTC).',
        pattern: { regex: CRON, meaning: 'a cron line with five fields such as "0 18 * * *", or "@daily"' },
        // Velero parses the five fields as KEDA does: the same ranges hold.
        validate: (line) => (line.startsWith('@') ? undefined : cronLineMessage(line)),
      })
      .optional(),
    retention: s.duration('How long each backup is kept, e.g. "168h".').optional(),
    storageLocation: s.name('Velero BackupStorageLocation.').optional(),
  },
  {
    title: 'backup settings',
    rules: [
      (backup, path, problems) => {
        if (backup.enabled !== false && backup.reason !== undefined) problems.add(`${path}.reason`, 'a reason is only needed to switch backups off; remove it');
      },
    ],
  },
);

export const middlewareSchema = s.object<MiddlewareSpec>(
  {
    name: s.serviceName('Instance name: the Helm release and the prefix of its objects, its Services among them.'),
    engine: s.enumOf(MIDDLEWARE_ENGINES, 'Which catalogue entry.'),
    version: s.string({ description: 'A vetted version from the catalogue.' }),
    versionChangeReason: s.string({ description: 'Why this region runs another version than the blueprint.' }).optional(),
    size: s.enumOf(SIZE_PRESETS, 'Size preset: CPU, memory and storage per replica.').optional(),
    resources: s
      .object<{ readonly cpu?: string | number; readonly memory?: string | number }>(
        { cpu: s.quantity().optional(), memory: s.quantity().optional() },
        { title: 'per-replica requests' },
      )
      .optional(),
    storage: s
      .object<MiddlewareStorageSpec>(
        { size: s.quantity('Volume size per replica.').optional(), storageClass: s.string({ description: 'StorageClass of the volumes.' }).optional() },
        { title: 'storage settings' },
      )
      .optional(),
    replicas: s.integer({ min: 1 }).optional(),
    highAvailability: s
      .object<HighAvailabilitySpec>({ enabled: s.boolean(), reason: s.string().optional() }, { title: 'high availability settings' })
      .optional(),
    metrics: s.boolean('Metrics exporter and service.').optional(),
    backup: backupSettingsSchema.optional(),
    credentialsRevision: s.integer({ min: 1, description: 'Bump to write new credential values.' }).optional(),
    resourceName: s
      .string({
        description: 'Database, vhost or bucket clients use.',
        pattern: {
          regex: /^[a-z][a-z0-9_-]{0,62}$/,
          meaning: 'a lower-case name of letters, digits, "_" and "-" (at most 63 characters) such as "citizen_app"',
        },
      })
      .optional(),
    clusters: s.list(s.name()).optional(),
    grants: s.list(s.name(), 'Departments whose services may connect.').optional(),
    dataClassification: dataClassificationSchema.optional(),
  },
  { title: 'a middleware instance', rules: [checkMiddleware] },
);

export const middlewareUseSchema = s.object<MiddlewareUseSpec>(
  {
    name: s.name('Middleware instance name.'),
    envPrefix: s.string({ pattern: { regex: /^[A-Z][A-Z0-9_]*$/, meaning: 'an upper-case env prefix such as "DB"' } }).optional(),
    credentials: s
      .enumOf(CREDENTIAL_DELIVERIES, 'How credentials reach the container: "file" (<PREFIX>_<KEY>_FILE names a read-only file) or "env" (<PREFIX>_<KEY>).')
      .optional(),
  },
  { title: 'a middleware connection' },
);
