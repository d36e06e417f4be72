import { parseDuration, parsePrometheusDuration } from '../../lib/duration';
import { DEFAULT_SLO_WINDOW, type ServiceMetricsSpec, type SloSpec, sloTarget } from './observability-spec';

// SLO rules after the Google SRE workbook (ch. 5, "Alerting on SLOs"): the error ratio of each
// objective recorded over every window the alerts read, and multi-window, multi-burn-rate alerts
// over those recordings (the short window lets an alert stop soon after the burn stops).
// The rules run on each cluster's own Prometheus, so paging does not depend on the WAN link to the
// hub; a window longer than that Prometheus keeps samples reads only what it keeps, so the slowest
// ticket (3d) needs 3 days of local retention (the default keeps 4). The budget left over the whole
// SLO window is no rule here: the hub (Thanos), which keeps every cluster's remote-written
// `slo:sli_error:ratio_rate5m`, computes it when a dashboard asks (errorBudgetRemainingQuery).

/** One objective of one service, as the rules of the cluster the service runs on see it. */
export interface SloTarget {
  readonly service: string;
  /** The service's department: also its namespace, and the owner its alerts are routed to. */
  readonly department: string;
  /** Inside the mesh the SLIs read Istio's standard metrics; outside, the service's own. */
  readonly meshed: boolean;
  readonly metrics?: ServiceMetricsSpec;
  readonly slo: SloSpec;
  readonly region: string;
  readonly cluster: string;
}

/** PromQL for the event rates of an SLI over one window. */
export interface SliQueries {
  /** Rate of good events; latency objectives only (requests faster than the threshold). */
  readonly good?: string;
  /** Rate of all events. */
  readonly total: string;
  /** Rate of bad events: failed requests, or requests slower than the threshold. */
  readonly errors: string;
}

/** A row of the workbook's table: alert when the burn rate exceeds `burnRate` over both windows. */
export interface BurnRateAlert {
  readonly severity: 'page' | 'ticket';
  /** How many times faster than the objective allows the error budget is spent. */
  readonly burnRate: number;
  readonly longWindow: string;
  /** 1/12 of the long window: the alert resolves soon after the burn stops. */
  readonly shortWindow: string;
  /** How long both windows must stay above the rate before the alert fires. */
  readonly for: string;
  /** Share of a 30-day error budget spent by the time the alert fires (burn rate x long window / 30d). */
  readonly budgetConsumed: number;
}

export interface PrometheusRecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PrometheusAlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A group of a Prometheus rule file, and of a PrometheusRule's `spec.groups`. */
export interface PrometheusRuleGroup {
  readonly name: string;
  /** @default Prometheus' evaluation interval */
  readonly interval?: string;
  readonly rules: ReadonlyArray<PrometheusRecordingRule | PrometheusAlertingRule>;
}

export interface PrometheusRuleObject {
  readonly apiVersion: 'monitoring.coreos.com/v1';
  readonly kind: 'PrometheusRule';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: { readonly groups: readonly PrometheusRuleGroup[] };
}

/** Istio's default `istio_request_duration_milliseconds` buckets: a latency SLI can only count below one of them. */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

// The `for` durations hold each alert for about 1/24 of its long window (2m for the fast page), as
// kubernetes-mixin's API server SLO alerts do: one bad evaluation (a rollout's brief spike, a missed
// scrape round) does not page, and the delay stays small beside the minutes the fast page already
// needs to cross 14.4x over an hour.
export const BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
  { severity: 'page', burnRate: 14.4, longWindow: '1h', shortWindow: '5m', for: '2m', budgetConsumed: 0.02 },
  { severity: 'page', burnRate: 6, longWindow: '6h', shortWindow: '30m', for: '15m', budgetConsumed: 0.05 },
  { severity: 'ticket', burnRate: 3, longWindow: '1d', shortWindow: '2h', for: '1h', budgetConsumed: 0.1 },
  { severity: 'ticket', burnRate: 1, longWindow: '3d', shortWindow: '6h', for: '3h', budgetConsumed: 0.1 },
];

