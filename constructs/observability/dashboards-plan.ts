import { parseDuration } from '../../lib/duration';
import { drLocationName, replicaClusterName } from '../disaster-recovery/disaster-recovery-plan';
import { MIDDLEWARE_NAMESPACE } from '../middleware/middleware-plan';
import { LAYER_LABEL, OWNER_LABEL } from './alert-rules-plan';
import { DEFAULT_EARLY_WARNING } from './observability-spec';
import { errorBudgetRemainingQuery } from './slo-plan';
import { THANOS_DATASOURCE_UID } from './monitoring-catalogue';

// Grafana dashboards as code (white paper 5.2): pure functions from plain data to Grafana's
// dashboard JSON model. Every query reads the hub's Thanos Query, where each series carries the
// external labels (`region`, `cluster`, `cloud`) its cluster's Prometheus attached. The same input
// gives the same JSON: no timestamps, no random ids. The constructs deliver the files through the
// Grafana chart's sidecar (label `grafana_dashboard: "1"`).

/** The Grafana datasource that reads Thanos Query; every panel and target names it by uid. */
export const DATASOURCE_UID = THANOS_DATASOURCE_UID;
/** Grafana's dashboard schema version the models are written in. */
export const DASHBOARD_SCHEMA_VERSION = 39;
/** The tag every dashboard carries; the dashboards link to each other by it. */
export const DASHBOARD_TAG = 'govcloud-blueprint';
/** Grafana's limit on a dashboard uid. */
export const MAX_DASHBOARD_UID_LENGTH = 40;
/** External labels every cluster's Prometheus attaches to what it remote-writes. */
export const EXTERNAL_LABELS = ['region', 'cluster', 'cloud'] as const;
/** Name of the ResourceQuota every department namespace has (tenancy/department.ts). */
export const DEPARTMENT_QUOTA_NAME = 'department-quota';

// ---------------------------------------------------------------------------------------------
// Input: plain data, assembled by the constructs from the resolved region specs.

export interface DashboardClusterInput {
  readonly name: string;
  readonly role: 'gov' | 'public';
  readonly cloud: string;
}

export interface DashboardRegionInput {
  readonly region: string;
  readonly clusters: readonly DashboardClusterInput[];
}

export interface DashboardSloInput {
  readonly name: string;
  /** Percent of good requests, e.g. 99.9. */
  readonly objective: number;
  /** Prometheus duration, e.g. "30d". */
  readonly window: string;
  /** Go duration, e.g. "300ms": a latency objective. */
  readonly latencyThreshold?: string;
}

/** A non-meshed service's own request metrics (ServiceMetricsSpec); inside the mesh, Istio's are read. */
export interface DashboardServiceMetricsInput {
  /** @default "http_requests_total" */
  readonly requestsTotal?: string;
  /** One label matcher that marks a failed request. @default 'code=~"5.."' */
  readonly errorSelector?: string;
  /** Histogram name without `_bucket`. @default "http_request_duration_seconds" */
  readonly durationHistogram?: string;
}

export interface DashboardServiceInput {
  readonly name: string;
  readonly meshed: boolean;
  readonly slos: readonly DashboardSloInput[];
  readonly metrics?: DashboardServiceMetricsInput;
  /** Runs as a StatefulSet. @default false: a Deployment */
  readonly stateful?: boolean;
  /** Runs as an Argo Rollout (a progressive canary). @default false: a Deployment */
  readonly rollout?: boolean;
}

export interface DashboardDepartmentInput {
  /** Short name; also the namespace. */
  readonly name: string;
  readonly displayName?: string;
  readonly services: readonly DashboardServiceInput[];
}

export interface DashboardBurstLinkInput {
  readonly region: string;
  readonly name: string;
  /** The government-cloud cluster. */
  readonly from: string;
  /** The public-cloud cluster. */
  readonly to: string;
  /** Services (of `departments`) that burst over the link. */
  readonly services: readonly string[];
}

export interface DashboardDrPairInput {
  readonly region: string;
  readonly name: string;
  readonly primary: string;
  readonly standby: string;
  readonly rpoSeconds: number;
  /** Shelf PostgreSQL instances streamed to the standby (a CloudNativePG replica cluster each). @default none */
  readonly databases?: readonly string[];
}

export interface DashboardInput {
  /** The blueprint's name: part of every uid, and a tag. */
  readonly blueprint: string;
  readonly regions: readonly DashboardRegionInput[];
  readonly departments: readonly DashboardDepartmentInput[];
  readonly burstLinks: readonly DashboardBurstLinkInput[];
  readonly drPairs: readonly DashboardDrPairInput[];
  /** Backup age and replication lag turn orange above this share of the RPO. @default DEFAULT_EARLY_WARNING.rpoPercent */
  readonly rpoWarningPercent?: number;
}

