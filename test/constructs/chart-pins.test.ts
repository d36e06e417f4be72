import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { CATALOGUE } from '../../constructs/middleware/catalogue';
import { ISTIO_CHARTS, ISTIO_RELEASES } from '../../constructs/mesh/istio-releases';
import { VELERO } from '../../constructs/disaster-recovery/velero-catalogue';
import { CLOUDNATIVE_PG } from '../../constructs/disaster-recovery/cloudnative-pg-catalogue';
import { GRAFANA, KEDA, KUBE_PROMETHEUS_STACK, THANOS } from '../../constructs/observability/monitoring-catalogue';
import { ARGO_ROLLOUTS } from '../../constructs/delivery/argo-rollouts-catalogue';
import { ARGO_CD } from '../../constructs/gitops/argo-cd-catalogue';

/**
 * Every chart@version the library pins is one the local chart repository (`../shared/charts`, the
 * upstream charts as mirrored) serves: a pin the repository lacks cannot be installed.
 */

const REPO_ROOT = path.resolve(__dirname, '../..');
const CHART_INDEX = path.resolve(REPO_ROOT, '..', 'shared', 'charts', 'index.yaml');
const README = path.join(REPO_ROOT, 'README.md');

interface Pin {
  readonly chart: string;
  readonly version: string;
  /** What pins it ("engine rabbitmq 4.1.3"). */
  readonly pinnedBy: string;
  /** The file that pins it, from the repository root. */
  readonly file: string;
}

/** chart -> versions, from a Helm repository index. */
function servedCharts(indexFile: string): ReadonlyMap<string, readonly string[]> {
  const index = parseYaml(fs.readFileSync(indexFile, 'utf8')) as { entries?: Record<string, Array<{ version: string }>> };
  return new Map(Object.entries(index.entries ?? {}).map(([chart, entries]) => [chart, entries.map((entry) => String(entry.version))]));
}

function libraryPins(): Pin[] {
  const middleware = Object.values(CATALOGUE).flatMap((engine) =>
    engine.releases.map((release) => ({
      chart: engine.chart,
      version: release.chartVersion,
      pinnedBy: `middleware engine ${engine.name} ${release.version}`,
      file: `constructs/middleware/engines/${engine.name}.ts`,
    })),
  );
  const istio = ISTIO_RELEASES.flatMap((release) =>
    Object.values(ISTIO_CHARTS).map((chart) => ({ chart, version: release, pinnedBy: `Istio release ${release}`, file: 'constructs/mesh/istio-releases.ts' })),
  );
  const single = (pinned: { chart: string; chartVersion: string }, file: string): Pin => ({
    chart: pinned.chart,
    version: pinned.chartVersion,
    pinnedBy: `${pinned.chart} ${pinned.chartVersion}`,
    file,
  });
  return [
    ...middleware,
    ...istio,
    single(VELERO, 'constructs/disaster-recovery/velero-catalogue.ts'),
    single(CLOUDNATIVE_PG, 'constructs/disaster-recovery/cloudnative-pg-catalogue.ts'),
    ...[KUBE_PROMETHEUS_STACK, THANOS, GRAFANA, KEDA].map((pinned) => single(pinned, 'constructs/observability/monitoring-catalogue.ts')),
    single(ARGO_ROLLOUTS, 'constructs/delivery/argo-rollouts-catalogue.ts'),
    single(ARGO_CD, 'constructs/gitops/argo-cd-catalogue.ts'),
  ];
}

/** One line per pin the repository does not serve, naming the chart, the version, where it is pinned and what is served. */
function unservedPins(pins: readonly Pin[], served: ReadonlyMap<string, readonly string[]>): string[] {
  return pins
    .filter((pin) => !(served.get(pin.chart) ?? []).includes(pin.version))
    .map((pin) => {
      const versions = served.get(pin.chart) ?? [];
      const has = versions.length > 0 ? `serves ${pin.chart} ${versions.join(', ')}` : `serves no ${pin.chart} chart`;
      return `${pin.chart}@${pin.version}, pinned by ${pin.pinnedBy} in ${pin.file}: not served (the repository ${has})`;
    });
}

describe('chart pins', () => {
  const served = servedCharts(CHART_INDEX);
  const pins = libraryPins();

  it('covers every catalogue of the library', () => {
    const charts = new Set(pins.map((pin) => pin.chart));
    for (const engine of Object.values(CATALOGUE)) expect(charts).toContain(engine.chart);
    for (const chart of [
      'base',
      'cni',
      'istiod',
      'gateway',
      'velero',
      'cloudnative-pg',
      'kube-prometheus-stack',
      'thanos',
      'grafana',
      'keda',
      'argo-rollouts',
    ]) {
      expect(charts).toContain(chart);
    }
    // The file a pin is said to be in is one of the library's.
    for (const pin of pins) expect([pin.file, fs.existsSync(path.join(REPO_ROOT, pin.file))]).toEqual([pin.file, true]);
  });

  it('pins only chart versions the local chart repository serves', () => {
    expect(unservedPins(pins, served)).toEqual([]);
  });

  it('names the chart, the version and where it is pinned when the repository lacks it', () => {
    const made = [
      { chart: 'rabbitmq', version: '16.1.0', pinnedBy: 'middleware engine rabbitmq 4.1.3', file: 'constructs/middleware/engines/rabbitmq.ts' },
      { chart: 'no-such-chart', version: '1.0.0', pinnedBy: 'a test', file: 'test/constructs/chart-pins.test.ts' },
    ];
    expect(unservedPins(made, new Map([['rabbitmq', ['16.0.16']]]))).toEqual([
      'rabbitmq@16.1.0, pinned by middleware engine rabbitmq 4.1.3 in constructs/middleware/engines/rabbitmq.ts: not served (the repository serves rabbitmq 16.0.16)',
      'no-such-chart@1.0.0, pinned by a test in test/constructs/chart-pins.test.ts: not served (the repository serves no no-such-chart chart)',
    ]);
  });
});

/** The README's "Chart repository" table: chart -> [versions, files], in the order written. */
function readmeChartTable(readme: string): Array<[string, string, string]> {
  const section = readme.split('\n### Chart repository\n')[1]?.split('\n#')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| chart |'))
    .map(
      (line) =>
        line
          .split('|')
          .slice(1, 4)
          .map((cell) => cell.trim()) as [string, string, string],
    );
}

describe('the README chart repository table', () => {
  it('lists exactly the chart versions the library pins, where they are pinned, by chart name', () => {
    const byChart = new Map<string, { versions: Set<string>; files: Set<string> }>();
    for (const pin of libraryPins()) {
      const entry = byChart.get(pin.chart) ?? { versions: new Set(), files: new Set() };
      entry.versions.add(pin.version);
      entry.files.add(`\`${pin.file}\``);
      byChart.set(pin.chart, entry);
    }
    const expected = [...byChart]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([chart, { versions, files }]) => [chart, [...versions].sort().join(', '), [...files].sort().join(', ')]);
    expect(readmeChartTable(fs.readFileSync(README, 'utf8'))).toEqual(expected);
  });
});
