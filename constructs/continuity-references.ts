import { Problems } from '../lib/errors';
import { unknownNameMessage } from '../lib/did-you-mean';
import { cidrsOverlap, parseCidr } from '../lib/cidr';
import type { BlueprintSpec } from './blueprint-spec';
import { ClusterSpec, failureDomain } from './cluster-spec';
import { mustStayInGovCloud } from './data-classification';
import { middlewareClusters, serviceHomeClusters } from './placement';
import { planBurst } from './burst-plan';
import { planDisasterRecovery } from './disaster-recovery-plan';
import { karmadaMemberName } from './karmada-spec';

const ALLOWED_OUTSIDE = 'only a workload marked dataClassification "internal" or "public" (and, for a service, not stateful) may run outside the government cloud';

/**
 * Cross-references of burst links, disaster-recovery pairs and the Karmada control plane, and
 * the data-classification rule for everything placed on a public-cloud cluster. Capacity plans
 * run for each link and pair whose references hold. Runs on the merged spec of each region.
 */
export function checkContinuityReferences(spec: BlueprintSpec, path: string, problems: Problems): void {
  const clusterNames = spec.clusters.map((c) => c.name);
  const cluster = (name: string) => spec.clusters.find((c) => c.name === name);
  const isPublic = (name: string) => cluster(name)?.role === 'public';
  const burstChecked = checkBurstLinks(spec, path, problems, clusterNames);
  const pairsChecked = checkDrPairs(spec, path, problems, clusterNames);

  for (const service of spec.services) {
    const reason = mustStayInGovCloud(service);
    const publicHome = serviceHomeClusters(spec, service).filter(isPublic);
    if (reason && publicHome.length > 0) {
      problems.add(`${path}.services.${service.name}`, `runs on public-cloud cluster ${publicHome.join(', ')} (its own or its department's clusters), but it ${reason}; ${ALLOWED_OUTSIDE}: keep it on gov clusters with clusters: [...], or mark it`);
    }
  }
  for (const instance of spec.middleware ?? []) {
    const reason = mustStayInGovCloud({ dataClassification: instance.dataClassification });
    const placed = middlewareClusters(spec, instance).filter(isPublic);
    if (reason && placed.length > 0) problems.add(`${path}.middleware.${instance.name}.clusters`, `installs the instance on public-cloud cluster ${placed.join(', ')}, but it ${reason}; ${ALLOWED_OUTSIDE}: install it on gov clusters, or mark it`);
  }

  for (const link of burstChecked) for (const p of planBurst(spec, link).problems) problems.add(`${path}.${p.path}`, p.message);
  for (const pair of pairsChecked) for (const p of planDisasterRecovery(spec, pair).problems) problems.add(`${path}.${p.path}`, p.message);

  Object.keys(spec.karmada?.memberNames ?? {}).forEach((name) => {
    if (!clusterNames.includes(name)) problems.add(`${path}.karmada.memberNames.${name}`, `${unknownNameMessage('cluster', name, clusterNames)}; a Karmada placement can only name the region's clusters`);
  });
  if (spec.karmada) {
    const seen = new Map<string, string>();
    for (const c of spec.clusters) {
      const member = karmadaMemberName(spec.karmada, '', c.name);
      const other = seen.get(member);
      if (other) problems.add(`${path}.karmada.memberNames.${c.name}`, `"${member}" is also the member name of cluster "${other}"; each cluster joins Karmada under its own name`);
      seen.set(member, c.name);
    }
  }
}

/** Link references; returns the links whose references hold, so their plans can run. */
function checkBurstLinks(spec: BlueprintSpec, path: string, problems: Problems, clusterNames: readonly string[]) {
  const valid = [];
  const claimed = new Map<string, string>();
  for (const link of spec.burst ?? []) {
    const linkPath = `${path}.burst.${link.name}`;
    const before = problems.list.length;
    const from = spec.clusters.find((c) => c.name === link.from);
    const to = spec.clusters.find((c) => c.name === link.to);
    if (!from) problems.add(`${linkPath}.from`, unknownNameMessage('cluster', link.from, clusterNames));
    else if (from.role !== 'gov') problems.add(`${linkPath}.from`, `cluster "${from.name}" has role "${from.role}"; a burst starts from a government-cloud cluster (role "gov")`);
    if (!to) problems.add(`${linkPath}.to`, unknownNameMessage('cluster', link.to, clusterNames));
    else if (to.role !== 'public') {
      problems.add(`${linkPath}.to`, `cluster "${to.name}" has role "${to.role}", not "public"; burst capacity is rented on a public cloud: name a cluster with role "public", or add one`);
    }
    if (from && to) checkNetworked(from, to, `${linkPath}.to`, `burst link "${link.name}"`, problems);
    for (const burst of link.services) {
      const servicePath = `${linkPath}.services.${burst.name}`;
      const service = spec.services.find((s) => s.name === burst.name);
      if (!service) {
        problems.add(`${servicePath}.name`, unknownNameMessage('service', burst.name, spec.services.map((s) => s.name)));
        continue;
      }
      const home = serviceHomeClusters(spec, service);
      if (!home.includes(link.from)) problems.add(servicePath, `the service does not run on cluster "${link.from}" (it runs on ${home.join(', ') || 'no cluster'}); burst it from one of those, or add "${link.from}" to its clusters`);
      if (home.includes(link.to)) problems.add(servicePath, `the service is already declared on cluster "${link.to}", so a burst copy would be a second workload there; remove "${link.to}" from its clusters or the service from the link`);
      if (!service.autoscaling) {
        problems.add(servicePath, `the service has fixed replicas (${service.replicas ?? 2}); the government side must scale on load to burst: give services.${service.name} autoscaling: { minReplicas, maxReplicas }`);
      }
      const reason = mustStayInGovCloud(service);
      if (reason) problems.add(servicePath, `may not burst to public-cloud cluster "${link.to}": the service ${reason}; ${ALLOWED_OUTSIDE}: remove it from the link, or mark services.${service.name}`);
      const key = `${burst.name}|${link.from}`;
      const other = claimed.get(key);
      if (other) problems.add(servicePath, `the service already bursts from "${link.from}" in link "${other}"; a workload has one autoscaler, so put both surges in one link`);
      claimed.set(key, link.name);
    }
    if (problems.list.length === before) valid.push(link);
  }
  return valid;
}

