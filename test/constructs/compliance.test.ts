import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import { Fleet } from '../../constructs/core/fleet';
import type { BlueprintSpec } from '../../constructs/blueprint-spec';
import type { SuppressionSpec } from '../../constructs/compliance/compliance-spec';
import { ValidationError } from '../../lib/errors';
import { RULES } from '../../lib/compliance/rule-pack';
import { minimalBlueprint, problemsOf, SynthOutput, tempDir } from '../support/fleet-fixtures';

/** The minimal blueprint with a privileged, host-network enrolment slipped in through an escape hatch. */
function privilegedHostNetwork(blueprint: BlueprintSpec = minimalBlueprint()): { fleet: Fleet; outdir: string } {
  const outdir = path.join(tempDir(), 'out');
  const fleet = new Fleet({ blueprint, outdir });
  const [region] = fleet.addRegions({ changsha: {} });
  const education = region.cluster('gov').department('education')!;
  const deployment = education.chart.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment')!;
  region.escapeHatches.patchManifest(deployment, JsonPatch.add('/spec/template/spec/hostNetwork', true), 'vendor agent needs the node network');
  region.escapeHatches.patchManifest(
    deployment,
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true),
    'vendor agent loads a kernel module',
  );
  return { fleet, outdir };
}

describe('the security rule pack at synth', () => {
  it('fails synth on a privileged host-network pod slipped in through an escape hatch, naming the rules, the object and the fields, and writes nothing', () => {
    const { fleet, outdir } = privilegedHostNetwork();
    let error: unknown;
    try {
      fleet.synth();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const lines = (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
    expect(lines).toContainEqual(
      expect.stringMatching(/^manifests\/changsha\/gov\/education\.yaml: Deployment education\/enrolment spec\.template\.spec\.hostNetwork: \[GCB-POD-02\] /),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^manifests\/changsha\/gov\/education\.yaml: Deployment education\/enrolment spec\.template\.spec\.containers\[0\]\.securityContext\.privileged: \[GCB-POD-01\] .*; fix: /,
      ),
    );
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it('synthesizes the same patch once the rules are suppressed for the object, and the report lists the suppressions with their reasons', () => {
    const failing = (() => {
      try {
        privilegedHostNetwork().fleet.synth();
        return [];
      } catch (error) {
        return (error as ValidationError).problems.map((p) => /\[(GCB-[A-Z]+-\d{2})\]/.exec(p.message)![1]);
      }
    })();
    const rules = [...new Set(failing)];
    expect(rules.length).toBeGreaterThanOrEqual(2);
    const suppressions: SuppressionSpec[] = rules.map((rule) => ({
      name: `vendor-agent-${rule.toLowerCase()}`,
      rule,
      scope: { cluster: 'gov', object: 'Deployment education/enrolment' },
      reason: 'the vendor agent is being replaced by the standard exporter',
      expires: '2027-06-30',
    }));
    const unused: SuppressionSpec = {
      name: 'never-matches',
      rule: rules[0],
      scope: { department: 'education', object: 'Deployment education/other' },
      reason: 'stale',
      expires: '2027-01-01',
    };
    const { fleet, outdir } = privilegedHostNetwork({ ...minimalBlueprint(), compliance: { suppressions: [...suppressions, unused] } });
    fleet.synth();
    const report = new SynthOutput(outdir).read('reports/changsha.md');
    expect(report).toContain('## Compliance');
    for (const s of suppressions)
      expect(report).toContain(
        `| ${s.name} | ${s.rule} | cluster gov, object Deployment education/enrolment | the vendor agent is being replaced by the standard exporter | 2027-06-30 |`,
      );
    expect(report).toContain('| never-matches |');
    expect(report).toMatch(/\| never-matches \|.*\| none: unused, remove it \|/);
  });

  it('synthesizes the minimal blueprint with no error finding and reports every rule', () => {
    const outdir = path.join(tempDir(), 'out');
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir });
    fleet.addRegions({ changsha: {} });
    fleet.synth();
    const report = new SynthOutput(outdir).read('reports/changsha.md');
    expect(report).toMatch(new RegExp(`${RULES.length} rules ran on the final output of \`changsha/gov\`: 0 errors`));
  });
});

describe('admission policies in the output', () => {
  const admission = (blueprint: BlueprintSpec) => {
    const outdir = path.join(tempDir(), 'out');
    const fleet = new Fleet({ blueprint, outdir });
    fleet.addRegions({ changsha: {} });
    fleet.synth();
    const out = new SynthOutput(outdir);
    expect(out.read('manifests/changsha/gov/kustomization.yaml')).toContain('- admission-policies.yaml');
    return out.manifests('changsha', 'gov').filter((o) => o.apiVersion === 'admissionregistration.k8s.io/v1');
  };

  it('writes a policy and a Deny binding for every rule the API server can check, bound to the department namespaces', () => {
    const objects = admission(minimalBlueprint());
    const policies = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(RULES.filter((r) => r.admission).map((r) => r.id.toLowerCase()));
    for (const binding of objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')) {
      expect(binding.spec.validationActions).toEqual(['Deny']);
      expect(binding.spec.matchResources.namespaceSelector.matchExpressions).toContainEqual(expect.objectContaining({ key: 'govcloud.io/department' }));
    }
  });

  it('warns and audits instead of denying where a suppression waives the rule for a department', () => {
    const rule = RULES.find((r) => r.admission)!;
    const objects = admission({
      ...minimalBlueprint(),
      compliance: {
        suppressions: [{ name: 'legacy', rule: rule.id, scope: { department: 'education' }, reason: 'legacy image being rebuilt', expires: '2027-03-31' }],
      },
    });
    const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.spec.policyName === rule.id.toLowerCase());
    const waived = bindings.find((b) => b.spec.validationActions.includes('Warn'))!;
    expect(waived.spec.validationActions).toEqual(['Warn', 'Audit']);
    expect(JSON.stringify(waived.spec.matchResources.namespaceSelector)).toContain('education');
    const denying = bindings.find((b) => b.spec.validationActions.includes('Deny'))!;
    expect(denying.spec.matchResources.namespaceSelector.matchExpressions).toContainEqual(
      expect.objectContaining({ key: 'govcloud.io/department', operator: 'NotIn', values: ['education'] }),
    );
  });
});

