import type { ServiceSpec } from '../workload/service-spec';
import { type Resources, addResources, formatCpu, formatMemory, scaleResources, scaleUpSeconds, shortfall } from '../../lib/capacity';
import { parseDuration } from '../../lib/duration';
import { cronForInterval, longestCronIntervalWithin } from '../../lib/cron-interval';
import type { Problem } from '../../lib/errors';
import { cachePerObject } from '../../lib/per-object-cache';
import type { BlueprintSpec } from '../blueprint-spec';
import {
  DEFAULT_BACKUP_RETENTION,
  DEFAULT_DRILL_SUFFIX,
  DEFAULT_PROMOTION_SECONDS,
  DEFAULT_TOLERATION_SECONDS,
  type DrPairSpec,
} from './disaster-recovery-spec';
import { clusterAllocatable, clusterFloorLoad, podRequests } from '../core/cluster-load-plan';
import { workloadScaling } from '../workload/scaling-plan';
import { primaryReplicas, standbyFloor } from '../workload/copies-plan';
import { BURST_SCALE_UP } from '../burst/burst-spec';
import { MIDDLEWARE_NAMESPACE, type MiddlewarePlan, connectionInput } from '../middleware/middleware-plan';

/**
 * Seconds from scheduling a pod to its first readiness check: image pull from the cluster's
 * mirror and process start. An allowance, not a measurement: the report states it.
 */
export const POD_START_SECONDS = 30;

/**
 * Seconds until a new pod of the service is ready: {@link POD_START_SECONDS}, then its readiness
 * probe's initial delay and one period. The DR plan and the surge rehearsal count a start alike.
 */
export function podStartAllowance(service: ServiceSpec): number {
  const readiness = service.probes?.readiness;
  return POD_START_SECONDS + (readiness?.initialDelaySeconds ?? 0) + (readiness?.periodSeconds ?? 10);
}

/** How long one protected service takes to carry the full load on the standby. */
export interface ServiceRecovery {
  readonly name: string;
  readonly standbyReplicas: number;
  readonly neededReplicas: number;
  readonly detectionSeconds: number;
  /** The replica databases the service uses, promoted by the operator after detection; none, 0. */
  readonly promotionSeconds: number;
  /** Those replicated databases (instance names). */
  readonly promotedDatabases: readonly string[];
  readonly scaleUpSeconds: number;
  readonly startSeconds: number;
  readonly totalSeconds: number;
}

export interface DrPlan {
  readonly pair: DrPairSpec;
  readonly rpoSeconds: number;
  readonly rtoSeconds: number;
  /** Backups: every `intervalSeconds` by `cron` (UTC, Velero's clock), kept for `retention`. */
  readonly backup: { readonly intervalSeconds: number; readonly cron: string; readonly derived: boolean; readonly retention: string } | undefined;
  /** The protected services at the primary's floor, on the standby. */
  readonly failedOverLoad: Resources;
  /** Everything else the standby runs at rest, its replica databases included. */
  readonly standbyAtRest: Resources;
  readonly standbyAllocatable: Resources;
  /** What the standby lacks for the failed-over load on top of what it runs; zero where it suffices. */
  readonly standbyShortfall: Resources;
  /** Namespaces the primary's Schedule backs up: the protected services' departments, and the shelf's when databases replicate. */
  readonly backedUpNamespaces: readonly string[];
  readonly recovery: readonly ServiceRecovery[];
  /** The recovery drill on the standby, when the pair declares one. */
  readonly drill: DrillPlan | undefined;
  readonly problems: readonly Problem[];
}

/** A Velero Restore of the Schedule's latest backup on the standby, each namespace into its drill namespace. */
export interface DrillPlan {
  readonly restoreName: string;
  readonly scheduleName: string;
  /** Backed-up namespace -> drill namespace, in the Schedule's order. */
  readonly namespaceMapping: Readonly<Record<string, string>>;
  /** Stem of the standby's un-kustomized manifest file holding the Restore. */
  readonly file: string;
}

/** A Kubernetes namespace name is a DNS-1123 label. */
const NAMESPACE_NAME_MAX = 63;

