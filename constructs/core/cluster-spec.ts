import * as s from '../../lib/schema';
import { parseCidr, cidrsOverlap } from '../../lib/cidr';
import { type Problems } from '../../lib/errors';
import { registrySchema } from './supply-chain-spec';

/** `gov`: the government private cloud, where citizen data lives. `public`: a public cloud used for burst and standby capacity. */
export type ClusterRole = 'gov' | 'public';
export const CLUSTER_ROLES: readonly ClusterRole[] = ['gov', 'public'];

/** The failure domain of a cluster: its cloud and location. Two clusters in one domain fail together. */
export function failureDomain(cluster: ClusterSpec): string {
  return cluster.location ? `${cluster.cloud}/${cluster.location}` : cluster.cloud;
}

/**
 * How Terraform reaches the cluster. Exactly one of the two. Secrets never appear here: with
 * `endpoint`, the CA certificate and token are sensitive Terraform variables of the stack
 * (`kube_cluster_ca_certificate`, `kube_token`), set by the pipeline (e.g. `TF_VAR_kube_token`).
 */
export interface ClusterConnectionSpec {
  readonly kubeconfig?: { readonly path: string; readonly context: string };
  readonly endpoint?: {
    /** API server URL. */
    readonly host: string;
    /** Server name to verify when it differs from the host. @default the host */
    readonly tlsServerName?: string;
  };
}

/** Node capacity, used for capacity plans and quota sanity checks. */
export interface ClusterCapacitySpec {
  readonly nodes: number;
  /** Allocatable CPU per node, e.g. "32". */
  readonly nodeCpu: string | number;
  /** Allocatable memory per node, e.g. "128Gi". */
  readonly nodeMemory: string | number;
}

export interface ClusterNetworkSpec {
  readonly podCidr: string;
  readonly serviceCidr: string;
  /**
   * The Istio network the cluster's pods are on (`topology.istio.io/network`). Clusters of one
   * network reach each other's pods directly, so their pod CIDRs must not overlap; clusters on
   * different networks talk through east-west gateways. @default the cluster name (a network of its own)
   */
  readonly meshNetwork?: string;
}

export interface ClusterSpec {
  /** Short name, unique in the region: the stack is named `<region>-<name>`. */
  readonly name: string;
  readonly role: ClusterRole;
  /** Cloud or provider name, e.g. "hunan-gov-cloud", "huawei-cloud". */
  readonly cloud: string;
  /**
   * Where the cluster runs inside its cloud: the cloud's region or data centre, e.g.
   * "cn-central-221". `cloud` and `location` together are the cluster's failure domain: a
   * disaster-recovery pair needs two. @default the same location as the region's other clusters
   */
  readonly location?: string;
  /**
   * Registry mirror the cluster's nodes pull from, e.g. the public cloud's own registry. Images
   * named below the blueprint's `supplyChain.registry` are pulled from the same path below this
   * one, and every image on the cluster must come from it. @default the blueprint's registry
   */
  readonly registry?: string;
  /** Production clusters get the strict reliability defaults. @default true */
  readonly production?: boolean;
  /** Availability zones of the nodes, for topology spread. @default none: spread by zone label only */
  readonly zones?: readonly string[];
  /** StorageClass for the middleware shelf's and stateful services' volumes. @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /**
   * Every StorageClass the cluster offers: a stateful service's volume may name only these.
   * @default `storageClass` alone when it is set; unchecked otherwise
   */
  readonly storageClasses?: readonly string[];
  readonly connection: ClusterConnectionSpec;
  readonly capacity: ClusterCapacitySpec;
  readonly network: ClusterNetworkSpec;
}

/** The StorageClasses volumes may name on the cluster; undefined when the spec does not say (not checked). */
export function offeredStorageClasses(cluster: ClusterSpec): readonly string[] | undefined {
  return cluster.storageClasses ?? (cluster.storageClass ? [cluster.storageClass] : undefined);
}

/** Clusters are production unless marked otherwise: HA and the strict reliability defaults apply. */
export function isProductionCluster(cluster: ClusterSpec): boolean {
  return cluster.production ?? true;
}

function checkCidrs(network: ClusterNetworkSpec, path: string, problems: Problems): void {
  // Each CIDR parses (s.cidr checked it): only their overlap is left to check.
  const pod = parseCidr(network.podCidr);
  const service = parseCidr(network.serviceCidr);
  if (typeof pod !== 'string' && typeof service !== 'string' && cidrsOverlap(pod, service)) {
    problems.add(path, `podCidr ${pod.text} overlaps serviceCidr ${service.text}; choose disjoint ranges`);
  }
}

export const clusterSchema = s.object<ClusterSpec>(
  {
    name: s.name('Short cluster name; the Terraform stack is <region>-<name>.'),
    role: s.enumOf(CLUSTER_ROLES, 'gov: government private cloud; public: public cloud for burst/standby.'),
    // The cloud keys the price table (costs.prices), so it may not be a key every object has.
    cloud: s.string({ description: 'Cloud or provider name.', validate: (cloud) => s.reservedKeyProblem(cloud) }),
    location: s.string({ description: "The cloud's region or data centre; with cloud, the failure domain." }).optional(),
    registry: registrySchema('Registry mirror the cluster pulls images from.').optional(),
    production: s.boolean().optional(),
    zones: s.list(s.string()).optional(),
    storageClass: s.string({ description: 'StorageClass for middleware and stateful service volumes.' }).optional(),
    storageClasses: s.list(s.name(), 'Every StorageClass the cluster offers.').optional(),
    connection: s.object<ClusterConnectionSpec>(
      {
        kubeconfig: s
          .object<{ readonly path: string; readonly context: string }>({ path: s.string(), context: s.string() }, { title: 'a kubeconfig reference' })
          .optional(),
        endpoint: s
          .object<{ readonly host: string; readonly tlsServerName?: string }>(
            {
              host: s.string({ pattern: { regex: /^https:\/\/\S+$/, meaning: 'an https URL of the API server' } }),
              tlsServerName: s.string().optional(),
            },
            { title: 'an API server endpoint' },
          )
          .optional(),
      },
      {
        title: 'a cluster connection',
        rules: [
          (c, path, problems) => {
            const count = (c.kubeconfig ? 1 : 0) + (c.endpoint ? 1 : 0);
            if (count !== 1)
              problems.add(path, `set exactly one of kubeconfig or endpoint, got ${count === 0 ? 'neither' : 'both'} (null removes an inherited one)`);
          },
        ],
      },
    ),
    capacity: s.object<ClusterCapacitySpec>(
      { nodes: s.integer({ min: 1 }), nodeCpu: s.quantity('Allocatable CPU per node.'), nodeMemory: s.quantity('Allocatable memory per node.') },
      { title: 'a node capacity' },
    ),
    network: s.object<ClusterNetworkSpec>(
      {
        podCidr: s.cidr('Pod network CIDR.'),
        serviceCidr: s.cidr('Service network CIDR.'),
        meshNetwork: s.name('Istio network of the cluster; clusters sharing one reach pods directly.').optional(),
      },
      { title: 'a cluster network', rules: [checkCidrs] },
    ),
  },
  {
    title: 'a cluster',
    rules: [
      (cluster, path, problems) => {
        const offered = cluster.storageClasses;
        if (offered && cluster.storageClass !== undefined && !offered.includes(cluster.storageClass)) {
          problems.add(
            `${path}.storageClass`,
            `${JSON.stringify(cluster.storageClass)} is not among the cluster's storageClasses (${offered.join(', ')}); add it there or pick one of them`,
          );
        }
      },
    ],
  },
);
