// The public API of govcloud-blueprint: re-exports only.

// Domain constructs
export * from './constructs/core/fleet';
export * from './constructs/core/tree';
export { NetworkPolicySet, BASELINE_TRAFFIC_POLICY } from './constructs/core/network-policy-set';
export * from './constructs/core/region';
export * from './constructs/core/cluster';
export * from './constructs/core/cluster-stack';
export * from './constructs/tenancy/department';
export * from './constructs/workload/service';
export * from './constructs/core/labels';
export * from './constructs/core/escape-hatch';
export * from './constructs/middleware/middleware-shelf';
export * from './constructs/middleware/middleware-instance';
export { planMiddleware, MIDDLEWARE_NAMESPACE } from './constructs/middleware/middleware-plan';
export type { MiddlewarePlan } from './constructs/middleware/middleware-plan';
export * from './constructs/core/placement-plan';

// The spec and its schema
export * from './constructs/blueprint-spec';
export * from './constructs/blueprint-schema';
export * from './constructs/core/backend-spec';
export * from './constructs/core/cluster-spec';
export * from './constructs/tenancy/department-spec';
export * from './constructs/workload/service-spec';
export * from './constructs/middleware/middleware-spec';
export * from './constructs/core/supply-chain-spec';
export * from './constructs/core/data-classification-spec';
export * from './constructs/burst/burst-spec';
export type { ScheduledEventSpec, ScheduledScalingSpec } from './constructs/workload/schedule-spec';
export * from './constructs/disaster-recovery/disaster-recovery-spec';
export * from './constructs/karmada/karmada-spec';
export * from './constructs/observability/observability-spec';

// Plans computed from a region's spec: burst capacity, disaster recovery, per-cluster scaling
export { planBurst } from './constructs/burst/burst-plan';
export type { BurstPlan, BurstServicePlan, BurstClusterPlan } from './constructs/burst/burst-plan';
export { planDisasterRecovery, POD_START_SECONDS } from './constructs/disaster-recovery/disaster-recovery-plan';
export type { DrPlan, ServiceRecovery } from './constructs/disaster-recovery/disaster-recovery-plan';
export { workloadScaling } from './constructs/workload/scaling-plan';
export { planSchedules } from './constructs/workload/schedule-plan';
export type { SchedulePlan, ScheduledEventPlan, ScheduledService, ScheduledScope } from './constructs/workload/schedule-plan';
export { DrPair, addDisasterRecovery } from './constructs/disaster-recovery/dr-pair';
export type { WorkloadScaling, ScheduledScale, WorkloadCopy } from './constructs/workload/scaling-plan';
export type { Resources } from './lib/capacity';

// Observability: the monitoring stack per cluster, the hub, SLO rules, early warnings, routing, dashboards
export { ClusterMonitoring } from './constructs/observability/cluster-monitoring';
export { externalLabels } from './constructs/observability/series-labels-plan';
export { ObservabilityHub } from './constructs/observability/observability-hub';
export { KedaInstall } from './constructs/workload/keda-install';
export { ArgoRolloutsInstall } from './constructs/delivery/argo-rollouts-install';
export type { CanaryAnalysisSpec, ProgressiveSpec, ProgressiveStepSpec } from './constructs/delivery/progressive-spec';

// GitOps: Argo CD Applications per cluster folder, sync waves, Argo CD on the management cluster
export type { GitOpsSpec, ArgoCdSpec, GitOpsEngine } from './constructs/gitops/gitops-spec';
export { ArgoCdInstall } from './constructs/gitops/argo-cd-install';
export { SYNC_WAVES, SYNC_WAVE_ANNOTATION, syncWave, rolloutIgnoreDifferences } from './constructs/gitops/gitops-plan';
export type { IgnoredDifference } from './constructs/gitops/gitops-plan';
export { errorBudget, errorBudgetRemainingQuery, sloRuleGroups, sloPrometheusRule, BURN_RATE_ALERTS } from './constructs/observability/slo-plan';
export type { SloTarget, BurnRateAlert } from './constructs/observability/slo-plan';
export { earlyWarningGroups, OWNER_LABEL, LAYER_LABEL, DATA_BUREAU } from './constructs/observability/alert-rules-plan';
export { alertmanagerConfig } from './constructs/observability/alert-routing-plan';
export { allDashboards } from './constructs/observability/dashboards-plan';
export type { DashboardInput, GrafanaDashboard } from './constructs/observability/dashboards-plan';
export { dashboardInput } from './constructs/observability/dashboard-inputs-plan';

// The middleware catalogue
export * from './constructs/middleware/engine';
export { CATALOGUE, MIDDLEWARE_ENGINES, catalogueEngine } from './constructs/middleware/catalogue';
export { regionReport } from './constructs/core/region-report';
export { foldRegion } from './constructs/karmada/karmada-fold';
export type { KarmadaFold, KarmadaWorkload, KarmadaDepartment } from './constructs/karmada/karmada-fold';

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
export { readYamlFile, locateYamlProblems } from './lib/yaml-file';
export { FileError } from './lib/file-errors';
export { KubernetesBackend } from './lib/terraform/kubernetes-backend';
export type { KubernetesBackendConfig } from './lib/terraform/kubernetes-backend';
export { ManifestValidator, formatManifestProblems } from './lib/validation/manifest-validator';
export type { ManifestValidatorOptions, ManifestProblem } from './lib/validation/manifest-validator';

// The command line and its helpers (README "Command line"): run an app file as a program, under cdktf too
export {
  runFleetApp,
  runCommandLine,
  EXIT_CODES,
  UsageError,
  outputTarget,
  parseRegionList,
  findApp,
  loadApp,
  buildFleet,
  diffOutputs,
  formatDiff,
} from './lib/cli';
export type { AppContext, FleetApp, AppFleet, CommandLineOptions, CommandLineEnvironment, OutputTarget, OutputDiff } from './lib/cli';

// The ready-made citizen-services blueprint and its Hunan regions
export * from './blueprints';
