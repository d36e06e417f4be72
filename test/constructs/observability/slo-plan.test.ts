import * as path from 'path';
import {
  BURN_RATE_ALERTS,
  ISTIO_DURATION_BUCKETS_MS,
  type PrometheusAlertingRule,
  type PrometheusRecordingRule,
  type PrometheusRuleGroup,
  SLI_ERROR_WINDOWS,
  type SloTarget,
  budgetSpentWhenFiring,
  errorBudget,
  errorBudgetRemainingQuery,
  latencyThresholdProblem,
  sliQueries,
  sloPrometheusRule,
  sloRuleGroups,
} from '../../../constructs/observability/slo-plan';
import { parsePrometheusDuration } from '../../../lib/duration';
import { ManifestValidator, formatManifestProblems } from '../../../lib/validation/manifest-validator';

const PROMETHEUS_OPERATOR_CRDS = path.resolve(__dirname, '../../../../shared/crds/prometheus-operator');

const ISTIO_SELECTOR = 'reporter="destination",destination_workload_namespace="education",destination_service_name="enrolment"';
const OWN_SELECTOR = 'namespace="port",service="tracker"';

const meshed: SloTarget = {
  service: 'enrolment',
  department: 'education',
  meshed: true,
  slo: { name: 'availability', objective: 99.9 },
  region: 'changsha',
  cluster: 'gov',
};
const own: SloTarget = { ...meshed, service: 'tracker', department: 'port', meshed: false, metrics: { port: 'http' } };
const latency = (target: SloTarget, threshold: string): SloTarget => ({ ...target, slo: { name: 'latency', objective: 99, latency: { threshold } } });

const recordingRules = (group: PrometheusRuleGroup) => group.rules.filter((rule): rule is PrometheusRecordingRule => 'record' in rule);
const alertingRules = (group: PrometheusRuleGroup) => group.rules.filter((rule): rule is PrometheusAlertingRule => 'alert' in rule);

describe('the burn-rate table', () => {
  test('pages at 14.4x over 1h and 5m or 6x over 6h and 30m; tickets at 3x over 1d and 2h or 1x over 3d and 6h', () => {
    expect(BURN_RATE_ALERTS.map(({ severity, burnRate, longWindow, shortWindow }) => ({ severity, burnRate, longWindow, shortWindow }))).toEqual([
      { severity: 'page', burnRate: 14.4, longWindow: '1h', shortWindow: '5m' },
      { severity: 'page', burnRate: 6, longWindow: '6h', shortWindow: '30m' },
      { severity: 'ticket', burnRate: 3, longWindow: '1d', shortWindow: '2h' },
      { severity: 'ticket', burnRate: 1, longWindow: '3d', shortWindow: '6h' },
    ]);
  });

  test('each row spends the workbook share of a 30-day budget (2%, 5%, 10%, 10%): burn rate x long window / 30d', () => {
    for (const row of BURN_RATE_ALERTS) {
      expect(row.budgetConsumed).toBeCloseTo((row.burnRate * parsePrometheusDuration(row.longWindow)!) / parsePrometheusDuration('30d')!, 10);
    }
    expect(BURN_RATE_ALERTS.map((row) => row.budgetConsumed)).toEqual([0.02, 0.05, 0.1, 0.1]);
  });

  test('the fast page waits 2m, every `for` is shorter than its short window', () => {
    expect(BURN_RATE_ALERTS[0].for).toBe('2m');
    for (const row of BURN_RATE_ALERTS) expect(parsePrometheusDuration(row.for)!).toBeLessThan(parsePrometheusDuration(row.shortWindow)!);
  });

  test('the recorded windows are every window an alert reads, shortest first', () => {
    expect(SLI_ERROR_WINDOWS).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
  });

  test('a budget spent by a row scales with the SLO window', () => {
    expect(budgetSpentWhenFiring(BURN_RATE_ALERTS[0], { name: 'a', objective: 99.9 })).toBe(0.02);
    expect(budgetSpentWhenFiring(BURN_RATE_ALERTS[0], { name: 'a', objective: 99.9, window: '3d' })).toBe(0.2);
  });
});

