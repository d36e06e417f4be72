import type { ClusterOutput, Rule, Severity, Violation } from './compliance-rule';

/**
 * A rule waived where it cannot hold, with the reason, like an escape hatch. Every scope field
 * given must match; at least one is required (a suppression never covers the whole fleet
 * silently).
 */
export interface Suppression {
  readonly rule: string;
  readonly scope: {
    readonly region?: string;
    readonly cluster?: string;
    readonly department?: string;
    /** The object's name as findings show it, e.g. `Deployment education/enrolment`. */
    readonly object?: string;
  };
  readonly reason: string;
  /** ISO date (YYYY-MM-DD) after which the waiver should be reviewed; required for error rules on production clusters. */
  readonly expires?: string;
}

/** A violation of a rule on one cluster. */
export interface Finding extends Violation {
  readonly rule: Rule;
  readonly region: string;
  readonly cluster: string;
}

export interface SuppressedFinding extends Finding {
  /** Index of the suppression in the list given to `evaluateCompliance`. */
  readonly suppression: number;
}

export interface ComplianceResult {
  /** Unsuppressed findings of error rules: synth fails on any. */
  readonly errors: readonly Finding[];
  /** Unsuppressed findings of warning rules: the report lists them. */
  readonly warnings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Indexes of suppressions that matched no finding. */
  readonly unusedSuppressions: readonly number[];
  /** The cluster outputs the rules ran on (the report names them; the admission policies are made from them). */
  readonly checked: readonly ClusterOutput[];
}

export function suppressionMatches(suppression: Suppression, finding: Finding): boolean {
  const { region, cluster, department, object } = suppression.scope;
  return (
    suppression.rule === finding.rule.id &&
    (region === undefined || region === finding.region) &&
    (cluster === undefined || cluster === finding.cluster) &&
    (department === undefined || department === finding.object.department) &&
    (object === undefined || object === finding.object.name)
  );
}

/** Runs every rule on every cluster's output and sorts the findings by what happens to them. */
export function evaluateCompliance(outputs: readonly ClusterOutput[], rules: readonly Rule[], suppressions: readonly Suppression[]): ComplianceResult {
  const findings: Finding[] = outputs.flatMap((output) =>
    rules.flatMap((rule) => rule.check(output).map((violation) => ({ ...violation, rule, region: output.region, cluster: output.cluster }))),
  );
  const used = new Set<number>();
  const open: Record<Severity, Finding[]> = { error: [], warning: [] };
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const index = suppressions.findIndex((s) => suppressionMatches(s, finding));
    if (index < 0) open[finding.rule.severity].push(finding);
    else {
      used.add(index);
      suppressed.push({ ...finding, suppression: index });
    }
  }
  return {
    errors: open.error,
    warnings: open.warning,
    suppressed,
    unusedSuppressions: suppressions.map((_, i) => i).filter((i) => !used.has(i)),
    checked: outputs,
  };
}

/** One line per finding: where, which rule, what, and the fix. */
export function formatFinding(finding: Finding): string {
  const where = `${finding.object.file ?? `${finding.region}/${finding.cluster}`}: ${finding.object.name}${finding.field ? ` ${finding.field}` : ''}`;
  return `${where}: [${finding.rule.id}] ${finding.message}; fix: ${finding.rule.fix}`;
}
