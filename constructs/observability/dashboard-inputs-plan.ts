import { parseDuration } from '../../lib/duration';
import type { BlueprintSpec } from '../blueprint-spec';
import { meshClusters, serviceClusters } from '../core/placement-plan';
import { DATA_BUREAU, DEFAULT_SLO_WINDOW } from './observability-spec';
import { earlyWarning } from './alert-rules-plan';
import { isProgressive } from '../delivery/progressive-plan';
import { type DashboardInput, type GrafanaDashboard, allDashboards, departmentDashboardUid } from './dashboards-plan';

/**
 * The dashboards' input from the hub region's spec. Other regions copy the same blueprint, and
 * every query selects regions and clusters through the external labels, so one region's spec
 * describes the province's dashboards.
 */
export function dashboardInput(spec: BlueprintSpec, region: string): DashboardInput {
  const meshed = meshClusters(spec);
  return {
    blueprint: spec.name,
    regions: [{ region, clusters: spec.clusters.map((c) => ({ name: c.name, role: c.role, cloud: c.cloud })) }],
    departments: spec.departments.map((d) => ({
      name: d.name,
      displayName: d.displayName,
      services: spec.services
        .filter((s) => s.department === d.name)
        .map((s) => ({
          name: s.name,
          meshed: serviceClusters(spec, s).every((c) => meshed.includes(c)),
          ...(s.stateful ? { stateful: true } : {}),
          ...(isProgressive(s) ? { rollout: true } : {}),
          slos: (s.slos ?? []).map((slo) => ({
            name: slo.name,
            objective: slo.objective,
            window: slo.window ?? DEFAULT_SLO_WINDOW,
            latencyThreshold: slo.latency?.threshold,
          })),
          metrics: s.metrics && {
            requestsTotal: s.metrics.requestsTotal,
            errorSelector: s.metrics.errorSelector,
            durationHistogram: s.metrics.durationHistogram,
          },
        })),
    })),
    burstLinks: (spec.burst ?? []).map((l) => ({ region, name: l.name, from: l.from, to: l.to, services: l.services.map((s) => s.name) })),
    drPairs: (spec.disasterRecovery ?? []).map((p) => ({
      region,
      name: p.name,
      primary: p.primary,
      standby: p.standby,
      rpoSeconds: parseDuration(p.rpo)!,
      databases: (p.databases ?? []).map((d) => d.name),
    })),
    rpoWarningPercent: earlyWarning(spec).rpoPercent,
  };
}

/** The Grafana folder of the province-wide dashboards; each department's go to a folder of its own name. */
export const PROVINCE_FOLDER = 'province';

/** Every dashboard the hub loads, with its folder (a department's own, or the province's) and the department that sees it. */
export function dashboardsOf(spec: BlueprintSpec, region: string): FolderedDashboard[] {
  const input = dashboardInput(spec, region);
  return allDashboards(input).map((dashboard) => {
    const department = input.departments.find((d) => dashboard.uid === departmentDashboardUid(input.blueprint, d.name));
    if (!department) return { folder: PROVINCE_FOLDER, dashboard };
    return { folder: department.name, dashboard, ...(department.name === DATA_BUREAU ? {} : { department: department.name }) };
  });
}

/** The departments with a Grafana of their own on the hub: every department but the data bureau, which sees everything in its own. */
export function departmentsWithGrafana(spec: BlueprintSpec): string[] {
  return spec.departments.map((d) => d.name).filter((name) => name !== DATA_BUREAU);
}

/** A dashboard and the Grafana folder it is loaded into. */
export interface FolderedDashboard {
  readonly folder: string;
  readonly dashboard: GrafanaDashboard;
  /** The department whose own Grafana loads it too (the data bureau's loads every dashboard). */
  readonly department?: string;
}