describe('errorBudget', () => {
  test('99.9% over 30d allows 0.1% of requests: 43.2 minutes', () => {
    expect(errorBudget({ name: 'availability', objective: 99.9, window: '30d' })).toEqual({ fraction: 0.001, minutes: 43.2 });
  });

  test('defaults to the 30-day window and reads other windows', () => {
    expect(errorBudget({ name: 'latency', objective: 99 })).toEqual({ fraction: 0.01, minutes: 432 });
    expect(errorBudget({ name: 'availability', objective: 99.95, window: '4w' })).toEqual({ fraction: 0.0005, minutes: 20.16 });
  });
});

describe('sliQueries', () => {
  test('a meshed service counts its 5xx answers from Istio, as the destination reports them', () => {
    expect(sliQueries(meshed, '5m')).toEqual({
      total: `sum(rate(istio_requests_total{${ISTIO_SELECTOR}}[5m]))`,
      errors: `(sum(rate(istio_requests_total{${ISTIO_SELECTOR},response_code=~"5.."}[5m])) or vector(0))`,
    });
  });

  test('a service outside the mesh reads http_requests_total and code=~"5.." by default', () => {
    expect(sliQueries(own, '1h')).toEqual({
      total: `sum(rate(http_requests_total{${OWN_SELECTOR}}[1h]))`,
      errors: `(sum(rate(http_requests_total{${OWN_SELECTOR},code=~"5.."}[1h])) or vector(0))`,
    });
  });

  test('a service outside the mesh reads its own metric and error selector when it names them', () => {
    const target: SloTarget = { ...own, metrics: { port: 'http', requestsTotal: 'tracker_requests_total', errorSelector: 'status=~"5.."' } };
    expect(sliQueries(target, '30m').errors).toBe(`(sum(rate(tracker_requests_total{${OWN_SELECTOR},status=~"5.."}[30m])) or vector(0))`);
  });

  test('a meshed latency objective counts as bad every request above the threshold bucket, le in milliseconds as Prometheus 3 stores it', () => {
    const total = `sum(rate(istio_request_duration_milliseconds_count{${ISTIO_SELECTOR}}[5m]))`;
    const good = `sum(rate(istio_request_duration_milliseconds_bucket{${ISTIO_SELECTOR},le="250.0"}[5m]))`;
    expect(sliQueries(latency(meshed, '250ms'), '5m')).toEqual({ good, total, errors: `(${total} - ${good})` });
  });

  test('a latency objective outside the mesh reads its histogram in seconds', () => {
    expect(sliQueries(latency(own, '250ms'), '5m').good).toBe(`sum(rate(http_request_duration_seconds_bucket{${OWN_SELECTOR},le="0.25"}[5m]))`);
    expect(sliQueries(latency(own, '1s'), '5m').good).toContain('le="1.0"');
    const named: SloTarget = { ...latency(own, '2.5s'), metrics: { port: 'http', durationHistogram: 'tracker_latency_seconds' } };
    expect(sliQueries(named, '5m').total).toBe(`sum(rate(tracker_latency_seconds_count{${OWN_SELECTOR}}[5m]))`);
  });

  test('writes large buckets as Prometheus does: 1h is le="3.6e+06"', () => {
    expect(sliQueries(latency(meshed, '1h'), '5m').good).toContain('le="3.6e+06"');
  });

  test('fails a meshed threshold that is not an Istio bucket, naming the nearest ones', () => {
    expect(() => sliQueries(latency(meshed, '300ms'), '5m')).toThrow(
      /SLO "latency" of service education\/enrolment: "300ms" is not one of the buckets.*"250ms" or "500ms"/,
    );
  });
});

