import type { Problems } from '../../lib/errors';
import { unknownNameMessage } from '../../lib/did-you-mean';
import type { BlueprintSpec } from '../blueprint-spec';
import { failureDomain } from '../core/cluster-spec';
import { ALLOWED_OUTSIDE_GOV_CLOUD, mustStayInGovCloud } from '../core/data-classification-spec';
import { middlewareClusters, serviceClusters, serviceHomeClusters } from '../core/placement-plan';
import type { MiddlewareSpec } from '../middleware/middleware-spec';
import { checkNetworked } from '../core/cluster-checks';
import type { DrPairSpec } from './disaster-recovery-spec';

/** Pair references; returns the pairs whose references hold, so their plans can run. */
export function checkDrPairs(spec: BlueprintSpec, path: string, problems: Problems, clusterNames: readonly string[]): DrPairSpec[] {
  const valid: DrPairSpec[] = [];
  for (const pair of spec.disasterRecovery ?? []) {
    const pairPath = `${path}.disasterRecovery.${pair.name}`;
    const before = problems.list.length;
    const primary = spec.clusters.find((c) => c.name === pair.primary);
    const standby = spec.clusters.find((c) => c.name === pair.standby);
    if (!primary) problems.add(`${pairPath}.primary`, unknownNameMessage('cluster', pair.primary, clusterNames));
    if (!standby) problems.add(`${pairPath}.standby`, unknownNameMessage('cluster', pair.standby, clusterNames));
    if (primary && standby && primary !== standby) {
      if (failureDomain(primary) === failureDomain(standby)) {
        problems.add(
          `${pairPath}.standby`,
          `clusters "${primary.name}" and "${standby.name}" share the failure domain "${failureDomain(primary)}" (cloud${primary.location ? ' and location' : ''}), so one outage takes both; choose a standby in another cloud, or set clusters.${standby.name}.location to where it really runs`,
        );
      }
      checkNetworked(primary, standby, `${pairPath}.standby`, `disaster-recovery pair "${pair.name}"`, problems);
    }
    pair.services.forEach((name, i) => {
      const servicePath = `${pairPath}.services[${i}]`;
      const service = spec.services.find((s) => s.name === name);
      if (!service) {
        problems.add(
          servicePath,
          unknownNameMessage(
            'service',
            name,
            spec.services.map((s) => s.name),
          ),
        );
        return;
      }
      const home = serviceHomeClusters(spec, service);
      if (!home.includes(pair.primary))
        problems.add(
          servicePath,
          `service "${name}" does not run on the primary "${pair.primary}" (it runs on ${home.join(', ') || 'no cluster'}); protect it from there, or add "${pair.primary}" to its clusters`,
        );
      if (home.includes(pair.standby))
        problems.add(
          servicePath,
          `service "${name}" is already declared on the standby "${pair.standby}"; remove "${pair.standby}" from its clusters, the pair keeps the copy`,
        );
      const reason = standby?.role === 'public' ? mustStayInGovCloud(service) : undefined;
      if (reason)
        problems.add(
          servicePath,
          `service "${name}" may not stand by on public-cloud cluster "${pair.standby}": it ${reason}; ${ALLOWED_OUTSIDE_GOV_CLOUD}: choose a government-cloud standby, or mark services.${name}`,
        );
    });
    for (const database of pair.databases ?? []) {
      const databasePath = `${pairPath}.databases.${database.name}`;
      const instance = (spec.middleware ?? []).find((m) => m.name === database.name);
      if (!instance) {
        problems.add(
          `${databasePath}.name`,
          unknownNameMessage(
            'middleware instance',
            database.name,
            (spec.middleware ?? []).map((m) => m.name),
          ),
        );
        continue;
      }
      if (instance.engine !== 'postgresql')
        problems.add(
          databasePath,
          `instance "${database.name}" is ${instance.engine}; cross-cloud replication is for postgresql instances (CloudNativePG replica clusters); protect it with the pair's backups instead`,
        );
      if (!middlewareClusters(spec, instance).includes(pair.primary))
        problems.add(
          databasePath,
          `instance "${database.name}" is not installed on the primary "${pair.primary}"; add the cluster to the instance, or replicate another instance`,
        );
      if (instance.engine === 'postgresql') checkReplicaUse(spec, pair, instance, path, databasePath, problems);
      const reason = standby?.role === 'public' ? mustStayInGovCloud({ dataClassification: instance.dataClassification }) : undefined;
      if (reason)
        problems.add(
          databasePath,
          `may not be replicated to public-cloud cluster "${pair.standby}": instance "${database.name}" ${reason}; ${ALLOWED_OUTSIDE_GOV_CLOUD}: choose a government-cloud standby, or mark middleware.${database.name}`,
        );
    }
    if (problems.list.length === before) valid.push(pair);
  }
  return valid;
}

/**
 * On the standby the instance is the replica, read-only until promoted: the shelf must not also
 * install it there, and only the pairs' failover copies may use it (a service declared there, or
 * a burst copy, would find a database that refuses writes).
 */
function checkReplicaUse(spec: BlueprintSpec, pair: DrPairSpec, instance: MiddlewareSpec, path: string, databasePath: string, problems: Problems): void {
  instance.clusters?.forEach((name, i) => {
    if (name === pair.standby)
      problems.add(
        `${path}.middleware.${instance.name}.clusters[${i}]`,
        `names "${name}", the standby where disaster-recovery pair "${pair.name}" keeps the CloudNativePG replica of "${instance.name}"; a shelf primary there would be a second, empty database: remove "${name}" from clusters (services there reach the replica)`,
      );
  });
  for (const service of spec.services) {
    if (!(service.middleware ?? []).some((use) => use.name === instance.name)) continue;
    if (!serviceClusters(spec, service).includes(pair.standby)) continue;
    const failoverCopy =
      !serviceHomeClusters(spec, service).includes(pair.standby) &&
      (spec.disasterRecovery ?? []).some((p) => p.standby === pair.standby && p.services.includes(service.name));
    if (!failoverCopy)
      problems.add(
        databasePath,
        `service "${service.name}" uses "${instance.name}" and runs on the standby "${pair.standby}" other than as a failover copy, but there "${instance.name}" is the replica, read-only until promoted; protect the service in a pair to "${pair.standby}", keep it off "${pair.standby}" (its clusters), or remove "${instance.name}" from the pair's databases`,
      );
  }
}
