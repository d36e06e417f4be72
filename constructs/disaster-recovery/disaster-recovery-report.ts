import { HPA_SYNC_PERIOD_SECONDS, type Resources, addResources, formatCpu, formatMemory } from '../../lib/capacity';
import { table } from '../../lib/report/markdown';
import type { ClusterSpec } from '../core/cluster-spec';
import { failureDomain } from '../core/cluster-spec';
import { DEFAULT_PROMOTION_SECONDS, DEFAULT_TOLERATION_SECONDS, type DrPairSpec } from './disaster-recovery-spec';
import { type DrPlan, type DrillPlan, POD_START_SECONDS, planDisasterRecovery } from './disaster-recovery-plan';
import { planMiddleware } from '../middleware/middleware-plan';
import { workloadScaling } from '../workload/scaling-plan';
import { standbyFloor } from '../workload/copies-plan';
import { BURST_SCALE_UP } from '../burst/burst-spec';
import { VELERO_NAMESPACE } from './velero-catalogue';
import { DEFAULT_BACKUP_REGION, drBackupPrefix, drLocationName } from './disaster-recovery-plan';
import {
  BITNAMI_REPLICATION_USER,
  REPLICATION_PASSWORD_KEY,
  primaryAddress,
  promotionCommand,
  replicaClusterName,
  replicaConnectionSettings,
} from './disaster-recovery-plan';
import { MIDDLEWARE_NAMESPACE } from '../middleware/middleware-plan';
import { cnpgPostgresqlImage } from './cloudnative-pg-catalogue';
import { credentialVariableName } from '../middleware/middleware-plan';
import type { IRegion } from '../core/tree';

/**
 * The region report's disaster-recovery section: per pair, the two failure domains, the declared
 * RPO and RTO against what the platform delivers (backup interval, recovery-time estimate per
 * service), where the backups go, which databases stream to the standby, whether the standby
 * holds the failed-over load, and what the operator must provide before deploying.
 */
export function disasterRecoverySection(region: IRegion): string {
  const pairs = region.spec.disasterRecovery ?? [];
  if (pairs.length === 0) return 'No disaster-recovery pairs.\n';
  return pairs.map((pair) => pairReport(region, pair, planDisasterRecovery(region.spec, pair))).join('\n');
}

