import type { BlueprintSpec } from '../blueprint-spec';
import type { ClusterSpec } from '../core/cluster-spec';
import type { ServiceSpec } from './service-spec';
import type { StatefulSetSpec } from './stateful-spec';
import { DEFAULT_BACKUP_RETENTION, DEFAULT_BACKUP_SCHEDULE } from '../middleware/middleware-plan';

/** A stateful service's StatefulSet on one cluster, with every default applied. */
export interface StatefulPlan {
  readonly podManagement: NonNullable<StatefulSetSpec['podManagement']>;
  readonly volumes: readonly { readonly name: string; readonly mountPath: string; readonly size: string; readonly storageClass?: string }[];
  /** The service's own Velero Schedule here; undefined when the volumes are backed up otherwise, or not at all (see `backupBy`). */
  readonly backup?: { readonly name: string; readonly schedule: string; readonly retention: string; readonly storageLocation?: string };
  /**
   * Who backs the volumes up on this cluster: its own Schedule; the DR pair whose Schedule covers
   * the department's namespace within the pair's RPO (on the pair's primary); nobody when backups
   * are off or there is nothing to back up.
   */
  readonly backupBy: { readonly kind: 'own' } | { readonly kind: 'dr-pair'; readonly pair: string } | { readonly kind: 'none'; readonly why: string };
}

/** Velero Schedule of a stateful service's volumes, in the `velero` namespace. */
export function statefulBackupName(service: string): string {
  return `service-${service}`;
}

/** The plan of a stateful service on a cluster it runs on; undefined for a stateless one. */
export function planStatefulSet(spec: BlueprintSpec, service: ServiceSpec, cluster: ClusterSpec): StatefulPlan | undefined {
  if (!service.stateful) return undefined;
  const own = service.statefulSet ?? {};
  const volumes = (own.volumes ?? []).map((v) => ({
    name: v.name,
    mountPath: v.mountPath,
    size: String(v.size),
    storageClass: v.storageClass ?? cluster.storageClass,
  }));
  return { podManagement: own.podManagement ?? 'OrderedReady', volumes, ...backupOf(spec, service, cluster, volumes.length > 0) };
}

function backupOf(spec: BlueprintSpec, service: ServiceSpec, cluster: ClusterSpec, hasVolumes: boolean): Pick<StatefulPlan, 'backup' | 'backupBy'> {
  const settings = service.statefulSet?.backup;
  if (!hasVolumes) return { backupBy: { kind: 'none', why: 'no volumes' } };
  if (settings?.enabled === false) return { backupBy: { kind: 'none', why: `switched off: ${settings.reason ?? 'no reason given'}` } };
  // A standby gets a Schedule of its own too: after a failover, its volumes hold the live data.
  // The pair's Schedule already takes the department's namespace, volumes included, within its RPO.
  const pair = (spec.disasterRecovery ?? []).find((p) => p.primary === cluster.name && p.services.includes(service.name));
  if (pair) return { backupBy: { kind: 'dr-pair', pair: pair.name } };
  return {
    backupBy: { kind: 'own' },
    backup: {
      name: statefulBackupName(service.name),
      schedule: settings?.schedule ?? DEFAULT_BACKUP_SCHEDULE,
      retention: settings?.retention ?? DEFAULT_BACKUP_RETENTION,
      storageLocation: settings?.storageLocation,
    },
  };
}
