import * as path from 'path';
import { defaultFleet } from '../../../blueprints/default-fleet';
import { EXAMPLES } from '../../../examples';
import { GRAFANA_DEPARTMENT_DASHBOARD_LABEL, THANOS_TENANCY } from '../../../constructs/observability/monitoring-catalogue';
import { SynthOutput, tempDir } from '../../support/fleet-fixtures';
import { seriesSelectors, withoutGrafanaVariables } from '../../support/promql';

/**
 * A department's Grafana reads through the Thanos Query that adds `namespace="<department>"` to
 * every selector. A panel whose selector names no namespace, or another one, would show nothing
 * there: every query of a department's dashboards must select its own namespace exactly.
 */
interface DepartmentQuery {
  readonly department: string;
  readonly where: string;
  readonly expr: string;
}

function departmentQueries(out: SynthOutput): DepartmentQuery[] {
  const queries: DepartmentQuery[] = [];
  for (const file of out.files().filter((f) => f.endsWith('/monitoring.yaml'))) {
    const [, region, cluster] = file.split('/');
    for (const object of out.manifests(region, cluster)) {
      const department = object.metadata.labels?.[GRAFANA_DEPARTMENT_DASHBOARD_LABEL];
      if (object.kind !== 'ConfigMap' || !department) continue;
      for (const json of Object.values(object.data as Record<string, string>)) {
        const dashboard = JSON.parse(json);
        const where = `${file} ${dashboard.uid}`;
        for (const variable of dashboard.templating?.list ?? []) {
          // label_values(<selector>, <label>): the selector is PromQL.
          const inner = /^label_values\((.*),\s*[A-Za-z_]+\)$/.exec(variable.definition ?? '');
          if (inner) queries.push({ department, where: `${where} variable ${variable.name}`, expr: inner[1] });
        }
        const walk = (panels: any[]): void => {
          for (const panel of panels) {
            for (const target of panel.targets ?? []) queries.push({ department, where: `${where} panel "${panel.title}"`, expr: target.expr });
            walk(panel.panels ?? []);
          }
        };
        walk(dashboard.panels ?? []);
      }
    }
  }
  return queries;
}

/** The selectors of `query` that would show nothing under the department's tenancy. */
function outsideTenant(query: DepartmentQuery): string[] {
  return seriesSelectors(withoutGrafanaVariables(query.expr))
    .filter((s) => !s.matchers.some((m) => m.name === THANOS_TENANCY.label && m.op === '=' && m.value === query.department))
    .map((s) => `${query.where}: ${s.text}`);
}

describe("department dashboards work through the department's tenancy", () => {
  const outputs: Array<[string, SynthOutput]> = [];
  const dir = path.join(tempDir(), 'out');
  defaultFleet({ outdir: dir }).synth();
  outputs.push(['the default blueprint', new SynthOutput(dir)]);
  for (const [name, build] of Object.entries(EXAMPLES)) {
    const exampleDir = path.join(tempDir(), name);
    build(exampleDir).synth();
    outputs.push([`example ${name}`, new SynthOutput(exampleDir)]);
  }

  it.each(outputs)('%s: every selector of every department dashboard names its namespace', (_name, out) => {
    const queries = departmentQueries(out);
    // A fleet without the hub's region (school-enrolment: Zhuzhou and Xiangtan) writes no dashboards.
    const stacks = out.files().filter((f) => f.endsWith('cdk.tf.json'));
    const runsHub = stacks.some((f) => Object.values<any>(JSON.parse(out.read(f)).resource?.helm_release ?? {}).some((r) => r.name === 'grafana'));
    if (!runsHub) {
      expect(queries).toEqual([]);
      return;
    }
    expect(new Set(queries.map((q) => q.department)).size).toBeGreaterThan(1);
    expect(queries.length).toBeGreaterThan(20);
    expect(queries.flatMap(outsideTenant)).toEqual([]);
  });

  it('finds a selector outside the tenant, and one of another department', () => {
    const query = (expr: string): DepartmentQuery => ({ department: 'education', where: 'probe', expr });
    expect(outsideTenant(query('sum(rate(http_requests_total{namespace="education"}[$__rate_interval])) / sum(up{cluster=~"$cluster"})'))).toEqual([
      'probe: up{cluster=~"x"}',
    ]);
    expect(outsideTenant(query('kube_resourcequota{namespace="tax"}'))).toEqual(['probe: kube_resourcequota{namespace="tax"}']);
    expect(outsideTenant(query('kube_resourcequota{namespace=~"education"}'))).toHaveLength(1);
    expect(() => seriesSelectors('sum(rate(x[5m])')).toThrow(/PromQL syntax error/);
  });
});