/** The plan of a DR pair; the spec's references must be valid. Cached per spec, as specs never change once resolved. */
export const planDisasterRecovery: (spec: BlueprintSpec, pair: DrPairSpec) => DrPlan = cachePerObject(computePlan, (pair) => pair.name);

function computePlan(spec: BlueprintSpec, pair: DrPairSpec): DrPlan {
  const path = `disasterRecovery.${pair.name}`;
  const problems: Problem[] = [];
  const rpoSeconds = parseDuration(pair.rpo)!;
  const rtoSeconds = parseDuration(pair.rto)!;
  const standby = spec.clusters.find((c) => c.name === pair.standby)!;
  const services = pair.services.map((name) => spec.services.find((s) => s.name === name)!);

  const backup = backupSchedule(pair, rpoSeconds);
  if (!backup) {
    problems.push({
      path: pair.backup.interval ? `${path}.backup.interval` : `${path}.rpo`,
      message: pair.backup.interval
        ? `${JSON.stringify(pair.backup.interval)} is not an interval a cron line keeps exactly (1-6, 10, 12, 15, 20 or 30 minutes; 1, 2, 3, 4, 6, 8 or 12 hours; or 24h); pick one of those within the RPO`
        : `${JSON.stringify(pair.rpo)} is shorter than the shortest backup interval (1m); backups cannot meet it: relax the RPO to at least "1m" (databases in the pair replicate continuously)`,
    });
  }

  const failedOverLoad = addResources(...services.map((s) => scaleResources(podRequests(spec, s, standby.name), primaryReplicas(s).min)));
  // The replica databases run on the standby all the time: the shelf's load there counts them.
  const standbyAtRest = clusterFloorLoad(spec, standby, pair.services);
  const standbyAllocatable = clusterAllocatable(standby);
  const missing = shortfall(addResources(standbyAtRest, failedOverLoad), standbyAllocatable);
  const departments = [...new Set(services.map((s) => s.department))].sort();
  const backedUpNamespaces = (pair.databases ?? []).length > 0 ? [...departments, MIDDLEWARE_NAMESPACE] : departments;
  if (pair.mode === 'hot-standby' && (missing.cpu > 0 || missing.memory > 0)) {
    const needed = addResources(standbyAtRest, failedOverLoad);
    const perNode = { cpu: standbyAllocatable.cpu / standby.capacity.nodes, memory: standbyAllocatable.memory / standby.capacity.nodes };
    const nodes = Math.max(Math.ceil(missing.cpu / perNode.cpu), Math.ceil(missing.memory / perNode.memory));
    problems.push({
      path: `${path}.standby`,
      message:
        `standby cluster "${standby.name}" is too small for the failed-over load: the protected services at the primary's floor plus what it already runs need ${formatCpu(needed.cpu)} CPU and ${formatMemory(needed.memory)}, ` +
        `its ${standby.capacity.nodes} nodes offer ${formatCpu(standbyAllocatable.cpu)} CPU and ${formatMemory(standbyAllocatable.memory)}: short by ${[missing.cpu > 0 ? `${formatCpu(missing.cpu)} CPU` : '', missing.memory > 0 ? formatMemory(missing.memory) : ''].filter(Boolean).join(' and ')}; ` +
        `raise clusters.${standby.name}.capacity.nodes to ${standby.capacity.nodes + nodes}, or protect fewer services`,
    });
  }

  const detectionSeconds = pair.failover?.tolerationSeconds ?? DEFAULT_TOLERATION_SECONDS;
  const replicated = (pair.databases ?? []).map((d) => d.name);
  const recovery = services.map((service): ServiceRecovery => {
    const floor = standbyFloor(pair, service);
    const needed = primaryReplicas(service).min;
    const policy = workloadScaling(spec, service, standby.name).scaleUp ?? BURST_SCALE_UP;
    const scaleUp =
      pair.mode === 'hot-standby'
        ? scaleUpSeconds(floor, needed, {
            percent: policy.percent,
            pods: policy.pods,
            periodSeconds: policy.periodSeconds ?? 15,
            stabilizationWindowSeconds: policy.stabilizationWindowSeconds,
          })
        : 0;
    const startSeconds = scaleUp > 0 ? podStartAllowance(service) : 0;
    // Writes wait for the promotion; counted in full on top of the scale-up, which may overlap it.
    const promotedDatabases = (service.middleware ?? []).map((use) => use.name).filter((name) => replicated.includes(name));
    const promotionSeconds = promotedDatabases.length > 0 ? (pair.failover?.promotionSeconds ?? DEFAULT_PROMOTION_SECONDS) : 0;
    return {
      name: service.name,
      standbyReplicas: floor,
      neededReplicas: needed,
      detectionSeconds,
      promotionSeconds,
      promotedDatabases,
      scaleUpSeconds: scaleUp,
      startSeconds,
      totalSeconds: detectionSeconds + promotionSeconds + scaleUp + startSeconds,
    };
  });
  for (const r of recovery.filter((x) => x.totalSeconds > rtoSeconds)) {
    problems.push({
      path: `${path}.rto`,
      message:
        `service "${r.name}" would take about ${r.totalSeconds}s to recover (detection ${r.detectionSeconds}s${r.promotionSeconds > 0 ? ` + promotion of ${r.promotedDatabases.join(', ')} ${r.promotionSeconds}s` : ''} + scale-up from ${r.standbyReplicas} to ${r.neededReplicas} replicas ${r.scaleUpSeconds}s + pod start and readiness ${r.startSeconds}s), more than the RTO ${JSON.stringify(pair.rto)}; ` +
        `raise standbyReplicas to ${r.neededReplicas} so no scale-up is needed, lower failover.tolerationSeconds${r.promotionSeconds > 0 ? ' or failover.promotionSeconds' : ''}, or relax the RTO`,
    });
  }
  const drill = pair.drill ? planDrill(pair, backedUpNamespaces, path, problems) : undefined;
  return {
    pair,
    rpoSeconds,
    rtoSeconds,
    backup,
    failedOverLoad,
    standbyAtRest,
    standbyAllocatable,
    standbyShortfall: missing,
    backedUpNamespaces,
    recovery,
    drill,
    problems,
  };
}

