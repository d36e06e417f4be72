import {
  DASHBOARD_TAG,
  DATASOURCE_UID,
  type DashboardInput,
  type GrafanaDashboard,
  type GrafanaPanel,
  allDashboards,
  burstDashboard,
  dashboardFileName,
  departmentDashboard,
  drDashboard,
  provinceOverviewDashboard,
} from '../../../constructs/observability/dashboards-plan';

function input(): DashboardInput {
  return {
    blueprint: 'citizen-services',
    regions: [
      {
        region: 'north',
        clusters: [
          { name: 'gov-a', role: 'gov', cloud: 'gov-cloud' },
          { name: 'gov-b', role: 'gov', cloud: 'gov-cloud-2' },
          { name: 'public-a', role: 'public', cloud: 'public-cloud' },
        ],
      },
      { region: 'south', clusters: [{ name: 'gov-s', role: 'gov', cloud: 'gov-cloud' }] },
    ],
    departments: [
      {
        name: 'education',
        displayName: 'Education Bureau',
        services: [
          {
            name: 'enrolment',
            meshed: true,
            slos: [
              { name: 'availability', objective: 99.9, window: '30d' },
              { name: 'latency', objective: 99, window: '30d', latencyThreshold: '300ms' },
            ],
          },
          { name: 'timetable', meshed: false, slos: [] },
        ],
      },
      {
        name: 'tax',
        services: [
          {
            name: 'filing',
            meshed: false,
            slos: [{ name: 'availability', objective: 99.5, window: '28d' }],
            metrics: { requestsTotal: 'filing_requests_total', errorSelector: 'status=~"5..|429"', durationHistogram: 'filing_request_seconds' },
          },
        ],
      },
    ],
    burstLinks: [{ region: 'north', name: 'enrolment-day', from: 'gov-a', to: 'public-a', services: ['enrolment', 'filing'] }],
    drPairs: [
      { region: 'north', name: 'core', primary: 'gov-a', standby: 'gov-b', rpoSeconds: 300, databases: ['citizens-db'] },
      { region: 'north', name: 'files', primary: 'gov-b', standby: 'gov-a', rpoSeconds: 3600 },
    ],
  };
}

const leaves = (d: GrafanaDashboard): GrafanaPanel[] => d.panels.filter((p) => p.type !== 'row');
const exprs = (d: GrafanaDashboard): string[] => leaves(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr));

// ---------------------------------------------------------------------------------------------
// A small PromQL parser for the subset the dashboards write (no PromQL parser is installed):
// numbers, strings, vector selectors with label matchers, range selectors (Prometheus durations or
// Grafana's interval variables), function calls with argument types, aggregations with by/without,
// unary minus and binary operators with `bool`. It returns the selectors it read, or throws.

interface Selector {
  readonly metric: string;
  readonly matchers: { label: string; op: string; value: string }[];
}

type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

const AGGREGATIONS = new Set(['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values']);
/** Argument types of the functions allowed, and the result. */
const FUNCTIONS: Record<string, { args: ValueType[]; result: ValueType }> = {
  rate: { args: ['matrix'], result: 'vector' },
  irate: { args: ['matrix'], result: 'vector' },
  increase: { args: ['matrix'], result: 'vector' },
  absent_over_time: { args: ['matrix'], result: 'vector' },
  max_over_time: { args: ['matrix'], result: 'vector' },
  avg_over_time: { args: ['matrix'], result: 'vector' },
  absent: { args: ['vector'], result: 'vector' },
  histogram_quantile: { args: ['scalar', 'vector'], result: 'vector' },
  time: { args: [], result: 'scalar' },
  vector: { args: ['scalar'], result: 'vector' },
  scalar: { args: ['vector'], result: 'scalar' },
};
const BINARY = ['==', '!=', '>=', '<=', '>', '<', '+', '-', '*', '/', '%', '^'];
const SET_OPERATORS = new Set(['and', 'or', 'unless']);
const COMPARISONS = new Set(['==', '!=', '>=', '<=', '>', '<']);
const DURATION = /^(?:\d+(?:ms|[smhdwy]))+$|^\$__(rate_interval|interval|range)$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function tokenize(expr: string): string[] {
  const tokens: string[] = [];
  const pattern =
    /\s+|("(?:[^"\\]|\\.)*")|((?:\d+[a-z]+)+(?![a-zA-Z0-9_.]))|(\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![a-zA-Z0-9_.]))|([a-zA-Z_:][a-zA-Z0-9_:]*)|(\$__[a-z_]+)|(=~|!~|==|!=|>=|<=|[-+*/%^<>=,(){}[\]])/y;
  let i = 0;
  while (i < expr.length) {
    pattern.lastIndex = i;
    const m = pattern.exec(expr);
    if (!m) throw new Error(`unexpected character at ${i}: ${JSON.stringify(expr.slice(i, i + 20))}`);
    if (m[0].trim() !== '') tokens.push(m[0]);
    i = pattern.lastIndex;
  }
  return tokens;
}

