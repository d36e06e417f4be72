import { type Resources, addResources, scaleResources } from '../../lib/capacity';
import { parseQuantity } from '../../lib/quantity';
import type { BlueprintSpec } from '../blueprint-spec';
import type { ClusterSpec } from './cluster-spec';
import type { ServiceSpec } from '../workload/service-spec';
import type { MiddlewareSpec } from '../middleware/middleware-spec';
import { canaryReplicas, canaryVersions } from '../workload/canary-plan';
import { planMiddleware } from '../middleware/middleware-plan';
import { SIDECAR_RESOURCES } from '../mesh/istio-values';
import { meshClusters, middlewareReachableClusters, serviceClusters } from './placement-plan';
import { workloadFloor } from '../workload/copies-plan';

/** What a cluster offers: node count times allocatable CPU and memory per node. */
export function clusterAllocatable(cluster: ClusterSpec): Resources {
  const { nodes, nodeCpu, nodeMemory } = cluster.capacity;
  return { cpu: nodes * parseQuantity(nodeCpu)!, memory: nodes * parseQuantity(nodeMemory)! };
}

/** Requests of one pod of the service on the cluster, its Istio sidecar included where the cluster is meshed. */
export function podRequests(spec: BlueprintSpec, service: ServiceSpec, cluster: string): Resources {
  const own = { cpu: parseQuantity(service.resources.requests.cpu)!, memory: parseQuantity(service.resources.requests.memory)! };
  if (!meshClusters(spec).includes(cluster)) return own;
  return addResources(own, { cpu: parseQuantity(SIDECAR_RESOURCES.requests.cpu)!, memory: parseQuantity(SIDECAR_RESOURCES.requests.memory)! });
}

/** Requests of the service's pods on the cluster at its floor there, canary pods included. */
export function serviceFloorLoad(spec: BlueprintSpec, service: ServiceSpec, cluster: string): Resources {
  const canaryPods = canaryVersions(service).reduce((sum, v) => sum + canaryReplicas(service, v).min, 0);
  return scaleResources(podRequests(spec, service, cluster), workloadFloor(spec, service, cluster) + canaryPods);
}

/** Requests of one shelf instance on the cluster (its main component's replicas). */
export function middlewareInstanceLoad(instance: MiddlewareSpec, cluster: ClusterSpec): Resources {
  const plan = planMiddleware(instance, cluster);
  return scaleResources({ cpu: parseQuantity(plan.resources.requests.cpu)!, memory: parseQuantity(plan.resources.requests.memory)! }, plan.replicas);
}

/**
 * Requests of every shelf instance on the cluster (main component replicas), a DR pair's replica
 * of one included: it runs the instance's plan for the cluster.
 */
export function middlewareLoad(spec: BlueprintSpec, cluster: ClusterSpec): Resources {
  const instances = (spec.middleware ?? []).filter((m) => middlewareReachableClusters(spec, m).includes(cluster.name));
  return addResources(...instances.map((m) => middlewareInstanceLoad(m, cluster)));
}

/** Requests of the given services' pods at their floor on the cluster; services not running there count nothing. */
export function servicesFloorLoad(spec: BlueprintSpec, services: readonly ServiceSpec[], cluster: string): Resources {
  return addResources(...services.filter((s) => serviceClusters(spec, s).includes(cluster)).map((s) => serviceFloorLoad(spec, s, cluster)));
}

/**
 * What the cluster runs at rest: every service at its floor there and the middleware shelf,
 * leaving out the services named in `except` (counted separately by the caller's plan).
 */
export function clusterFloorLoad(spec: BlueprintSpec, cluster: ClusterSpec, except: readonly string[] = []): Resources {
  return addResources(
    middlewareLoad(spec, cluster),
    servicesFloorLoad(
      spec,
      spec.services.filter((s) => !except.includes(s.name)),
      cluster.name,
    ),
  );
}
