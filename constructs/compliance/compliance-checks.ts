import type { Problems } from '../../lib/errors';
import { unknownNameMessage } from '../../lib/did-you-mean';
import { RULES, ruleById } from '../../lib/compliance/rule-pack';
import type { BlueprintSpec } from '../blueprint-spec';

/**
 * Each suppression names a rule of the pack, a scope whose names exist, and a reason; waiving an
 * error-level rule where a production cluster is in scope needs a review date. Runs on each
 * region's merged spec.
 */
export function checkSuppressions(spec: BlueprintSpec, path: string, problems: Problems): void {
  for (const suppression of spec.compliance?.suppressions ?? []) {
    const at = `${path}.compliance.suppressions.${suppression.name}`;
    const rule = ruleById(suppression.rule);
    if (!rule) {
      problems.add(
        `${at}.rule`,
        unknownNameMessage(
          'rule',
          suppression.rule,
          RULES.map((r) => r.id),
        ),
      );
    }
    if (!suppression.reason.trim()) problems.add(`${at}.reason`, 'is empty; say why the rule cannot hold here, as an escape hatch does');
    const { region, cluster, department, object } = suppression.scope;
    if (region === undefined && cluster === undefined && department === undefined && object === undefined) {
      problems.add(`${at}.scope`, 'is empty: a suppression never covers the whole fleet; name a region, cluster, department or object');
    }
    if (cluster !== undefined && !spec.clusters.some((c) => c.name === cluster)) {
      problems.add(
        `${at}.scope.cluster`,
        unknownNameMessage(
          'cluster',
          cluster,
          spec.clusters.map((c) => c.name),
        ),
      );
    }
    if (department !== undefined && !spec.departments.some((d) => d.name === department)) {
      problems.add(
        `${at}.scope.department`,
        unknownNameMessage(
          'department',
          department,
          spec.departments.map((d) => d.name),
        ),
      );
    }
    const production = spec.clusters.filter((c) => (cluster === undefined || c.name === cluster) && c.production !== false);
    if (rule?.severity === 'error' && production.length > 0 && suppression.expires === undefined) {
      problems.add(
        `${at}.expires`,
        `waives error rule ${rule.id} (${rule.title}) on production cluster${production.length === 1 ? '' : 's'} ${production.map((c) => c.name).join(', ')} without a review date; add expires: "YYYY-MM-DD"`,
      );
    }
  }
}