function pairReport(region: IRegion, pair: DrPairSpec, plan: DrPlan): string {
  const spec = region.spec;
  const primary = spec.clusters.find((c) => c.name === pair.primary)!;
  const standby = spec.clusters.find((c) => c.name === pair.standby)!;
  const rtoMet = plan.recovery.every((r) => r.totalSeconds <= plan.rtoSeconds);
  const fits = fitsStandby(plan);
  const verdict =
    plan.problems.length === 0
      ? '**Objectives met**'
      : `**Objectives not met** (${plan.problems.length} problem${plan.problems.length === 1 ? '' : 's'}, listed by the synth error)`;
  let out = `**${pair.name}**: \`${primary.name}\` (${domain(primary)}) -> \`${standby.name}\` (${domain(standby)}), ${pair.mode}, RPO ${pair.rpo}, RTO ${pair.rto}. ${verdict}.\n\n`;

  const backup = plan.backup;
  const location = drLocationName(pair.name);
  const prefix = drBackupPrefix(region.name, pair.primary);
  const namespaces = plan.backedUpNamespaces;
  out += table(
    ['', ''],
    [
      ['mode', modeSummary(pair)],
      [
        'recovery point',
        backup
          ? `backups every ${formatInterval(backup.intervalSeconds)} (\`${backup.cron}\`, UTC as Velero evaluates it, ${backup.derived ? 'derived from the RPO: the longest interval a cron line keeps within it' : 'declared'}) against the RPO of ${pair.rpo}: ${backup.intervalSeconds <= plan.rpoSeconds ? 'within it' : 'longer than it'}; replicated databases stream continuously`
          : 'no backup interval meets the RPO',
      ],
      ['retention', backup ? `${backup.retention} per backup` : ''],
      [
        'off-site location',
        `\`${location}\` in namespace ${VELERO_NAMESPACE}: bucket \`${pair.backup.bucket}\`, prefix \`${prefix}/\` at ${pair.backup.endpoint} (region ${pair.backup.region ?? DEFAULT_BACKUP_REGION}); ReadWrite on ${primary.name}, ReadOnly on ${standby.name} (restores only)`,
      ],
      [
        'backed up',
        namespaces.length > 0
          ? `namespaces ${namespaces.join(', ')}, CSI snapshots with their data moved to the location`
          : 'nothing: the pair protects no service or database, so no Schedule is written',
      ],
      ['replicated databases', databasesSummary(region, pair, standby) || 'none'],
      ...notReplicatedRow(region, pair),
      ['failure detection', `${pair.failover?.tolerationSeconds ?? DEFAULT_TOLERATION_SECONDS}s (failover.tolerationSeconds)`],
    ],
  );

  out += `\nStandby capacity for the failed-over load (${fits ? 'fits' : pair.mode === 'hot-standby' ? '**too small**: an error in hot-standby mode' : 'does not fit at rest: in active-active mode both clusters serve, so this is informational'}):\n\n`;
  const needed = addResources(plan.standbyAtRest, plan.failedOverLoad);
  out += table(
    ['', 'CPU', 'memory'],
    [
      ['everything else the standby runs at rest (shelf included)', ...resources(plan.standbyAtRest)],
      ["protected services at the primary's floor", ...resources(plan.failedOverLoad)],
      ['needed after failover', ...resources(needed)],
      [`offered by ${standby.capacity.nodes} nodes of ${standby.name}`, ...resources(plan.standbyAllocatable)],
      ['spare (or short)', ...spare(needed, plan.standbyAllocatable)],
    ],
  );

  out += `\nRecovery time per service against the RTO of ${pair.rto} (${plan.rtoSeconds}s): ${rtoMet ? 'every service within it' : '**some services exceed it**'}.\n\n`;
  // The promotion column appears where a service waits for a replica database to be promoted.
  const promotes = plan.recovery.some((r) => r.promotionSeconds > 0);
  out += table(
    [
      'service',
      `replicas on ${standby.name} at rest`,
      'replicas needed',
      'detection',
      ...(promotes ? ['database promotion'] : []),
      'scale-up',
      'pod start and readiness',
      'total',
      'verdict',
    ],
    plan.recovery.map((r) => [
      r.name,
      r.standbyReplicas,
      r.neededReplicas,
      `${r.detectionSeconds}s`,
      ...(promotes ? [r.promotionSeconds > 0 ? `${r.promotionSeconds}s (${r.promotedDatabases.join(', ')})` : '0s'] : []),
      `${r.scaleUpSeconds}s`,
      `${r.startSeconds}s`,
      `${r.totalSeconds}s`,
      r.totalSeconds <= plan.rtoSeconds ? 'within RTO' : `exceeds RTO by ${r.totalSeconds - plan.rtoSeconds}s`,
    ]),
  );
  out += `\n${assumptions(region, pair)}\n`;
  if (plan.drill) out += `\n${drillSteps(region, pair, plan.drill, plan.rtoSeconds)}`;
  out += `\n${operatorSteps(region, pair, standby)}`;
  if ((pair.databases ?? []).length > 0) out += `\n${promotionSteps(region, pair)}`;
  return out;
}

function domain(cluster: ClusterSpec): string {
  return `${cluster.role === 'gov' ? 'government cloud' : 'public cloud'} \`${cluster.cloud}\`, failure domain \`${failureDomain(cluster)}\``;
}

function modeSummary(pair: DrPairSpec): string {
  if (pair.mode === 'active-active') return 'active-active: both clusters serve all the time, the standby copies scaled like the primary';
  const floor = pair.standbyReplicas ?? 1;
  return `hot-standby: the standby runs each protected service warm at ${floor} replica${floor === 1 ? '' : 's'} and scales up to take the whole load when the primary fails`;
}

