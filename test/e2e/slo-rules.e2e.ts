/**
 * The SLO rules proven with Prometheus' own rule engine: `promtool check rules` accepts the file
 * the generator writes, and `promtool test rules` evaluates the recording rules and the burn-rate
 * alerts over invented traffic, minute by minute, and compares the alerts firing at given times.
 * The series are written here by hand, as Istio and the services expose them, not derived from
 * the generator's queries, so a wrong selector, label or bucket shows up as a missing alert.
 * The budget left is no rule: the hub computes it with errorBudgetRemainingQuery, which promtool
 * evaluates here over the recorded ratios, with a 1-day window (a test run lasts hours, not 30 days).
 * The generator is read from the sources: it is not part of the public API (dist/) yet.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import {
  BURN_RATE_ALERTS,
  type BurnRateAlert,
  type PrometheusAlertingRule,
  type PrometheusRuleGroup,
  SLO_ALERT_NAME,
  type SloTarget,
  errorBudget,
  errorBudgetRemainingQuery,
  sliErrorRecord,
  sloRuleGroups,
} from '../../constructs/observability/slo-plan';
import { parsePrometheusDuration } from '../../lib/duration';
import { runOk } from './support/run';
import { removeDirectory, temporaryDirectory } from './support/synth';
import { loadToolchain } from './support/toolchain';

const promtool = loadToolchain().bin.promtool;

const placement = { region: 'changsha', cluster: 'gov' };
const meshedAvailability: SloTarget = {
  service: 'enrolment',
  department: 'education',
  meshed: true,
  slo: { name: 'availability', objective: 99.9, window: '30d' },
  ...placement,
};
const meshedLatency: SloTarget = { ...meshedAvailability, slo: { name: 'latency', objective: 99, window: '30d', latency: { threshold: '250ms' } } };
const ownMetricsAvailability: SloTarget = {
  service: 'tracker',
  department: 'port',
  meshed: false,
  metrics: { port: 'http', requestsTotal: 'tracker_requests_total', errorSelector: 'status=~"5.."' },
  slo: { name: 'availability', objective: 99.5 },
  ...placement,
};
const TARGETS = [meshedAvailability, meshedLatency, ownMetricsAvailability];
const groups = sloRuleGroups(TARGETS);

/** 100 requests a second; every budget below is a whole number of requests a minute at the burn rates used. */
const REQUESTS_PER_MINUTE = 6000;
const HEALTHY_BURN_RATE = 0.5;
/** Six healthy hours before each burn, so the windows of up to 6h start full. */
const HEALTHY_HOURS: Phase = { minutes: 360, burnRate: HEALTHY_BURN_RATE };
/** The model's firing minute and promtool's may differ by one scrape step; checks keep this far from it. */
const MARGIN_MINUTES = 2;

/** A stretch of traffic that spends every objective's error budget at `burnRate` times the allowed pace. */
interface Phase {
  readonly minutes: number;
  readonly burnRate: number;
  /** @default REQUESTS_PER_MINUTE */
  readonly requestsPerMinute?: number;
}

let work: string;
beforeAll(() => {
  work = temporaryDirectory('slo-rules');
  fs.writeFileSync(path.join(work, 'slo-rules.yaml'), stringify({ groups }, { lineWidth: 0 }));
});
afterAll(() => removeDirectory(work));

