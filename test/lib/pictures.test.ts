import { cleanText, cluster, edge, minimumWidth, node, quoteId, record, renderDot, renderSvg, toDot } from '../../lib/report/dot';
import { markdownToHtml, htmlPage, htmlPageFrame, htmlSection } from '../../lib/report/html';
import { barChart } from '../../lib/report/svg-chart';
import { descendants, parseXml } from '../support/xml';

/** The text of every `<text>` element of an SVG, entities decoded. */
function texts(svg: string): string[] {
  return descendants(parseXml(svg))
    .filter((e) => e.name === 'text')
    .map((e) => decode(e.text));
}

function decode(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const HOSTILE = 'a"b\\c<d>&e{f}|g \\N \\l\n教育局 "];\ninjected -> x [label="y';

describe('the DOT builder', () => {
  it('keeps hostile text literal: quotes, backslashes, Graphviz escapes, record syntax, newlines, Chinese', () => {
    const graph = {
      id: HOSTILE,
      items: [
        cluster(HOSTILE, { label: HOSTILE }, [
          node(HOSTILE, { shape: 'record', label: record([[HOSTILE], ['second field']]) }),
          node('plain', { label: HOSTILE }),
        ]),
        edge(HOSTILE, 'plain', { label: HOSTILE }),
      ],
    };
    const { svg } = renderDot(toDot(graph));
    const shown = texts(svg);
    // A plain label keeps its line break; a record line is one line.
    expect(shown).toEqual(expect.arrayContaining(['a"b\\c<d>&e{f}|g \\N \\l', '教育局 "];', 'injected -> x [label="y']));
    expect(shown).toContain('a"b\\c<d>&e{f}|g \\N \\l 教育局 "]; injected -> x [label="y');
    expect(shown).toContain('second field');
    // Exactly the nodes and the edge declared: nothing was injected.
    const groups = descendants(parseXml(svg)).filter((e) => e.name === 'g');
    expect(groups.filter((g) => g.attributes.class === 'node')).toHaveLength(2);
    expect(groups.filter((g) => g.attributes.class === 'edge')).toHaveLength(1);
    expect(groups.filter((g) => g.attributes.class === 'cluster')).toHaveLength(1);
  });

  it('quotes ids so that none ends in an escape and no two meet', () => {
    expect(quoteId('a\\')).toBe('"a_u005c"');
    expect(quoteId('gov/department/education')).toBe('"gov/department/education"');
    expect(quoteId('a b')).not.toBe(quoteId('a_u0020b'));
  });

  it('removes what XML 1.0 forbids', () => {
    expect(cleanText('a\u0000b\u0007c\r\nd\te\ud800')).toBe('abc\nd e\ufffd');
    const { svg } = renderDot(toDot({ id: 'g', items: [node('n', { label: 'bell\u0007 nul\u0000' })] }));
    expect(() => parseXml(svg)).not.toThrow();
  });

  it('refuses attribute names that are not plain words, and records outside labels', () => {
    expect(() => toDot({ id: 'g', items: [node('n', { 'label]; x': 'y' })] })).toThrow(/invalid DOT attribute name/);
    expect(() => toDot({ id: 'g', items: [node('n', { xlabel: record([['a']]) })] })).toThrow(/only for labels/);
  });

  it('widens a node of Chinese text, which Graphviz would measure as spaces', () => {
    expect(minimumWidth(['education'])).toBeUndefined();
    expect(minimumWidth(['教育局 政务服务和大数据局'])).toBeGreaterThan(2);
  });

  it('renders the same bytes every time, with no DOCTYPE, comment or version stamp', () => {
    const graph = { id: 'g', items: [node('a', { label: '教育局' }), edge('a', 'b')] };
    const first = renderSvg(graph);
    renderSvg({ id: 'other', items: [node('x')] });
    expect(renderSvg(graph)).toBe(first);
    expect(first).not.toMatch(/<!DOCTYPE|<!--|graphviz version/i);
  });

  it('draws nested clusters the same however often it draws them (Graphviz keeps state between renders)', () => {
    const box = (id: string, items: any[]) => cluster(id, { label: id }, items);
    const graph = {
      id: 'g',
      attributes: { rankdir: 'LR' },
      items: [
        box('cloud-a', [box('domain-a', [box('k8s-a', [node('a1'), node('a2'), edge('a1', 'a2', { style: 'invis' })])])]),
        box('cloud-b', [box('domain-b', [box('k8s-b', [node('b1'), node('b2'), edge('b1', 'b2', { style: 'invis' })])])]),
        edge('a1', 'b1', { label: 'burst' }),
        edge('a2', 'b2', { label: 'mesh', dir: 'both' }),
      ],
    };
    const renders = [renderSvg(graph), renderSvg(graph), renderSvg(graph)];
    expect(new Set(renders).size).toBe(1);
  });

  it('names the syntax error Graphviz found, and draws as before after it', () => {
    const graph = { id: 'g', items: [cluster('c', { label: 'c' }, [node('a'), node('b')]), edge('a', 'b')] };
    const before = renderSvg(graph);
    expect(() => renderDot('digraph { a -> }')).toThrow(/Graphviz could not render the picture: .*syntax error/);
    expect(renderSvg(graph)).toBe(before);
  });

  it('starts Graphviz once for picture after picture, not once per picture', () => {
    // A new WebAssembly instance per picture left 16 MB outside the JavaScript heap each time,
    // and the garbage collections that answered cost more than the drawing (see renderDot).
    renderSvg({ id: 'warm', items: [node('a')] });
    const instances = jest.spyOn(WebAssembly, 'Instance');
    try {
      const pictures = Array.from({ length: 5 }, (_, i) => renderSvg({ id: `g${i}`, items: [node(`n${i}`), edge(`n${i}`, 'x')] }));
      expect(new Set(pictures).size).toBe(5);
      expect(instances).not.toHaveBeenCalled();
    } finally {
      instances.mockRestore();
    }
  });

  it('leaves the process error handlers as they were, and keeps Graphviz warnings off stderr', () => {
    const before = { uncaught: process.listenerCount('uncaughtException'), rejection: process.listenerCount('unhandledRejection') };
    const stderr = jest.spyOn(process.stderr, 'write');
    const { warnings } = renderDot(toDot({ id: 'g', items: [node('a', { label: '教育局' })] }));
    expect(warnings.join('\n')).toMatch(/non-ASCII character/);
    expect(stderr).not.toHaveBeenCalled();
    stderr.mockRestore();
    expect({ uncaught: process.listenerCount('uncaughtException'), rejection: process.listenerCount('unhandledRejection') }).toEqual(before);
  });
});

describe('the bar chart', () => {
  it('stacks segments and marks the need', () => {
    const svg = barChart({
      title: 'plan <x>',
      yLabel: 'replicas',
      series: [
        { name: 'gov', color: '#1f77b4' },
        { name: 'public', color: '#d62728' },
      ],
      groups: [
        {
          name: 'svc',
          bars: [
            {
              label: 'peak',
              segments: [
                { series: 'gov', value: 4 },
                { series: 'public', value: 6 },
              ],
              mark: { value: 10, label: 'needed' },
            },
          ],
        },
      ],
    });
    const all = descendants(parseXml(svg));
    const segments = all.filter((e) => e.attributes.class === 'segment');
    expect(segments.map((s) => [s.attributes['data-series'], s.attributes['data-value']])).toEqual([
      ['gov', '4'],
      ['public', '6'],
    ]);
    // The public segment sits on the government one.
    expect(Number(segments[1].attributes.y) + Number(segments[1].attributes.height)).toBeCloseTo(Number(segments[0].attributes.y), 5);
    expect(all.find((e) => e.attributes.class === 'mark')!.attributes['data-value']).toBe('10');
    expect(texts(svg)).toEqual(expect.arrayContaining(['plan <x>', '10', 'svc', 'needed']));
  });
});

describe('the Markdown to HTML converter', () => {
  it('converts the subset the reports use', () => {
    const html = markdownToHtml(
      '# Region a\n\n![Topology](a/topology.svg)\n\n## Clusters\n\n| cluster | note |\n|---|---|\n| gov | a \\| b, `code` |\n\n- one **bold**\n- _none_\n\nA paragraph\ncontinued.\n',
      'region-a',
    );
    expect(html).toContain('<h1 id="region-a-region-a">Region a</h1>');
    expect(html).toContain('<p><img src="a/topology.svg" alt="Topology"></p>');
    expect(html).toContain('<tr><td>gov</td><td>a | b, <code>code</code></td></tr>');
    expect(html).toContain('<ul>\n<li>one <strong>bold</strong></li>\n<li><em>none</em></li>\n</ul>');
    expect(html).toContain('<p>A paragraph continued.</p>');
  });

  it('escapes every piece of text, so no report can inject markup', () => {
    const html = markdownToHtml('# <script>alert(1)</script>\n\n| a |\n|---|\n| <img src=x onerror=alert(1)> |\n\n`<b>` and **<i>**\n');
    expect(html).not.toMatch(/<script|<img|<b>|<i>/);
    expect(html).toContain('&lt;script&gt;');
  });

  it('shows an image only from a relative path below the page', () => {
    for (const src of ['javascript:alert(1)', 'https://example.org/x.svg', '/etc/passwd', '../secret.svg', '//host/x.svg']) {
      expect(markdownToHtml(`![x](${src})`)).not.toContain('<img');
    }
    expect(markdownToHtml('![a "quoted" alt](r/x.svg)')).toContain('<img src="r/x.svg" alt="a &quot;quoted&quot; alt">');
  });

  it('is its frame around its sections, so a writer can stream the sections in between', () => {
    const sections = [
      { id: 'fleet', title: 'fleet', markdown: '# Fleet\n\n- a\n' },
      { id: 'region-a', title: 'a', markdown: '# A\n\n| x |\n|---|\n| 1 |\n' },
    ];
    for (const some of [[], sections.slice(0, 1), sections]) {
      const { head, tail } = htmlPageFrame('T', some);
      expect(head + some.map(htmlSection).join('\n') + tail).toBe(htmlPage({ title: 'T', sections: some }));
    }
    expect(htmlPage({ title: 'T', sections })).toContain('<main>\n<section id="fleet">');
    expect(htmlPage({ title: 'T', sections })).toContain('</section>\n<section id="region-a">');
  });

  it('writes a page with a table of contents, no script and a policy that forbids one', () => {
    const page = htmlPage({ title: 'T <1>', sections: [{ id: 'fleet', title: 'fleet', markdown: '# Fleet\n' }] });
    expect(page).toContain('<title>T &lt;1&gt;</title>');
    expect(page).toContain(`content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"`);
    expect(page).toContain('<a href="#fleet">fleet</a>');
    expect(page).not.toMatch(/<script/i);
  });
});
