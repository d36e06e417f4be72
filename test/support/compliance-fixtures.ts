import type { ClusterOutput, Json, ManifestObject, Rule, TerraformResource } from '../../lib/compliance/compliance-rule';

/**
 * A rule's fixtures, as cdk-nag and Polaris keep them: objects that pass the rule and objects that
 * break it. The test runs the rule on each and fails naming the rule when a passing fixture is
 * flagged or a failing one is not.
 */
export interface RuleFixture {
  readonly rule: string;
  readonly passing: FixtureObjects;
  readonly failing: FixtureObjects;
  /** Words the failing fixture's violation message must contain. */
  readonly failingMessage: string | RegExp;
}

export interface FixtureObjects {
  readonly manifests?: readonly Json[];
  readonly terraform?: ReadonlyArray<Omit<TerraformResource, 'constructPath'> & { readonly constructPath?: string }>;
  /** Overrides of the fixture cluster (role, production, departments, registry). */
  readonly cluster?: Partial<Pick<ClusterOutput, 'role' | 'production' | 'departments' | 'registry' | 'region' | 'cluster'>>;
}

export const FIXTURE_REGISTRY = 'harbor.gov.example/mirror';

/** A cluster output holding exactly `objects`: gov, production, department `education`, mirror FIXTURE_REGISTRY. */
export function fixtureOutput(objects: FixtureObjects): ClusterOutput {
  const manifests: ManifestObject[] = (objects.manifests ?? []).map((object) => ({ file: 'manifests/city/gov/fixture.yaml', object }));
  return {
    region: 'city',
    cluster: 'gov',
    role: 'gov',
    production: true,
    registry: FIXTURE_REGISTRY,
    departments: ['education'],
    ...objects.cluster,
    manifests,
    terraform: (objects.terraform ?? []).map((r) => ({ constructPath: `city-gov/${r.name}`, ...r })),
  };
}

/** Checks each fixture against its rule; returns one line per fixture that misbehaves (empty when all hold). */
export function fixtureProblems(rules: readonly Rule[], fixtures: readonly RuleFixture[]): string[] {
  const problems: string[] = [];
  for (const rule of rules) if (!fixtures.some((f) => f.rule === rule.id)) problems.push(`${rule.id}: no fixture`);
  for (const fixture of fixtures) {
    const rule = rules.find((r) => r.id === fixture.rule);
    if (!rule) {
      problems.push(`${fixture.rule}: fixture for a rule that does not exist`);
      continue;
    }
    const passing = rule.check(fixtureOutput(fixture.passing));
    if (passing.length > 0)
      problems.push(`${rule.id}: the passing fixture is flagged: ${passing.map((v) => `${v.object.name} ${v.field}: ${v.message}`).join('; ')}`);
    const failing = rule.check(fixtureOutput(fixture.failing));
    if (failing.length === 0) problems.push(`${rule.id}: the failing fixture passes`);
    else if (
      !failing.some((v) => (typeof fixture.failingMessage === 'string' ? v.message.includes(fixture.failingMessage) : fixture.failingMessage.test(v.message)))
    ) {
      problems.push(`${rule.id}: the failing fixture's messages (${failing.map((v) => v.message).join('; ')}) do not say ${String(fixture.failingMessage)}`);
    }
  }
  return problems;
}