describe('latencyThresholdProblem', () => {
  test('passes 250ms on a meshed service: one of Istio buckets', () => {
    expect(ISTIO_DURATION_BUCKETS_MS).toContain(250);
    expect(latencyThresholdProblem(true, '250ms')).toBeUndefined();
  });

  test('fails 300ms on a meshed service, naming the nearest buckets and the fix', () => {
    expect(latencyThresholdProblem(true, '300ms')).toBe(
      `"300ms" is not one of the buckets of Istio's request-duration histogram, so the requests faster than it cannot be counted; ` +
        'set latency.threshold to "250ms" or "500ms" (the nearest buckets)',
    );
  });

  test('names seconds, minutes and hours as such, and only one bucket past either end', () => {
    expect(latencyThresholdProblem(true, '2s')).toContain('"1s" or "2.5s"');
    expect(latencyThresholdProblem(true, '7m')).toContain('"5m" or "10m"');
    expect(latencyThresholdProblem(true, '2h')).toContain('set latency.threshold to "1h" (');
    expect(latencyThresholdProblem(true, '0.1ms')).toContain('set latency.threshold to "0.5ms" (');
  });

  test('leaves services outside the mesh alone: their buckets are their own', () => {
    expect(latencyThresholdProblem(false, '300ms')).toBeUndefined();
  });
});

describe('sloRuleGroups', () => {
  const targets = [own, latency(meshed, '250ms'), meshed];
  const groups = sloRuleGroups(targets);

  test('one group of ratios and alerts per objective, by namespace, service and objective, at the evaluation interval', () => {
    expect(groups.map((group) => [group.name, group.interval])).toEqual([
      ['slo/education/enrolment/availability', undefined],
      ['slo/education/enrolment/latency', undefined],
      ['slo/port/tracker/availability', undefined],
    ]);
  });

  test('the same objectives in any order give the same rules', () => {
    expect(JSON.stringify(sloRuleGroups([...targets].reverse()))).toBe(JSON.stringify(groups));
  });

  test('records the error ratio over every window, labelled with service, namespace and objective', () => {
    const rules = recordingRules(groups[0]);
    expect(rules.map((rule) => rule.record)).toEqual(SLI_ERROR_WINDOWS.map((window) => `slo:sli_error:ratio_rate${window}`));
    expect(rules[0]).toEqual({
      record: 'slo:sli_error:ratio_rate5m',
      expr: `(sum(rate(istio_requests_total{${ISTIO_SELECTOR},response_code=~"5.."}[5m])) or vector(0)) / (sum(rate(istio_requests_total{${ISTIO_SELECTOR}}[5m])) > 0)`,
      labels: { service: 'enrolment', namespace: 'education', slo: 'availability' },
    });
  });

  test('records no ratio for a window without requests (not 0/0 = NaN), latency objectives too', () => {
    for (const group of groups) for (const rule of recordingRules(group)) expect(rule.expr).toMatch(/ \/ \(sum\(rate\([^\]]+\[\w+\]\)\) > 0\)$/);
  });

  test("no rule reads further back than the slowest alert (3d), which the cluster keeps: the budget left is the hub's", () => {
    const ranges = groups.flatMap((group) => group.rules.flatMap((rule) => [...rule.expr.matchAll(/\[(\w+)\]/g)].map((m) => m[1])));
    expect(new Set(ranges)).toEqual(new Set(SLI_ERROR_WINDOWS));
    expect(Math.max(...ranges.map((range) => parsePrometheusDuration(range)!))).toBe(parsePrometheusDuration('3d'));
  });

  test('alerts on both windows of each row, owned by the department, with where it runs', () => {
    const [fastPage, ...others] = alertingRules(groups[0]);
    const selector = '{service="enrolment",namespace="education",slo="availability"}';
    expect(fastPage).toMatchObject({
      alert: 'SloErrorBudgetBurn',
      expr: `slo:sli_error:ratio_rate1h${selector} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m${selector} > (14.4 * 0.001)`,
      for: '2m',
      labels: {
        severity: 'page',
        layer: 'application',
        owner: 'education',
        region: 'changsha',
        cluster: 'gov',
        service: 'enrolment',
        slo: 'availability',
        window: '1h',
      },
    });
    expect(others.map((rule) => [rule.labels.severity, rule.labels.window, rule.for])).toEqual([
      ['page', '6h', '15m'],
      ['ticket', '1d', '1h'],
      ['ticket', '3d', '3h'],
    ]);
  });

  test('says in the annotations which service, objective, burn rate and budget minutes', () => {
    const { annotations } = alertingRules(groups[0])[0];
    expect(annotations.summary).toBe('enrolment is burning its availability error budget at 14.4x or faster');
    expect(annotations.description).toContain('education/enrolment in changsha/gov: the availability objective (99.9% of requests good over 30d)');
    expect(annotations.description).toContain('0.1% of requests to fail (43.2 minutes per 30d');
    expect(annotations.description).toContain('above 14.4x that budget: at that rate the budget is gone in 2.1 days; 2% of it (0.864 minutes)');
    expect(alertingRules(groups[1])[0].annotations.description).toContain('1% of requests to be slower than 250ms (432 minutes per 30d');
  });

  test('names every rule and label as Prometheus identifiers', () => {
    const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
    const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
    for (const rule of groups.flatMap((group) => group.rules)) {
      expect('record' in rule ? rule.record : rule.alert).toMatch(metricName);
      if ('alert' in rule) expect(rule.alert).toMatch(labelName);
      for (const name of Object.keys(rule.labels)) expect(name).toMatch(labelName);
    }
  });

  test('fails an objective given twice for one service', () => {
    expect(() => sloRuleGroups([meshed, { ...meshed, region: 'zhuzhou' }])).toThrow('SLO "availability" of service education/enrolment is given twice');
  });
});

