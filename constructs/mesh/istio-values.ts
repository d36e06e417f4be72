import { ISTIO_IMAGE_PATH } from './istio-releases';
import { GATEWAY_SELECTORS, ISTIO_PORTS } from './istio-topology';
import type { GatewayServiceType } from './mesh-spec';
import type { PodGroup } from '../../lib/capacity';

/**
 * Helm values of the four Istio charts (1.24 and later: defaults nested under
 * `_internal_defaults_do_not_set`, user values at the top level). Images come from the mirror:
 * istiod and the CNI agent name theirs below `hub`; the gateways take istiod's through injection.
 */

type Json = Record<string, unknown>;

export interface IstioImages {
  readonly registry: string;
  readonly version: string;
}

function hub(images: IstioImages): { hub: string; tag: string } {
  return { hub: `${images.registry}/${ISTIO_IMAGE_PATH}`, tag: images.version };
}

/** Sidecar size: Istio's defaults, written out so department quotas can account for them. */
export const SIDECAR_RESOURCES = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } } as const;

/** Requests of one istiod replica. */
const ISTIOD_REQUESTS = { cpu: '500m', memory: '2Gi' } as const;

/** Replicas istiod and the east-west gateway keep at least: two on production clusters. */
export function controlPlaneFloor(production: boolean): number {
  return production ? 2 : 1;
}

/**
 * The mesh's pods on a cluster at their floor: istiod, the ingress gateway, and the east-west
 * gateway where the mesh spans networks. The CNI node agent keeps its chart's requests: not counted.
 */
export function istioPods(settings: { readonly production: boolean; readonly ingressMinReplicas: number; readonly crossNetwork: boolean }): PodGroup[] {
  const floor = controlPlaneFloor(settings.production);
  return [
    { name: 'istiod', count: floor, containers: [ISTIOD_REQUESTS] },
    { name: 'istio-ingress-gateway', count: settings.ingressMinReplicas, containers: [SIDECAR_RESOURCES.requests] },
    ...(settings.crossNetwork ? [{ name: 'istio-east-west-gateway', count: floor, containers: [SIDECAR_RESOURCES.requests] }] : []),
  ];
}

export interface IstiodSettings {
  readonly images: IstioImages;
  readonly meshId: string;
  /** Unique in the mesh; remote secrets of the other clusters are keyed by it. */
  readonly clusterName: string;
  readonly network: string;
  readonly trustDomain: string;
  readonly accessLogs: boolean;
  /** Two or more istiod replicas on production clusters. */
  readonly production: boolean;
}

export function istiodValues(settings: IstiodSettings): Json {
  return {
    global: {
      ...hub(settings.images),
      meshID: settings.meshId,
      multiCluster: { clusterName: settings.clusterName },
      network: settings.network,
      proxy: { image: 'proxyv2', resources: SIDECAR_RESOURCES },
      proxy_init: { image: 'proxyv2' },
    },
    image: 'pilot',
    // The `restricted` Pod Security level's profile for istiod's container (the chart sets none by default).
    seccompProfile: { type: 'RuntimeDefault' },
    // Sidecars are wired by the CNI node agent instead of a privileged init container, so
    // department namespaces keep the `restricted` Pod Security level.
    cni: { enabled: true },
    autoscaleEnabled: true,
    autoscaleMin: controlPlaneFloor(settings.production),
    autoscaleMax: 5,
    resources: { requests: { ...ISTIOD_REQUESTS } },
    meshConfig: {
      trustDomain: settings.trustDomain,
      ...(settings.accessLogs ? { accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON' } : {}),
      defaultConfig: {
        // Applications start once their sidecar is ready, so first requests do not fail.
        holdApplicationUntilProxyStarts: true,
      },
    },
  };
}

/**
 * The CNI node agent: host-level, so it runs in kube-system (privileged, node-critical). Its
 * AppArmor profile goes in the securityContext field (Kubernetes 1.30+): the chart's default, the
 * beta annotation, is deprecated and makes the API server warn on every pod.
 */
export function cniValues(images: IstioImages): Json {
  const pinned = hub(images);
  return { global: pinned, ...pinned, image: 'install-cni', chained: true, ambient: { enabled: false }, useAppArmorAnnotation: false };
}

/** `base`: the CRDs (upgraded with the chart since 1.24), istio-reader RBAC, the validating webhook. */
export function baseValues(): Json {
  return { defaultRevision: 'default' };
}

/**
 * The gateways' pods: Istio's defaults (non-root, no capabilities, read-only root) plus the
 * RuntimeDefault seccomp profile that the `restricted` Pod Security level asks for; the sysctl
 * lets the ingress gateway bind 80 and 443 without privileges.
 */
const GATEWAY_POD_SECURITY = {
  sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
  seccompProfile: { type: 'RuntimeDefault' },
};

export interface IngressGatewaySettings {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly serviceType: GatewayServiceType;
  readonly serviceAnnotations: Readonly<Record<string, string>>;
}

export function ingressGatewayValues(settings: IngressGatewaySettings): Json {
  return {
    labels: GATEWAY_SELECTORS.ingress,
    service: { type: settings.serviceType, ...(Object.keys(settings.serviceAnnotations).length > 0 ? { annotations: settings.serviceAnnotations } : {}) },
    autoscaling: { enabled: true, minReplicas: settings.minReplicas, maxReplicas: settings.maxReplicas },
    ...(settings.minReplicas > 1 ? { podDisruptionBudget: { minAvailable: 1 } } : {}),
    resources: SIDECAR_RESOURCES,
    securityContext: GATEWAY_POD_SECURITY,
  };
}

/**
 * The east-west gateway of a multi-network mesh: mTLS passthrough for services (15443) and
 * istiod (15012, 15017). `networkGateway` labels its pods and Service with the network
 * (`topology.istio.io/network`, so not in `labels` too) and fixes those ports.
 */
export function eastWestGatewayValues(network: string, production: boolean): Json {
  return {
    networkGateway: network,
    labels: { ...GATEWAY_SELECTORS.eastWest },
    service: {
      type: 'LoadBalancer',
      ports: [
        { name: 'status-port', port: ISTIO_PORTS.status, targetPort: ISTIO_PORTS.status },
        { name: 'tls', port: ISTIO_PORTS.crossNetwork, targetPort: ISTIO_PORTS.crossNetwork },
        { name: 'tls-istiod', port: ISTIO_PORTS.xds, targetPort: ISTIO_PORTS.xds },
        { name: 'tls-webhook', port: ISTIO_PORTS.webhook, targetPort: ISTIO_PORTS.webhook },
      ],
    },
    autoscaling: { enabled: true, minReplicas: controlPlaneFloor(production), maxReplicas: 5 },
    ...(production ? { podDisruptionBudget: { minAvailable: 1 } } : {}),
    resources: SIDECAR_RESOURCES,
    securityContext: GATEWAY_POD_SECURITY,
  };
}
