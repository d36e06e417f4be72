import type { Problems } from '../../lib/errors';
import { unknownNameMessage } from '../../lib/did-you-mean';
import type { BlueprintSpec } from '../blueprint-spec';
import { ALLOWED_OUTSIDE_GOV_CLOUD, mustStayInGovCloud } from '../core/data-classification-spec';
import { meshClusters, serviceHomeClusters } from '../core/placement-plan';
import { checkNetworked } from '../core/cluster-checks';
import type { BurstLinkSpec } from './burst-spec';
import type { ServiceSpec } from '../workload/service-spec';

/** Link references; returns the links whose references hold, so their plans can run. */
export function checkBurstLinks(spec: BlueprintSpec, path: string, problems: Problems, clusterNames: readonly string[]): BurstLinkSpec[] {
  const valid: BurstLinkSpec[] = [];
  const claimed = new Map<string, string>();
  for (const link of spec.burst ?? []) {
    const linkPath = `${path}.burst.${link.name}`;
    const before = problems.list.length;
    const from = spec.clusters.find((c) => c.name === link.from);
    const to = spec.clusters.find((c) => c.name === link.to);
    if (!from) problems.add(`${linkPath}.from`, unknownNameMessage('cluster', link.from, clusterNames));
    else if (from.role !== 'gov')
      problems.add(`${linkPath}.from`, `cluster "${from.name}" has role "${from.role}"; a burst starts from a government-cloud cluster (role "gov")`);
    if (!to) problems.add(`${linkPath}.to`, unknownNameMessage('cluster', link.to, clusterNames));
    else if (to.role !== 'public') {
      problems.add(
        `${linkPath}.to`,
        `cluster "${to.name}" has role "${to.role}", not "public"; burst capacity is rented on a public cloud: name a cluster with role "public", or add one`,
      );
    }
    if (from && to) checkNetworked(from, to, `${linkPath}.to`, `burst link "${link.name}"`, problems);
    for (const burst of link.services) {
      const servicePath = `${linkPath}.services.${burst.name}`;
      const service = spec.services.find((s) => s.name === burst.name);
      if (!service) {
        problems.add(
          `${servicePath}.name`,
          unknownNameMessage(
            'service',
            burst.name,
            spec.services.map((s) => s.name),
          ),
        );
        continue;
      }
      const home = serviceHomeClusters(spec, service);
      if (!home.includes(link.from))
        problems.add(
          servicePath,
          `the service does not run on cluster "${link.from}" (it runs on ${home.join(', ') || 'no cluster'}); burst it from one of those, or add "${link.from}" to its clusters`,
        );
      if (home.includes(link.to))
        problems.add(
          servicePath,
          `the service is already declared on cluster "${link.to}", so a burst copy would be a second workload there; remove "${link.to}" from its clusters or the service from the link`,
        );
      if (!service.autoscaling) {
        problems.add(
          servicePath,
          `the service has fixed replicas (${service.replicas ?? 2}); the government side must scale on load to burst: give services.${service.name} autoscaling: { minReplicas, maxReplicas }`,
        );
      }
      const reason = mustStayInGovCloud(service);
      if (reason)
        problems.add(
          servicePath,
          `may not burst to public-cloud cluster "${link.to}": the service ${reason}; ${ALLOWED_OUTSIDE_GOV_CLOUD}: remove it from the link, or mark services.${service.name}`,
        );
      if (burst.scaleOn === 'requests') checkRequestScaling(spec, link, service, `${servicePath}.scaleOn`, problems);
      const key = `${burst.name}|${link.from}`;
      const other = claimed.get(key);
      if (other)
        problems.add(
          servicePath,
          `the service already bursts from "${link.from}" in link "${other}"; a workload has one autoscaler, so put both surges in one link`,
        );
      claimed.set(key, link.name);
    }
    if (problems.list.length === before) valid.push(link);
  }
  return valid;
}

/** Scaling on requests reads the request rate from each side's own Prometheus, which Karmada mode cannot fold. */
function checkRequestScaling(spec: BlueprintSpec, link: BurstLinkSpec, service: ServiceSpec, path: string, problems: Problems): void {
  if (!spec.observability) {
    problems.add(
      path,
      '"requests" reads the request rate from the cluster\'s Prometheus, and the blueprint has no observability; add observability, or scale on "cpu"',
    );
    return;
  }
  const meshed = meshClusters(spec);
  const unmeshed = [link.from, link.to].filter((c) => !meshed.includes(c));
  if (unmeshed.length > 0 && !service.metrics) {
    problems.add(
      path,
      `${unmeshed.length > 1 ? 'clusters' : 'cluster'} ${unmeshed.join(' and ')} ${unmeshed.length > 1 ? 'are' : 'is'} not meshed, so the request rate must come from the service's own metrics, and it declares none; add services.${service.name}.metrics: { port }`,
    );
  }
  if (spec.karmada) problems.add(path, 'Karmada mode folds the scalers into a FederatedHPA, which has no prometheus trigger; scale on "cpu" there');
}