function parsePromql(expr: string): Selector[] {
  const tokens = tokenize(expr);
  const selectors: Selector[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    if (pos >= tokens.length) throw new Error('unexpected end of expression');
    return tokens[pos++];
  };
  const expect = (token: string) => {
    const got = next();
    if (got !== token) throw new Error(`expected ${token}, got ${got} at token ${pos - 1}`);
  };
  const labelList = () => {
    expect('(');
    while (peek() !== ')') {
      if (!LABEL.test(next())) throw new Error(`bad label name ${tokens[pos - 1]}`);
      if (peek() === ',') next();
    }
    expect(')');
  };
  const matchers = (metric: string) => {
    const found: Selector = { metric, matchers: [] };
    expect('{');
    while (peek() !== '}') {
      const label = next();
      const op = next();
      const value = next();
      if (!LABEL.test(label)) throw new Error(`bad label name ${label}`);
      if (!['=', '!=', '=~', '!~'].includes(op)) throw new Error(`bad matcher operator ${op}`);
      if (!value.startsWith('"')) throw new Error(`matcher value is not a string: ${value}`);
      const text = JSON.parse(value) as string;
      if (op.endsWith('~')) new RegExp(`^(?:${text.replace(/\$[a-z]+/g, '.*')})$`); // throws on a bad regex
      found.matchers.push({ label, op, value: text });
      if (peek() === ',') next();
      else if (peek() !== '}') throw new Error(`expected , or } after a matcher, got ${peek()}`);
    }
    expect('}');
    if (metric === '' && found.matchers.length === 0) throw new Error('empty selector');
    selectors.push(found);
  };
  const primary = (): ValueType => {
    const token = next();
    if (token === '(') {
      const type = expression();
      expect(')');
      return type;
    }
    if (token === '-' || token === '+') return primary();
    if (/^\d/.test(token)) return 'scalar';
    if (token.startsWith('"')) return 'string';
    if (token === '{') {
      pos--;
      matchers('');
      return rangeSuffix();
    }
    if (AGGREGATIONS.has(token)) {
      if (peek() === 'by' || peek() === 'without') {
        next();
        labelList();
      }
      expect('(');
      const args: ValueType[] = [expression()];
      while (peek() === ',') {
        next();
        args.push(expression());
      }
      expect(')');
      if (peek() === 'by' || peek() === 'without') {
        next();
        labelList();
      }
      if (args[args.length - 1] !== 'vector') throw new Error(`${token} aggregates an instant vector, got ${args[args.length - 1]}`);
      return 'vector';
    }
    if (FUNCTIONS[token] && peek() === '(') {
      const fn = FUNCTIONS[token];
      expect('(');
      const args: ValueType[] = [];
      while (peek() !== ')') {
        args.push(expression());
        if (peek() === ',') next();
      }
      expect(')');
      if (args.join() !== fn.args.join()) throw new Error(`${token}(${fn.args.join(', ')}) called with (${args.join(', ')})`);
      return fn.result;
    }
    if (/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(token)) {
      if (peek() === '(') throw new Error(`unknown function ${token}`);
      if (peek() === '{') matchers(token);
      else selectors.push({ metric: token, matchers: [] });
      return rangeSuffix();
    }
    throw new Error(`unexpected token ${token}`);
  };
  const rangeSuffix = (): ValueType => {
    if (peek() !== '[') return 'vector';
    next();
    const duration = next();
    if (!DURATION.test(duration)) throw new Error(`bad range duration ${duration}`);
    expect(']');
    return 'matrix';
  };
  const expression = (): ValueType => {
    let left = primary();
    while (pos < tokens.length && (BINARY.includes(peek()) || SET_OPERATORS.has(peek()))) {
      const op = next();
      if (COMPARISONS.has(op) && peek() === 'bool') next();
      const right = primary();
      if (left === 'matrix' || right === 'matrix' || left === 'string' || right === 'string') throw new Error(`operator ${op} on a ${left} and a ${right}`);
      if (SET_OPERATORS.has(op) && (left !== 'vector' || right !== 'vector')) throw new Error(`${op} needs two vectors`);
      left = left === 'scalar' && right === 'scalar' ? 'scalar' : 'vector';
    }
    return left;
  };
  const type = expression();
  if (pos !== tokens.length) throw new Error(`trailing tokens from ${tokens[pos]}`);
  if (type !== 'vector' && type !== 'scalar') throw new Error(`the expression is a ${type}, not a vector or scalar`);
  return selectors;
}

