import type { IRegion } from '../core/tree';
import { meshClusters, serviceClusters } from '../core/placement-plan';
import { ClusterMonitoring } from './cluster-monitoring';
import { ObservabilityHub } from './observability-hub';
import { hubCluster } from './observability-checks';
import type { SloTarget } from './slo-plan';
import { dashboardsOf, departmentsWithGrafana } from './dashboard-inputs-plan';

/**
 * The region's observability, once its tree is complete: the monitoring stack, scrape targets,
 * rules and alert routes on every cluster, and the hub where the region runs it. Call at the end
 * of the Region constructor.
 */
export function addObservability(region: IRegion): void {
  const spec = region.spec.observability;
  if (!spec) return;
  const hub = spec.hub.region === region.name ? hubCluster(region.spec) : undefined;
  const meshed = meshClusters(region.spec);
  for (const cluster of region.clusters) {
    const monitoring = new ClusterMonitoring(cluster, spec);
    for (const department of cluster.departments) for (const service of department.services) monitoring.scrapeService(service);
    monitoring.scrapeMiddleware();
    monitoring.scrapeMeshControlPlane();
    const targets = region.spec.services
      .filter((s) => serviceClusters(region.spec, s).includes(cluster.name))
      .flatMap((s) =>
        (s.slos ?? []).map((slo): SloTarget => ({
          service: s.name,
          department: s.department,
          meshed: meshed.includes(cluster.name),
          metrics: s.metrics,
          slo,
          region: region.name,
          cluster: cluster.name,
        })),
      );
    monitoring.addSloRules(targets);
    monitoring.addEarlyWarnings();
    monitoring.addAlertRouting();
    if (hub?.name === cluster.name)
      new ObservabilityHub(cluster, {
        spec,
        monitoring,
        dashboards: dashboardsOf(region.spec, region.name),
        departments: departmentsWithGrafana(region.spec),
      });
  }
}
