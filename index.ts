// The public API of govcloud-blueprint: re-exports only.

// Domain constructs
export * from './constructs/fleet';
export * from './constructs/region';
export * from './constructs/cluster';
export * from './constructs/cluster-stack';
export * from './constructs/department';
export * from './constructs/service';
export * from './constructs/labels';
export * from './constructs/escape-hatch';
export * from './constructs/middleware-shelf';
export * from './constructs/middleware-instance';
export { planMiddleware, MIDDLEWARE_NAMESPACE } from './constructs/middleware-plan';
export type { MiddlewarePlan } from './constructs/middleware-plan';
export * from './constructs/placement';

// The spec and its schema
export * from './constructs/blueprint-spec';
export * from './constructs/backend-spec';
export * from './constructs/cluster-spec';
export * from './constructs/department-spec';
export * from './constructs/service-spec';
export * from './constructs/middleware-spec';
export * from './constructs/supply-chain-spec';
export * from './constructs/data-classification';
export * from './constructs/burst-spec';
export * from './constructs/disaster-recovery-spec';
export * from './constructs/karmada-spec';

// Plans computed from a region's spec: burst capacity, disaster recovery, per-cluster scaling
export { planBurst } from './constructs/burst-plan';
export type { BurstPlan, BurstServicePlan, BurstClusterPlan } from './constructs/burst-plan';
export { planDisasterRecovery, POD_START_SECONDS } from './constructs/disaster-recovery-plan';
export type { DrPlan, ServiceRecovery } from './constructs/disaster-recovery-plan';
export { workloadScaling } from './constructs/workload-scaling';
export { DrPair, addDisasterRecovery } from './constructs/disaster-recovery';
export type { WorkloadScaling, ScheduledScale, WorkloadCopy } from './constructs/workload-scaling';
export type { Resources } from './lib/capacity';

// The middleware catalogue
export * from './constructs/middleware/engine';
export { CATALOGUE, MIDDLEWARE_ENGINES, catalogueEngine } from './constructs/middleware/catalogue';
export { regionReport } from './constructs/region-report';

// Engine pieces users compose with
export * as schema from './lib/schema';
export { Problems, ValidationError, formatProblem } from './lib/errors';
export type { Problem } from './lib/errors';
export { parseQuantity } from './lib/quantity';
export { parseDuration, formatGoDuration } from './lib/duration';
export { imageReferences, releaseSupplyChainProblems } from './lib/supply-chain';
export type { ImageReference, SupplyChainSources } from './lib/supply-chain';
export { parseCidr, cidrsOverlap } from './lib/cidr';
export type { Cidr } from './lib/cidr';
export { readYamlFile } from './lib/yaml-file';
export { KubernetesBackend } from './lib/terraform/kubernetes-backend';
export type { KubernetesBackendConfig } from './lib/terraform/kubernetes-backend';
export { ManifestValidator, formatManifestProblems } from './lib/validation/manifest-validator';
export type { ManifestValidatorOptions, ManifestProblem } from './lib/validation/manifest-validator';

// The ready-made citizen-services blueprint and its Hunan regions
export * from './blueprints';