// ---------------------------------------------------------------------------------------------
// Output: the part of Grafana's dashboard JSON model these dashboards use.

export interface GrafanaDatasourceRef {
  readonly type: 'prometheus';
  readonly uid: string;
}

export interface GrafanaTarget {
  readonly refId: string;
  readonly datasource: GrafanaDatasourceRef;
  readonly expr: string;
  readonly legendFormat: string;
  readonly range: boolean;
  readonly instant: boolean;
  readonly format: 'time_series' | 'table';
  readonly editorMode: 'code';
}

export interface GrafanaGridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

export interface GrafanaThresholdStep {
  readonly color: string;
  readonly value: number | null;
}

export interface GrafanaPanel {
  readonly id: number;
  readonly type: 'row' | 'timeseries' | 'stat' | 'table';
  readonly title: string;
  readonly gridPos: GrafanaGridPos;
  readonly description?: string;
  readonly datasource?: GrafanaDatasourceRef;
  readonly targets?: readonly GrafanaTarget[];
  readonly fieldConfig?: unknown;
  readonly options?: unknown;
  readonly transformations?: readonly unknown[];
  /** Rows only. */
  readonly collapsed?: boolean;
  readonly panels?: readonly GrafanaPanel[];
}

export interface GrafanaVariable {
  readonly name: string;
  readonly label: string;
  readonly type: 'query';
  readonly datasource: GrafanaDatasourceRef;
  readonly query: { readonly qryType: 1; readonly query: string; readonly refId: string };
  readonly definition: string;
  readonly refresh: 2;
  readonly includeAll: true;
  readonly multi: true;
  readonly allValue: '.*';
  readonly current: Record<string, never>;
  readonly options: readonly never[];
  readonly regex: '';
  readonly sort: 1;
  readonly hide: 0;
}

export interface GrafanaDashboard {
  readonly id: null;
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly editable: boolean;
  readonly graphTooltip: 1;
  readonly schemaVersion: number;
  readonly version: 1;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly timepicker: Record<string, never>;
  readonly timezone: 'browser';
  readonly fiscalYearStartMonth: 0;
  readonly liveNow: false;
  readonly weekStart: '';
  readonly annotations: { readonly list: readonly unknown[] };
  readonly links: readonly unknown[];
  readonly templating: { readonly list: readonly GrafanaVariable[] };
  readonly panels: readonly GrafanaPanel[];
}

/** The file a dashboard is delivered in (the sidecar loads every file of its ConfigMaps). */
export function dashboardFileName(uid: string): string {
  return `${uid}.json`;
}

// ---------------------------------------------------------------------------------------------
// The dashboards.

/** Uid of the overview dashboard of a blueprint. */
export function provinceOverviewUid(blueprint: string): string {
  return dashboardUid(blueprint, 'overview');
}

/** Uid of a department's dashboard. */
export function departmentDashboardUid(blueprint: string, department: string): string {
  return dashboardUid(blueprint, 'dept', department);
}

export function burstDashboardUid(blueprint: string): string {
  return dashboardUid(blueprint, 'burst');
}

export function drDashboardUid(blueprint: string): string {
  return dashboardUid(blueprint, 'dr');
}

/**
 * The province at a glance, regions x clusters: scrape targets up and down, node CPU and memory,
 * firing alerts by owner and layer, clusters of the inventory that went silent, and the burst
 * state of every link.
 */