describe('errorBudgetRemainingQuery', () => {
  const selector = 'region=~"$region",namespace="education",service="enrolment",slo="availability"';

  test('99.9% over 30d: one minus the 5m error ratio averaged over 30d, in budgets of 0.1%', () => {
    expect(errorBudgetRemainingQuery(selector, { name: 'availability', objective: 99.9, window: '30d' })).toBe(
      `1 - avg_over_time(slo:sli_error:ratio_rate5m{${selector}}[30d]) / 0.001`,
    );
  });

  test("defaults to the 30-day window, and reads the objective's own window and budget", () => {
    expect(errorBudgetRemainingQuery(selector, { name: 'latency', objective: 99 })).toBe(
      `1 - avg_over_time(slo:sli_error:ratio_rate5m{${selector}}[30d]) / 0.01`,
    );
    expect(errorBudgetRemainingQuery('slo="a"', { name: 'a', objective: 99.95, window: '4w' })).toBe(
      '1 - avg_over_time(slo:sli_error:ratio_rate5m{slo="a"}[4w]) / 0.0005',
    );
  });

  test('reads the ratio the cluster rules record', () => {
    const recorded = recordingRules(sloRuleGroups([meshed])[0]).map((rule) => rule.record);
    const read = /avg_over_time\(([a-z_:0-9]+)\{/.exec(errorBudgetRemainingQuery(selector, meshed.slo))![1];
    expect(recorded).toContain(read);
  });
});

describe('sloPrometheusRule', () => {
  test('is a PrometheusRule the CRD schema accepts', () => {
    const rule = sloPrometheusRule([meshed, latency(meshed, '250ms'), own], 'monitoring', { release: 'kube-prometheus-stack' });
    expect(rule).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'service-level-objectives', namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } },
    });
    const problems = new ManifestValidator({ crdDirectories: [PROMETHEUS_OPERATOR_CRDS] }).validateObject(rule);
    expect(formatManifestProblems(problems)).toBe('');
  });
});
