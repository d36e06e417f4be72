import type { NetworkPolicyV1SpecIngressPorts } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { INGRESS_GATEWAY_PEER, namespacePeer } from '../core/network-rules';
import type { ICluster, IService } from '../core/tree';

/**
 * Opens the network paths that declared calls need on one cluster. Departments are closed to
 * each other, so a caller in another department gets an ingress rule in the callee's namespace
 * and an egress rule in its own, both between the two services' pods on the callee's ports (in
 * the NetworkPolicy `traffic-<service>` of each side's pods);
 * an exposed service admits the mesh's ingress gateway. Callers in the same department need
 * nothing (the namespace is open inside), callers on other clusters arrive through the east-west
 * gateway. Identity is checked by the mesh's AuthorizationPolicy on top.
 */
export function openCallerPaths(cluster: ICluster): void {
  const services = cluster.departments.flatMap((d) => d.services);
  const byName = new Map(services.map((s) => [s.spec.name, s]));
  for (const service of services) {
    const ports = workloadPorts(service);
    for (const callerName of service.spec.callers ?? []) {
      const caller = byName.get(callerName);
      if (!caller || caller.department === service.department) continue;
      service.department.allowTraffic(service.spec.name, service.selector, { ingress: [{ from: [podsOf(caller)], ports }] });
      caller.department.allowTraffic(callerName, caller.selector, { egress: [{ to: [podsOf(service)], ports }] });
    }
    if (cluster.mesh && service.spec.traffic?.expose) {
      service.department.allowTraffic(service.spec.name, service.selector, { ingress: [{ from: [INGRESS_GATEWAY_PEER], ports }] });
    }
  }
}

/** The ports the pods listen on: NetworkPolicies see traffic after the Service's port mapping. */
function workloadPorts(service: IService): NetworkPolicyV1SpecIngressPorts[] {
  return service.spec.ports.map((p) => ({ port: String(p.targetPort ?? p.port), protocol: p.protocol ?? 'TCP' }));
}

function podsOf(service: IService) {
  return { ...namespacePeer(service.department.spec.name), podSelector: { matchLabels: service.selector } };
}