describe('the PromQL checker of this test', () => {
  test.each([
    'sum by (region) (rate(up{region=~"$region"}[5m]))',
    'histogram_quantile(0.99, sum by (le) (rate(x_bucket{a="b"}[$__rate_interval]))) * 0.001',
    'time() - max(y{schedule="dr-core"})',
    'count by (a) (up{a="b"} == 0) or absent_over_time(up{a="c"}[10m])',
  ])('accepts %s', (expr) => expect(() => parsePromql(expr)).not.toThrow());
  test.each([
    'sum(rate(up{a="b"}[5m])',
    'rate(up{a="b"})',
    'up{a=b}',
    'up{a="b",,}',
    'up{a~"b"}',
    'up{a="b"}[5 m]',
    'sum(up{a="b"}))',
    'up{a=~"(unclosed"}',
    'unknown_fn(up)',
    'up{a="b"}[5m] + 1',
  ])('rejects %s', (expr) => expect(() => parsePromql(expr)).toThrow());
});

// ---------------------------------------------------------------------------------------------

describe('Grafana dashboards as code', () => {
  const all = allDashboards(input());

  test('uids are stable, unique, at most 40 characters, and name their files', () => {
    expect(all.map((d) => d.uid)).toEqual([
      'citizen-services-overview',
      'citizen-services-dept-education',
      'citizen-services-dept-tax',
      'citizen-services-burst',
      'citizen-services-dr',
    ]);
    expect(dashboardFileName('citizen-services-dr')).toBe('citizen-services-dr.json');

    const long: DashboardInput = {
      ...input(),
      blueprint: 'a-very-long-blueprint-name-for-the-whole-province',
      departments: [...input().departments, { name: 'education-and-sports', services: [] }, { name: 'education-and-science', services: [] }],
    };
    const uids = allDashboards(long).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) {
      expect(uid.length).toBeLessThanOrEqual(40);
      expect(uid).toMatch(/^[a-zA-Z0-9_-]+$/);
    }
    expect(allDashboards(long).map((d) => d.uid)).toEqual(uids);
  });

  test('same input, same JSON: no clock, no random ids', () => {
    const first = JSON.stringify(allDashboards(input()));
    jest.useFakeTimers();
    try {
      jest.setSystemTime(new Date('2031-01-01T00:00:00Z'));
      jest.spyOn(Math, 'random').mockReturnValue(0.42);
      expect(JSON.stringify(allDashboards(input()))).toBe(first);
    } finally {
      jest.restoreAllMocks();
      jest.useRealTimers();
    }
    expect(first).not.toMatch(/20\d\d-\d\d-\d\dT/);
  });

  test.each(all.map((d) => [d.uid, d] as const))('%s is a well-formed Grafana dashboard model', (_uid, d) => {
    expect(d).toMatchObject({ id: null, schemaVersion: 39, time: { from: expect.any(String), to: 'now' } });
    expect(typeof d.title).toBe('string');
    expect(d.tags[0]).toBe(DASHBOARD_TAG);
    expect(d.tags).toContain('citizen-services');
    expect(Array.isArray(d.templating.list)).toBe(true);
    expect(d.panels.length).toBeGreaterThan(0);

    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) {
      expect(['row', 'timeseries', 'stat', 'table']).toContain(p.type);
      expect(Number.isInteger(p.id) && p.id > 0).toBe(true);
      const { x, y, w, h } = p.gridPos;
      for (const n of [x, y, w, h]) expect(Number.isInteger(n) && n >= 0).toBe(true);
      expect(w).toBeGreaterThan(0);
      expect(h).toBeGreaterThan(0);
      expect(x + w).toBeLessThanOrEqual(24);
      if (p.type === 'row') {
        expect(p).toMatchObject({ collapsed: false, panels: [], gridPos: { x: 0, w: 24, h: 1 } });
        expect(p.targets).toBeUndefined();
        continue;
      }
      expect(p.datasource).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
      expect(p.targets!.length).toBeGreaterThan(0);
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const t of p.targets!) {
        expect(t.refId).toMatch(/^[A-Z]+$/);
        expect(t.datasource).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
        expect(t.expr.length).toBeGreaterThan(0);
        expect(t.instant).toBe(p.type === 'table');
      }
      expect(p.fieldConfig).toMatchObject({ defaults: { thresholds: { mode: 'absolute', steps: expect.any(Array) } }, overrides: [] });
      const steps = (p.fieldConfig as any).defaults.thresholds.steps;
      expect(steps[0].value).toBeNull();
      for (let i = 1; i < steps.length; i++) expect(steps[i].value).toBeGreaterThan(steps[i - 1].value ?? -Infinity);
    }
    // No two panels overlap.
    const cells = new Set<string>();
    for (const p of d.panels) {
      for (let cx = p.gridPos.x; cx < p.gridPos.x + p.gridPos.w; cx++) {
        for (let cy = p.gridPos.y; cy < p.gridPos.y + p.gridPos.h; cy++) {
          const cell = `${cx},${cy}`;
          expect(cells.has(cell)).toBe(false);
          cells.add(cell);
        }
      }
    }
    for (const v of d.templating.list) expect(v.datasource).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
    // A model Grafana can read back: plain JSON.
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  test.each(all.map((d) => [d.uid, d] as const))('every expression of %s parses as PromQL', (_uid, d) => {
    for (const expr of exprs(d)) {
      try {
        parsePromql(expr);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n  in: ${expr}`, { cause: e });
      }
    }
    for (const v of d.templating.list) expect(() => parsePromql(/^label_values\((.*), [a-z]+\)$/.exec(v.definition)![1])).not.toThrow();
  });

  test('the overview and the department dashboards filter every series on the region, cluster and cloud variables', () => {
    const inventory = new Set(input().regions.flatMap((r) => r.clusters.map((c) => `${r.region}/${c.name}/${c.cloud}`)));
    for (const d of all.filter((x) => x.uid.endsWith('-overview') || x.uid.includes('-dept-'))) {
      expect(d.templating.list.map((v) => v.name)).toEqual(['region', 'cluster', 'cloud']);
      for (const p of leaves(d)) {
        for (const t of p.targets!) {
          for (const s of parsePromql(t.expr)) {
            const byLabel = Object.fromEntries(s.matchers.map((m) => [m.label, m]));
            const variables = ['region', 'cluster', 'cloud'].every((l) => byLabel[l]?.op === '=~' && byLabel[l].value === `$${l}`);
            // The exceptions: the overview's silent clusters and burst states, fixed clusters of the inventory.
            const fixed =
              (p.title === 'Silent clusters' || p.title.endsWith(': public replicas')) &&
              inventory.has(['region', 'cluster', 'cloud'].map((l) => byLabel[l]?.op === '=' && byLabel[l].value).join('/'));
            if (!variables && !fixed) throw new Error(`${d.uid} "${p.title}": ${s.metric} does not filter on region, cluster and cloud: ${t.expr}`);
          }
        }
      }
    }
  });

  test('template variables come from label_values, each narrowed by the ones before', () => {
    const overview = provinceOverviewDashboard(input());
    expect(overview.templating.list.map((v) => v.definition)).toEqual([
      'label_values(up, region)',
      'label_values(up{region=~"$region"}, cluster)',
      'label_values(up{region=~"$region", cluster=~"$cluster"}, cloud)',
    ]);
    for (const v of overview.templating.list)
      expect(v).toMatchObject({ type: 'query', includeAll: true, multi: true, allValue: '.*', query: { query: v.definition } });
    expect(departmentDashboard(input(), 'tax').templating.list[0].definition).toBe('label_values(kube_namespace_status_phase{namespace="tax"}, region)');
  });

  test('the burst and DR dashboards read fixed clusters of the inventory, with their cloud', () => {
    const clouds = new Map(input().regions.flatMap((r) => r.clusters.map((c) => [`${r.region}/${c.name}`, c.cloud] as const)));
    for (const d of [burstDashboard(input()), drDashboard(input())]) {
      for (const expr of exprs(d)) {
        for (const s of parsePromql(expr)) {
          const get = (label: string) => s.matchers.find((m) => m.label === label && m.op === '=')?.value;
          expect(clouds.get(`${get('region')}/${get('cluster')}`)).toBeDefined();
          expect(get('cloud')).toBe(clouds.get(`${get('region')}/${get('cluster')}`));
        }
      }
    }
  });

  test('the overview shows targets, nodes, alerts by owner and layer, and the burst state of each link', () => {
    const d = provinceOverviewDashboard(input());
    const text = exprs(d).join('\n');
    expect(text).toContain('sum by (region, cluster) (up{region=~"$region", cluster=~"$cluster", cloud=~"$cloud"})');
    expect(text).toContain('node_cpu_seconds_total{region=~"$region", cluster=~"$cluster", cloud=~"$cloud", mode="idle"}');
    expect(text).toContain('node_memory_MemAvailable_bytes');
    expect(text).toContain('sum by (owner, layer) (ALERTS{region=~"$region", cluster=~"$cluster", cloud=~"$cloud", alertstate="firing"})');
    const silent = leaves(d).find((p) => p.title === 'Silent clusters')!;
    expect(silent.targets![0].expr.match(/absent_over_time/g)).toHaveLength(4);
    const burst = leaves(d).find((p) => p.title === 'enrolment-day: public replicas')!;
    expect(burst.type).toBe('stat');
    expect(burst.targets![0].expr).toBe(
      'sum(kube_deployment_status_replicas_available{region="north", cluster="public-a", cloud="public-cloud", namespace="education", deployment="enrolment"}' +
        ' or kube_deployment_status_replicas_available{region="north", cluster="public-a", cloud="public-cloud", namespace="tax", deployment="filing"}) or vector(0)',
    );
    expect((burst.fieldConfig as any).defaults.thresholds.steps).toEqual([
      { color: 'green', value: null },
      { color: 'orange', value: 1 },
    ]);
  });

  test("a department dashboard holds that department's services only, each with traffic, errors, latency, SLO budget and replicas", () => {
    const education = departmentDashboard(input(), 'education');
    const tax = departmentDashboard(input(), 'tax');
    expect(education.title).toBe('citizen-services: department Education Bureau');
    expect(tax.title).toBe('citizen-services: department tax');

    const named = (d: GrafanaDashboard, labels: string[]) =>
      new Set(exprs(d).flatMap((e) => parsePromql(e).flatMap((s) => s.matchers.filter((m) => labels.includes(m.label)).map((m) => m.value))));
    const NAMESPACE = ['namespace', 'destination_workload_namespace'];
    const SERVICE = ['service', 'destination_service_name', 'deployment'];
    expect([...named(education, NAMESPACE)]).toEqual(['education']);
    expect([...named(education, SERVICE)].sort()).toEqual(['enrolment', 'timetable']);
    expect([...named(tax, NAMESPACE)]).toEqual(['tax']);
    expect([...named(tax, SERVICE)]).toEqual(['filing']);

    const titles = leaves(education).map((p) => p.title);
    for (const service of ['enrolment', 'timetable']) {
      for (const panel of ['requests/s', 'error ratio', 'p99 latency', 'available replicas']) expect(titles).toContain(`${service}: ${panel}`);
    }
    expect(titles).toContain('enrolment: SLO error budget remaining');
    expect(titles).not.toContain('timetable: SLO error budget remaining');
    expect(titles).toContain('CPU: used, requested, quota');
    expect(() => departmentDashboard(input(), 'health')).toThrow(/no department "health"/);
  });

  test('meshed services read Istio metrics, the others their own', () => {
    const education = departmentDashboard(input(), 'education');
    const of = (d: GrafanaDashboard, title: string) =>
      leaves(d)
        .find((p) => p.title === title)!
        .targets!.map((t) => t.expr);
    const sel = 'region=~"$region", cluster=~"$cluster", cloud=~"$cloud"';

    const istio = `${sel}, reporter="destination", namespace="education", destination_workload_namespace="education", destination_service_name="enrolment"`;
    expect(of(education, 'enrolment: requests/s')).toEqual([`sum by (region, cluster) (rate(istio_requests_total{${istio}}[$__rate_interval]))`]);
    expect(of(education, 'enrolment: error ratio')[0]).toContain(`istio_requests_total{${istio}, response_code=~"5.."}`);
    expect(of(education, 'enrolment: p99 latency')).toEqual([
      `histogram_quantile(0.99, sum by (region, cluster, le) (rate(istio_request_duration_milliseconds_bucket{${istio}}[$__rate_interval]))) * 0.001`,
    ]);

    const own = `${sel}, namespace="education", service="timetable"`;
    expect(of(education, 'timetable: requests/s')).toEqual([`sum by (region, cluster) (rate(http_requests_total{${own}}[$__rate_interval]))`]);
    expect(of(education, 'timetable: error ratio')[0]).toContain(`http_requests_total{${own}, code=~"5.."}`);
    expect(of(education, 'timetable: p99 latency')[0]).toContain(`http_request_duration_seconds_bucket{${own}}`);

    const tax = departmentDashboard(input(), 'tax');
    expect(of(tax, 'filing: error ratio')[0]).toContain(
      'filing_requests_total{region=~"$region", cluster=~"$cluster", cloud=~"$cloud", namespace="tax", service="filing", status=~"5..|429"}',
    );
    expect(of(tax, 'filing: p99 latency')[0]).toContain('filing_request_seconds_bucket{');
  });

  test("SLO budgets are computed at the hub over each objective's window from the recorded 5m ratio, and the objectives draw the lines", () => {
    const education = departmentDashboard(input(), 'education');
    const panel = (title: string) => leaves(education).find((p) => p.title === title)!;
    const sel = 'region=~"$region", cluster=~"$cluster", cloud=~"$cloud"';
    expect(panel('enrolment: SLO error budget remaining').targets!.map((t) => t.expr)).toEqual([
      `1 - avg_over_time(slo:sli_error:ratio_rate5m{${sel}, namespace="education", service="enrolment", slo="availability"}[30d]) / 0.001`,
      `1 - avg_over_time(slo:sli_error:ratio_rate5m{${sel}, namespace="education", service="enrolment", slo="latency"}[30d]) / 0.01`,
    ]);
    expect(
      leaves(departmentDashboard(input(), 'tax'))
        .find((p) => p.title === 'filing: SLO error budget remaining')!
        .targets!.map((t) => t.expr),
    ).toEqual([`1 - avg_over_time(slo:sli_error:ratio_rate5m{${sel}, namespace="tax", service="filing", slo="availability"}[28d]) / 0.005`]);
    const steps = (title: string) => (panel(title).fieldConfig as any).defaults.thresholds.steps;
    expect(steps('enrolment: error ratio')).toEqual([
      { color: 'green', value: null },
      { color: 'red', value: 0.001 },
    ]);
    expect(steps('enrolment: p99 latency')).toEqual([
      { color: 'green', value: null },
      { color: 'red', value: 0.3 },
    ]);
    expect(panel('enrolment: available replicas').targets![0].expr).toBe(
      'sum by (region, cluster) (kube_deployment_status_replicas_available{region=~"$region", cluster=~"$cluster", cloud=~"$cloud", namespace="education", deployment="enrolment"})',
    );
    const cpu = panel('CPU: used, requested, quota').targets!.map((t) => t.expr);
    expect(cpu[2]).toBe(
      'sum by (region, cluster) (kube_resourcequota{region=~"$region", cluster=~"$cluster", cloud=~"$cloud", namespace="education", resourcequota="department-quota", resource="requests.cpu", type="hard"})',
    );
  });

  test('the burst dashboard sets the government side against the public side, per service and link', () => {
    const d = burstDashboard(input());
    expect(d.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual(['enrolment-day (north: gov-a -> public-a)']);
    const replicas = leaves(d).find((p) => p.title === 'enrolment: replicas, gov vs public')!;
    expect(replicas.targets!.map((t) => [t.refId, t.legendFormat])).toEqual([
      ['A', 'gov gov-a'],
      ['B', 'public public-a'],
    ]);
    expect(replicas.targets![0].expr).toContain('cluster="gov-a", cloud="gov-cloud"');
    expect(replicas.targets![1].expr).toContain('cluster="public-a", cloud="public-cloud"');
    const rate = leaves(d).find((p) => p.title === 'filing: requests/s, gov vs public')!;
    expect(rate.targets![1].expr).toBe(
      'sum(rate(filing_requests_total{region="north", cluster="public-a", cloud="public-cloud", namespace="tax", service="filing"}[$__rate_interval]))',
    );
    expect(() => burstDashboard({ ...input(), burstLinks: [{ region: 'north', name: 'x', from: 'gov-a', to: 'public-a', services: ['nope'] }] })).toThrow(
      /service "nope" is in no department/,
    );
    expect(() => burstDashboard({ ...input(), burstLinks: [{ region: 'north', name: 'x', from: 'gov-a', to: 'elsewhere', services: [] }] })).toThrow(
      /cluster "elsewhere" of region "north" is not in the input's inventory/,
    );
  });

  test('the DR dashboard measures backup age and replication lag against the RPO', () => {
    const d = drDashboard(input());
    const panel = (title: string) => leaves(d).find((p) => p.title === title)!;
    const age = panel('core: newest backup age');
    expect(age.targets![0].expr).toBe(
      'time() - max(velero_backup_last_successful_timestamp{region="north", cluster="gov-a", cloud="gov-cloud", schedule="dr-core"})',
    );
    expect((age.fieldConfig as any).defaults).toMatchObject({
      unit: 's',
      thresholds: {
        steps: [
          { color: 'green', value: null },
          { color: 'orange', value: 150 },
          { color: 'red', value: 300 },
        ],
      },
    });
    expect((panel('core: backup age against the RPO').fieldConfig as any).defaults.custom.thresholdsStyle.mode).toBe('line+area');
    expect(panel('citizens-db: replication lag').targets![0].expr).toBe(
      'max(cnpg_pg_replication_lag{region="north", cluster="gov-b", cloud="gov-cloud-2", namespace="middleware", pod=~"citizens-db-replica-[0-9]+"})',
    );
    expect((panel('files: newest backup age').fieldConfig as any).defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 1800, 3600]);
    expect(leaves(d).some((p) => p.title.startsWith('files:') && p.title.includes('replication lag'))).toBe(false);
    expect((drDashboard({ ...input(), rpoWarningPercent: 80 }).panels[1].fieldConfig as any).defaults.thresholds.steps[1].value).toBe(240);
  });

  test('burst and DR dashboards are left out when there are no links or pairs', () => {
    expect(allDashboards({ ...input(), burstLinks: [], drPairs: [] }).map((d) => d.uid)).toEqual([
      'citizen-services-overview',
      'citizen-services-dept-education',
      'citizen-services-dept-tax',
    ]);
    expect(leaves(provinceOverviewDashboard({ ...input(), burstLinks: [] })).some((p) => p.title.endsWith('public replicas'))).toBe(false);
  });
});
