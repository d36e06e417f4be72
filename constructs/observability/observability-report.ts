import { table } from '../../lib/report/markdown';
import { parsePrometheusDuration } from '../../lib/duration';
import type { IRegion } from '../core/tree';
import { meshClusters, serviceClusters } from '../core/placement-plan';
import { catalogueEngine } from '../middleware/catalogue';
import { ISTIO_PORTS } from '../mesh/istio-topology';
import {
  DATA_BUREAU,
  DEFAULT_PROMETHEUS_RETENTION,
  DEFAULT_SLO_WINDOW,
  HUB_VARIABLES,
  LAYER_LABEL,
  OWNER_LABEL,
  REMOTE_WRITE_VARIABLES,
  type SloSpec,
} from './observability-spec';
import { BURN_RATE_ALERTS, SLO_ALERT_NAME, budgetSpentWhenFiring, errorBudget } from './slo-plan';
import { earlyWarning, earlyWarningGroups } from './alert-rules-plan';
import { hubCluster } from './observability-checks';
import { dashboardsOf, departmentsWithGrafana } from './dashboard-inputs-plan';
import { GRAFANA_RELEASE, THANOS_ENDPOINTS, THANOS_TENANCY, departmentGrafanaRelease } from './monitoring-catalogue';

const minutes = (value: number) => `${Math.round(value * 10) / 10} min`;
const hours = (seconds: number) => (seconds >= 86400 ? `${Math.round((seconds / 86400) * 10) / 10} d` : `${Math.round((seconds / 3600) * 10) / 10} h`);

/**
 * The region report's observability section: the hub and the remote write, what is scraped on
 * each cluster, the SLOs with their error budgets and when each burn-rate alert fires, who
 * receives which alert, the dashboards and the pipeline variables.
 */
