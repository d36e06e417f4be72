import { parser } from '@prometheus-io/lezer-promql';

/** A label matcher of a series selector, e.g. `namespace="education"` is { name: 'namespace', op: '=', value: 'education' }. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: string;
  readonly value: string;
}

/** A series selector of a PromQL expression: its metric name (if given) and its label matchers. */
export interface SeriesSelector {
  readonly text: string;
  readonly metric?: string;
  readonly matchers: readonly LabelMatcher[];
}

/**
 * Grafana's variables as PromQL the parser accepts: `$__rate_interval` (and its kin) become a
 * duration, `$name` and `${name}` inside label values a plain word.
 */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m').replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, 'x');
}

/**
 * Every series selector of `expr`, parsed by Prometheus' own PromQL grammar (the one its UI
 * uses). Throws on a syntax error, naming where.
 */
export function seriesSelectors(expr: string): SeriesSelector[] {
  const tree = parser.parse(expr);
  const selectors: SeriesSelector[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL syntax error at ${cursor.from} in ${JSON.stringify(expr)}`);
    if (cursor.name !== 'VectorSelector') continue;
    const node = cursor.node;
    const metric = node.getChild('Identifier');
    const matchers: LabelMatcher[] = [];
    for (const matcher of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
      const name = matcher.getChild('LabelName');
      const op = matcher.getChild('MatchOp');
      const value = matcher.getChild('StringLiteral');
      if (!name || !op || !value) continue;
      matchers.push({
        name: expr.slice(name.from, name.to),
        op: expr.slice(op.from, op.to),
        value: JSON.parse(expr.slice(value.from, value.to).replace(/^'|'$/g, '"')) as string,
      });
    }
    selectors.push({ text: expr.slice(cursor.from, cursor.to), ...(metric ? { metric: expr.slice(metric.from, metric.to) } : {}), matchers });
  } while (cursor.next());
  return selectors;
}