function databasesSummary(region: IRegion, pair: DrPairSpec, standby: ClusterSpec): string {
  return (pair.databases ?? [])
    .map((database) => {
      const instance = (region.spec.middleware ?? []).find((m) => m.name === database.name)!;
      const plan = planMiddleware(instance, standby);
      const image = cnpgPostgresqlImage(instance.version);
      const { host, port } = primaryAddress(database.primaryHost);
      const sources = database.replicationSourceCidrs ?? [standby.network.podCidr];
      const settings = replicaConnectionSettings(plan);
      const users = standbyUsers(region, pair, database.name);
      return (
        `${database.name} -> CloudNativePG replica cluster \`${replicaClusterName(database.name)}\` (${plan.replicas} instance${plan.replicas === 1 ? '' : 's'}, ${plan.resources.requests.cpu} CPU / ${plan.resources.requests.memory} and ${plan.storage.size} each` +
        `${image ? `, PostgreSQL ${image.tag}` : ''}) streaming from ${host}:${port} as \`${BITNAMI_REPLICATION_USER}\`; the primary admits it from ${sources.join(', ')}; ` +
        (users.length > 0
          ? `the copies of ${users.join(', ')} on ${standby.name} connect to it (HOST ${settings.HOST}, READ_HOST ${settings.READ_HOST}), read-only until it is promoted`
          : `no protected service uses it on ${standby.name}`) +
        `; the shelf installs no ${plan.engine.product} of its own there`
      );
    })
    .join('; ');
}

function fitsStandby(plan: DrPlan): boolean {
  return plan.standbyShortfall.cpu === 0 && plan.standbyShortfall.memory === 0;
}

function resources(r: Resources): string[] {
  return [formatCpu(r.cpu), formatMemory(r.memory)];
}

function spare(needed: Resources, offered: Resources): string[] {
  const show = (free: number, format: (n: number) => string) => (free >= 0 ? format(free) : `short by ${format(-free)}`);
  return [show(offered.cpu - needed.cpu, formatCpu), show(offered.memory - needed.memory, formatMemory)];
}

function assumptions(region: IRegion, pair: DrPairSpec): string {
  const policies = pair.services.map((name) => {
    const service = region.spec.services.find((s) => s.name === name)!;
    const up = workloadScaling(region.spec, service, pair.standby).scaleUp ?? BURST_SCALE_UP;
    const steps = [up.percent !== undefined ? `${up.percent}%` : '', up.pods !== undefined ? `${up.pods} pods` : ''].filter(Boolean).join(' or ');
    return `${name} ${steps || 'one pod'} per ${Math.max(up.periodSeconds ?? HPA_SYNC_PERIOD_SECONDS, HPA_SYNC_PERIOD_SECONDS)}s${up.stabilizationWindowSeconds ? ` after a ${up.stabilizationWindowSeconds}s window` : ''}`;
  });
  const lines = [
    'Assumptions of the estimate:',
    `- detection: the primary is declared failed after failover.tolerationSeconds (${pair.failover?.tolerationSeconds ?? DEFAULT_TOLERATION_SECONDS}s);`,
    `- scale-up: ${
      pair.mode === 'hot-standby'
        ? `from the warm floor (${pair.services
            .map(
              (n) =>
                `${n} ${standbyFloor(
                  pair,
                  region.spec.services.find((s) => s.name === n)!,
                )}`,
            )
            .join(
              ', ',
            )}) to the primary's floor, with the load demanding growth the whole time, under each copy's HPA scale-up policy (${policies.join('; ')}), evaluated every ${HPA_SYNC_PERIOD_SECONDS}s`
        : "none: in active-active mode the standby already runs at the primary's floor"
    };`,
    `- pod start: ${POD_START_SECONDS}s per new pod for the image pull from the cluster's mirror and process start (an allowance, not a measurement), plus its readiness probe's initial delay and one probe period;`,
    ...((pair.databases ?? []).length > 0
      ? [
          `- database promotion: ${pair.failover?.promotionSeconds ?? DEFAULT_PROMOTION_SECONDS}s (failover.promotionSeconds) for the operator to promote the replica databases (the steps below), for each service that uses one; writes fail until then;`,
        ]
      : []),
    '- not included: DNS or global load balancer switch-over outside the mesh.',
  ];
  return lines.join('\n');
}

