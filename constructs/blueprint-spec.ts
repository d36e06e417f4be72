import type * as s from '../lib/schema';
import type { BackendSpec } from './core/backend-spec';
import type { ClusterSpec } from './core/cluster-spec';
import type { SupplyChainSpec } from './core/supply-chain-spec';
import type { DepartmentSpec } from './tenancy/department-spec';
import type { ServiceSpec } from './workload/service-spec';
import type { MiddlewareSpec } from './middleware/middleware-spec';
import type { MeshSpec } from './mesh/mesh-spec';
import type { BurstLinkSpec } from './burst/burst-spec';
import type { DrPairSpec } from './disaster-recovery/disaster-recovery-spec';
import type { KarmadaSpec } from './karmada/karmada-spec';
import type { ObservabilitySpec } from './observability/observability-spec';
import type { ComplianceSpec } from './compliance/compliance-spec';
import type { CostSpec } from './operations/cost-spec';
import type { GitOpsSpec } from './gitops/gitops-spec';

/**
 * The standard platform, written once. A region is this spec merged with the region's
 * `BlueprintOverrides`; both go through the same schema (`blueprintSchema`, in
 * blueprint-schema.ts, which adds every concept's reference checks).
 */
export interface BlueprintSpec {
  /** Short name, e.g. "citizen-services"; the `app.kubernetes.io/part-of` label. */
  readonly name: string;
  readonly description?: string;
  /** Terraform state backend of every stack. @default local state files */
  readonly backend?: BackendSpec;
  /** The registry mirror and chart repository every image and chart comes from. */
  readonly supplyChain: SupplyChainSpec;
  readonly clusters: readonly ClusterSpec[];
  readonly departments: readonly DepartmentSpec[];
  readonly services: readonly ServiceSpec[];
  /** The shared middleware shelf: database, cache, queue and object storage instances. @default none */
  readonly middleware?: readonly MiddlewareSpec[];
  /** The service mesh: Istio on the meshed clusters, STRICT mTLS, per-service traffic policy. @default none */
  readonly mesh?: MeshSpec;
  /** Elastic burst from government-cloud clusters to public-cloud clusters, with capacity plans. @default none */
  readonly burst?: readonly BurstLinkSpec[];
  /** Disaster-recovery pairs: standby clusters in another failure domain, with RPO and RTO. @default none */
  readonly disasterRecovery?: readonly DrPairSpec[];
  /**
   * A Karmada control plane in front of the region's clusters: the application layer is written
   * once for it, with propagation and override policies. @default none: one manifest folder per cluster
   */
  readonly karmada?: KarmadaSpec;
  /**
   * Cross-cloud observability: a monitoring stack on every cluster remote-writing to the
   * province's hub (Thanos and Grafana), service metrics and SLOs, early warnings, and alerts
   * routed to their owners. @default none
   */
  readonly observability?: ObservabilitySpec;
  /**
   * The government security rule pack (MLPS 2.0 level 3) runs on every synth; here, the rules
   * waived where they cannot hold, each with its reason. @default no suppression
   */
  readonly compliance?: ComplianceSpec;
  /**
   * Prices per cloud (per vCPU-hour and GiB-hour of requests): the report's Cost section prices
   * each cluster at rest, each burst event, and provisioning the government cloud for the peak
   * against bursting. @default none: the Cost section says how to add one
   */
  readonly costs?: CostSpec;
  /**
   * GitOps for the application layer: Argo CD on the region's management cluster syncs each
   * cluster's manifest folder from the Git repository the output's `manifests/` is committed to,
   * in sync waves. @default none: apply the folders yourself (`kubectl apply -k`)
   */
  readonly gitops?: GitOpsSpec;
}

/** A region's changes to the blueprint: a typed deep-partial (see `Override`). */
export type BlueprintOverrides = s.Override<BlueprintSpec>;
