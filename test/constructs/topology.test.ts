import * as fs from 'fs';
import * as path from 'path';
import { defaultFleet } from '../../blueprints/default-fleet';
import { type SynthResult } from '../../constructs/core/fleet';
import { minimalBlueprint, synthesize, tempDir } from '../support/fleet-fixtures';
import { descendants, parseXml } from '../support/xml';
import { htmlPage } from '../../lib/report/html';

function texts(svg: string): string {
  return descendants(parseXml(svg))
    .filter((e) => e.name === 'text')
    .map((e) =>
      e.text
        .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    )
    .join('\n');
}

describe('the pictures of the default blueprint', () => {
  const dir = path.join(tempDir(), 'out');
  const result: SynthResult = defaultFleet({ outdir: dir }).synth();
  const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

  it('draws a topology per region and one of the fleet, and lists them', () => {
    expect(result.pictures).toEqual([
      'reports/changsha/topology.svg',
      'reports/zhuzhou/topology.svg',
      'reports/xiangtan/topology.svg',
      'reports/fleet-topology.svg',
    ]);
    expect(result.charts).toEqual(['reports/changsha/red-packet-rehearsal.svg', 'reports/changsha/red-packet-burst.svg']);
    expect(result.htmlReport).toBe('reports/index.html');
    for (const file of [...result.pictures, ...result.charts]) expect(parseXml(read(file)).name).toBe('svg');
  });

  it("shows changsha's clouds, failure domains, clusters, departments, services, shelf, mesh, burst link and DR pair", () => {
    const shown = texts(read('reports/changsha/topology.svg'));
    for (const text of [
      'cloud hunan-gov-cloud (gov)',
      'cloud huawei-cloud (public)',
      'failure domain hunan-gov-cloud',
      'failure domain huawei-cloud',
      'cluster gov (gov)',
      'stack changsha-burst',
      'education (教育局 Education Bureau)',
      'enrolment: 2-24',
      'red-packet: 2-80, burst copy (red-packet), standby (campaign-continuity, hot-standby)',
      'middleware shelf',
      'citizen-db: PostgreSQL 17.6.0, 3 replicas, HA',
      'east-west gateway :15443',
      'burst red-packet',
      'surge 40x',
      'DR campaign-continuity (hot-standby)',
      'RPO 5m, RTO 5m',
      'mTLS :15443',
    ]) {
      expect(shown).toContain(text);
    }
    const fleet = texts(read('reports/fleet-topology.svg'));
    for (const text of ['region changsha', 'region zhuzhou', 'region xiangtan', 'stack xiangtan-gov', 'surge 40x', 'RPO 5m, RTO 5m'])
      expect(fleet).toContain(text);
  });

  it('charts the burst plan: government and public replicas at baseline and at peak', () => {
    const svg = descendants(parseXml(read('reports/changsha/red-packet-burst.svg')));
    const bars = svg.filter((e) => e.attributes.class === 'bar');
    expect(bars.map((b) => b.attributes['data-name'])).toEqual(['baseline', 'peak']);
    const segments = (bar: (typeof bars)[number]) =>
      descendants(bar)
        .filter((e) => e.attributes.class === 'segment')
        .map((e) => `${e.attributes['data-series']}=${e.attributes['data-value']}`);
    // The report's table: 4 on gov at baseline; 40 + 80 at peak.
    expect(segments(bars[0])).toEqual(['on gov (government cloud)=4']);
    expect(segments(bars[1])).toEqual(['on gov (government cloud)=40', 'on burst (public cloud)=80']);
    expect(read('reports/changsha.md')).toContain('| red-packet | 500 | 20,000 | 200 | 4 on gov | 40 + 80 = 120 (needs 120) |');
  });

  it('links every picture from the Markdown reports and the HTML page, by paths that exist', () => {
    for (const report of [...result.reports, result.htmlReport]) {
      const text = read(report);
      const links = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)|<img src="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(fs.existsSync(path.join(dir, path.dirname(report), link))).toBe(true);
    }
    expect(read('reports/changsha.md')).toContain('](changsha/topology.svg)');
    expect(read('reports/changsha.md')).toContain('](changsha/red-packet-burst.svg)');
    expect(read('reports/fleet.md')).toContain('](fleet-topology.svg)');
    const html = read('reports/index.html');
    for (const file of [...result.pictures, ...result.charts]) expect(html).toContain(`<img src="${file.replace(/^reports\//, '')}"`);
  });

  it('writes the HTML page region by region with the bytes of the page made from all the reports at once', () => {
    const sections = result.reports.map((report) => {
      const name = path.basename(report, '.md');
      return { id: name === 'fleet' ? 'fleet' : `region-${name}`, title: name, markdown: read(report) };
    });
    // The fleet's section first, then the regions in order.
    const page = htmlPage({ title: 'Fleet citizen-services: synth reports', sections: [sections[sections.length - 1], ...sections.slice(0, -1)] });
    expect(read('reports/index.html') === page).toBe(true);
  });

  it('draws the same bytes again, and the same region alone the same', () => {
    const again = path.join(tempDir(), 'out');
    defaultFleet({ outdir: again, regions: ['changsha'] }).synth();
    for (const file of ['reports/changsha/topology.svg', 'reports/changsha/red-packet-burst.svg', 'reports/changsha.md']) {
      expect(fs.readFileSync(path.join(again, file), 'utf8')).toBe(read(file));
    }
  });
});

describe('a picture of hostile names', () => {
  it('shows a display name with quotes, backslashes, angle brackets and braces literally', () => {
    const blueprint: any = minimalBlueprint();
    blueprint.departments[0].displayName = '教育局 "Edu" \\N {a|b} <b>&';
    blueprint.clusters[0].cloud = 'cloud "x" \\';
    const out = synthesize(blueprint, { r: {} });
    const shown = texts(out.read('reports/r/topology.svg'));
    expect(shown).toContain('education (教育局 "Edu" \\N {a|b} <b>&)');
    expect(shown).toContain('cloud cloud "x" \\ (gov)');
    expect(out.read('reports/index.html')).toContain('education (教育局 &quot;Edu&quot; \\N {a|b} &lt;b&gt;&amp;)');
  });
});