export function provinceOverviewDashboard(input: DashboardInput): GrafanaDashboard {
  const sel = VARIABLE_SCOPE;
  const silent = input.regions.flatMap((r) => r.clusters.map((c) => `absent_over_time(${series('up', fixedScope(r.region, c.name, c.cloud))}[10m])`));
  const items: LayoutItem[] = [
    row('Targets and clusters'),
    stat({
      title: 'Targets up',
      description: 'Scrape targets whose last scrape succeeded, per cluster.',
      targets: [{ expr: `sum by (region, cluster) (${series('up', sel)})`, legend: '{{region}}/{{cluster}}' }],
      thresholds: [step('blue', null)],
      w: 8,
    }),
    stat({
      title: 'Targets down',
      description: 'Scrape targets whose last scrape failed, per cluster.',
      targets: [{ expr: `sum by (region, cluster) (${series('up', sel)} == bool 0)`, legend: '{{region}}/{{cluster}}' }],
      thresholds: [step('green', null), step('red', 1)],
      w: 8,
    }),
    table({
      title: 'Silent clusters',
      description:
        'Clusters of the inventory whose Prometheus has sent no sample to the hub for 10 minutes: remote write, the network between the clouds, or the cluster itself is down. Empty is good.',
      targets: silent.length > 0 ? [{ expr: silent.join(' or '), legend: '' }] : [],
      w: 8,
    }),
    timeseries({
      title: 'Targets down over time',
      targets: [{ expr: `count by (region, cluster, job) (${series('up', sel)} == 0)`, legend: '{{region}}/{{cluster}} {{job}}' }],
      unit: 'short',
      w: 24,
      h: 7,
    }),
    row('Nodes'),
    timeseries({
      title: 'Node CPU use',
      description: 'Share of the nodes’ CPU time not idle, per cluster.',
      targets: [
        {
          expr: `1 - avg by (region, cluster) (rate(${series('node_cpu_seconds_total', sel, [['mode', '=', 'idle']])}[$__rate_interval]))`,
          legend: '{{region}}/{{cluster}}',
        },
      ],
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: [step('green', null), step('orange', 0.8), step('red', 0.9)],
      w: 12,
    }),
    timeseries({
      title: 'Node memory use',
      description: 'Share of the nodes’ memory not available, per cluster.',
      targets: [
        {
          expr: `1 - sum by (region, cluster) (${series('node_memory_MemAvailable_bytes', sel)}) / sum by (region, cluster) (${series('node_memory_MemTotal_bytes', sel)})`,
          legend: '{{region}}/{{cluster}}',
        },
      ],
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: [step('green', null), step('orange', 0.8), step('red', 0.9)],
      w: 12,
    }),
    row('Alerts'),
    table({
      title: 'Firing alerts by owner and layer',
      description: 'Who has to act: each alert is owned by the side that can fix it.',
      targets: [
        {
          expr: `sum by (${OWNER_LABEL}, ${LAYER_LABEL}) (${series('ALERTS', sel, [['alertstate', '=', 'firing']])})`,
          legend: '',
        },
      ],
      w: 8,
    }),
    timeseries({
      title: 'Firing alerts per cluster and owner',
      targets: [
        {
          expr: `sum by (region, cluster, ${OWNER_LABEL}) (${series('ALERTS', sel, [['alertstate', '=', 'firing']])})`,
          legend: `{{region}}/{{cluster}} {{${OWNER_LABEL}}}`,
        },
      ],
      unit: 'short',
      w: 16,
    }),
  ];
  if (input.burstLinks.length > 0) {
    const services = serviceIndex(input);
    items.push(row('Burst'));
    for (const link of input.burstLinks) {
      const to = fixedScope(link.region, link.to, clusterCloud(input, link.region, link.to));
      const replicas = link.services.map((name) => replicasSeries(to, lookupService(services, name, `burst link "${link.name}"`)));
      items.push(
        stat({
          title: `${link.name}: public replicas`,
          description: `Burst state of link "${link.name}" (${link.region}: ${link.from} -> ${link.to}): bursting while the public cluster runs replicas of ${link.services.join(', ')}.`,
          targets: [{ expr: `sum(${replicas.join(' or ')}) or vector(0)`, legend: link.name }],
          thresholds: [step('green', null), step('orange', 1)],
          mappings: [{ type: 'value', options: { '0': { text: 'idle', index: 0 } } }],
          w: 6,
          h: 5,
        }),
      );
    }
  }
  return dashboard({
    uid: provinceOverviewUid(input.blueprint),
    title: `${input.blueprint}: province overview`,
    description: `Regions ${input.regions.map((r) => r.region).join(', ')}: targets, nodes, alerts by owner, and burst state.`,
    tags: [input.blueprint, 'overview'],
    variables: variablesOver('up'),
    items,
  });
}

/**
 * One department's services: requests per second, error ratio, p99 latency (Istio's metrics in the
 * mesh, the service's own outside it), SLO error budget remaining, available replicas; and the
 * namespace's CPU and memory against its quota.
 */
