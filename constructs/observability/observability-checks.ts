import type { Problems } from '../../lib/errors';
import { unknownNameMessage } from '../../lib/did-you-mean';
import type { BlueprintSpec } from '../blueprint-spec';
import type { ClusterSpec } from '../core/cluster-spec';
import { mustStayInGovCloud } from '../core/data-classification-spec';
import { meshClusters, middlewareClusters, serviceClusters } from '../core/placement-plan';
import { parsePrometheusDuration } from '../../lib/duration';
import { latencyThresholdProblem } from './slo-plan';
import { DATA_BUREAU } from './alert-rules-plan';
import { HELM_RELEASE_NAME_MAX, THANOS_TENANCY, departmentGrafanaRelease } from './monitoring-catalogue';
import { departmentsWithGrafana } from './dashboard-inputs-plan';

/** The longest window a burn-rate alert reads (the 1x ticket's 3 days). */
const SLOWEST_ALERT_WINDOW_SECONDS = 3 * 86400;

/**
 * Metrics and SLOs of the services, and who receives their alerts. Runs on the merged spec of
 * each region; where the hub runs is checked with the region's name (`checkHubPlacement`).
 */
export function checkObservabilityReferences(spec: BlueprintSpec, path: string, problems: Problems): void {
  const meshed = meshClusters(spec);
  for (const service of spec.services) {
    const servicePath = `${path}.services.${service.name}`;
    if (!spec.observability) {
      if (service.metrics)
        problems.add(
          `${servicePath}.metrics`,
          'nothing scrapes it: the blueprint has no observability; add observability: { hub, dataBureauReceivers } or remove metrics',
        );
      if (service.slos?.length)
        problems.add(
          `${servicePath}.slos`,
          'no rule evaluates them: the blueprint has no observability; add observability: { hub, dataBureauReceivers } or remove slos',
        );
      continue;
    }
    const ports = service.ports.map((p) => p.name);
    if (service.metrics && !ports.includes(service.metrics.port)) {
      problems.add(
        `${servicePath}.metrics.port`,
        `"${service.metrics.port}" is not one of the service's ports (${ports.join(', ')}); name the port that serves ${service.metrics.path ?? '/metrics'}`,
      );
    }
    const clusters = serviceClusters(spec, service);
    const unmeshed = clusters.filter((c) => !meshed.includes(c));
    const isMeshed = unmeshed.length === 0 && clusters.length > 0;
    for (const slo of service.slos ?? []) {
      const sloPath = `${servicePath}.slos.${slo.name}`;
      if (!isMeshed && !service.metrics) {
        problems.add(
          sloPath,
          `the service runs outside the mesh on ${unmeshed.join(', ')}, so its SLI comes from its own request metrics, and it declares none; add metrics: { port } (with requestsTotal / durationHistogram if they are not http_requests_total / http_request_duration_seconds)`,
        );
      }
      if (slo.latency) {
        const problem = latencyThresholdProblem(isMeshed, slo.latency.threshold);
        if (problem) problems.add(`${sloPath}.latency.threshold`, problem);
      }
    }
  }
  if (!spec.observability) return;
  const retention = spec.observability.prometheus?.retention;
  if (retention !== undefined && parsePrometheusDuration(retention)! < SLOWEST_ALERT_WINDOW_SECONDS && spec.services.some((s) => (s.slos ?? []).length > 0)) {
    problems.add(
      `${path}.observability.prometheus.retention`,
      `${JSON.stringify(retention)} is shorter than the 3-day window of the slowest burn-rate alert, which each cluster's Prometheus evaluates; keep at least "3d" (the default is "4d")`,
    );
  }
  for (const department of spec.departments) {
    if (department.name === DATA_BUREAU) {
      if (department.alertReceivers?.length) {
        problems.add(
          `${path}.departments.${department.name}.alertReceivers`,
          `the data bureau's alerts, its applications' included, go to observability.dataBureauReceivers (owner "${DATA_BUREAU}"); move these receivers there`,
        );
      }
      continue;
    }
    const withSlos = spec.services.filter((s) => s.department === department.name && (s.slos ?? []).length > 0);
    if (withSlos.length > 0 && (department.alertReceivers ?? []).length === 0) {
      problems.add(
        `${path}.departments.${department.name}.alertReceivers`,
        `the department owns SLO alerts (${withSlos.map((s) => s.name).join(', ')}) but names no receiver, so its pages would reach nobody; add alertReceivers: [{ name, webhook: { url } }] or e-mail`,
      );
    }
  }
}

