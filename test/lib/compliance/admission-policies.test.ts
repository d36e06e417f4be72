import {
  ADMISSION_RULE_LABEL,
  ADMISSION_TITLE_ANNOTATION,
  ADMISSION_WAIVER_ANNOTATION,
  type AdmissionPolicyOptions,
  type AdmissionWaiver,
  admissionMessage,
  admissionPolicies,
  admissionWaivers,
} from '../../../lib/compliance/admission-policies';
import type { ClusterOutput, Json, Rule } from '../../../lib/compliance/compliance-rule';
import type { Suppression } from '../../../lib/compliance/evaluate';
import { RULES } from '../../../lib/compliance/rule-pack';
import { ManifestValidator, formatManifestProblems } from '../../../lib/validation/manifest-validator';
import { LABELS } from '../../../constructs/core/labels';

const DEPARTMENT = 'govcloud.io/department';
const NAME = 'app.kubernetes.io/name';
const validator = new ManifestValidator();

/** A sample rule; `validations` empty means no admission check at all. */
function sampleRule(id: string, validations: Array<[string, string]> | undefined): Rule {
  return {
    id,
    title: `title of ${id}`,
    severity: 'error',
    rationale: 'why',
    fix: 'how',
    controls: [],
    check: () => [],
    ...(validations ? { admission: { validations: validations.map(([expression, message]) => ({ expression, message })) } } : {}),
  };
}

// Unsorted on purpose, with a rule without admission and one whose check says nothing.
const SAMPLE_RULES: Rule[] = [
  sampleRule('GCB-POD-02', [['!has(variables.podSpec.hostNetwork) || variables.podSpec.hostNetwork == false', 'GCB-POD-02: no host network']]),
  sampleRule('GCB-RES-03', undefined),
  sampleRule('GCB-POD-01', [
    [
      'variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)',
      'containers must not be privileged',
    ],
    ['!has(variables.podSpec.hostPID)', '[GCB-POD-01] no host PID'],
  ]),
  sampleRule('GCB-IMG-09', []),
];

const options = (extra: Partial<AdmissionPolicyOptions> = {}): AdmissionPolicyOptions => ({ departmentLabel: DEPARTMENT, objectLabel: NAME, ...extra });
const policiesOf = (objects: Json[]) => objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
const bindingsOf = (objects: Json[], policy: string) => objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.spec.policyName === policy);