export function departmentDashboard(input: DashboardInput, department: string): GrafanaDashboard {
  const dept = input.departments.find((d) => d.name === department);
  if (!dept)
    throw new Error(`departmentDashboard: no department "${department}" in the input (has ${input.departments.map((d) => d.name).join(', ') || 'none'})`);
  const sel = VARIABLE_SCOPE;
  const ns: Matcher[] = [['namespace', '=', dept.name]];
  const quota = (resource: string, type: 'hard' | 'used') =>
    `sum by (region, cluster) (${series('kube_resourcequota', sel, [...ns, ['resourcequota', '=', DEPARTMENT_QUOTA_NAME], ['resource', '=', resource], ['type', '=', type]])})`;
  const items: LayoutItem[] = [
    row('Namespace against its quota'),
    timeseries({
      title: 'CPU: used, requested, quota',
      description: `Cores the pods of namespace "${dept.name}" use, request, and may request (ResourceQuota ${DEPARTMENT_QUOTA_NAME}, requests.cpu).`,
      targets: [
        {
          expr: `sum by (region, cluster) (rate(${series('container_cpu_usage_seconds_total', sel, [...ns, ['container', '!=', '']])}[$__rate_interval]))`,
          legend: '{{region}}/{{cluster}} used',
        },
        { expr: quota('requests.cpu', 'used'), legend: '{{region}}/{{cluster}} requested' },
        { expr: quota('requests.cpu', 'hard'), legend: '{{region}}/{{cluster}} quota' },
      ],
      unit: 'short',
      min: 0,
      w: 12,
    }),
    timeseries({
      title: 'Memory: working set, requested, quota',
      targets: [
        {
          expr: `sum by (region, cluster) (${series('container_memory_working_set_bytes', sel, [...ns, ['container', '!=', '']])})`,
          legend: '{{region}}/{{cluster}} working set',
        },
        { expr: quota('requests.memory', 'used'), legend: '{{region}}/{{cluster}} requested' },
        { expr: quota('requests.memory', 'hard'), legend: '{{region}}/{{cluster}} quota' },
      ],
      unit: 'bytes',
      min: 0,
      w: 12,
    }),
  ];
  for (const service of dept.services) items.push(...servicePanels(dept.name, service));
  return dashboard({
    uid: departmentDashboardUid(input.blueprint, dept.name),
    title: `${input.blueprint}: department ${dept.displayName ?? dept.name}`,
    description: `Services of department "${dept.name}" (namespace ${dept.name}): traffic, errors, latency, SLO budgets, replicas and quota.`,
    tags: [input.blueprint, 'department', dept.name],
    variables: variablesOver('kube_namespace_status_phase', ns),
    items,
  });
}

/** Every burst link: per service, replicas and requests per second on the government side against the public side. */
export function burstDashboard(input: DashboardInput): GrafanaDashboard {
  const services = serviceIndex(input);
  const items: LayoutItem[] = [];
  for (const link of input.burstLinks) {
    const gov = fixedScope(link.region, link.from, clusterCloud(input, link.region, link.from));
    const pub = fixedScope(link.region, link.to, clusterCloud(input, link.region, link.to));
    items.push(row(`${link.name} (${link.region}: ${link.from} -> ${link.to})`));
    for (const name of link.services) {
      const found = lookupService(services, name, `burst link "${link.name}"`);
      items.push(
        timeseries({
          title: `${name}: replicas, gov vs public`,
          description: `Available replicas of ${found.department}/${name} on ${link.from} (government) and ${link.to} (public).`,
          targets: [
            { expr: `sum(${replicasSeries(gov, found)})`, legend: `gov ${link.from}` },
            { expr: `sum(${replicasSeries(pub, found)})`, legend: `public ${link.to}` },
          ],
          unit: 'short',
          min: 0,
          stack: true,
          w: 12,
        }),
        timeseries({
          title: `${name}: requests/s, gov vs public`,
          targets: [
            { expr: requestRate(gov, found), legend: `gov ${link.from}` },
            { expr: requestRate(pub, found), legend: `public ${link.to}` },
          ],
          unit: 'reqps',
          min: 0,
          stack: true,
          w: 12,
        }),
      );
    }
  }
  return dashboard({
    uid: burstDashboardUid(input.blueprint),
    title: `${input.blueprint}: burst links`,
    description: 'Government against public side of every burst link: replicas and load per service.',
    tags: [input.blueprint, 'burst'],
    variables: [],
    items,
  });
}

/**
 * Every DR pair against its RPO: the age of the primary's newest successful Velero backup, and the
 * replication lag of each CloudNativePG replica cluster on the standby. Thresholds: orange at the
 * early-warning share of the RPO, red at the RPO.
 */