export const SLO_ALERT_NAME = 'SloErrorBudgetBurn';

/** Every window an alert reads, shortest first: 5m, 30m, 1h, 2h, 6h, 1d, 3d. */
export const SLI_ERROR_WINDOWS: readonly string[] = [...new Set(BURN_RATE_ALERTS.flatMap((alert) => [alert.shortWindow, alert.longWindow]))].sort(
  (a, b) => windowSeconds(a) - windowSeconds(b),
);

/** The recording of an SLI's error ratio over `window`, e.g. `slo:sli_error:ratio_rate5m`. */
export function sliErrorRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/**
 * PromQL for the share of the objective's error budget left over its SLO window, as the hub's
 * Thanos Query evaluates it from the clusters' recorded 5-minute error ratios; `selector` is the
 * inside of the braces (e.g. `namespace="education",service="enrolment",slo="availability"`),
 * one series per cluster that records it. The average weighs every 5 minutes alike, not every
 * request: close to the request-weighted ratio while traffic is steady. Not clamped: below 0 says
 * how far the objective is missed (-1: twice the budget spent), which a clamp at 0 would hide; the
 * ratio is never negative, so the result never passes 1.
 */
export function errorBudgetRemainingQuery(selector: string, slo: SloSpec): string {
  return `1 - avg_over_time(${sliErrorRecord('5m')}{${selector}}[${sloWindow(slo)}]) / ${errorBudget(slo).fraction}`;
}

/** The objective's error budget: the share of requests allowed to be bad, and as minutes of full outage per window. */
export function errorBudget(slo: SloSpec): { fraction: number; minutes: number } {
  const fraction = tidy(1 - sloTarget(slo));
  return { fraction, minutes: tidy((fraction * windowSeconds(sloWindow(slo))) / 60) };
}

/** Share of the objective's budget spent by the time `alert` fires: the workbook's 30-day figures scaled to the SLO window. */
export function budgetSpentWhenFiring(alert: BurnRateAlert, slo: SloSpec): number {
  return tidy((alert.budgetConsumed * windowSeconds('30d')) / windowSeconds(sloWindow(slo)));
}

/** Why a latency threshold cannot be measured, or undefined: Istio's histogram counts requests only below its buckets. */
export function latencyThresholdProblem(meshed: boolean, threshold: string): string | undefined {
  const seconds = parseDuration(threshold);
  if (!meshed || seconds === undefined) return undefined;
  const milliseconds = tidy(seconds * 1000);
  if (ISTIO_DURATION_BUCKETS_MS.includes(milliseconds)) return undefined;
  const below = ISTIO_DURATION_BUCKETS_MS.filter((bucket) => bucket < milliseconds).at(-1);
  const above = ISTIO_DURATION_BUCKETS_MS.find((bucket) => bucket > milliseconds);
  const nearest = [below, above].filter((bucket) => bucket !== undefined).map((bucket) => JSON.stringify(formatMilliseconds(bucket)));
  return (
    `${JSON.stringify(threshold)} is not one of the buckets of Istio's request-duration histogram, so the requests faster than it cannot be counted; ` +
    `set latency.threshold to ${nearest.join(' or ')} (the nearest buckets)`
  );
}

/** The SLI's event rates over `window` (a Prometheus duration). */
export function sliQueries(target: SloTarget, window: string): SliQueries {
  const source = sliSource(target);
  const rate = (metric: string, ...matchers: string[]): string => `sum(rate(${metric}{${[...source.matchers, ...matchers].join(',')}}[${window}]))`;
  if (!target.slo.latency) {
    // Before the first failure the error series does not exist: count it as no errors.
    return { total: rate(source.requests), errors: `(${rate(source.requests, source.errorMatcher)} or vector(0))` };
  }
  const total = rate(`${source.histogram}_count`);
  const good = rate(`${source.histogram}_bucket`, `le=${JSON.stringify(bucketLabel(target, source.histogramUnitSeconds))}`);
  return { good, total, errors: `(${total} - ${good})` };
}