function planDrill(pair: DrPairSpec, namespaces: readonly string[], path: string, problems: Problem[]): DrillPlan | undefined {
  if (namespaces.length === 0) {
    problems.push({
      path: `${path}.drill`,
      message: `pair "${pair.name}" backs up nothing (it protects no service or database), so a drill has no backup to restore; protect a service or database in the pair, or remove drill`,
    });
    return undefined;
  }
  const suffix = pair.drill?.namespaceSuffix ?? DEFAULT_DRILL_SUFFIX;
  const suffixPath = pair.drill?.namespaceSuffix === undefined ? `${path}.drill` : `${path}.drill.namespaceSuffix`;
  // The suffix that fits every backed-up namespace; a suffix is "-" and at least one character.
  const fits = NAMESPACE_NAME_MAX - Math.max(...namespaces.map((n) => n.length));
  for (const namespace of namespaces) {
    const drillNamespace = `${namespace}${suffix}`;
    if (drillNamespace.length <= NAMESPACE_NAME_MAX) continue;
    const fixes = [
      fits >= 2 ? `set a shorter drill.namespaceSuffix (at most ${fits} characters, to fit every backed-up namespace)` : '',
      namespace === MIDDLEWARE_NAMESPACE ? '' : `shorten the name of department "${namespace}"`,
    ].filter(Boolean);
    problems.push({
      path: suffixPath,
      message: `the drill namespace "${drillNamespace}" (namespace "${namespace}" + suffix "${suffix}") has ${drillNamespace.length} characters, more than the ${NAMESPACE_NAME_MAX} a namespace name may have; ${fixes.join(', or ')}`,
    });
  }
  const location = drLocationName(pair.name);
  return {
    restoreName: drillRestoreName(pair.name),
    scheduleName: location,
    namespaceMapping: Object.fromEntries(namespaces.map((n) => [n, `${n}${suffix}`])),
    file: drillFileStem(pair.name),
  };
}

