import { table } from '../../lib/report/markdown';
import { serviceClusters } from '../core/placement-plan';
import { workloadScaling } from './scaling-plan';
import { type StatefulPlan, planStatefulSet } from './stateful-plan';
import type { IRegion } from '../core/tree';

/**
 * The region report's stateful section: per stateful service and cluster, its pods and their
 * volumes, and who backs the volumes up. A volume's size and class are fixed once the
 * StatefulSet exists (Kubernetes refuses a change to its claim templates), which the text says.
 */
export function statefulSection(region: IRegion): string {
  const spec = region.spec;
  const rows = spec.services
    .filter((s) => s.stateful)
    .flatMap((service) =>
      serviceClusters(spec, service).map((clusterName) => {
        const plan = planStatefulSet(
          spec,
          service,
          spec.clusters.find((c) => c.name === clusterName)!,
        )!;
        const scaling = workloadScaling(spec, service, clusterName);
        return [
          service.name,
          clusterName,
          scaling.autoscaled ? `${scaling.minReplicas}-${scaling.maxReplicas} (HPA)` : String(scaling.minReplicas),
          plan.podManagement,
          plan.volumes.map((v) => `${v.name} ${v.size} at ${v.mountPath} (${v.storageClass ?? 'cluster default'})`).join('; ') || 'none',
          backupSummary(plan),
        ];
      }),
    );
  if (rows.length === 0) return 'No stateful services.\n';
  return (
    'Each runs as a StatefulSet: pod `<service>-<n>` is named under the headless Service `<service>-headless`, owns one claim per volume, ' +
    'and keeps it when the set scales down or is deleted. Kubernetes refuses changes to the claims once the set exists: to resize, expand the claims themselves ' +
    '(where the StorageClass allows) and recreate the set without its pods (`kubectl delete statefulset <service> --cascade=orphan`) before the next apply.\n\n' +
    table(['service', 'cluster', 'replicas', 'pod management', 'volumes per pod', 'backup'], rows)
  );
}

function backupSummary(plan: StatefulPlan): string {
  const by = plan.backupBy;
  if (by.kind === 'own') return `own Schedule \`${plan.backup!.name}\`: \`${plan.backup!.schedule}\` (UTC), kept ${plan.backup!.retention}`;
  if (by.kind === 'dr-pair') return `DR pair \`${by.pair}\`'s Schedule, within its RPO`;
  return `none (${by.why})`;
}