// --- A label selector, as the API server reads matchResources (enough for what the bindings use).
function selects(selector: Json | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabels = Object.entries((selector.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);
  const byExpressions = ((selector.matchExpressions ?? []) as Json[]).every((e) => {
    const value = labels[e.key as string];
    switch (e.operator) {
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      case 'In':
        return value !== undefined && (e.values as string[]).includes(value);
      case 'NotIn':
        return value === undefined || !(e.values as string[]).includes(value);
      default:
        throw new Error(`operator ${String(e.operator)}`);
    }
  });
  return byLabels && byExpressions;
}

/** The actions of every binding of `policy` that matches an object labelled `objectLabels` in a namespace labelled `namespaceLabels`. */
function actionsFor(objects: Json[], policy: string, namespaceLabels: Record<string, string>, objectLabels: Record<string, string> = {}): string[][] {
  const constraints = policiesOf(objects).find((p) => p.metadata.name === policy)!.spec.matchConstraints;
  if (!selects(constraints.namespaceSelector, namespaceLabels)) return [];
  return bindingsOf(objects, policy)
    .filter((b) => selects(b.spec.matchResources.namespaceSelector, namespaceLabels) && selects(b.spec.matchResources.objectSelector, objectLabels))
    .map((b) => b.spec.validationActions as string[]);
}

const department = (name: string) => ({ [DEPARTMENT]: name, 'kubernetes.io/metadata.name': name });

describe('admissionPolicies', () => {
  const objects = admissionPolicies(SAMPLE_RULES, options());

  it('writes one policy and one Deny binding per rule with an admission check, in rule id order', () => {
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ValidatingAdmissionPolicy gcb-pod-01',
      'ValidatingAdmissionPolicyBinding gcb-pod-01',
      'ValidatingAdmissionPolicy gcb-pod-02',
      'ValidatingAdmissionPolicyBinding gcb-pod-02',
    ]);
  });

  it('writes objects the Kubernetes schema (admissionregistration.k8s.io/v1) accepts', () => {
    const problems = objects.flatMap((o) => validator.validateObject(o));
    expect(formatManifestProblems(problems)).toBe('');
    for (const o of objects) expect(o.apiVersion).toBe('admissionregistration.k8s.io/v1');
  });

  it('matches every pod-bearing kind on create and update, in department namespaces, and fails closed', () => {
    const { spec } = policiesOf(objects)[0];
    expect(spec.failurePolicy).toBe('Fail');
    expect(spec.matchConstraints.namespaceSelector).toEqual({ matchExpressions: [{ key: DEPARTMENT, operator: 'Exists' }] });
    const resources = (spec.matchConstraints.resourceRules as Json[]).flatMap((r) =>
      (r.resources as string[]).map(
        (resource) => `${(r.apiGroups as string[]).join()}/${(r.apiVersions as string[]).join()} ${resource} ${(r.operations as string[]).join('+')}`,
      ),
    );
    expect(resources.sort()).toEqual([
      '/v1 pods CREATE+UPDATE',
      '/v1 pods/ephemeralcontainers CREATE+UPDATE',
      'apps/v1 daemonsets CREATE+UPDATE',
      'apps/v1 deployments CREATE+UPDATE',
      'apps/v1 replicasets CREATE+UPDATE',
      'apps/v1 statefulsets CREATE+UPDATE',
      'batch/v1 cronjobs CREATE+UPDATE',
      'batch/v1 jobs CREATE+UPDATE',
    ]);
    // Metadata-only updates (finalizers, labels, deletion) are not judged again, as Pod Security Admission does.
    expect(spec.matchConditions).toEqual([{ name: 'spec-written', expression: "request.operation != 'UPDATE' || object.spec != oldObject.spec" }]);
  });

  it('binds podSpec by kind and containers from all three lists, guarding the optional ones', () => {
    const [podSpec, containers] = policiesOf(objects)[0].spec.variables as Json[];
    expect(podSpec).toEqual({
      name: 'podSpec',
      expression: "object.kind == 'Pod' ? object.spec : (object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec)",
    });
    expect(containers.name).toBe('containers');
    expect(containers.expression).toBe(
      'variables.podSpec.containers + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])',
    );
  });

  it("prefixes every message with its rule id once, and keeps the rule's expressions", () => {
    expect(policiesOf(objects)[0].spec.validations).toEqual([
      {
        expression: 'variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)',
        message: '[GCB-POD-01] containers must not be privileged',
      },
      { expression: '!has(variables.podSpec.hostPID)', message: '[GCB-POD-01] no host PID' },
    ]);
    expect(policiesOf(objects)[1].spec.validations[0].message).toBe('[GCB-POD-02] no host network');
    expect(admissionMessage('GCB-X-01', 'GCB-X-01:   spaced')).toBe('[GCB-X-01] spaced');
  });

  it('names the rule and its title on every object, beside the labels it is given', () => {
    const labelled = admissionPolicies(SAMPLE_RULES, options({ labels: { 'app.kubernetes.io/managed-by': 'govcloud-blueprint' } }));
    for (const o of labelled) {
      const rule = o.metadata.name.startsWith('gcb-pod-01') ? 'GCB-POD-01' : 'GCB-POD-02';
      expect(o.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'govcloud-blueprint', [ADMISSION_RULE_LABEL]: rule });
      expect(o.metadata.annotations[ADMISSION_TITLE_ANNOTATION]).toBe(`title of ${rule}`);
    }
  });

  it('denies in every department namespace, and nowhere else', () => {
    const binding = bindingsOf(objects, 'gcb-pod-01')[0];
    expect(binding.spec).toEqual({
      policyName: 'gcb-pod-01',
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: { matchExpressions: [{ key: DEPARTMENT, operator: 'Exists' }] } },
    });
    expect(actionsFor(objects, 'gcb-pod-01', department('education'))).toEqual([['Deny']]);
    expect(actionsFor(objects, 'gcb-pod-01', { 'kubernetes.io/metadata.name': 'monitoring' })).toEqual([]);
  });

  it('is deterministic: the same input gives the same output, whatever the order of rules and waivers', () => {
    const waivers: AdmissionWaiver[] = [
      { rule: 'GCB-POD-01', department: 'tax', reason: 'a' },
      { rule: 'GCB-POD-01', department: 'education', object: 'enrolment', reason: 'b' },
      { rule: 'GCB-POD-01', department: 'education', object: 'archive', reason: 'c' },
    ];
    const once = admissionPolicies(SAMPLE_RULES, options({ waivers }));
    const again = admissionPolicies([...SAMPLE_RULES].reverse(), options({ waivers: [...waivers].reverse() }));
    expect(JSON.stringify(again.map((o) => [o.metadata.name, o.spec]))).toBe(JSON.stringify(once.map((o) => [o.metadata.name, o.spec])));
  });
});

