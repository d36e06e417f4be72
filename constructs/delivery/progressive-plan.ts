import { formatPrometheusDuration, parseDuration } from '../../lib/duration';
import type { ServiceSpec } from '../workload/service-spec';
import { CLUSTER_PROMETHEUS_URL } from '../observability/monitoring-catalogue';
import { DEFAULT_ANALYSIS_INTERVAL, DEFAULT_FAILURE_LIMIT, type ProgressiveSpec } from './progressive-spec';

// A progressive canary as Argo Rollouts runs it with Istio's subset-level traffic splitting: the
// service's VirtualService and DestinationRule are the ones the Rollout names; the controller
// labels the two subsets with each ReplicaSet's pod-template hash and moves the route's weights
// step by step. A background analysis, from the first step on, reads the new version's requests
// from the mesh's metrics on the cluster's own Prometheus (no dependence on the WAN link to the hub).

type Json = Record<string, unknown>;

/** The DestinationRule subsets and the VirtualService route the Rollout manages. */
export const STABLE_SUBSET = 'stable';
export const CANARY_SUBSET = 'canary';
export const WEIGHTED_ROUTE = 'weighted';
/** The Rollout's argument naming the version under analysis: the mesh's metrics tell the versions apart by it. */
export const CANARY_VERSION_ARG = 'canary-version';
export const ROLLOUT_API_VERSION = 'argoproj.io/v1alpha1';
/** The pod label Argo Rollouts puts on each ReplicaSet's pods (a Deployment's is `pod-template-hash`). */
export const ROLLOUT_POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';

/** The service's progressive canary, or undefined when it has none. */
export function progressiveCanary(spec: ServiceSpec): ProgressiveSpec | undefined {
  return spec.traffic?.canary?.progressive;
}

/** Whether the service's workload is an Argo Rollout: a stateless service with a progressive canary. */
export function isProgressive(spec: ServiceSpec): boolean {
  return progressiveCanary(spec) !== undefined && !spec.stateful;
}

/** What the analysis holds the new version to, its own thresholds or the service's SLOs'. */
export interface CanaryAnalysis {
  /** Share of requests that must succeed, 0-1, and where it comes from. */
  readonly successRate?: { readonly minimum: number; readonly from: string };
  /** The percentile (0-1) whose latency must stay at or below `thresholdMs`, and where it comes from. */
  readonly latency?: {
    readonly quantile: number;
    readonly percentile: number;
    readonly threshold: string;
    readonly thresholdMs: number;
    readonly from: string;
  };
  readonly interval: string;
  readonly failureLimit: number;
}

/** The analysis of a progressive canary: its own thresholds, else the service's SLOs'. The spec must be valid. */
export function canaryAnalysis(spec: ServiceSpec): CanaryAnalysis {
  const analysis = progressiveCanary(spec)?.analysis ?? {};
  const availability = (spec.slos ?? []).find((slo) => !slo.latency);
  const latencySlo = (spec.slos ?? []).find((slo) => slo.latency);
  const successRate =
    analysis.successRate !== undefined
      ? { minimum: tidy(analysis.successRate / 100), from: 'analysis.successRate' }
      : availability && { minimum: tidy(availability.objective / 100), from: `SLO ${availability.name}` };
  const latencyGiven = analysis.latency ?? (latencySlo && { percentile: latencySlo.objective, threshold: latencySlo.latency!.threshold });
  const latency = latencyGiven && {
    quantile: tidy(latencyGiven.percentile / 100),
    percentile: latencyGiven.percentile,
    threshold: latencyGiven.threshold,
    thresholdMs: tidy(parseDuration(latencyGiven.threshold)! * 1000),
    from: analysis.latency ? 'analysis.latency' : `SLO ${latencySlo!.name}`,
  };
  return {
    ...(successRate ? { successRate } : {}),
    ...(latency ? { latency } : {}),
    interval: analysis.interval ?? DEFAULT_ANALYSIS_INTERVAL,
    failureLimit: analysis.failureLimit ?? DEFAULT_FAILURE_LIMIT,
  };
}

/** One metric of the analysis: the PromQL query and the conditions Argo Rollouts evaluates on its result. */
export interface AnalysisMetric {
  readonly name: string;
  readonly query: string;
  readonly successCondition: string;
  readonly failureCondition: string;
}

/**
 * The analysis' metrics over the new version's requests as its own sidecars report them (the
 * SLIs' source, constructs/observability/slo-plan.ts), selected by `destination_version`: Istio
 * takes it from the pods' `app.kubernetes.io/version`, the version the Rollout passes as
 * `{{args.canary-version}}`. No requests in a window (NaN or no series) meets neither condition:
 * the measurement is inconclusive and the rollout pauses for a person instead of promoting blind.
 */