test('promtool check rules accepts the rule file without a lint finding', async () => {
  const result = await runOk(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', path.join(work, 'slo-rules.yaml')]);

  expect(result.stderr).toBe('');
  expect(result.stdout).toContain(`SUCCESS: ${groups.reduce((count, group) => count + group.rules.length, 0)} rules found`);
});

describe('promtool test rules', () => {
  test('a fast burn (100x) pages every objective within the minutes the 14.4x-over-1h row allows, and not before', async () => {
    const fastPage = BURN_RATE_ALERTS[0];
    // 9 minutes for the hour's average to pass 14.4x, then its 2m `for`.
    expect(firingMinute(fastPage, 100)).toBe(11);
    const firesAt = HEALTHY_HOURS.minutes + firingMinute(fastPage, 100)!;
    const firing = modelledAlerts(100);
    expect(firing(firesAt - MARGIN_MINUTES)).toEqual([]);
    expect(firing(firesAt + MARGIN_MINUTES)).toEqual([fastPage]);

    await promtoolTest('fast-burn', [HEALTHY_HOURS, { minutes: 60, burnRate: 100 }], [firesAt - MARGIN_MINUTES, firesAt + MARGIN_MINUTES], firing);
  });

  test('a slow burn (4x) opens both tickets in time and never pages', async () => {
    const [oneDayTicket, threeDayTicket] = BURN_RATE_ALERTS.filter((row) => row.severity === 'ticket');
    expect(BURN_RATE_ALERTS.filter((row) => row.severity === 'page').map((row) => firingMinute(row, 4))).toEqual([undefined, undefined]);
    const [oneDay, threeDays] = [oneDayTicket, threeDayTicket].map((row) => HEALTHY_HOURS.minutes + firingMinute(row, 4)!);
    const firing = modelledAlerts(4);
    expect(firing(oneDay + MARGIN_MINUTES)).toEqual([oneDayTicket, threeDayTicket]);

    const checks = [threeDays - MARGIN_MINUTES, threeDays + MARGIN_MINUTES, oneDay - MARGIN_MINUTES, oneDay + MARGIN_MINUTES];
    await promtoolTest('slow-burn', [HEALTHY_HOURS, { minutes: oneDay + MARGIN_MINUTES - HEALTHY_HOURS.minutes, burnRate: 4 }], checks, firing);
  });

  test("healthy traffic (errors at half the budget) fires nothing for a day, and the hub's query leaves half the budget", async () => {
    // Rule evaluation over a run grows with its square (each minute reads every window): a day keeps it to seconds.
    const minutes = 26 * 60;
    await promtoolTest('healthy', [{ minutes, burnRate: HEALTHY_BURN_RATE }], [60, 6 * 60, 24 * 60, minutes], () => [], budgetLeft(minutes, 0.5));
  });

  test('an idle hour records no 5m ratio (not NaN), fires nothing, and leaves the budget over the window readable', async () => {
    // Every minute with requests has the same bad share, so every recorded ratio is the healthy one: half the budget left.
    const idleFrom = HEALTHY_HOURS.minutes;
    const end = idleFrom + 60 + 120;
    const noRatioWhileIdle = TARGETS.map((target) => ({
      expr: `${sliErrorRecord('5m')}{${sliSelector(target)}}`,
      eval_time: `${idleFrom + 30}m`,
      exp_samples: [],
    }));
    const phases = [HEALTHY_HOURS, { minutes: 60, burnRate: HEALTHY_BURN_RATE, requestsPerMinute: 0 }, { minutes: 120, burnRate: HEALTHY_BURN_RATE }];
    await promtoolTest('idle', phases, [idleFrom + 30, idleFrom + 65, end], () => [], [...noRatioWhileIdle, ...budgetLeft(end, 0.5)]);
  });

  test('a 2-minute spike at 50x burns the 5m window past 14.4x but pages nobody: the 1h window stays low', async () => {
    const spikeEnd = HEALTHY_HOURS.minutes + 2;
    const shortWindowAbovePage = TARGETS.map((target) => ({
      expr: `${sliErrorRecord('5m')}{${sliSelector(target)}} > bool (14.4 * ${errorBudget(target.slo).fraction})`,
      eval_time: `${spikeEnd + 1}m`,
      exp_samples: [{ labels: `{${sliSelector(target)}}`, value: 1 }],
    }));
    const phases = [HEALTHY_HOURS, { minutes: 2, burnRate: 50 }, { minutes: 120, burnRate: HEALTHY_BURN_RATE }];
    await promtoolTest('spike', phases, [spikeEnd + 1, spikeEnd + 5, spikeEnd + 60], () => [], shortWindowAbovePage);
  });
});

/** Checks of errorBudgetRemainingQuery over the last day at `minute`: every target has `left` of its budget. */
function budgetLeft(minute: number, left: number): object[] {
  return TARGETS.map((target) => ({
    expr: `round(${errorBudgetRemainingQuery(sliSelector(target), { ...target.slo, window: '1d' })}, 0.01)`,
    eval_time: `${minute}m`,
    exp_samples: [{ labels: `{${sliSelector(target)}}`, value: left }],
  }));
}

/**
 * Writes a unit-test file for `phases` of traffic on every target and runs `promtool test rules`
 * on it; at each minute of `checks` the alerts firing must be exactly `expected(minute)`'s rows
 * for every target. Fails with promtool's own report.
 */
async function promtoolTest(
  name: string,
  phases: readonly Phase[],
  checks: readonly number[],
  expected: (minute: number) => readonly BurnRateAlert[],
  promqlExprTests: readonly object[] = [],
): Promise<void> {
  const unitTest = {
    rule_files: ['slo-rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      {
        name,
        interval: '1m',
        input_series: TARGETS.flatMap((target) => inputSeries(target, phases)),
        alert_rule_test: checks.map((minute) => ({
          eval_time: `${minute}m`,
          alertname: SLO_ALERT_NAME,
          exp_alerts: TARGETS.flatMap((target) => expected(minute).map((row) => expectedAlert(target, row))),
        })),
        promql_expr_test: promqlExprTests,
      },
    ],
  };
  const file = path.join(work, `${name}.test.yaml`);
  fs.writeFileSync(file, stringify(unitTest, { lineWidth: 0 }));
  const result = await runOk(promtool, ['test', 'rules', file], { cwd: work });
  expect(result.stdout).toContain('SUCCESS');
}