describe('admissionPolicies with waivers', () => {
  it('turns the one binding into Warn + Audit when the rule is waived on the whole cluster', () => {
    const objects = admissionPolicies(SAMPLE_RULES, options({ waivers: [{ rule: 'GCB-POD-01', reason: 'legacy cluster' }] }));
    const [binding] = bindingsOf(objects, 'gcb-pod-01');
    expect(bindingsOf(objects, 'gcb-pod-01')).toHaveLength(1);
    expect(binding.metadata.name).toBe('gcb-pod-01');
    expect(binding.spec.validationActions).toEqual(['Warn', 'Audit']);
    expect(binding.metadata.annotations[ADMISSION_WAIVER_ANNOTATION]).toBe('legacy cluster');
    expect(actionsFor(objects, 'gcb-pod-01', department('education'))).toEqual([['Warn', 'Audit']]);
    // The other rule still denies.
    expect(actionsFor(objects, 'gcb-pod-02', department('education'))).toEqual([['Deny']]);
  });

  it('warns in a waived department only: the Deny binding leaves it out', () => {
    const objects = admissionPolicies(
      SAMPLE_RULES,
      options({
        waivers: [
          { rule: 'GCB-POD-01', department: 'tax', reason: 'vendor agent' },
          { rule: 'GCB-POD-01', department: 'health' },
        ],
      }),
    );
    expect(bindingsOf(objects, 'gcb-pod-01').map((b) => [b.metadata.name, b.spec.validationActions, b.spec.matchResources])).toEqual([
      [
        'gcb-pod-01',
        ['Deny'],
        {
          namespaceSelector: {
            matchExpressions: [
              { key: DEPARTMENT, operator: 'Exists' },
              { key: DEPARTMENT, operator: 'NotIn', values: ['health', 'tax'] },
            ],
          },
        },
      ],
      ['gcb-pod-01.health.waived', ['Warn', 'Audit'], { namespaceSelector: { matchLabels: { [DEPARTMENT]: 'health' } } }],
      ['gcb-pod-01.tax.waived', ['Warn', 'Audit'], { namespaceSelector: { matchLabels: { [DEPARTMENT]: 'tax' } } }],
    ]);
    expect(actionsFor(objects, 'gcb-pod-01', department('tax'))).toEqual([['Warn', 'Audit']]);
    expect(actionsFor(objects, 'gcb-pod-01', department('health'))).toEqual([['Warn', 'Audit']]);
    expect(actionsFor(objects, 'gcb-pod-01', department('education'))).toEqual([['Deny']]);
    expect(actionsFor(objects, 'gcb-pod-02', department('tax'))).toEqual([['Deny']]);
    expect(bindingsOf(objects, 'gcb-pod-01')[2].metadata.annotations[ADMISSION_WAIVER_ANNOTATION]).toBe('vendor agent');
    expect(formatManifestProblems(objects.flatMap((o) => validator.validateObject(o)))).toBe('');
  });

  it('warns for a waived object of a department only, by its label, and denies the rest of the department', () => {
    const waivers: AdmissionWaiver[] = [
      { rule: 'GCB-POD-01', department: 'education', object: 'enrolment', reason: 'r1' },
      { rule: 'GCB-POD-01', department: 'education', object: 'archive', reason: 'r2' },
    ];
    const objects = admissionPolicies(SAMPLE_RULES, options({ waivers }));
    expect(bindingsOf(objects, 'gcb-pod-01').map((b) => [b.metadata.name, b.spec.validationActions, b.spec.matchResources])).toEqual([
      [
        'gcb-pod-01',
        ['Deny'],
        {
          namespaceSelector: {
            matchExpressions: [
              { key: DEPARTMENT, operator: 'Exists' },
              { key: DEPARTMENT, operator: 'NotIn', values: ['education'] },
            ],
          },
        },
      ],
      [
        'gcb-pod-01.education',
        ['Deny'],
        {
          namespaceSelector: { matchLabels: { [DEPARTMENT]: 'education' } },
          objectSelector: { matchExpressions: [{ key: NAME, operator: 'NotIn', values: ['archive', 'enrolment'] }] },
        },
      ],
      [
        'gcb-pod-01.education.waived',
        ['Warn', 'Audit'],
        {
          namespaceSelector: { matchLabels: { [DEPARTMENT]: 'education' } },
          objectSelector: { matchExpressions: [{ key: NAME, operator: 'In', values: ['archive', 'enrolment'] }] },
        },
      ],
    ]);
    expect(bindingsOf(objects, 'gcb-pod-01')[2].metadata.annotations[ADMISSION_WAIVER_ANNOTATION]).toBe('r1; r2');
    expect(formatManifestProblems(objects.flatMap((o) => validator.validateObject(o)))).toBe('');
  });

  it('covers every object of every namespace by exactly one binding per rule, warning for exactly the waived scope', () => {
    const waivers: AdmissionWaiver[] = [
      { rule: 'GCB-POD-01', department: 'education', object: 'enrolment' },
      { rule: 'GCB-POD-01', department: 'tax' },
      // A department waiver covers its object waivers.
      { rule: 'GCB-POD-01', department: 'tax', object: 'e-filing' },
      { rule: 'GCB-POD-02', department: 'health', object: 'records' },
      { rule: 'GCB-NONE-01', department: 'health' }, // no such rule with admission: ignored
    ];
    const objects = admissionPolicies(SAMPLE_RULES, options({ waivers }));
    const waived = (rule: string, dept: string, name: string | undefined) =>
      waivers.some((w) => w.rule === rule && w.department === dept && (w.object === undefined || w.object === name));
    for (const rule of ['GCB-POD-01', 'GCB-POD-02']) {
      for (const dept of ['education', 'tax', 'health', 'social-security']) {
        for (const name of ['enrolment', 'e-filing', 'records', 'other', undefined]) {
          const actions = actionsFor(objects, rule.toLowerCase(), department(dept), name ? { [NAME]: name } : {});
          expect([rule, dept, name, actions]).toEqual([rule, dept, name, [waived(rule, dept, name) ? ['Warn', 'Audit'] : ['Deny']]]);
        }
      }
      expect(actionsFor(objects, rule.toLowerCase(), { 'kubernetes.io/metadata.name': 'middleware' }, { [NAME]: 'enrolment' })).toEqual([]);
    }
  });

  it('fails on input the API server would reject, naming each problem', () => {
    const bad = () =>
      admissionPolicies([...SAMPLE_RULES, sampleRule('GCB-POD-01', []), sampleRule('GCB-SEC-09', [['true', 'two\nlines']])], {
        departmentLabel: 'not a label',
        waivers: [
          { rule: 'GCB-POD-01', object: 'enrolment' },
          { rule: 'GCB-POD-02', department: 'Education' },
        ],
      });
    expect(bad).toThrow(/departmentLabel "not a label" is not a label key/);
    expect(bad).toThrow(/rule GCB-POD-01 is given twice/);
    expect(bad).toThrow(/GCB-SEC-09: admission validation 0's message has a line break/);
    expect(bad).toThrow(/waivers\[0\] \(GCB-POD-01\): an object waiver needs its department/);
    expect(bad).toThrow(/waivers\[0\] \(GCB-POD-01\): an object waiver needs options.objectLabel/);
    expect(bad).toThrow(/waivers\[1\] \(GCB-POD-02\): department "Education" is not a namespace name/);
    expect(() => admissionPolicies(SAMPLE_RULES, options({ waivers: [{ rule: 'GCB-POD-01', department: 'education', object: 'x'.repeat(64) }] }))).toThrow(
      /is not a label value/,
    );
  });
});

describe('admissionWaivers', () => {
  const workload = (kind: string, name: string, namespace: string, label: string | undefined, templateLabel = label): Json => {
    const labels = label ? { [NAME]: label } : undefined;
    const template = { metadata: templateLabel ? { labels: { [NAME]: templateLabel } } : {}, spec: { containers: [] } };
    return { apiVersion: 'apps/v1', kind, metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec: { template } };
  };
  const output: ClusterOutput = {
    region: 'changsha',
    cluster: 'gov',
    role: 'gov',
    production: true,
    registry: 'harbor.example/mirror',
    departments: ['education', 'tax'],
    terraform: [],
    manifests: [
      workload('Deployment', 'enrolment', 'education', 'enrolment'),
      workload('Deployment', 'enrolment-canary', 'education', 'enrolment-canary', 'other'),
      workload('Deployment', 'e-filing', 'tax', undefined),
      workload('Deployment', 'grafana', 'monitoring', 'grafana'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'enrolment', namespace: 'education' } },
    ].map((object) => ({ file: 'manifests/changsha/gov/x.yaml', object })),
  };
  const suppression = (rule: string, scope: Suppression['scope']): Suppression => ({ rule, scope, reason: `because ${rule}` });

  it('narrows each suppression of this cluster to what a binding can select', () => {
    const waivers = admissionWaivers(
      [
        suppression('GCB-POD-01', { region: 'changsha' }),
        suppression('GCB-POD-02', { cluster: 'gov', department: 'tax' }),
        suppression('GCB-POD-03', { object: 'Deployment education/enrolment' }),
        // Its pod template does not carry the same label value: the department.
        suppression('GCB-POD-04', { object: 'Deployment education/enrolment-canary' }),
        suppression('GCB-POD-05', { department: 'tax', object: 'Deployment tax/e-filing' }),
      ],
      output,
      NAME,
    );
    expect(waivers).toEqual([
      { rule: 'GCB-POD-01', reason: 'because GCB-POD-01' },
      { rule: 'GCB-POD-02', department: 'tax', reason: 'because GCB-POD-02' },
      { rule: 'GCB-POD-03', department: 'education', object: 'enrolment', reason: 'because GCB-POD-03' },
      { rule: 'GCB-POD-04', department: 'education', reason: 'because GCB-POD-04' },
      { rule: 'GCB-POD-05', department: 'tax', reason: 'because GCB-POD-05' },
    ]);
  });

  it('leaves out suppressions of other regions, clusters and departments, and objects no policy sees', () => {
    const waivers = admissionWaivers(
      [
        suppression('GCB-POD-01', { region: 'zhuzhou' }),
        suppression('GCB-POD-01', { region: 'changsha', cluster: 'burst' }),
        suppression('GCB-POD-01', { department: 'health' }),
        suppression('GCB-POD-01', { object: 'Deployment monitoring/grafana' }),
        suppression('GCB-POD-01', { object: 'Service education/enrolment' }),
        suppression('GCB-POD-01', { object: 'Deployment education/missing' }),
        suppression('GCB-POD-01', { department: 'tax', object: 'Deployment education/enrolment' }),
      ],
      output,
      NAME,
    );
    expect(waivers).toEqual([]);
  });

  it('widens an object suppression to its department without an object label', () => {
    expect(admissionWaivers([suppression('GCB-POD-03', { object: 'Deployment education/enrolment' })], output)).toEqual([
      { rule: 'GCB-POD-03', department: 'education', reason: 'because GCB-POD-03' },
    ]);
  });
});

