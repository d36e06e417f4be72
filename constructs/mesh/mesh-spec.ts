import * as s from '../../lib/schema';
import { ISTIO_RELEASES, type IstioRelease } from './istio-releases';

/** Istio API versions the traffic and security objects can be written in. */
export type IstioApiVersion = 'v1' | 'v1beta1';
export const ISTIO_API_VERSIONS: readonly IstioApiVersion[] = ['v1', 'v1beta1'];

export type GatewayServiceType = 'LoadBalancer' | 'NodePort' | 'ClusterIP';

/** @see IngressGatewaySpec.minReplicas */
export const DEFAULT_INGRESS_MIN_REPLICAS = 2;

export interface IngressGatewaySpec {
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 10 */
  readonly maxReplicas?: number;
  /** @default "LoadBalancer" */
  readonly serviceType?: GatewayServiceType;
  /** Annotations of the gateway's Service, e.g. the cloud's load-balancer settings. @default none */
  readonly serviceAnnotations?: { readonly [key: string]: string };
}

/**
 * The service mesh (Istio, sidecar mode) of each region: one multi-primary mesh across the
 * region's meshed clusters. Clusters on different networks (`clusters[].network.meshNetwork`)
 * reach each other through east-west gateways.
 */
export interface MeshSpec {
  /** Istio release, from the pinned list (charts and images follow from it). */
  readonly version: IstioRelease;
  /**
   * API version of the VirtualServices, DestinationRules, Gateways, PeerAuthentications and
   * AuthorizationPolicies. `v1` is served since Istio 1.22; older managed meshes serve only
   * `v1beta1`. EnvoyFilter exists only as `v1alpha3`. @default "v1"
   */
  readonly apiVersion?: IstioApiVersion;
  /** Mesh ID shared by the region's clusters. @default the region name */
  readonly meshId?: string;
  /** Trust domain of workload identities (SPIFFE). @default "cluster.local" */
  readonly trustDomain?: string;
  /** Clusters that join the mesh. @default every cluster of the region */
  readonly clusters?: readonly string[];
  readonly ingressGateway?: IngressGatewaySpec;
  /** Envoy access logs to stdout. @default true */
  readonly accessLogs?: boolean;
}

/** The most bytes of annotations (keys and values) Kubernetes keeps on one object. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

export const meshSchema = s.object<MeshSpec>(
  {
    version: s.enumOf(ISTIO_RELEASES, 'Istio release, pinned.'),
    apiVersion: s.enumOf(ISTIO_API_VERSIONS, 'v1 (Istio >= 1.22) or v1beta1 (older managed meshes).').optional(),
    meshId: s
      .string({ pattern: { regex: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, meaning: 'a mesh ID such as "changsha" (lower-case letters, digits, "-")' } })
      .optional(),
    trustDomain: s
      .string({ pattern: { regex: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, meaning: 'a trust domain such as "cluster.local" or "changsha.gov.example"' } })
      .optional(),
    clusters: s.list(s.name(), 'Clusters that join the mesh.').optional(),
    ingressGateway: s
      .object<IngressGatewaySpec>(
        {
          minReplicas: s.integer({ min: 1 }).optional(),
          maxReplicas: s.integer({ min: 1 }).optional(),
          serviceType: s.enumOf(['LoadBalancer', 'NodePort', 'ClusterIP'] as const).optional(),
          serviceAnnotations: s.record(s.string({ minLength: 0 }), 'Annotations of the gateway Service.').optional(),
        },
        {
          title: 'an ingress gateway',
          rules: [
            (gateway, path, problems) => {
              const min = gateway.minReplicas ?? DEFAULT_INGRESS_MIN_REPLICAS;
              const max = gateway.maxReplicas ?? 10;
              if (max < min) problems.add(`${path}.maxReplicas`, `must be >= minReplicas (${min}), got ${max}`);
            },
            (gateway, path, problems) => {
              // The API server refuses an object whose annotations, keys and values, pass 256 KiB in total.
              const bytes = Object.entries(gateway.serviceAnnotations ?? {}).reduce(
                (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
                0,
              );
              if (bytes > ANNOTATIONS_MAX_BYTES) {
                problems.add(
                  `${path}.serviceAnnotations`,
                  `are ${bytes} bytes in total, more than the ${ANNOTATIONS_MAX_BYTES} (256 KiB) Kubernetes allows on one object; keep large data in a ConfigMap`,
                );
              }
            },
          ],
        },
      )
      .optional(),
    accessLogs: s.boolean().optional(),
  },
  { title: 'a service mesh' },
);