/**
 * The recording and alerting rules of every target, ordered by namespace, service and objective:
 * per objective a group of the windowed error ratios and the burn-rate alerts (a group evaluates
 * in order, so the alerts read this evaluation's ratios).
 */
export function sloRuleGroups(targets: readonly SloTarget[]): PrometheusRuleGroup[] {
  const sorted = [...targets].sort((a, b) => compare(groupName(a), groupName(b)));
  sorted.forEach((target, i) => {
    if (i > 0 && groupName(sorted[i - 1]) === groupName(target)) {
      throw new Error(
        `SLO "${target.slo.name}" of service ${target.department}/${target.service} is given twice; each objective of a service needs its own name`,
      );
    }
  });
  return sorted.map((target) => ({
    name: groupName(target),
    rules: [...SLI_ERROR_WINDOWS.map((window) => errorRatioRule(target, window)), ...BURN_RATE_ALERTS.map((alert) => burnRateRule(target, alert))],
  }));
}

/** The PrometheusRule holding the rules of `targets`, for the cluster's Prometheus to select by `labels`. */
export function sloPrometheusRule(targets: readonly SloTarget[], namespace: string, labels: Readonly<Record<string, string>>): PrometheusRuleObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'service-level-objectives', namespace, labels: { ...labels } },
    spec: { groups: sloRuleGroups(targets) },
  };
}

interface SliSource {
  /** Select the service's requests. */
  readonly matchers: readonly string[];
  readonly requests: string;
  /** Added to `matchers`, selects the failed requests. */
  readonly errorMatcher: string;
  /** Name of the request-duration histogram, without `_bucket` or `_count`. */
  readonly histogram: string;
  /** What one unit of the histogram's `le` is, in seconds. */
  readonly histogramUnitSeconds: number;
}

function sliSource(target: SloTarget): SliSource {
  if (target.meshed) {
    return {
      // The server side's sidecar reports every request the service answers, whoever called.
      matchers: [
        'reporter="destination"',
        `destination_workload_namespace=${JSON.stringify(target.department)}`,
        `destination_service_name=${JSON.stringify(target.service)}`,
      ],
      requests: 'istio_requests_total',
      errorMatcher: 'response_code=~"5.."',
      histogram: 'istio_request_duration_milliseconds',
      histogramUnitSeconds: 0.001,
    };
  }
  const metrics = target.metrics;
  return {
    matchers: [`namespace=${JSON.stringify(target.department)}`, `service=${JSON.stringify(target.service)}`],
    requests: metrics?.requestsTotal ?? 'http_requests_total',
    errorMatcher: metrics?.errorSelector ?? 'code=~"5.."',
    histogram: metrics?.durationHistogram ?? 'http_request_duration_seconds',
    histogramUnitSeconds: 1,
  };
}

/** The threshold's `le` label as Prometheus stores it. */
function bucketLabel(target: SloTarget, unitSeconds: number): string {
  const threshold = target.slo.latency!.threshold;
  const problem = latencyThresholdProblem(target.meshed, threshold);
  if (problem) throw new Error(`SLO "${target.slo.name}" of service ${target.department}/${target.service}: ${problem}`);
  const seconds = parseDuration(threshold);
  if (seconds === undefined)
    throw new Error(
      `SLO "${target.slo.name}" of service ${target.department}/${target.service}: latency.threshold ${JSON.stringify(threshold)} is not a duration`,
    );
  return openMetricsFloat(tidy(seconds / unitSeconds));
}

/**
 * Prometheus 3 normalizes `le` values when it ingests a classic histogram (Go's shortest %g, ".0"
 * added to whole numbers: "250" -> "250.0", "3600000" -> "3.6e+06"); a matcher must use that form.
 */
function openMetricsFloat(value: number): string {
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  const plain = String(value);
  return plain.includes('.') ? plain : `${plain}.0`;
}