export function drDashboard(input: DashboardInput): GrafanaDashboard {
  const warnPercent = input.rpoWarningPercent ?? DEFAULT_EARLY_WARNING.rpoPercent;
  const items: LayoutItem[] = [];
  for (const pair of input.drPairs) {
    const primary = fixedScope(pair.region, pair.primary, clusterCloud(input, pair.region, pair.primary));
    const standby = fixedScope(pair.region, pair.standby, clusterCloud(input, pair.region, pair.standby));
    const rpo = pair.rpoSeconds;
    const thresholds = [step('green', null), step('orange', Math.round((rpo * warnPercent) / 100)), step('red', rpo)];
    const schedule = drLocationName(pair.name);
    const backupAge = `time() - max(${series('velero_backup_last_successful_timestamp', primary, [['schedule', '=', schedule]])})`;
    items.push(row(`${pair.name} (${pair.region}: ${pair.primary} -> ${pair.standby}, RPO ${rpo}s)`));
    items.push(
      stat({
        title: `${pair.name}: newest backup age`,
        description: `Seconds since Velero schedule "${schedule}" on ${pair.primary} last completed a backup; red at the RPO (${rpo}s).`,
        targets: [{ expr: backupAge, legend: schedule }],
        unit: 's',
        thresholds,
        w: 6,
      }),
      timeseries({
        title: `${pair.name}: backup age against the RPO`,
        targets: [{ expr: backupAge, legend: schedule }],
        unit: 's',
        min: 0,
        thresholds,
        w: 18,
      }),
    );
    for (const database of pair.databases ?? []) {
      const replica = replicaClusterName(database);
      const lag = `max(${series('cnpg_pg_replication_lag', standby, [
        ['namespace', '=', MIDDLEWARE_NAMESPACE],
        ['pod', '=~', `${replica}-[0-9]+`],
      ])})`;
      items.push(
        stat({
          title: `${database}: replication lag`,
          description: `Seconds the CloudNativePG replica cluster "${replica}" on ${pair.standby} trails the primary; red at the RPO (${rpo}s).`,
          targets: [{ expr: lag, legend: replica }],
          unit: 's',
          thresholds,
          w: 6,
        }),
        timeseries({
          title: `${database}: replication lag against the RPO`,
          targets: [{ expr: lag, legend: replica }],
          unit: 's',
          min: 0,
          thresholds,
          w: 18,
        }),
      );
    }
  }
  return dashboard({
    uid: drDashboardUid(input.blueprint),
    title: `${input.blueprint}: disaster recovery`,
    description: 'Every DR pair against its RPO: newest backup age and database replication lag.',
    tags: [input.blueprint, 'disaster-recovery'],
    variables: [],
    items,
  });
}

/** Every dashboard of the input: the overview, one per department, and burst and DR when there are links and pairs. */
export function allDashboards(input: DashboardInput): GrafanaDashboard[] {
  return [
    provinceOverviewDashboard(input),
    ...input.departments.map((d) => departmentDashboard(input, d.name)),
    ...(input.burstLinks.length > 0 ? [burstDashboard(input)] : []),
    ...(input.drPairs.length > 0 ? [drDashboard(input)] : []),
  ];
}

// ---------------------------------------------------------------------------------------------
// PromQL.

type MatchOp = '=' | '!=' | '=~' | '!~';
type Matcher = readonly [label: string, op: MatchOp, value: string];

/** The external-label matchers of a query: the dashboard's variables, or one cluster of the inventory. */
type Scope = readonly Matcher[];

const VARIABLE_SCOPE: Scope = EXTERNAL_LABELS.map((label) => [label, '=~', `$${label}`] as const);

function fixedScope(region: string, cluster: string, cloud: string): Scope {
  return [
    ['region', '=', region],
    ['cluster', '=', cluster],
    ['cloud', '=', cloud],
  ];
}

/** A PromQL string literal (double-quoted, Go escapes). */
function quote(value: string): string {
  return JSON.stringify(value);
}

/** `metric{scope..., matchers...}`. */
function series(metric: string, scope: Scope, matchers: readonly Matcher[] = []): string {
  return `${metric}{${selectorBody(scope, matchers)}}`;
}

/** `scope..., extra...`: the inside of a selector's braces. */
function selectorBody(scope: Scope, extra: readonly Matcher[] = []): string {
  return [...scope, ...extra].map(([label, op, value]) => `${label}${op}${quote(value)}`).join(', ');
}

/** A `label<op>"value"` matcher written as text (ServiceMetricsSpec.errorSelector), parsed back. */
function parseMatcher(text: string): Matcher {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (!m) throw new Error(`not a label matcher: ${JSON.stringify(text)} (expected e.g. code=~"5..")`);
  return [m[1], m[2] as MatchOp, JSON.parse(`"${m[3]}"`) as string];
}