export function observabilitySection(region: IRegion): string {
  const spec = region.spec;
  const observability = spec.observability;
  if (!observability) return 'No observability: no monitoring stack, scrape target, SLO or alert.\n';
  const hub = observability.hub;
  const isHub = hub.region === region.name;
  const hubClusterName = isHub ? hubCluster(spec)?.name : hub.cluster;
  let out = `Every cluster runs kube-prometheus-stack in \`monitoring\`, labels its series with blueprint, region, cluster, cloud and role, keeps ${observability.prometheus?.retention ?? DEFAULT_PROMETHEUS_RETENTION} locally (the burn-rate alerts run there) and remote-writes to the hub at \`${hub.remoteWriteUrl}\` over mutual TLS. `;
  out += `The hub (Thanos and Grafana) runs in region \`${hub.region}\`${hubClusterName ? `, cluster \`${hubClusterName}\`` : ''}${isHub ? ' (this region)' : ''}.\n\n`;

  const meshed = meshClusters(spec);
  out += '**Scraped**\n\n';
  out += table(
    ['cluster', 'services', 'shelf exporters (PodMonitor)'],
    region.clusters.map((cluster) => {
      const services = spec.services.filter((s) => serviceClusters(spec, s).includes(cluster.name));
      // Inside the mesh every service is scraped on the Istio agent's merged endpoint (PodMonitor);
      // outside it, a service with metrics on its own port (ServiceMonitor).
      const targets = meshed.includes(cluster.name)
        ? services.map((s) => `${s.name} :${ISTIO_PORTS.mergedMetrics}/stats/prometheus (PodMonitor)`)
        : services.filter((s) => s.metrics).map((s) => `${s.name} :${s.metrics!.port}${s.metrics!.path ?? '/metrics'} (ServiceMonitor)`);
      return [
        cluster.name,
        targets.join(', ') || 'none',
        cluster.middlewareInstances
          .filter((i) => i.plan.metrics)
          .map((i) => `${i.spec.name} :${catalogueEngine(i.spec.engine).metricsEndpoint.port}`)
          .join(', ') || 'none',
      ];
    }),
  );

  const slos = spec.services.flatMap((s) => (s.slos ?? []).map((slo) => [s, slo] as const));
  out += '\n**Service level objectives**\n\n';
  if (slos.length === 0) out += 'None declared.\n';
  else {
    out += table(
      ['service', 'objective', 'window', 'error budget', ...BURN_RATE_ALERTS.map((a) => `${a.severity} ${a.burnRate}x (${a.longWindow}/${a.shortWindow})`)],
      slos.map(([service, slo]) => {
        const budget = errorBudget(slo);
        return [service.name, objective(slo), slo.window ?? DEFAULT_SLO_WINDOW, minutes(budget.minutes), ...BURN_RATE_ALERTS.map((a) => firing(a, slo))];
      }),
    );
    out +=
      "\nEach burn-rate cell: the share of the budget spent when the alert fires at that rate, and the time left before the whole window's budget is gone at that rate. " +
      'The pages fire long before the objective is breached: at 14.4x the budget lasts 1/14.4 of the window (about 2 days of 30), and the page comes after 2% of it.\n';
  }

  out += '\n**Alert routing** (Alertmanager matches the `owner` label; every alert also carries `layer`, `region` and `cluster`)\n\n';
  const rows: string[][] = [];
  const warnings = region.clusters.flatMap((c) =>
    earlyWarningGroups(spec, { region: region.name, cluster: c.name }).flatMap((g) => g.rules.map((r) => [c.name, r] as const)),
  );
  const seen = new Set<string>();
  for (const [cluster, rule] of warnings) {
    const owner = rule.labels?.[OWNER_LABEL] ?? DATA_BUREAU;
    const key = `${rule.alert}|${owner}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push([rule.alert ?? '', rule.labels?.[LAYER_LABEL] ?? '', owner, receiversOf(region, owner), cluster]);
  }
  for (const department of new Set(slos.map(([s]) => s.department))) {
    rows.push([SLO_ALERT_NAME, 'application', department, receiversOf(region, department), 'where its services run']);
  }
  rows.push(['kube-prometheus-stack default rules', 'infrastructure', DATA_BUREAU, receiversOf(region, DATA_BUREAU), 'every cluster']);
  out += table(['alert', 'layer', 'owner', 'receivers', 'first seen on'], rows);
  const warn = earlyWarning(spec);
  out += `\nEarly warnings: burst government side above ${warn.burstCeilingPercent}% of its ceiling, department quota above ${warn.quotaPercent}%, a volume full within ${warn.diskFullWithin}, backup age or replication lag above ${warn.rpoPercent}% of the RPO, a gateway certificate expiring within ${warn.certificateExpiresWithin}, remote write more than 5 minutes behind.\n`;

  out += '\n**Dashboards and who sees them**\n\n';
  if (isHub) {
    const dashboards = dashboardsOf(spec, region.name);
    out += `${dashboards.map(({ folder, dashboard }) => `- \`${dashboard.uid}\` (folder \`${folder}\`): ${dashboard.title}`).join('\n')}\n\n`;
    out += table(
      ['viewer', 'Grafana (Service in `monitoring`)', 'dashboards', 'series it can read'],
      [
        [DATA_BUREAU, `\`${GRAFANA_RELEASE}\``, 'all of the above', `every series, through \`${THANOS_ENDPOINTS.query.service}\``],
        ...departmentsWithGrafana(spec).map((department) => [
          department,
          `\`${departmentGrafanaRelease(department)}\``,
          dashboards
            .filter((d) => d.department === department)
            .map((d) => `\`${d.dashboard.uid}\``)
            .join(', ') || 'none',
          `\`${THANOS_TENANCY.label}="${department}"\` only, through \`${THANOS_ENDPOINTS.tenantsQuery.service}\` (tenancy enforced)`,
        ]),
      ],
    );
    out += `\nThe departments' Grafanas read through a Thanos Query that adds \`${THANOS_TENANCY.label}="<department>"\` to every selector (the tenant is the datasource's \`${THANOS_TENANCY.header}\` header, which only a Grafana admin can change; the admin is the data bureau's, \`TF_VAR_${HUB_VARIABLES.grafanaAdminPassword}\`). NetworkPolicies admit only the data bureau's Grafana to the global query path and only the departments' Grafanas to the tenants' one. Give each department's people Viewer or Editor in their own Grafana; none of them needs Admin.\n`;
  } else out += `On the hub in region \`${hub.region}\`.\n`;

  out += '\n**Pipeline variables**\n\n';
  out += `- every stack of this region: ${Object.values(REMOTE_WRITE_VARIABLES)
    .map((v) => `\`TF_VAR_${v}\``)
    .join(', ')} (its client certificate and key at the hub, and the hub's CA)\n`;
  if (isHub && hubClusterName) {
    const hubVariables = Object.values(HUB_VARIABLES).filter((v) => v !== HUB_VARIABLES.objstoreConfig || !hub.objectStorage.external);
    out += `- stack ${region.name}-${hubClusterName}: ${hubVariables.map((v) => `\`TF_VAR_${v}\``).join(', ')}\n`;
  }
  return out;
}

function objective(slo: SloSpec): string {
  return slo.latency ? `${slo.objective}% of requests under ${slo.latency.threshold}` : `${slo.objective}% of requests succeed`;
}

function firing(alert: (typeof BURN_RATE_ALERTS)[number], slo: SloSpec): string {
  const window = parsePrometheusDuration(slo.window ?? DEFAULT_SLO_WINDOW)!;
  return `${Math.round(budgetSpentWhenFiring(alert, slo) * 1000) / 10}% spent; ${hours(window / alert.burnRate)} left`;
}

function receiversOf(region: IRegion, owner: string): string {
  const spec = region.spec;
  const receivers = owner === DATA_BUREAU ? spec.observability!.dataBureauReceivers : (spec.departments.find((d) => d.name === owner)?.alertReceivers ?? []);
  return receivers.map((r) => r.name).join(', ') || 'none';
}
