import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { parseQuantity } from '../../lib/quantity';
import { CREDENTIALS_ROOT, CREDENTIALS_VOLUME_PREFIX, type MiddlewareBackupSpec, backupSettingsSchema } from '../middleware/middleware-spec';

/** A volume each pod of a stateful service gets for itself (a claim from `volumeClaimTemplates`). */
export interface StatefulVolumeSpec {
  /** Volume and claim-template name; the pods' claims are `<name>-<service>-<ordinal>`. */
  readonly name: string;
  /** Absolute path in the container, e.g. "/var/lib/archive". */
  readonly mountPath: string;
  /** Size of each pod's volume, e.g. "20Gi". */
  readonly size: string | number;
  /** StorageClass of the claims. @default the cluster's `storageClass`, else the cluster's default StorageClass */
  readonly storageClass?: string;
}

/**
 * How a stateful service (`stateful: true`) keeps its state: a StatefulSet whose pods each own
 * their volumes and a stable name behind a headless Service.
 */
export interface StatefulSetSpec {
  /** Volumes per pod. @default none: state in memory only (sessions), still a stable identity per pod */
  readonly volumes?: readonly StatefulVolumeSpec[];
  /**
   * "OrderedReady" starts pods one by one, each after the previous is ready (a primary before its
   * followers); "Parallel" starts them together, for peers that do not depend on each other.
   * @default "OrderedReady"
   */
  readonly podManagement?: 'OrderedReady' | 'Parallel';
  /**
   * An HPA adds and removes pods together with their volumes (a removed pod's claim stays, unused).
   * Only an application that rebalances its data across pods may say so. @default false: fixed replicas
   */
  readonly allowAutoscaling?: boolean;
  /**
   * Velero Schedule of the pods' volumes. On the primary of a DR pair that protects the service,
   * the pair's Schedule (within its RPO) backs up the department's namespace instead.
   * @default enabled when there are volumes, daily at 18:00 UTC, kept 168h
   */
  readonly backup?: MiddlewareBackupSpec;
}

export const POD_MANAGEMENT_POLICIES = ['OrderedReady', 'Parallel'] as const;

/** The headless Service a StatefulSet names its pods under: `<service>-headless`. */
export const HEADLESS_SUFFIX = '-headless';

/** The container's scratch directory; a volume may not hide it. */
export const SCRATCH_MOUNT = '/tmp';

function checkStatefulSet(spec: StatefulSetSpec, path: string, problems: Problems): void {
  const volumes = spec.volumes ?? [];
  volumes.forEach((volume, i) => {
    const volumePath = `${path}.volumes.${volume.name}`;
    if (volume.name === 'tmp') problems.add(`${volumePath}.name`, '"tmp" is the scratch volume every container has; choose another name');
    if (volume.name.startsWith(CREDENTIALS_VOLUME_PREFIX)) {
      problems.add(
        `${volumePath}.name`,
        `"${volume.name}": names starting with "${CREDENTIALS_VOLUME_PREFIX}" hold middleware credentials; choose another name`,
      );
    }
    if (parseQuantity(volume.size)! <= 0) problems.add(`${volumePath}.size`, `${JSON.stringify(volume.size)} is not a positive size; give one such as "20Gi"`);
    const mount = volume.mountPath.replace(/\/+$/, '');
    if (mount === SCRATCH_MOUNT || mount.startsWith(`${SCRATCH_MOUNT}/`) || mount === '') {
      problems.add(
        `${volumePath}.mountPath`,
        `${JSON.stringify(volume.mountPath)} would hide or share the scratch directory ${SCRATCH_MOUNT}; mount the volume elsewhere, e.g. "/var/lib/<service>"`,
      );
    }
    if (mount === CREDENTIALS_ROOT || mount.startsWith(`${CREDENTIALS_ROOT}/`) || CREDENTIALS_ROOT.startsWith(`${mount}/`)) {
      problems.add(
        `${volumePath}.mountPath`,
        `${JSON.stringify(volume.mountPath)} would hide or share ${CREDENTIALS_ROOT}, where middleware credentials are mounted; mount the volume elsewhere, e.g. "/var/lib/<service>"`,
      );
    }
    const earlier = volumes.slice(0, i).find((other) => other.mountPath.replace(/\/+$/, '') === mount);
    if (earlier)
      problems.add(
        `${volumePath}.mountPath`,
        `${JSON.stringify(volume.mountPath)} is also the mount path of volume "${earlier.name}"; give each volume its own path`,
      );
  });
  if (volumes.length === 0 && spec.backup?.enabled === true) {
    problems.add(`${path}.backup.enabled`, 'there are no volumes to back up; add volumes or remove backup');
  }
}

export const statefulSetSchema = s.object<StatefulSetSpec>(
  {
    volumes: s
      .namedList(
        s.object<StatefulVolumeSpec>(
          {
            name: s.name('Volume and claim-template name.'),
            mountPath: s.string({
              description: 'Absolute path in the container.',
              pattern: { regex: /^\/[^\s:]*$/, meaning: 'an absolute path without spaces or ":", such as "/var/lib/archive"' },
            }),
            size: s.quantity('Size of each pod\'s volume, e.g. "20Gi".'),
            storageClass: s.name('StorageClass of the claims.').optional(),
          },
          { title: 'a volume' },
        ),
        'Volumes each pod owns.',
      )
      .optional(),
    podManagement: s.enumOf(POD_MANAGEMENT_POLICIES, 'OrderedReady: one pod after the other; Parallel: all at once.').optional(),
    allowAutoscaling: s.boolean('The application rebalances its data, so an HPA may add and remove pods.').optional(),
    backup: backupSettingsSchema.optional(),
  },
  { title: 'stateful set settings', rules: [checkStatefulSet] },
);