interface FoundService {
  readonly department: string;
  readonly service: DashboardServiceInput;
}

function serviceIndex(input: DashboardInput): Map<string, FoundService> {
  const index = new Map<string, FoundService>();
  for (const d of input.departments) for (const service of d.services) if (!index.has(service.name)) index.set(service.name, { department: d.name, service });
  return index;
}

function lookupService(index: Map<string, FoundService>, name: string, where: string): FoundService {
  const found = index.get(name);
  if (!found) throw new Error(`${where}: service "${name}" is in no department of the input`);
  return found;
}

function clusterCloud(input: DashboardInput, region: string, cluster: string): string {
  const found = input.regions.find((r) => r.region === region)?.clusters.find((c) => c.name === cluster);
  if (!found) throw new Error(`cluster "${cluster}" of region "${region}" is not in the input's inventory`);
  return found.cloud;
}

/**
 * Available replicas of a service's stable Deployment or StatefulSet (named after the service).
 * kube-state-metrics knows no Rollouts: a Rollout's are the ready pods of its ReplicaSets, named
 * `<rollout>-<pod-template hash>` (the pattern leaves out other workloads' `<name>-<word>-<hash>`).
 */
function replicasSeries(scope: Scope, found: FoundService): string {
  if (found.service.rollout) {
    return series('kube_replicaset_status_ready_replicas', scope, [
      ['namespace', '=', found.department],
      ['replicaset', '=~', `${found.service.name}-[a-z0-9]+`],
    ]);
  }
  const kind = found.service.stateful ? 'statefulset' : 'deployment';
  return series(`kube_${kind}_status_replicas_available`, scope, [
    ['namespace', '=', found.department],
    [kind, '=', found.service.name],
  ]);
}

interface RequestMetrics {
  readonly total: string;
  readonly errors: Matcher;
  readonly buckets: string;
  /** Matchers that select the service's series. */
  readonly matchers: readonly Matcher[];
  /** Factor from the histogram's unit to seconds. */
  readonly toSeconds: number;
}

function requestMetrics(department: string, service: DashboardServiceInput): RequestMetrics {
  if (service.meshed) {
    return {
      total: 'istio_requests_total',
      errors: ['response_code', '=~', '5..'],
      buckets: 'istio_request_duration_milliseconds_bucket',
      // Reported by the destination's own sidecar, so scraped in its namespace: `namespace` is the
      // label a department's query path confines it to (THANOS_TENANCY).
      matchers: [
        ['reporter', '=', 'destination'],
        ['namespace', '=', department],
        ['destination_workload_namespace', '=', department],
        ['destination_service_name', '=', service.name],
      ],
      toSeconds: 0.001,
    };
  }
  const m = service.metrics ?? {};
  return {
    total: m.requestsTotal ?? 'http_requests_total',
    errors: parseMatcher(m.errorSelector ?? 'code=~"5.."'),
    buckets: `${m.durationHistogram ?? 'http_request_duration_seconds'}_bucket`,
    matchers: [
      ['namespace', '=', department],
      ['service', '=', service.name],
    ],
    toSeconds: 1,
  };
}

function requestRate(scope: Scope, found: FoundService, extra: readonly Matcher[] = [], by = ''): string {
  const m = requestMetrics(found.department, found.service);
  return `sum${by}(rate(${series(m.total, scope, [...m.matchers, ...extra])}[$__rate_interval]))`;
}