function errorRatioRule(target: SloTarget, window: string): PrometheusRecordingRule {
  const { errors, total } = sliQueries(target, window);
  // A window without requests records nothing rather than 0/0 = NaN: one NaN sample would make the
  // hub's average over the SLO window (errorBudgetRemainingQuery) NaN for the whole window after
  // it. The alerts see no difference: NaN is above no burn rate, and a missing ratio fires nothing.
  return { record: sliErrorRecord(window), expr: `${errors} / (${total} > 0)`, labels: sliLabels(target) };
}

function burnRateRule(target: SloTarget, alert: BurnRateAlert): PrometheusAlertingRule {
  const selector = `{${Object.entries(sliLabels(target))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',')}}`;
  const budget = errorBudget(target.slo);
  const above = `> (${alert.burnRate} * ${budget.fraction})`;
  return {
    alert: SLO_ALERT_NAME,
    expr: `${sliErrorRecord(alert.longWindow)}${selector} ${above} and ${sliErrorRecord(alert.shortWindow)}${selector} ${above}`,
    for: alert.for,
    labels: {
      severity: alert.severity,
      layer: 'application',
      owner: target.department,
      region: target.region,
      cluster: target.cluster,
      service: target.service,
      slo: target.slo.name,
      // Two rows of one severity can fire together; the long window tells their alerts apart.
      window: alert.longWindow,
    },
    annotations: burnRateAnnotations(target, alert),
  };
}

function burnRateAnnotations(target: SloTarget, alert: BurnRateAlert): Record<string, string> {
  const { slo } = target;
  const window = sloWindow(slo);
  const budget = errorBudget(slo);
  const bad = slo.latency ? `be slower than ${slo.latency.threshold}` : 'fail';
  const spent = budgetSpentWhenFiring(alert, slo);
  return {
    summary: `${target.service} is burning its ${slo.name} error budget at ${alert.burnRate}x or faster`,
    description:
      `${target.department}/${target.service} in ${target.region}/${target.cluster}: the ${slo.name} objective (${slo.objective}% of requests good over ${window}) ` +
      `allows ${tidy(budget.fraction * 100)}% of requests to ${bad} (${budget.minutes} minutes per ${window} if every request did). ` +
      `Over both the last ${alert.longWindow} and the last ${alert.shortWindow} the bad share was above ${alert.burnRate}x that budget: ` +
      `at that rate the budget is gone in ${formatDays(windowSeconds(window) / alert.burnRate)}; ` +
      `${tidy(spent * 100)}% of it (${tidy(spent * budget.minutes)} minutes) has been spent by the time this alert fires.`,
  };
}

function sliLabels(target: SloTarget): Record<string, string> {
  return { service: target.service, namespace: target.department, slo: target.slo.name };
}

function groupName(target: SloTarget): string {
  // Namespaces, services and objectives are DNS labels: "/" keeps the names apart.
  return `slo/${target.department}/${target.service}/${target.slo.name}`;
}

function sloWindow(slo: SloSpec): string {
  return slo.window ?? DEFAULT_SLO_WINDOW;
}

function windowSeconds(window: string): number {
  const seconds = parsePrometheusDuration(window);
  if (seconds === undefined) throw new Error(`${JSON.stringify(window)} is not a Prometheus duration such as "30d"`);
  return seconds;
}

/** 1.5 -> "1.5s", 300000 -> "5m", 3600000 -> "1h": a bucket as a latency threshold. */
function formatMilliseconds(milliseconds: number): string {
  if (milliseconds < 1000) return `${milliseconds}ms`;
  if (milliseconds % 3_600_000 === 0) return `${milliseconds / 3_600_000}h`;
  if (milliseconds % 60_000 === 0) return `${milliseconds / 60_000}m`;
  return `${milliseconds / 1000}s`;
}

/** 180000 -> "2.1 days": how long a budget lasts, for people. */
function formatDays(seconds: number): string {
  return `${Math.round((seconds / 86400) * 10) / 10} days`;
}

/** Drops binary floating-point noise, so 1 - 0.999 is 0.001 in the rules and the messages. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

/** Code-point order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
