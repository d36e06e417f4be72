import { Construct } from 'constructs';
import { ApiObject, type Chart } from 'cdk8s';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import type { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from '../../lib/cdktf';
import { DEFAULT_INGRESS_MIN_REPLICAS, type IstioApiVersion, type MeshSpec } from './mesh-spec';
import { meshNetwork } from '../core/placement-plan';
import { placementLabels, podSecurityLabels } from '../core/labels';
import { pinnedChartRelease } from '../core/pinned-chart';
import { baseValues, cniValues, eastWestGatewayValues, ingressGatewayValues, istiodValues } from './istio-values';
import { GATEWAY_SELECTORS, INGRESS_GATEWAY_NAMESPACE, ISTIO_PORTS, ISTIO_SYSTEM_NAMESPACE, NETWORK_LABEL, RELEASES } from './istio-topology';
import { ISTIO_CHARTS } from './istio-releases';
import { type ClusterSpec, isProductionCluster } from '../core/cluster-spec';
import type { PodSecurityLevel } from '../tenancy/department-spec';
import type { ICluster, IMesh } from '../core/tree';

export interface MeshProps {
  readonly spec: MeshSpec;
  /** The other clusters of the region's mesh, whose API servers istiod watches for endpoints. */
  readonly peers: readonly ClusterSpec[];
}

/** Helm waits this long for the control plane and gateways to become ready. */
const RELEASE_TIMEOUT_SECONDS = 600;

/** Namespace where the CNI node agent runs: host-level and node-critical. */
const CNI_NAMESPACE = 'kube-system';

/** The Terraform variable holding the kubeconfig istiod uses to watch a peer cluster. */
export function remoteKubeconfigVariableName(peer: string): string {
  return `mesh_remote_kubeconfig_${peer}`.replace(/-/g, '_');
}

/**
 * The mesh on one cluster (Istio, sidecar mode, multi-primary): the control plane, the CNI node
 * agent, an ingress gateway and, when the region's meshed clusters span several networks, an
 * east-west gateway and the remote secrets that let istiod discover the peers' endpoints. Mesh-
 * wide STRICT mTLS and the cross-network Gateway go to the cluster's `mesh.yaml`.
 */
export class Mesh extends Construct implements IMesh {
  readonly cluster: ICluster;
  readonly spec: MeshSpec;
  readonly meshId: string;
  /** Unique in the mesh: `<region>-<cluster>`. */
  readonly clusterName: string;
  readonly network: string;
  /** True when another meshed cluster of the region is on another network. */
  readonly crossNetwork: boolean;
  readonly trustDomain: string;
  readonly istiod: Release;
  /** The cluster's `mesh.yaml`: mesh-wide policy in istio-system. */
  readonly manifests: Chart;
  private readonly remoteVariables: string[] = [];

  /** Lives in the cluster's Terraform stack as `mesh`. */
  constructor(cluster: ICluster, props: MeshProps) {
    super(cluster.stack, 'mesh');
    this.cluster = cluster;
    this.spec = props.spec;
    const region = cluster.region;
    this.meshId = props.spec.meshId ?? region.name;
    this.clusterName = cluster.stackName;
    this.network = meshNetwork(cluster.spec);
    this.crossNetwork = props.peers.some((peer) => meshNetwork(peer) !== this.network);
    this.trustDomain = props.spec.trustDomain ?? 'cluster.local';
    const production = isProductionCluster(cluster.spec);
    const labels = placementLabels({ blueprint: region.blueprint.name, region: region.name, cluster: cluster.name });
    const images = { registry: cluster.supplyChain.registry, version: props.spec.version };

    const system = this.namespace('istio-system', ISTIO_SYSTEM_NAMESPACE, labels, 'baseline', { [NETWORK_LABEL]: this.network });
    const ingress = this.namespace('istio-ingress', INGRESS_GATEWAY_NAMESPACE, labels, 'baseline');
    const release = (id: string, name: string, chart: string, namespace: string, values: object, dependsOn: ITerraformDependable[]) =>
      pinnedChartRelease(this, id, cluster, {
        name,
        namespace,
        chart: { chart, chartVersion: props.spec.version },
        values,
        timeoutSeconds: RELEASE_TIMEOUT_SECONDS,
        dependsOn,
      });

    const base = release('base', RELEASES.base, ISTIO_CHARTS.base, system.metadata.name, baseValues(), [system]);
    const cni = release('cni', RELEASES.cni, ISTIO_CHARTS.cni, CNI_NAMESPACE, cniValues(images), [base]);
    this.istiod = release(
      'istiod',
      RELEASES.istiod,
      ISTIO_CHARTS.istiod,
      system.metadata.name,
      istiodValues({
        images,
        meshId: this.meshId,
        clusterName: this.clusterName,
        network: this.network,
        trustDomain: this.trustDomain,
        accessLogs: props.spec.accessLogs ?? true,
        production,
      }),
      [base, cni],
    );
    const gateway = props.spec.ingressGateway ?? {};
    release(
      'ingress-gateway',
      RELEASES.ingressGateway,
      ISTIO_CHARTS.gateway,
      ingress.metadata.name,
      ingressGatewayValues({
        minReplicas: gateway.minReplicas ?? DEFAULT_INGRESS_MIN_REPLICAS,
        maxReplicas: gateway.maxReplicas ?? 10,
        serviceType: gateway.serviceType ?? 'LoadBalancer',
        serviceAnnotations: gateway.serviceAnnotations ?? {},
      }),
      [this.istiod],
    );

    this.manifests = cluster.addManifests('mesh', { namespace: ISTIO_SYSTEM_NAMESPACE });
    // In the root namespace, so it applies to every workload: no plaintext into any sidecar.
    new ApiObject(this.manifests, 'peer-authentication-strict', {
      apiVersion: this.securityApiVersion,
      kind: 'PeerAuthentication',
      metadata: { name: 'default', labels },
      spec: { mtls: { mode: 'STRICT' } },
    });

    if (this.crossNetwork) {
      release('east-west-gateway', RELEASES.eastWestGateway, ISTIO_CHARTS.gateway, system.metadata.name, eastWestGatewayValues(this.network, production), [
        this.istiod,
      ]);
      new ApiObject(this.manifests, 'cross-network-gateway', {
        apiVersion: this.networkingApiVersion,
        kind: 'Gateway',
        metadata: { name: 'cross-network-gateway', labels },
        spec: {
          selector: GATEWAY_SELECTORS.eastWest,
          // mTLS passes through untouched: the peer's sidecar terminates it, identities stay end to end.
          servers: [{ port: { number: ISTIO_PORTS.crossNetwork, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }],
        },
      });
    }
    for (const peer of props.peers) this.addRemoteSecret(peer, system, labels);
  }

  /** `networking.istio.io/<v1|v1beta1>`. */
  get networkingApiVersion(): string {
    return `networking.istio.io/${this.apiVersion}`;
  }

  /** `security.istio.io/<v1|v1beta1>`. */
  get securityApiVersion(): string {
    return `security.istio.io/${this.apiVersion}`;
  }

  get apiVersion(): IstioApiVersion {
    return this.spec.apiVersion ?? 'v1';
  }

  /** The SPIFFE identity of a service account, as AuthorizationPolicy principals name it. */
  principal(namespace: string, serviceAccount: string): string {
    return `${this.trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
  }

  /** The ingress gateway's identity (the gateway chart names its ServiceAccount after the release). */
  get ingressGatewayPrincipal(): string {
    return this.principal(INGRESS_GATEWAY_NAMESPACE, RELEASES.ingressGateway);
  }

  /** Names of the Terraform variables holding the peers' kubeconfigs. */
  get remoteKubeconfigVariables(): readonly string[] {
    return this.remoteVariables;
  }

  private namespace(id: string, name: string, labels: Record<string, string>, level: PodSecurityLevel, extra: Record<string, string> = {}): NamespaceV1 {
    return new NamespaceV1(this, `namespace-${id}`, {
      metadata: {
        name,
        labels: {
          ...labels,
          ...extra,
          // The gateways meet `baseline` as the charts ship them; `restricted` is audited.
          ...podSecurityLabels(level, 'restricted'),
        },
      },
    });
  }

  /**
   * What `istioctl create-remote-secret` writes: a kubeconfig for the peer's istio-reader
   * account, keyed by the peer's cluster name. The kubeconfig holds a token, so it comes from a
   * sensitive, ephemeral variable and is written write-only, never into a file or the state.
   */
  private addRemoteSecret(peer: ClusterSpec, system: NamespaceV1, labels: Record<string, string>): void {
    const peerName = `${this.cluster.region.name}-${peer.name}`;
    const variableName = remoteKubeconfigVariableName(peerName);
    const variable = this.cluster.stack.secretVariable(
      variableName,
      `Kubeconfig of cluster ${peerName} for istiod, from istioctl create-remote-secret --name=${peerName}`,
    );
    this.remoteVariables.push(variableName);
    new SecretV1(this, `remote-secret-${peer.name}`, {
      metadata: {
        name: `istio-remote-secret-${peerName}`,
        namespace: system.metadata.name,
        labels: { ...labels, 'istio/multiCluster': 'true' },
        annotations: { 'networking.istio.io/cluster': peerName },
      },
      dataWo: { [peerName]: variable.stringValue },
      dataWoRevision: 1,
    });
  }
}