function servicePanels(department: string, service: DashboardServiceInput): LayoutItem[] {
  const sel = VARIABLE_SCOPE;
  const found: FoundService = { department, service };
  const m = requestMetrics(department, service);
  const by = ' by (region, cluster) ';
  const perCluster = '{{region}}/{{cluster}}';
  const availability = service.slos.filter((s) => s.latencyThreshold === undefined);
  const latency = service.slos.flatMap((s) => {
    const seconds = s.latencyThreshold !== undefined ? parseDuration(s.latencyThreshold) : undefined;
    return seconds !== undefined ? [seconds] : [];
  });
  const allowedErrors = availability.length > 0 ? Math.min(...availability.map((s) => round(1 - s.objective / 100))) : undefined;
  const p99 = `histogram_quantile(0.99, sum by (region, cluster, le) (rate(${series(m.buckets, sel, m.matchers)}[$__rate_interval])))`;
  const items: LayoutItem[] = [
    row(`${service.name}${service.meshed ? ' (mesh)' : ''}`),
    timeseries({
      title: `${service.name}: requests/s`,
      targets: [{ expr: requestRate(sel, found, [], by), legend: perCluster }],
      unit: 'reqps',
      min: 0,
      w: 8,
    }),
    timeseries({
      title: `${service.name}: error ratio`,
      description:
        allowedErrors !== undefined
          ? `Share of failed requests; the line is the error ratio the strictest availability objective allows (${allowedErrors}).`
          : 'Share of failed requests.',
      targets: [{ expr: `${requestRate(sel, found, [m.errors], by)} / ${requestRate(sel, found, [], by)}`, legend: perCluster }],
      unit: 'percentunit',
      min: 0,
      thresholds: allowedErrors !== undefined ? [step('green', null), step('red', allowedErrors)] : undefined,
      w: 8,
    }),
    timeseries({
      title: `${service.name}: p99 latency`,
      description:
        latency.length > 0 ? `99th percentile; the line is the strictest latency objective's threshold (${Math.min(...latency)}s).` : '99th percentile.',
      targets: [{ expr: m.toSeconds === 1 ? p99 : `${p99} * ${m.toSeconds}`, legend: perCluster }],
      unit: 's',
      min: 0,
      thresholds: latency.length > 0 ? [step('green', null), step('red', Math.min(...latency))] : undefined,
      w: 8,
    }),
  ];
  if (service.slos.length > 0) {
    items.push(
      stat({
        title: `${service.name}: SLO error budget remaining`,
        description: service.slos
          .map((s) => `${s.name}: ${s.objective}% over ${s.window}${s.latencyThreshold !== undefined ? ` faster than ${s.latencyThreshold}` : ''}`)
          .join('; '),
        targets: service.slos.map((s) => ({
          expr: errorBudgetRemainingQuery(
            selectorBody(sel, [
              ['namespace', '=', department],
              ['service', '=', service.name],
              ['slo', '=', s.name],
            ]),
            s,
          ),
          legend: `${s.name} ${perCluster}`,
        })),
        unit: 'percentunit',
        thresholds: [step('red', null), step('orange', 0.25), step('green', 0.5)],
        w: 12,
      }),
    );
  }
  items.push(
    timeseries({
      title: `${service.name}: available replicas`,
      targets: [{ expr: `sum${by}(${replicasSeries(sel, found)})`, legend: perCluster }],
      unit: 'short',
      min: 0,
      w: service.slos.length > 0 ? 12 : 24,
    }),
  );
  return items;
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}

// ---------------------------------------------------------------------------------------------
// The JSON model.

const DATASOURCE: GrafanaDatasourceRef = { type: 'prometheus', uid: DATASOURCE_UID };
const DEFAULT_HEIGHT = 8;
const GRID_WIDTH = 24;

interface TargetDraft {
  readonly expr: string;
  readonly legend: string;
}

interface PanelDraft {
  readonly kind: 'timeseries' | 'stat' | 'table';
  readonly title: string;
  readonly description?: string;
  readonly targets: readonly TargetDraft[];
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly thresholds?: readonly GrafanaThresholdStep[];
  readonly mappings?: readonly unknown[];
  readonly stack?: boolean;
  readonly w: number;
  readonly h?: number;
}

type LayoutItem = PanelDraft | { readonly kind: 'row'; readonly title: string };

function row(title: string): LayoutItem {
  return { kind: 'row', title };
}

const timeseries = (draft: Omit<PanelDraft, 'kind'>): PanelDraft => ({ kind: 'timeseries', ...draft });
const stat = (draft: Omit<PanelDraft, 'kind'>): PanelDraft => ({ kind: 'stat', ...draft });
const table = (draft: Omit<PanelDraft, 'kind'>): PanelDraft => ({ kind: 'table', ...draft });

function step(color: string, value: number | null): GrafanaThresholdStep {
  return { color, value };
}

/** Panels in reading order: rows start a new line; panels fill a line of 24 columns, then wrap. */
function layout(items: readonly LayoutItem[]): GrafanaPanel[] {
  const panels: GrafanaPanel[] = [];
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  const newLine = () => {
    y += lineHeight;
    x = 0;
    lineHeight = 0;
  };
  for (const item of items) {
    const id = panels.length + 1;
    if (item.kind === 'row') {
      newLine();
      panels.push({ id, type: 'row', title: item.title, gridPos: { h: 1, w: GRID_WIDTH, x: 0, y }, collapsed: false, panels: [] });
      lineHeight = 1;
      newLine();
      continue;
    }
    const w = Math.min(item.w, GRID_WIDTH);
    const h = item.h ?? DEFAULT_HEIGHT;
    if (x + w > GRID_WIDTH) newLine();
    panels.push(panel(id, item, { h, w, x, y }));
    x += w;
    lineHeight = Math.max(lineHeight, h);
  }
  return panels;
}

