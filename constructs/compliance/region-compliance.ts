import type { Problem } from '../../lib/errors';
import { type ComplianceResult, type Finding, evaluateCompliance } from '../../lib/compliance/evaluate';
import { RULES } from '../../lib/compliance/rule-pack';
import type { IRegion } from '../core/tree';
import type { ManifestFolder } from '../core/manifest-folders';
import { collectClusterOutputs } from './cluster-outputs';

/**
 * The rule pack on the region's final output (both layers, after escape hatches), with the
 * region's suppressions. `stacksDirectory` is where cdktf synthesized the stacks.
 */
export function checkRegionCompliance(region: IRegion, folders: readonly ManifestFolder[], stacksDirectory: string): ComplianceResult {
  const suppressions = region.spec.compliance?.suppressions ?? [];
  return evaluateCompliance(collectClusterOutputs(region, folders, stacksDirectory), RULES, suppressions);
}

/** A finding as a synth problem: where in the output, the rule, what is wrong and the fix. */
export function findingProblem(finding: Finding): Problem {
  const where = finding.object.file ?? `${finding.region}/${finding.cluster}`;
  return {
    path: `${where}: ${finding.object.name}${finding.field ? ` ${finding.field}` : ''}`,
    message: `[${finding.rule.id}] ${finding.message}; fix: ${finding.rule.fix} (or suppress ${finding.rule.id} with a reason in compliance.suppressions)`,
  };
}
