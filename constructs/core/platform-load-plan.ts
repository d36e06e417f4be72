import { type PodGroup, type Resources, podGroupsLoad } from '../../lib/capacity';
import type { BlueprintSpec } from '../blueprint-spec';
import { type ClusterSpec, isProductionCluster } from './cluster-spec';
import { meshClusters, meshNetwork, serviceClusters } from './placement-plan';
import { istioPods } from '../mesh/istio-values';
import { DEFAULT_INGRESS_MIN_REPLICAS } from '../mesh/mesh-spec';
import { DEFAULT_PROMETHEUS_RESOURCES, kedaPods, kubePrometheusStackPods, observabilityHubPods } from '../observability/monitoring-catalogue';
import { hubCluster } from '../observability/observability-checks';
import { departmentsWithGrafana } from '../observability/dashboard-inputs-plan';
import { veleroPods } from '../disaster-recovery/velero-catalogue';
import { cloudNativePgPods } from '../disaster-recovery/cloudnative-pg-catalogue';
import { argoRolloutsPods } from '../delivery/argo-rollouts-catalogue';
import { isProgressive } from '../delivery/progressive-plan';
import { argoCdPods } from '../gitops/argo-cd-catalogue';
import { managementCluster } from '../gitops/gitops-plan';
import { usesScaledObject, workloadScaling } from '../workload/scaling-plan';

// The pods the library itself installs on a cluster (the platform layer), at their floor, with
// the requests its catalogues set. Each install's condition is the one its construct uses.

/** One install's pods on the cluster. */
export interface PlatformInstall {
  readonly name: string;
  readonly pods: number;
  readonly requests: Resources;
}

/**
 * The platform installs on the cluster, in a fixed order: mesh, monitoring, the observability hub
 * (only in `region`, the one that runs it), Velero, CloudNativePG, KEDA, Argo Rollouts, Argo CD. The spec
 * must be valid.
 */
export function platformInstalls(spec: BlueprintSpec, cluster: ClusterSpec, region?: string): PlatformInstall[] {
  const installs: [string, PodGroup[]][] = [];
  const meshed = meshClusters(spec);
  if (meshed.includes(cluster.name)) {
    const network = meshNetwork(cluster);
    const crossNetwork = spec.clusters.some((c) => c.name !== cluster.name && meshed.includes(c.name) && meshNetwork(c) !== network);
    const ingressMinReplicas = spec.mesh!.ingressGateway?.minReplicas ?? DEFAULT_INGRESS_MIN_REPLICAS;
    installs.push(['Istio', istioPods({ production: isProductionCluster(cluster), ingressMinReplicas, crossNetwork })]);
  }
  const observability = spec.observability;
  if (observability) {
    installs.push(['monitoring', kubePrometheusStackPods(observability.prometheus?.resources ?? DEFAULT_PROMETHEUS_RESOURCES, cluster.capacity.nodes)]);
    if (observability.hub.region === region && hubCluster(spec)?.name === cluster.name)
      installs.push(['observability hub', observabilityHubPods(1 + departmentsWithGrafana(spec).length)]);
  }
  const pairs = spec.disasterRecovery ?? [];
  if (pairs.some((p) => p.primary === cluster.name || p.standby === cluster.name)) installs.push(['Velero', veleroPods(cluster.capacity.nodes)]);
  if (pairs.some((p) => p.standby === cluster.name && (p.databases ?? []).length > 0)) installs.push(['CloudNativePG', cloudNativePgPods()]);
  const services = spec.services.filter((s) => serviceClusters(spec, s).includes(cluster.name));
  if (services.some((s) => usesScaledObject(workloadScaling(spec, s, cluster.name)))) installs.push(['KEDA', kedaPods()]);
  if (services.some((s) => isProgressive(s))) installs.push(['Argo Rollouts', argoRolloutsPods()]);
  if (spec.gitops?.argocd?.install && managementCluster(spec) === cluster.name) installs.push(['Argo CD', argoCdPods()]);
  return installs.map(([name, groups]) => ({ name, ...podGroupsLoad(groups) }));
}
