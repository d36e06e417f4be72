import type { IConstruct } from 'constructs';
import type { App as ManifestApp, Chart } from 'cdk8s';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { NetworkPolicyV1Spec, NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngress } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { Release } from '@cdktf/provider-helm/lib/release';
import type { TerraformApp } from '../../lib/cdktf';
import type { Difference } from '../../lib/schema';
import type { BlueprintSpec } from '../blueprint-spec';
import type { ClusterSpec } from './cluster-spec';
import type { SupplyChainSpec } from './supply-chain-spec';
import type { ClusterStack } from './cluster-stack';
import type { EscapeHatches } from './escape-hatch';
import type { DepartmentSpec } from '../tenancy/department-spec';
import type { ServiceSpec } from '../workload/service-spec';
import type { WorkloadScaling } from '../workload/scaling-plan';
import type { MiddlewareSpec, MiddlewareUseSpec } from '../middleware/middleware-spec';
import type { MiddlewarePlan } from '../middleware/middleware-plan';
import type { MeshSpec, IstioApiVersion } from '../mesh/mesh-spec';

// The construct tree's contracts. A construct refers to its parent and to its siblings through
// these interfaces, never through their classes, so the tree's modules import one way only:
// a parent imports its children's classes, a child imports only this file.

/** The root: the one cdktf app and the one cdk8s app every region writes into. */
export interface IFleet extends IConstruct {
  readonly blueprint: BlueprintSpec;
  readonly terraform: TerraformApp;
  readonly manifests: ManifestApp;
}

/** A region: the blueprint merged with its overrides, and its clusters. */
export interface IRegion extends IConstruct {
  readonly name: string;
  readonly fleet: IFleet;
  /** The effective spec: blueprint plus overrides. */
  readonly spec: BlueprintSpec;
  readonly blueprint: BlueprintSpec;
  readonly differences: readonly Difference[];
  readonly source: string;
  readonly escapeHatches: EscapeHatches;
  readonly clusters: readonly ICluster[];
  cluster(name: string): ICluster;
}

/** Options of a manifest file in a cluster's folder. */
export interface ManifestFileOptions {
  /** Namespace given to every namespaced object of the file. @default none */
  readonly namespace?: string;
  /**
   * Listed in the folder's kustomization.yaml. A file left out (a recovery drill's Restore) is
   * written beside the others but never applied with the folder; its stem may name a subfolder.
   * @default true
   */
  readonly kustomized?: boolean;
}

/** A cluster of a region: its Terraform stack and its manifest folder. */
export interface ICluster extends IConstruct {
  readonly name: string;
  readonly region: IRegion;
  readonly spec: ClusterSpec;
  readonly stack: ClusterStack;
  readonly stackName: string;
  readonly supplyChain: SupplyChainSpec;
  readonly manifestDirectory: string;
  readonly manifestFiles: ReadonlyMap<string, Chart>;
  /** Stems of the manifest files left out of the folder's kustomization.yaml. */
  readonly unkustomizedFiles: ReadonlySet<string>;
  readonly departments: readonly IDepartment[];
  readonly middlewareInstances: readonly IMiddlewareInstance[];
  readonly mesh: IMesh | undefined;
  imageRepository(image: string): string;
  department(name: string): IDepartment | undefined;
  middleware(): IMiddlewareShelf;
  registerDepartment(department: IDepartment): void;
  addManifests(stem: string, options?: ManifestFileOptions): Chart;
}

/** Rules to allow for some pods: ingress rules, egress rules or both. */
export interface TrafficRules {
  readonly ingress?: readonly NetworkPolicyV1SpecIngress[];
  readonly egress?: readonly NetworkPolicyV1SpecEgress[];
}

/** A namespace owner that collects the allow rules of its namespace (a department, the middleware shelf). */
export interface ITrafficPolicies {
  /**
   * Allows `rules` for the pods `podSelector` selects (every pod of the namespace when empty).
   * All rules for the same pods land in one NetworkPolicy `traffic-<subject>` (`baseline-traffic`
   * for every pod), named after the subject of the first call for those pods.
   */
  allowTraffic(subject: string, podSelector: Readonly<Record<string, string>>, rules: TrafficRules): void;
}

/** A department (tenant) on one cluster. */
export interface IDepartment extends IConstruct, ITrafficPolicies {
  readonly spec: DepartmentSpec;
  readonly cluster: ICluster;
  readonly namespaceName: string;
  readonly namespace: NamespaceV1;
  readonly chart: Chart;
  readonly services: readonly IService[];
  registerService(service: IService): void;
  addNetworkPolicy(name: string, spec: NetworkPolicyV1Spec): void;
}

import type { ConnectionReference } from '../middleware/middleware-plan';
export type { ConnectionReference };

/** A standard service on one cluster. */
export interface IService extends IConstruct {
  readonly spec: ServiceSpec;
  readonly department: IDepartment;
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly connections: readonly ConnectionReference[];
  readonly scaling: WorkloadScaling;
  readonly imageRepository: string;
}

/** The middleware shelf of one cluster. */
export interface IMiddlewareShelf extends IConstruct, ITrafficPolicies {
  readonly cluster: ICluster;
  readonly namespace: NamespaceV1;
  readonly namespaceName: string;
  readonly instances: readonly IMiddlewareInstance[];
  labels(): Record<string, string>;
  instance(name: string): IMiddlewareInstance | undefined;
  register(instance: IMiddlewareInstance): void;
  backups(): Chart;
}

/** One shelf instance on one cluster. */
export interface IMiddlewareInstance extends IConstruct {
  readonly shelf: IMiddlewareShelf;
  readonly spec: MiddlewareSpec;
  readonly plan: MiddlewarePlan;
  readonly release: Release;
  readonly labels: Record<string, string>;
  readonly credentialVariables: readonly string[];
  readonly departments: readonly string[];
  grant(department: IDepartment): void;
  connectionFor(use: MiddlewareUseSpec): ConnectionReference;
}

/** A cluster's part of the region's service mesh. */
export interface IMesh extends IConstruct {
  readonly cluster: ICluster;
  readonly spec: MeshSpec;
  readonly meshId: string;
  readonly clusterName: string;
  readonly network: string;
  readonly crossNetwork: boolean;
  readonly trustDomain: string;
  readonly istiod: Release;
  readonly manifests: Chart;
  readonly networkingApiVersion: string;
  readonly securityApiVersion: string;
  readonly apiVersion: IstioApiVersion;
  readonly ingressGatewayPrincipal: string;
  readonly remoteKubeconfigVariables: readonly string[];
  principal(namespace: string, serviceAccount: string): string;
}