/** The hub's cluster in the region that runs it: the named one, else the first gov cluster. */
export function hubCluster(spec: BlueprintSpec): ClusterSpec | undefined {
  const hub = spec.observability?.hub;
  if (!hub) return undefined;
  return hub.cluster === undefined ? spec.clusters.find((c) => c.role === 'gov') : spec.clusters.find((c) => c.name === hub.cluster);
}

/**
 * In the region that runs the hub: its cluster exists; on a public cloud only when no metric
 * sent there comes from a service holding personal data; its object storage is a shelf
 * object-storage instance on that cluster; each department's Grafana there has a name Helm takes.
 */
export function checkHubPlacement(spec: BlueprintSpec, region: string, path: string, problems: Problems): void {
  const hub = spec.observability?.hub;
  if (!hub || hub.region !== region) return;
  const hubPath = `${path}.observability.hub`;
  const cluster = hubCluster(spec);
  if (!cluster) {
    problems.add(
      `${hubPath}.cluster`,
      unknownNameMessage(
        'cluster',
        hub.cluster ?? '',
        spec.clusters.map((c) => c.name),
      ),
    );
    return;
  }
  if (cluster.role === 'public') {
    const personal = spec.services.filter((s) => (s.metrics || s.slos?.length) && mustStayInGovCloud(s));
    if (personal.length > 0) {
      problems.add(
        `${hubPath}.cluster`,
        `"${cluster.name}" is a public-cloud cluster, but the metrics it would store carry the labels of services holding personal data (${personal.map((s) => s.name).join(', ')}); run the hub on a gov cluster`,
      );
    }
  }
  for (const department of departmentsWithGrafana(spec)) {
    const release = departmentGrafanaRelease(department);
    if (release.length > HELM_RELEASE_NAME_MAX) {
      problems.add(
        `${path}.departments.${department}.name`,
        `the department's Grafana on the hub is the Helm release "${release}" (${release.length} characters), and Helm allows ${HELM_RELEASE_NAME_MAX}; shorten the name to ${HELM_RELEASE_NAME_MAX - release.length + department.length} characters or fewer`,
      );
    }
    if (department === THANOS_TENANCY.defaultTenant) {
      problems.add(
        `${path}.departments.${department}.name`,
        `"${department}" is the tenant the hub's departmental query path gives a request that names none, so such requests would see this department's metrics; rename the department`,
      );
    }
  }
  const instanceName = hub.objectStorage.middleware;
  if (instanceName !== undefined) {
    const instance = (spec.middleware ?? []).find((m) => m.name === instanceName);
    if (!instance)
      problems.add(
        `${hubPath}.objectStorage.middleware`,
        unknownNameMessage(
          'middleware instance',
          instanceName,
          (spec.middleware ?? []).map((m) => m.name),
        ),
      );
    else if (instance.engine !== 'object-storage') {
      problems.add(
        `${hubPath}.objectStorage.middleware`,
        `instance "${instanceName}" is ${instance.engine}; Thanos stores blocks in S3-compatible object storage: name an object-storage instance`,
      );
    } else if (!middlewareClusters(spec, instance).includes(cluster.name)) {
      problems.add(
        `${hubPath}.objectStorage.middleware`,
        `instance "${instanceName}" is not installed on the hub cluster "${cluster.name}"; add the cluster to its clusters`,
      );
    }
  }
}
