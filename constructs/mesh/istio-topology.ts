/** Where the mesh's parts live and how they are labelled: shared by the mesh install and its users. */

/** Istio's root namespace: istiod, the CNI node agent, the east-west gateway, mesh-wide policy. */
export const ISTIO_SYSTEM_NAMESPACE = 'istio-system';
/** The ingress gateway's namespace, apart from the control plane (TLS certificate Secrets go here). */
export const INGRESS_GATEWAY_NAMESPACE = 'istio-ingress';

/** Helm release names; the gateway chart names its ServiceAccount after the release. */
export const RELEASES = {
  base: 'istio-base',
  cni: 'istio-cni',
  istiod: 'istiod',
  ingressGateway: 'istio-ingressgateway',
  eastWestGateway: 'istio-eastwestgateway',
} as const;

/** The `istio` label of each gateway's pods, which Gateway objects select. */
export const GATEWAY_SELECTORS = {
  ingress: { istio: 'ingressgateway' },
  eastWest: { istio: 'eastwestgateway' },
} as const;

/** Label of istiod's pods. */
export const ISTIOD_SELECTOR = { app: 'istiod' } as const;

/** Label that marks a namespace's pods for sidecar injection. */
export const ISTIO_INJECTION_LABEL = { 'istio-injection': 'enabled' } as const;

/** The Istio network of a namespace's workloads (istiod reads it from istio-system). */
export const NETWORK_LABEL = 'topology.istio.io/network';

export const ISTIO_PORTS = {
  /** istiod's xDS and certificate signing, over mTLS. */
  xds: 15012,
  /** istiod's injection and validation webhooks. */
  webhook: 15017,
  /** Gateway readiness. */
  status: 15021,
  /** East-west gateway: mTLS passthrough between networks. */
  crossNetwork: 15443,
  /** The sidecar agent's merged metrics: Envoy's (Istio's request metrics among them) and the application's. */
  mergedMetrics: 15020,
} as const;