describe('the rule pack as admission policies', () => {
  const objects = admissionPolicies(RULES, { departmentLabel: LABELS.department, objectLabel: LABELS.name });
  const withAdmission = RULES.filter((r) => (r.admission?.validations.length ?? 0) > 0);

  it("selects the library's department namespaces by the label they carry", () => {
    expect(LABELS.department).toBe(DEPARTMENT);
  });

  it('gives every rule with an admission check its policy and Deny binding', () => {
    expect(policiesOf(objects).map((p) => p.metadata.name)).toEqual(withAdmission.map((r) => r.id.toLowerCase()).sort());
    for (const rule of withAdmission) {
      const [binding, ...more] = bindingsOf(objects, rule.id.toLowerCase());
      expect([rule.id, more.length, binding.spec.validationActions]).toEqual([rule.id, 0, ['Deny']]);
    }
  });

  it('writes objects the Kubernetes schema accepts, every message starting with its rule id once', () => {
    expect(formatManifestProblems(objects.flatMap((o) => validator.validateObject(o)))).toBe('');
    for (const policy of policiesOf(objects)) {
      const id = policy.metadata.labels[ADMISSION_RULE_LABEL] as string;
      for (const v of policy.spec.validations as Json[]) {
        expect(v.message).toMatch(new RegExp(`^\\[${id}\\] `));
        expect(v.message.slice(id.length + 3)).not.toContain(id);
      }
    }
  });
});