/** The counters a target's SLI reads, at 1-minute steps, as Istio or the service exposes them. */
function inputSeries(target: SloTarget, phases: readonly Phase[]): Array<{ series: string; values: string }> {
  const requests = (phase: Phase): number => phase.requestsPerMinute ?? REQUESTS_PER_MINUTE;
  const bad = (phase: Phase): number => {
    const perMinute = requests(phase) * phase.burnRate * errorBudget(target.slo).fraction;
    if (Math.abs(perMinute - Math.round(perMinute)) > 1e-9) throw new Error(`${perMinute} bad requests a minute is not whole: change REQUESTS_PER_MINUTE`);
    return Math.round(perMinute);
  };
  const good = (phase: Phase): number => requests(phase) - bad(phase);
  const all = requests;
  if (!target.meshed) {
    const labels = `namespace="${target.department}",service="${target.service}"`;
    return [
      { series: `tracker_requests_total{${labels},status="200"}`, values: counter(phases, good) },
      { series: `tracker_requests_total{${labels},status="503"}`, values: counter(phases, bad) },
    ];
  }
  const labels = `reporter="destination",destination_workload_namespace="${target.department}",destination_service_name="${target.service}",destination_workload="${target.service}-v1"`;
  if (target.slo.latency) {
    // Prometheus 3 stores Envoy's le="250" as "250.0".
    return [
      { series: `istio_request_duration_milliseconds_bucket{${labels},le="250.0"}`, values: counter(phases, good) },
      { series: `istio_request_duration_milliseconds_bucket{${labels},le="+Inf"}`, values: counter(phases, all) },
      { series: `istio_request_duration_milliseconds_count{${labels}}`, values: counter(phases, all) },
    ];
  }
  return [
    { series: `istio_requests_total{${labels},response_code="200"}`, values: counter(phases, good) },
    { series: `istio_requests_total{${labels},response_code="503"}`, values: counter(phases, bad) },
  ];
}

/** A counter from 0 that grows by `perMinute(phase)` each minute of each phase, in promtool's `a+bxn` notation. */
function counter(phases: readonly Phase[], perMinute: (phase: Phase) => number): string {
  let value = 0;
  const parts = ['0'];
  for (const phase of phases) {
    const step = perMinute(phase);
    parts.push(`${value + step}+${step}x${phase.minutes - 1}`);
    value += step * phase.minutes;
  }
  return parts.join(' ');
}

/**
 * Minutes after a burn at `burnRate` starts (after HEALTHY_HOURS) when `row` fires: the first
 * minute both its windows average above the row's rate, plus its `for`; undefined if never.
 */
function firingMinute(row: BurnRateAlert, burnRate: number): number | undefined {
  const averageBurn = (window: string, minute: number): number => {
    const burning = Math.min(minute, minutes(window));
    // A window longer than the series so far averages what there is, as rate() does.
    const healthy = Math.min(HEALTHY_HOURS.minutes, minutes(window) - burning);
    return (burnRate * burning + HEALTHY_BURN_RATE * healthy) / (burning + healthy);
  };
  for (let minute = 1; minute <= minutes(row.longWindow); minute++) {
    if (averageBurn(row.longWindow, minute) > row.burnRate && averageBurn(row.shortWindow, minute) > row.burnRate) return minute + minutes(row.for);
  }
  return undefined;
}

/** The rows firing at each minute of a run where a burn at `burnRate` follows HEALTHY_HOURS, by the model. */
function modelledAlerts(burnRate: number): (minute: number) => BurnRateAlert[] {
  return (minute) =>
    BURN_RATE_ALERTS.filter((row) => {
      const firesAfter = firingMinute(row, burnRate);
      return firesAfter !== undefined && HEALTHY_HOURS.minutes + firesAfter < minute;
    });
}

/** The alert `row` raises for `target`: the rule's labels, the recorded SLI's labels, the rule's annotations. */
function expectedAlert(target: SloTarget, row: BurnRateAlert): { exp_labels: Record<string, string>; exp_annotations: Record<string, string> } {
  const rule = alertingRules(groups).find(
    (candidate) => candidate.labels.service === target.service && candidate.labels.slo === target.slo.name && candidate.labels.window === row.longWindow,
  );
  if (!rule) throw new Error(`no ${row.longWindow} alert for ${target.service}/${target.slo.name}`);
  return { exp_labels: { ...rule.labels, namespace: target.department }, exp_annotations: { ...rule.annotations } };
}

function alertingRules(ruleGroups: readonly PrometheusRuleGroup[]): PrometheusAlertingRule[] {
  return ruleGroups.flatMap((group) => group.rules.filter((rule): rule is PrometheusAlertingRule => 'alert' in rule));
}

function sliSelector(target: SloTarget): string {
  return `namespace="${target.department}",service="${target.service}",slo="${target.slo.name}"`;
}

function minutes(duration: string): number {
  return parsePrometheusDuration(duration)! / 60;
}
