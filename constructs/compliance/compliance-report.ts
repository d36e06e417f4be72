import { table } from '../../lib/report/markdown';
import type { ComplianceResult, Finding } from '../../lib/compliance/evaluate';
import type { ClusterOutput, ControlRef, Rule } from '../../lib/compliance/compliance-rule';
import { RULES } from '../../lib/compliance/rule-pack';
import type { IRegion } from '../core/tree';

const where = (f: Finding) => `${f.region}/${f.cluster}`;

/**
 * The region report's compliance section: each control of the catalogues with the rules that
 * check it and their status here, the warnings, and every suppression with its reason.
 */
export function complianceSection(region: IRegion, result: ComplianceResult): string {
  const suppressions = region.spec.compliance?.suppressions ?? [];
  const outputs = result.checked.map((o) => `${o.region}/${o.cluster}`);
  let out = `${RULES.length} rules ran on the final output of ${outputs.map((o) => `\`${o}\``).join(', ')}: `;
  out += `${result.errors.length} errors, ${result.warnings.length} warnings, ${result.suppressed.length} suppressed findings`;
  out +=
    result.unusedSuppressions.length > 0
      ? `, ${result.unusedSuppressions.length} unused suppression${result.unusedSuppressions.length === 1 ? '' : 's'} (a warning: remove it).`
      : '.';
  out += " An error fails synth; the same rules, where CEL can say them, are each cluster's ValidatingAdmissionPolicies (`admission-policies.yaml`).\n\n";

  const status = (rule: Rule): string => {
    const open = [...result.errors, ...result.warnings].filter((f) => f.rule.id === rule.id).length;
    const waived = result.suppressed.filter((f) => f.rule.id === rule.id).length;
    if (open === 0 && waived === 0) return 'pass';
    return [open > 0 ? `${open} ${rule.severity === 'error' ? 'error' : 'warning'}${open === 1 ? '' : 's'}` : '', waived > 0 ? `${waived} suppressed` : '']
      .filter(Boolean)
      .join(', ');
  };
  const controls = new Map<string, { control: ControlRef; rules: Rule[] }>();
  for (const rule of RULES) {
    for (const control of rule.controls) {
      const key = `${control.framework}|${control.id}`;
      const entry = controls.get(key) ?? { control, rules: [] };
      entry.rules.push(rule);
      controls.set(key, entry);
    }
  }
  out += '**Controls**\n\n';
  out += table(
    ['framework', 'control', 'what it asks', 'rules', 'status here'],
    [...controls.values()]
      .sort((a, b) => a.control.framework.localeCompare(b.control.framework) || a.control.id.localeCompare(b.control.id, undefined, { numeric: true }))
      .map(({ control, rules }) => [
        control.framework,
        `${control.id}${control.certain === false ? ' (our reading)' : ''}`,
        control.title,
        rules.map((r) => r.id).join(', '),
        rules.map((r) => `${r.id}: ${status(r)}`).join('; '),
      ]),
  );

  out += '\n**Warnings**\n\n';
  out +=
    result.warnings.length === 0
      ? 'None.\n'
      : table(
          ['rule', 'where', 'object', 'field', 'finding'],
          result.warnings.map((f) => [`${f.rule.id} ${f.rule.title}`, where(f), f.object.name, f.field || '-', f.message]),
        );

  out += '\n**Suppressions**\n\n';
  out +=
    suppressions.length === 0
      ? 'None.\n'
      : table(
          ['name', 'rule', 'scope', 'reason', 'review by', 'findings covered'],
          suppressions.map((s, i) => {
            const covered = result.suppressed.filter((f) => f.suppression === i).length;
            const scope = Object.entries(s.scope)
              .map(([key, value]) => `${key} ${String(value)}`)
              .join(', ');
            return [s.name, s.rule, scope, s.reason, s.expires ?? '-', covered === 0 ? 'none: unused, remove it' : String(covered)];
          }),
        );
  return out;
}

/**
 * What the fleet report reads of a region's compliance result: its findings and which outputs
 * were checked, without the outputs' objects (a synth keeps this for every region, not the objects).
 */
export interface ComplianceSummary extends Omit<ComplianceResult, 'checked'> {
  readonly checked: ReadonlyArray<Pick<ClusterOutput, 'region' | 'cluster'>>;
}

export function complianceSummary(result: ComplianceResult): ComplianceSummary {
  const { errors, warnings, suppressed, unusedSuppressions } = result;
  return { errors, warnings, suppressed, unusedSuppressions, checked: result.checked.map(({ region, cluster }) => ({ region, cluster })) };
}

/** The fleet report's compliance summary: each region's counts, and each rule with findings anywhere. */
export function fleetComplianceSection(results: ReadonlyArray<{ readonly region: IRegion; readonly result: ComplianceSummary }>): string {
  let out = table(
    ['region', 'outputs checked', 'errors', 'warnings', 'suppressed', 'unused suppressions'],
    results.map(({ region, result }) => [
      region.name,
      result.checked.map((o) => `${o.region}/${o.cluster}`).join(', '),
      result.errors.length,
      result.warnings.length,
      result.suppressed.length,
      result.unusedSuppressions.length,
    ]),
  );
  const byRule = new Map<string, { rule: Rule; warnings: number; suppressed: number }>();
  for (const { result } of results) {
    for (const finding of [...result.warnings, ...result.suppressed]) {
      const entry = byRule.get(finding.rule.id) ?? { rule: finding.rule, warnings: 0, suppressed: 0 };
      if ('suppression' in finding) entry.suppressed += 1;
      else entry.warnings += 1;
      byRule.set(finding.rule.id, entry);
    }
  }
  out += '\n';
  out +=
    byRule.size === 0
      ? 'Every rule passes everywhere.\n'
      : table(
          ['rule', 'severity', 'title', 'open warnings', 'suppressed'],
          [...byRule.values()]
            .sort((a, b) => a.rule.id.localeCompare(b.rule.id))
            .map(({ rule, warnings, suppressed }) => [rule.id, rule.severity, rule.title, warnings, suppressed]),
        );
  return out;
}