function drillSteps(region: IRegion, pair: DrPairSpec, drill: DrillPlan, rtoSeconds: number): string {
  const file = `manifests/${region.name}/${pair.standby}/${drill.file}.yaml`;
  const mapping = Object.entries(drill.namespaceMapping);
  const lines = [
    `Recovery drill: \`${file}\` holds a Velero Restore \`${drill.restoreName}\` for ${pair.standby}. It is left out of the folder's kustomization.yaml, so applying the folder starts no restore.`,
    `- run: \`kubectl create -f ${file}\` against ${pair.standby}; Velero there restores the latest backup of the Schedule \`${drill.scheduleName}\` (read from the ReadOnly location) with its volumes, ${mapping.map(([from, to]) => `${from} into ${to}`).join(', ')}, so the live namespaces on ${pair.standby} are not touched;`,
    `- check: \`kubectl -n ${VELERO_NAMESPACE} get restore ${drill.restoreName}\` reaches phase \`Completed\`, and the pods in ${mapping.map(([, to]) => to).join(', ')} become ready;`,
    `- time it: from \`kubectl create\` to ready pods counts against the RTO of ${pair.rto} (${rtoSeconds}s) in the recovery-time table above, which budgets failover to running copies only;`,
    `- clean up: \`kubectl delete namespace ${mapping.map(([, to]) => to).join(' ')}\` and \`kubectl -n ${VELERO_NAMESPACE} delete restore ${drill.restoreName}\` (the name is fixed, so the next drill needs it gone).`,
  ];
  return `${lines.join('\n')}\n`;
}

function operatorSteps(region: IRegion, pair: DrPairSpec, standby: ClusterSpec): string {
  const secret = pair.backup.credentialsSecret;
  const lines = [
    'Before deploying:',
    `- create the Secret \`${secret.name}\` (key \`${secret.key}\`, Velero's credentials-file format) in namespace ${VELERO_NAMESPACE} on ${pair.primary} and ${pair.standby}; no object-store credential is synthesized;`,
    ...(pair.databases ?? []).map((d) => {
      const granted = standbyUsers(region, pair, d.name).length > 0;
      const variables = [REPLICATION_PASSWORD_KEY, ...(granted ? ['password'] : [])].map((key) => `\`TF_VAR_${credentialVariableName(d.name, key)}\``);
      return `- set ${variables.join(' and ')} for stack ${region.name}-${standby.name} to the same value${variables.length > 1 ? 's' : ''} as for the primary's stack (${region.name}-${pair.primary}), and make ${d.primaryHost} reach the primary pod of ${d.name} from ${standby.name};`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

/** The protected services that use a database the pair replicates: they reach the replica on the standby. */
function standbyUsers(region: IRegion, pair: DrPairSpec, database: string): string[] {
  return pair.services.filter((name) => (region.spec.services.find((s) => s.name === name)!.middleware ?? []).some((use) => use.name === database));
}

/**
 * What the protected services use on the standby that the pair does not replicate: the standby's
 * own shelf instances, which hold none of the primary's data.
 */
function notReplicatedRow(region: IRegion, pair: DrPairSpec): string[][] {
  const replicated = (pair.databases ?? []).map((d) => d.name);
  const used = [...new Set(pair.services.flatMap((name) => (region.spec.services.find((s) => s.name === name)!.middleware ?? []).map((use) => use.name)))]
    .filter((name) => !replicated.includes(name))
    .sort();
  if (used.length === 0) return [];
  const described = used.map((name) => `${name} (${(region.spec.middleware ?? []).find((m) => m.name === name)!.engine})`);
  return [
    [
      'not replicated',
      `${described.join(', ')}: the copies on ${pair.standby} use ${pair.standby}'s own shelf instances, which hold none of ${pair.primary}'s data (only PostgreSQL instances in \`databases\` replicate)`,
    ],
  ];
}

/** The manual promotion of each replica database after a failover, budgeted in the recovery time. */
function promotionSteps(region: IRegion, pair: DrPairSpec): string {
  const folder = `manifests/${region.name}/${pair.standby}`;
  const lines = [
    `After a failover (budgeted as database promotion in the recovery time), promote each replica database on ${pair.standby}:`,
    `- pause the GitOps sync of \`${folder}\`: its Cluster objects still say \`replica.enabled: true\` and would turn the promoted database back into a replica;`,
    ...(pair.databases ?? []).map((d) => {
      const users = standbyUsers(region, pair, d.name);
      return `- ${d.name}: \`${promotionCommand(d.name)}\`; \`kubectl -n ${MIDDLEWARE_NAMESPACE} get clusters.postgresql.cnpg.io ${replicaClusterName(d.name)}\` then shows a healthy cluster out of replica mode, and \`${replicaClusterName(d.name)}-rw\`${users.length > 0 ? `, which the copies of ${users.join(', ')} already use,` : ''} takes writes;`;
    }),
    `- the old primary on ${pair.primary} must not come back as a primary: keep it down until it is rebuilt as a replica of ${pair.standby}.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** "15m", "1h", "24h", "90s". */
function formatInterval(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
