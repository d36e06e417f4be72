import * as s from '../../lib/schema';
import type { Suppression } from '../../lib/compliance/evaluate';

// The government security standard as code (white paper 3.1 and 6.4; MLPS 2.0 level 3): the rule
// pack in lib/compliance runs on the final output of every synth. What a blueprint says about it
// is where a rule cannot hold and why.

/**
 * A rule waived for a scope, with the reason, like an escape hatch (the engine's `Suppression`,
 * named): the report lists every one. Every scope field given must match a finding; at least one
 * is required. `expires` is a review date (YYYY-MM-DD), required when an error-level rule is
 * waived on a production cluster: a waiver of a real hole must be temporary. Synth does not read
 * the clock; the report shows it.
 */
export interface SuppressionSpec extends Suppression {
  /** Short name, unique in the blueprint: the report and region overrides (`$remove`) refer to it. */
  readonly name: string;
}

export interface ComplianceSpec {
  /** @default none */
  readonly suppressions?: readonly SuppressionSpec[];
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const suppressionSchema = s.object<SuppressionSpec>(
  {
    name: s.name('Suppression name, unique in the blueprint.'),
    rule: s.string({ description: 'The rule id.', pattern: { regex: /^GCB-[A-Z]+-\d{2}$/, meaning: 'a rule id such as "GCB-POD-04"' } }),
    scope: s.object<SuppressionSpec['scope']>(
      {
        region: s.name().optional(),
        cluster: s.name().optional(),
        department: s.name().optional(),
        object: s.string({ description: 'An object as findings name it: "<Kind> <namespace>/<name>".' }).optional(),
      },
      { title: 'a suppression scope' },
    ),
    reason: s.string({ description: 'Why the rule cannot hold here.' }),
    expires: s.string({ description: 'Review date.', pattern: { regex: ISO_DATE, meaning: 'a date YYYY-MM-DD' } }).optional(),
  },
  { title: 'a suppression' },
);

export const complianceSchema = s.object<ComplianceSpec>(
  { suppressions: s.namedList(suppressionSchema, 'Rules waived where they cannot hold, each with its reason.').optional() },
  { title: 'the compliance settings' },
);
