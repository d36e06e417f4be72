import type { Rule } from '../../../lib/compliance/compliance-rule';
import { type RuleFixture, fixtureProblems } from '../../support/compliance-fixtures';

/** The harness every rule's fixtures go through must itself fail when a fixture does not hold. */
describe('the rule fixture harness', () => {
  const flagsPrivileged: Rule = {
    id: 'GCB-TST-01',
    title: 'no privileged pod',
    severity: 'error',
    rationale: 'test',
    fix: 'test',
    controls: [{ framework: 'PSS', id: 'baseline: Privileged Containers', title: 'test' }],
    check: (output) =>
      output.manifests
        .filter(({ object }) => object.kind === 'Pod' && object.spec?.containers?.[0]?.securityContext?.privileged === true)
        .map(({ object }) => ({
          object: { layer: 'manifest', name: `Pod ${String(object.metadata.name)}` },
          field: 'spec.containers[0].securityContext.privileged',
          message: 'privileged: true',
        })),
  };
  const pod = (privileged: boolean) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'education' },
    spec: { containers: [{ name: 'c', securityContext: { privileged } }] },
  });
  const fixture: RuleFixture = { rule: 'GCB-TST-01', passing: { manifests: [pod(false)] }, failing: { manifests: [pod(true)] }, failingMessage: 'privileged' };

  it('accepts fixtures that hold', () => {
    expect(fixtureProblems([flagsPrivileged], [fixture])).toEqual([]);
  });

  it('names the rule whose failing fixture passes, whose passing fixture is flagged, or whose message says the wrong thing', () => {
    expect(fixtureProblems([flagsPrivileged], [{ ...fixture, failing: { manifests: [pod(false)] } }])).toEqual(['GCB-TST-01: the failing fixture passes']);
    expect(fixtureProblems([flagsPrivileged], [{ ...fixture, passing: { manifests: [pod(true)] } }])).toEqual([
      'GCB-TST-01: the passing fixture is flagged: Pod p spec.containers[0].securityContext.privileged: privileged: true',
    ]);
    expect(fixtureProblems([flagsPrivileged], [{ ...fixture, failingMessage: 'hostNetwork' }])).toEqual([
      "GCB-TST-01: the failing fixture's messages (privileged: true) do not say hostNetwork",
    ]);
  });

  it('names a rule without fixtures and fixtures without a rule', () => {
    expect(fixtureProblems([flagsPrivileged], [])).toEqual(['GCB-TST-01: no fixture']);
    expect(fixtureProblems([], [fixture])).toEqual(['GCB-TST-01: fixture for a rule that does not exist']);
  });
});
