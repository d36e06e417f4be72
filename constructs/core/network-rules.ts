import type { NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngress } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { GATEWAY_SELECTORS, INGRESS_GATEWAY_NAMESPACE, ISTIOD_SELECTOR, ISTIO_PORTS, ISTIO_SYSTEM_NAMESPACE } from '../mesh/istio-topology';

/** Pods of a namespace, by the name label the API server sets on every namespace. */
export const namespacePeer = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

/** Egress to the cluster DNS (kube-dns / CoreDNS in kube-system): what a closed namespace still needs. */
export const DNS_EGRESS: NetworkPolicyV1SpecEgress = {
  to: [{ ...namespacePeer('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { port: '53', protocol: 'UDP' },
    { port: '53', protocol: 'TCP' },
  ],
};

/** Sidecars fetch their configuration and certificates from istiod. */
export const ISTIO_CONTROL_PLANE_EGRESS: NetworkPolicyV1SpecEgress = {
  to: [{ ...namespacePeer(ISTIO_SYSTEM_NAMESPACE), podSelector: { matchLabels: ISTIOD_SELECTOR } }],
  ports: [{ port: String(ISTIO_PORTS.xds), protocol: 'TCP' }],
};

/** Requests from services on other mesh networks arrive through the local east-west gateway. */
export const EAST_WEST_GATEWAY_INGRESS: NetworkPolicyV1SpecIngress = {
  from: [{ ...namespacePeer(ISTIO_SYSTEM_NAMESPACE), podSelector: { matchLabels: GATEWAY_SELECTORS.eastWest } }],
};

/**
 * Requests to services on other mesh networks go to the remote east-west gateways, whose
 * addresses are load balancers of other clouds, unknown at synth time: only the port is fixed.
 */
export const CROSS_NETWORK_EGRESS: NetworkPolicyV1SpecEgress = {
  ports: [{ port: String(ISTIO_PORTS.crossNetwork), protocol: 'TCP' }],
};

/** Requests from the mesh's ingress gateway, to services exposed through it. */
export const INGRESS_GATEWAY_PEER = { ...namespacePeer(INGRESS_GATEWAY_NAMESPACE), podSelector: { matchLabels: GATEWAY_SELECTORS.ingress } };