describe('compliance suppressions: bad input', () => {
  const withSuppression = (suppression: Partial<SuppressionSpec>, blueprint: BlueprintSpec = minimalBlueprint()) =>
    problemsOf(
      () =>
        new Fleet({
          blueprint: {
            ...blueprint,
            compliance: {
              suppressions: [{ name: 'waiver', rule: RULES[0].id, scope: { cluster: 'gov' }, reason: 'because', expires: '2027-01-01', ...suppression }],
            },
          },
        }),
    ).join('\n');

  it('fails an unknown rule id, with a suggestion', () => {
    const rule = RULES[0].id;
    const typo = rule.replace(/\d{2}$/, (n) => String(Number(n) + 80).padStart(2, '0'));
    expect(withSuppression({ rule: typo })).toMatch(
      new RegExp(`blueprint\\.compliance\\.suppressions\\.waiver\\.rule: no rule named "${typo}".*Known: .*${rule}`),
    );
    expect(withSuppression({ rule: 'POD-1' })).toMatch(/suppressions\.waiver\.rule: must be a rule id such as "GCB-POD-04", got "POD-1"/);
  });

  it('fails an empty reason and an empty scope', () => {
    expect(withSuppression({ reason: '  ' })).toMatch(/suppressions\.waiver\.reason: is empty; say why the rule cannot hold here/);
    expect(withSuppression({ scope: {} })).toMatch(/suppressions\.waiver\.scope: is empty: a suppression never covers the whole fleet/);
  });

  it('fails a scope naming a cluster or department that does not exist', () => {
    expect(withSuppression({ scope: { cluster: 'gvo' } })).toMatch(/suppressions\.waiver\.scope\.cluster: no cluster named "gvo"; did you mean "gov"\?/);
    expect(withSuppression({ scope: { department: 'educaton' } })).toMatch(
      /suppressions\.waiver\.scope\.department: no department named "educaton"; did you mean "education"\?/,
    );
  });

  it('fails an error rule waived on a production cluster without a review date, and a date that is not one', () => {
    const errorRule = RULES.find((r) => r.severity === 'error')!;
    expect(withSuppression({ rule: errorRule.id, expires: undefined })).toMatch(
      new RegExp(
        `suppressions\\.waiver\\.expires: waives error rule ${errorRule.id} .* on production cluster gov without a review date; add expires: "YYYY-MM-DD"`,
      ),
    );
    const staging = minimalBlueprint();
    const nonProduction = { ...staging, clusters: staging.clusters.map((c) => ({ ...c, production: false })) };
    expect(() => withSuppression({ rule: errorRule.id, expires: undefined }, nonProduction)).toThrow(/expected a ValidationError/);
    expect(withSuppression({ expires: '2027-13-01' })).toMatch(/suppressions\.waiver\.expires: must be a date YYYY-MM-DD, got "2027-13-01"/);
  });
});

describe('the fleet report', () => {
  it('summarizes the compliance of every region synthesized together', () => {
    const outdir = path.join(tempDir(), 'out');
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir });
    fleet.addRegions({ changsha: {}, zhuzhou: {} });
    fleet.synth();
    const report = new SynthOutput(outdir).read('reports/fleet.md');
    expect(report).toContain('# Fleet `test-blueprint`');
    expect(report).toContain('| changsha | changsha/gov | 0 |');
    expect(report).toContain('| zhuzhou | zhuzhou/gov | 0 |');
  });

  it('refuses a region named like the fleet report', () => {
    expect(problemsOf(() => new Fleet({ blueprint: minimalBlueprint() }).addRegions({ fleet: {} }))).toEqual([
      'regions.fleet: region name "fleet" is taken by the fleet report (reports/fleet.md); rename the region',
    ]);
  });
});

describe("the README's rule table", () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const rows = readme
    .split('\n')
    .filter((line) => line.startsWith('| GCB-'))
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()));

  it('lists every rule of the pack once, with its severity, title and whether the API server enforces it too', () => {
    expect(rows.map((r) => r[1])).toEqual(RULES.map((rule) => rule.id));
    for (const rule of RULES) {
      const row = rows.find((r) => r[1] === rule.id)!;
      expect([row[2], row[3].replace(/\\\|/g, '|'), row[5]]).toEqual([rule.severity, rule.title, rule.admission ? 'yes' : '']);
      // Every control the rule maps to, marked * where it is our reading.
      for (const control of rule.controls) expect(row[4]).toContain(`${control.id}${control.certain === false ? '*' : ''}`);
    }
  });
});