function panel(id: number, draft: PanelDraft, gridPos: GrafanaGridPos): GrafanaPanel {
  const isTable = draft.kind === 'table';
  const targets: GrafanaTarget[] = draft.targets.map((t, i) => ({
    refId: refId(i),
    datasource: DATASOURCE,
    expr: t.expr,
    legendFormat: t.legend,
    range: !isTable,
    instant: isTable,
    format: isTable ? 'table' : 'time_series',
    editorMode: 'code',
  }));
  const defaults: Record<string, unknown> = {
    ...(draft.unit !== undefined ? { unit: draft.unit } : {}),
    ...(draft.min !== undefined ? { min: draft.min } : {}),
    ...(draft.max !== undefined ? { max: draft.max } : {}),
    color: { mode: draft.kind === 'timeseries' ? 'palette-classic' : 'thresholds' },
    thresholds: { mode: 'absolute', steps: draft.thresholds ?? [step('green', null)] },
    mappings: draft.mappings ?? [],
  };
  if (draft.kind === 'timeseries') {
    defaults.custom = {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: draft.stack ? 20 : 0,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: draft.stack ? 'normal' : 'none', group: 'A' },
      thresholdsStyle: { mode: draft.thresholds ? 'line+area' : 'off' },
    };
  }
  const options = {
    timeseries: {
      legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['lastNotNull', 'max'] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
    stat: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'area',
      justifyMode: 'auto',
      orientation: 'auto',
      textMode: 'auto',
    },
    table: { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], countRows: false, fields: '' } },
  }[draft.kind];
  return {
    id,
    type: draft.kind,
    title: draft.title,
    ...(draft.description !== undefined ? { description: draft.description } : {}),
    gridPos,
    datasource: DATASOURCE,
    targets,
    fieldConfig: { defaults, overrides: [] },
    options,
    ...(isTable
      ? {
          transformations: [
            { id: 'merge', options: {} },
            { id: 'organize', options: { excludeByName: { Time: true }, indexByName: {}, renameByName: {} } },
          ],
        }
      : {}),
  };
}

/** A, B, ..., Z, AA, AB, ... */
function refId(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : refId(Math.floor(index / 26) - 1) + letter;
}

/** Template variables region, cluster and cloud, each narrowed by the ones before it. */
function variablesOver(metric: string, matchers: readonly Matcher[] = []): GrafanaVariable[] {
  return EXTERNAL_LABELS.map((label, i) => {
    const all = [...matchers, ...VARIABLE_SCOPE.slice(0, i)];
    const definition = `label_values(${all.length > 0 ? series(metric, all) : metric}, ${label})`;
    return {
      name: label,
      label: label[0].toUpperCase() + label.slice(1),
      type: 'query',
      datasource: DATASOURCE,
      query: { qryType: 1, query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
      definition,
      refresh: 2,
      includeAll: true,
      multi: true,
      allValue: '.*',
      current: {},
      options: [],
      regex: '',
      sort: 1,
      hide: 0,
    };
  });
}

/** A Grafana uid from name parts: at most 40 characters; a longer one keeps its start and a hash of the whole. */
function dashboardUid(...parts: string[]): string {
  const whole = parts.map((p) => p.replace(/[^a-zA-Z0-9_-]+/g, '-')).join('-');
  if (whole.length <= MAX_DASHBOARD_UID_LENGTH) return whole;
  const hash = fnv1a(whole);
  return `${whole.slice(0, MAX_DASHBOARD_UID_LENGTH - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** 32-bit FNV-1a, as 8 hex digits: a stable short hash (not for security). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function dashboard(props: {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: GrafanaVariable[];
  items: LayoutItem[];
}): GrafanaDashboard {
  return {
    id: null,
    uid: props.uid,
    title: props.title,
    description: props.description,
    tags: [DASHBOARD_TAG, ...props.tags],
    // Provisioned from code: edits in the UI cannot be saved over it, only saved as a copy.
    editable: true,
    graphTooltip: 1,
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    version: 1,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    links: [
      {
        title: 'govcloud-blueprint',
        type: 'dashboards',
        tags: [DASHBOARD_TAG, props.tags[0]],
        asDropdown: true,
        includeVars: false,
        keepTime: true,
        targetBlank: false,
      },
    ],
    templating: { list: props.variables },
    panels: layout(props.items),
  };
}