export function analysisMetrics(spec: ServiceSpec, namespace: string): AnalysisMetric[] {
  const analysis = canaryAnalysis(spec);
  const window = formatPrometheusDuration(parseDuration(analysis.interval)!);
  const matchers = [
    'reporter="destination"',
    `destination_workload_namespace=${JSON.stringify(namespace)}`,
    `destination_service_name=${JSON.stringify(spec.name)}`,
    `destination_version="{{args.${CANARY_VERSION_ARG}}}"`,
  ];
  const rate = (metric: string, ...extra: string[]) => `rate(${metric}{${[...matchers, ...extra].join(',')}}[${window}])`;
  const metrics: AnalysisMetric[] = [];
  if (analysis.successRate) {
    const minimum = analysis.successRate.minimum;
    metrics.push({
      name: 'success-rate',
      query: `sum(${rate('istio_requests_total', 'response_code!~"5.."')}) / sum(${rate('istio_requests_total')})`,
      successCondition: `len(result) > 0 && result[0] >= ${minimum}`,
      failureCondition: `len(result) > 0 && result[0] < ${minimum}`,
    });
  }
  if (analysis.latency) {
    const { quantile, thresholdMs } = analysis.latency;
    metrics.push({
      name: 'latency',
      query: `histogram_quantile(${quantile}, sum by (le) (${rate('istio_request_duration_milliseconds_bucket')}))`,
      successCondition: `len(result) > 0 && result[0] <= ${thresholdMs}`,
      failureCondition: `len(result) > 0 && result[0] > ${thresholdMs}`,
    });
  }
  return metrics;
}

/** The `spec` of the service's AnalysisTemplate (named after the service, in its namespace). */
export function analysisTemplateSpec(spec: ServiceSpec, namespace: string): Json {
  const analysis = canaryAnalysis(spec);
  return {
    args: [{ name: CANARY_VERSION_ARG }],
    metrics: analysisMetrics(spec, namespace).map((metric) => ({
      name: metric.name,
      interval: analysis.interval,
      // The first window then holds the new version's requests only from its first step on.
      initialDelay: analysis.interval,
      failureLimit: analysis.failureLimit,
      successCondition: metric.successCondition,
      failureCondition: metric.failureCondition,
      provider: { prometheus: { address: CLUSTER_PROMETHEUS_URL, query: metric.query } },
    })),
  };
}

/**
 * The Rollout's canary strategy: the steps, Istio's subset-level traffic routing over the
 * service's own VirtualService route and DestinationRule, the track as ephemeral pod labels (a
 * ReplicaSet's pods change track on promotion, so the track cannot be in the selector), and the
 * background analysis from the first step's pause on. The surge matches a Deployment's.
 */
export function rolloutStrategy(spec: ServiceSpec, trackLabel: string, maxSurge: string): Json {
  const progressive = progressiveCanary(spec)!;
  return {
    canary: {
      maxSurge,
      maxUnavailable: 0,
      stableMetadata: { labels: { [trackLabel]: STABLE_SUBSET } },
      canaryMetadata: { labels: { [trackLabel]: CANARY_SUBSET } },
      trafficRouting: {
        istio: {
          virtualService: { name: spec.name, routes: [WEIGHTED_ROUTE] },
          destinationRule: { name: spec.name, stableSubsetName: STABLE_SUBSET, canarySubsetName: CANARY_SUBSET },
        },
      },
      steps: progressive.steps.flatMap((step) => [{ setWeight: step.weight }, { pause: { duration: step.pause } }]),
      analysis: {
        templates: [{ templateName: spec.name }],
        startingStep: 1,
        args: [{ name: CANARY_VERSION_ARG, value: spec.version }],
      },
    },
  };
}

/** "10% for 5m, 50% for 10m, then 100%": the steps for people. */
export function describeSteps(progressive: ProgressiveSpec): string {
  return [...progressive.steps.map((step) => `${step.weight}% for ${step.pause}`), 'then 100%'].join(', ');
}

/** "success >= 99.9% (SLO availability), p99 <= 500ms (SLO latency), every 1m, abort after 2 failed": the analysis for people. */
export function describeAnalysis(analysis: CanaryAnalysis): string {
  const parts = [
    analysis.successRate ? `success >= ${tidy(analysis.successRate.minimum * 100)}% (${analysis.successRate.from})` : '',
    analysis.latency ? `p${analysis.latency.percentile} <= ${analysis.latency.threshold} (${analysis.latency.from})` : '',
  ].filter(Boolean);
  return `${parts.join(', ')}, every ${analysis.interval}; abort after ${analysis.failureLimit + 1} failed`;
}

function tidy(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