/** The backup cron line: the declared interval, or the longest a cron line keeps within the RPO. */
function backupSchedule(pair: DrPairSpec, rpoSeconds: number): DrPlan['backup'] {
  const retention = pair.backup.retention ?? DEFAULT_BACKUP_RETENTION;
  if (pair.backup.interval !== undefined) {
    const exact = cronForInterval(parseDuration(pair.backup.interval)!);
    return exact ? { intervalSeconds: exact.seconds, cron: exact.cron, derived: false, retention } : undefined;
  }
  const derived = longestCronIntervalWithin(rpoSeconds);
  return derived ? { intervalSeconds: derived.seconds, cron: derived.cron, derived: true, retention } : undefined;
}

// Names and fixed settings of the objects a pair creates, shared by the constructs and the report.

/** Region the S3 signatures name when the spec names none (what S3-compatible stores accept). */
export const DEFAULT_BACKUP_REGION = 'us-east-1';

/** Name of a pair's BackupStorageLocation (both clusters) and Schedule (primary). */
export function drLocationName(pair: string): string {
  return `dr-${pair}`;
}

/** Name of the pair's drill Restore on the standby (in the velero namespace). */
export function drillRestoreName(pair: string): string {
  return `${drLocationName(pair)}-drill`;
}

/** Folder of the standby's drill files, outside its kustomization. */
export const DRILLS_DIRECTORY = 'drills';

/** Stem of the pair's drill file in the standby's folder: `drills/<pair>-restore`. */
export function drillFileStem(pair: string): string {
  return `${DRILLS_DIRECTORY}/${pair}-restore`;
}

/** Folder of the pair's backups in the bucket: one per primary cluster, so pairs can share a bucket. */
export function drBackupPrefix(region: string, primary: string): string {
  return `${region}/${primary}`;
}

/** The replication user the Bitnami chart creates on a primary in replication architecture. */
export const BITNAMI_REPLICATION_USER = 'repl_user';

/** The shelf credential whose value the standby uses to stream from the primary. */
export const REPLICATION_PASSWORD_KEY = 'replication-password';

/** Port PostgreSQL listens on in the Bitnami pods (the address in front of them may differ). */
export const POSTGRESQL_PORT = 5432;

/** Name of the CloudNativePG replica Cluster on the standby. */
export function replicaClusterName(instance: string): string {
  return `${instance}-replica`;
}

/** Name of the Secret on the standby holding the replication user's password. */
export function replicationSecretName(instance: string): string {
  return `${instance}-replication`;
}

/** `host[:port]` split, the port defaulting to PostgreSQL's. */
export function primaryAddress(primaryHost: string): { host: string; port: number } {
  const [host, port] = primaryHost.split(':');
  return { host, port: port ? Number(port) : POSTGRESQL_PORT };
}

/** The CloudNativePG services of a replica cluster, in the shelf namespace. */
function cnpgServiceHost(cluster: string, suffix: 'rw' | 'ro' | 'r'): string {
  return `${cluster}-${suffix}.${MIDDLEWARE_NAMESPACE}.svc`;
}

/**
 * The connection settings of a replicated database on its standby: the shelf engine's, with the
 * hosts of the replica cluster. HOST is `-rw`, the designated primary: read-only while it
 * follows the primary, and the read-write primary once promoted, with no change to the
 * services. READ_HOST is `-ro` (the other instances) when there are some, else `-r` (any).
 */
export function replicaConnectionSettings(plan: MiddlewarePlan): Record<string, string> {
  const cluster = replicaClusterName(plan.spec.name);
  return {
    ...plan.engine.connection(connectionInput(plan)),
    HOST: cnpgServiceHost(cluster, 'rw'),
    READ_HOST: cnpgServiceHost(cluster, plan.replicas > 1 ? 'ro' : 'r'),
  };
}

/** The command that promotes a replica cluster: replica mode off, so its designated primary becomes a primary. */
export function promotionCommand(instance: string): string {
  return `kubectl -n ${MIDDLEWARE_NAMESPACE} patch clusters.postgresql.cnpg.io ${replicaClusterName(instance)} --type merge -p '{"spec":{"replica":{"enabled":false}}}'`;
}