/** Pair references; returns the pairs whose references hold, so their plans can run. */
function checkDrPairs(spec: BlueprintSpec, path: string, problems: Problems, clusterNames: readonly string[]) {
  const valid = [];
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
        problems.add(servicePath, unknownNameMessage('service', name, spec.services.map((s) => s.name)));
        return;
      }
      const home = serviceHomeClusters(spec, service);
      if (!home.includes(pair.primary)) problems.add(servicePath, `service "${name}" does not run on the primary "${pair.primary}" (it runs on ${home.join(', ') || 'no cluster'}); protect it from there, or add "${pair.primary}" to its clusters`);
      if (home.includes(pair.standby)) problems.add(servicePath, `service "${name}" is already declared on the standby "${pair.standby}"; remove "${pair.standby}" from its clusters, the pair keeps the copy`);
      const reason = standby?.role === 'public' ? mustStayInGovCloud(service) : undefined;
      if (reason) problems.add(servicePath, `service "${name}" may not stand by on public-cloud cluster "${pair.standby}": it ${reason}; ${ALLOWED_OUTSIDE}: choose a government-cloud standby, or mark services.${name}`);
    });
    for (const database of pair.databases ?? []) {
      const databasePath = `${pairPath}.databases.${database.name}`;
      const instance = (spec.middleware ?? []).find((m) => m.name === database.name);
      if (!instance) {
        problems.add(`${databasePath}.name`, unknownNameMessage('middleware instance', database.name, (spec.middleware ?? []).map((m) => m.name)));
        continue;
      }
      if (instance.engine !== 'postgresql') problems.add(databasePath, `instance "${database.name}" is ${instance.engine}; cross-cloud replication is for postgresql instances (CloudNativePG replica clusters); protect it with the pair's backups instead`);
      if (!middlewareClusters(spec, instance).includes(pair.primary)) problems.add(databasePath, `instance "${database.name}" is not installed on the primary "${pair.primary}"; add the cluster to the instance, or replicate another instance`);
      const reason = standby?.role === 'public' ? mustStayInGovCloud({ dataClassification: instance.dataClassification }) : undefined;
      if (reason) problems.add(databasePath, `may not be replicated to public-cloud cluster "${pair.standby}": instance "${database.name}" ${reason}; ${ALLOWED_OUTSIDE}: choose a government-cloud standby, or mark middleware.${database.name}`);
    }
    if (problems.list.length === before) valid.push(pair);
  }
  return valid;
}

/** Clusters that carry traffic or replication between them route each other's pod and service addresses, so these must be disjoint. */
function checkNetworked(a: ClusterSpec, b: ClusterSpec, path: string, why: string, problems: Problems): void {
  const ranges = (c: ClusterSpec) => [['pod', c.network.podCidr], ['service', c.network.serviceCidr]] as const;
  for (const [kindA, textA] of ranges(a)) {
    for (const [kindB, textB] of ranges(b)) {
      const cidrA = parseCidr(textA);
      const cidrB = parseCidr(textB);
      if (typeof cidrA === 'string' || typeof cidrB === 'string' || !cidrsOverlap(cidrA, cidrB)) continue;
      problems.add(
        path,
        `clusters "${a.name}" and "${b.name}" must reach each other for ${why}, but ${a.name}'s ${kindA} CIDR ${textA} overlaps ${b.name}'s ${kindB} CIDR ${textB}, so addresses would be ambiguous; give clusters.${b.name}.network disjoint ranges`,
      );
    }
  }
}
