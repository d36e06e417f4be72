/**
 * The rule pack at runtime (issue 16, item 4): the ValidatingAdmissionPolicies the library writes
 * for each cluster, on a real kube-apiserver.
 *
 * - Every policy is accepted (its CEL compiles), and type-checks against the Kubernetes schemas:
 *   the API server's status controller checks the policy as written and a twin of each rule with
 *   the variables written out as `object.spec` (the controller does not type-check variables).
 * - Per rule with an admission check, its failing fixture (the workload and a Pod made of its
 *   template) is denied by that rule's policy, with the rule's message, in a department where it
 *   is the one rule enforced; admitted with the rule's warning in a department where every rule
 *   is waived; left alone outside the departments. Its passing fixture is admitted. An object
 *   waiver warns for that workload only.
 * - Updates: relabelling a workload is not judged again, changing its pod template is; `kubectl
 *   debug` with a bare container is denied, with `--profile=restricted` admitted.
 * - The library's own output (the default blueprint and every example): every workload of every
 *   department namespace, and a Pod made of each template, is admitted with the policies active,
 *   in namespaces labelled exactly as the cluster's stack labels them.
 *
 * The API server runs with `--allow-privileged=true`, as real ones do, so that GCB-POD-01's policy
 * (not the server's own validation) is what refuses a privileged container; and with the policy
 * status controller, which writes `status.typeChecking`.
 */
import { type ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type AdmissionWaiver, ADMISSION_RULE_LABEL, admissionPolicies, admissionWaivers } from '../../lib/compliance/admission-policies';
import type { ClusterOutput, Json, Rule } from '../../lib/compliance/compliance-rule';
import type { Suppression } from '../../lib/compliance/evaluate';
import { RULES } from '../../lib/compliance/rule-pack';
import { LABELS } from '../../constructs/core/labels';
import type { Fleet } from '../../index';
import type { RuleFixture } from '../support/compliance-fixtures';
import { PLATFORM_FIXTURES } from '../lib/compliance/platform-fixtures';
import { WORKLOAD_FIXTURES } from '../lib/compliance/workload-fixtures';
import { type TestApiServer, startTestApiServer } from './support/api-server';
import { type KubeObject, Kubectl, objectKey, warnings } from './support/kubectl';
import { log } from './support/log';
import { readKustomization } from './support/manifests';
import type { RunResult } from './support/run';
import {
  REPO_ROOT,
  exampleNames,
  library,
  regionClusters,
  removeDirectory,
  synthesizeDefaultBlueprint,
  synthesizeExample,
  temporaryDirectory,
} from './support/synth';
import { type Toolchain, loadToolchain } from './support/toolchain';
import { dependentSteps } from './support/steps';
import { controllerPodSpec } from './support/pods';

/** Every rule fixture (the objects of the fixtures that hold no pod spec are not applied). */
const FIXTURES: readonly RuleFixture[] = [...WORKLOAD_FIXTURES, ...PLATFORM_FIXTURES];

const ENFORCED: readonly Rule[] = RULES.filter((rule) => (rule.admission?.validations.length ?? 0) > 0);

/**
 * Department namespaces of the rule checks. In a rule's own department (`rule-gcb-pod-01`) that
 * rule denies and every other rule is waived (Warn + Audit), so a fixture is judged by its rule
 * alone even when it breaks others too (a fixture of one pack need not meet the other's rules,
 * and on the host network the API server defaults each hostPort, which GCB-POD-05 forbids). In
 * WAIVED every rule warns; OUTSIDE is no department.
 */
const ruleDepartment = (rule: string) => `rule-${rule.toLowerCase()}`;
const WAIVED = 'waived-department';
/** A department where every rule denies, as on a cluster without suppressions. */
const ENFORCING = 'education';
const OUTSIDE = 'outside';
/** The object waiver: in its rule's department, objects labelled `app.kubernetes.io/name: EXEMPT` only warn for the first rule. */
const EXEMPT = 'exempt-workload';

const POD_BEARING_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);
const FIELD_MANAGER = 'govcloud-e2e-admission';
const ACTIVE_TIMEOUT_MS = 90_000;
const STATUS_TIMEOUT_MS = 90_000;
const SUPERVISE = path.join(__dirname, 'support', 'supervise.sh');

/** The rule whose object waiver is proven: the first enforced rule with a fixture. */
const OBJECT_WAIVER_RULE = ENFORCED.find((rule) => FIXTURES.some((f) => f.rule === rule.id));

const RULE_CHECK_WAIVERS: AdmissionWaiver[] = ENFORCED.flatMap((rule) => [
  { rule: rule.id, department: WAIVED, reason: 'e2e: every rule warns in this department' },
  ...ENFORCED.filter((other) => other !== rule).map((other) => ({
    rule: rule.id,
    department: ruleDepartment(other.id),
    reason: `e2e: ${other.id} is judged alone here`,
  })),
  ...(rule === OBJECT_WAIVER_RULE ? [{ rule: rule.id, department: ruleDepartment(rule.id), object: EXEMPT, reason: 'e2e: one exempt workload' }] : []),
]);

describe('admission policies on a real API server', () => {
  let toolchain: Toolchain;
  let server: TestApiServer | undefined;
  let statusController: ChildProcess | undefined;
  let kubectl: Kubectl;
  let work: string;
  /** The library objects applied now, to replace them when a cluster's waivers differ. */
  let applied = '';
  let sentinels = 0;
  const step = dependentSteps();

  beforeAll(async () => {
    toolchain = loadToolchain();
    work = temporaryDirectory('admission');
    server = await startTestApiServer(allowingPrivileged(toolchain, work));
    kubectl = new Kubectl(server.kubeconfig, server.context);
    statusController = startStatusController(toolchain, server.kubeconfig, work);
    log(`admission policies: API server ${server.url}, ${ENFORCED.length} rules with an admission check: ${ENFORCED.map((r) => r.id).join(', ')}`);

    const departments = [...ENFORCED.map((rule) => ruleDepartment(rule.id)), WAIVED, ENFORCING];
    await applyObjects(kubectl, [...departments.map((name) => namespace(name, { [LABELS.department]: name })), namespace(OUTSIDE, {})]);
    // What the fixtures' pods need to be admitted as pods (no controllers here make them).
    const specs = FIXTURES.flatMap((f) => [...(f.passing.manifests ?? []), ...(f.failing.manifests ?? [])]).flatMap((o) =>
      podSpecOf(o) ? [podSpecOf(o)!] : [],
    );
    const accounts = [...new Set(['default', ...specs.map((s) => String(s.serviceAccountName ?? 'default'))])].sort();
    const priorities = [...new Set(specs.flatMap((s) => (s.priorityClassName ? [String(s.priorityClassName)] : [])))].sort();
    await applyObjects(kubectl, [
      ...[...departments, OUTSIDE].flatMap((ns) => accounts.map((name) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } }))),
      ...priorities.map((name) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 1000 })),
    ]);
  });

  afterAll(async () => {
    if (statusController) await stopProcess(statusController);
    await server?.stop();
    if (work) removeDirectory(work);
  });

  /** Puts exactly `objects` in place of the library's policies and bindings, then waits until the API server enforces them. */
  async function usePolicies(objects: Json[]): Promise<void> {
    const text = JSON.stringify(objects);
    if (text === applied) return;
    applied = '';
    await kubectl.ok([
      'delete',
      'validatingadmissionpolicybindings,validatingadmissionpolicies',
      '-l',
      ADMISSION_RULE_LABEL,
      '--ignore-not-found',
      '--wait=false',
    ]);
    const result = await applyList(kubectl, objects);
    if (result.code !== 0) throw new Error(`the API server rejects the policies of ${rulesNamedIn(result.stderr)}:\n${result.stderr.trim()}`);
    await waitUntilEnforced(kubectl, ++sentinels);
    applied = text;
  }

  const STEP = {
    accepted: 'the API server accepts every policy: the CEL of each rule compiles',
    typed: 'every policy type-checks against the Kubernetes schemas, the variables written out too',
  } as const;

  step(STEP.accepted, [], async () => {
    expect(ENFORCED.length).toBeGreaterThan(0);
    const objects = admissionPolicies(RULES, { departmentLabel: LABELS.department, objectLabel: LABELS.name, waivers: RULE_CHECK_WAIVERS });
    await usePolicies(objects);
    log(`${objects.length} policies and bindings applied and enforced`);
  });

  step(STEP.typed, [STEP.accepted], async () => {
    const twins = ENFORCED.map(typeCheckTwin);
    const result = await applyList(kubectl, twins);
    if (result.code !== 0) throw new Error(`the API server rejects the type-check twins of ${rulesNamedIn(result.stderr)}:\n${result.stderr.trim()}`);
    const policies = await checkedPolicies(kubectl, [...ENFORCED.map((r) => r.id.toLowerCase()), ...twins.map((t) => t.metadata.name as string)]);
    const problems = policies.flatMap((policy) =>
      ((policy.status?.typeChecking?.expressionWarnings ?? []) as Json[]).flatMap((w) => {
        const rule = String(policy.metadata.labels?.[ADMISSION_RULE_LABEL] ?? policy.metadata.labels?.['e2e-typecheck-rule'] ?? policy.metadata.name);
        const twin = String(policy.metadata.name).startsWith('e2e-typecheck-') ? ' (variables written out as object.spec)' : '';
        const errors = typeErrors(String(w.warning));
        return errors.length > 0 ? [`${rule}: ${String(w.fieldRef)}${twin}: ${errors.join('\n')}`] : [];
      }),
    );
    expect(problems).toEqual([]);
    log(`${policies.length} policies type-checked (${twins.length} of them the rules' twins)`);
  });

  step('an object waiver warns for that workload and its pods only, in its department', [STEP.accepted], async () => {
    if (!OBJECT_WAIVER_RULE) throw new Error('no rule with an admission check and a fixture: nothing to prove the object waiver with');
    const id = OBJECT_WAIVER_RULE.id;
    const department = ruleDepartment(id);
    const waiverBinding = `${id.toLowerCase()}.${department}.waived`;
    const failing = (FIXTURES.find((f) => f.rule === id)!.failing.manifests ?? []).filter(isPodBearing)[0];
    const problems: string[] = [];
    for (const variant of withPod(relabelled(failing, EXEMPT))) {
      const result = await dryRun(kubectl, variant, department);
      const what = `${objectKey(variant as KubeObject)} labelled ${LABELS.name}: ${EXEMPT}`;
      if (result.code !== 0) problems.push(`${what}: rejected in ${department}, where its ${id} is waived: ${result.stderr.trim()}`);
      else if (!policyWarnings(result).some((w) => w.rule === id && w.binding === waiverBinding))
        problems.push(`${what}: no ${id} warning from binding ${waiverBinding}; warnings: ${JSON.stringify(warnings(result))}`);
    }
    for (const variant of withPod(relabelled(failing, 'another-workload'))) {
      const result = await dryRun(kubectl, variant, department);
      if (policyDenial(result)?.rule !== id) problems.push(`${objectKey(variant as KubeObject)} (not waived) is not denied by ${id}: ${result.stderr.trim()}`);
    }
    expect(problems).toEqual([]);
    log(`${id}: waived for ${LABELS.name}=${EXEMPT} in ${department} only`);
  });

  step('updates are judged when they write the spec, kubectl debug included', [STEP.accepted], async () => {
    const rule = ENFORCED.find((r) => FIXTURES.some((f) => f.rule === r.id));
    if (!rule) throw new Error('no rule with an admission check and a fixture');
    const fixture = FIXTURES.find((f) => f.rule === rule.id)!;
    const problems: string[] = [];

    // A workload admitted with warnings where its rule is waived: relabelling it is not judged again, changing its pod template is.
    const workload = relabelled((fixture.failing.manifests ?? []).filter(isPodBearing)[0], 'update-probe');
    const kind = String(workload.kind).toLowerCase();
    const created = await applyObjectIn(kubectl, workload, WAIVED);
    if (created.code !== 0 || !policyWarnings(created).some((w) => w.rule === rule.id))
      problems.push(`creating ${kind}/update-probe in ${WAIVED}: expected a ${rule.id} warning: ${created.stderr.trim()}`);
    const relabel = await kubectl.run(['label', '-n', WAIVED, kind, 'update-probe', 'e2e-relabelled=true']);
    if (relabel.code !== 0 || policyWarnings(relabel).length > 0) problems.push(`relabelling ${kind}/update-probe is judged again: ${relabel.stderr.trim()}`);
    const templatePath = workload.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : workload.kind === 'Pod' ? [] : ['spec', 'template'];
    if (templatePath.length > 0) {
      const patch = templatePath.reduceRight<Json>((inner, key) => ({ [key]: inner }), { metadata: { annotations: { 'e2e-changed': 'true' } } });
      const changed = await kubectl.run(['patch', '-n', WAIVED, kind, 'update-probe', '--type=merge', '-p', JSON.stringify(patch)]);
      if (changed.code !== 0 || !policyWarnings(changed).some((w) => w.rule === rule.id))
        problems.push(`changing the pod template of ${kind}/update-probe is not judged again (no ${rule.id} warning): ${changed.stderr.trim()}`);
    }

    // A compliant pod in a department where every rule denies: a bare debug container is denied, the restricted profile's is admitted.
    const passing = (fixture.passing.manifests ?? []).filter(isPodBearing)[0];
    const made = withPod(passing).at(-1)!;
    const pod: Json = { ...made, metadata: { ...made.metadata, name: 'debug-probe' } };
    const running = await applyObjectIn(kubectl, pod, ENFORCING);
    if (running.code !== 0) problems.push(`the passing fixture of ${rule.id} as a pod is rejected where every rule denies: ${running.stderr.trim()}`);
    else {
      const image = String((pod.spec as Json).containers[0].image);
      const bare = await kubectl.run(['debug', '-n', ENFORCING, 'pod/debug-probe', '--profile=general', `--image=${image}`, '--container=bare-debugger']);
      if (!policyDenial(bare)) problems.push(`kubectl debug with a bare container is not denied by a policy: ${bare.stderr.trim() || bare.stdout.trim()}`);
      const restricted = await kubectl.run([
        'debug',
        '-n',
        ENFORCING,
        'pod/debug-probe',
        '--profile=restricted',
        `--image=${image}`,
        '--container=restricted-debugger',
      ]);
      if (restricted.code !== 0 || policyWarnings(restricted).length > 0)
        problems.push(`kubectl debug --profile=restricted is rejected: ${restricted.stderr.trim()}`);
    }
    expect(problems).toEqual([]);
  });

  describe('each rule against its fixtures', () => {
    it.each(ENFORCED.map((rule) => rule.id))('%s: denies its failing fixture in a department, warns where waived, admits its passing fixture', async (id) => {
      step.require([STEP.accepted]);
      const fixture = FIXTURES.find((f) => f.rule === id);
      if (!fixture) throw new Error(`${id} has an admission check but no fixture in test/lib/compliance/*-fixtures.ts to prove it with`);
      const failing = (fixture.failing.manifests ?? []).filter(isPodBearing);
      const passing = (fixture.passing.manifests ?? []).filter(isPodBearing);
      if (failing.length === 0) throw new Error(`${id}: the failing fixture has no pod-bearing object (${[...POD_BEARING_KINDS].join(', ')}) to apply`);
      const department = ruleDepartment(id);
      const problems: string[] = [];

      await Promise.all(
        failing.flatMap((object) =>
          withPod(object).map(async (variant) => {
            const what = `failing ${objectKey(variant as KubeObject)}`;
            const [denied, waived] = await Promise.all([dryRun(kubectl, variant, department), dryRun(kubectl, variant, WAIVED)]);
            problems.push(...celErrors(what, denied), ...celErrors(what, waived));
            const denial = policyDenial(denied);
            if (denied.code === 0) problems.push(`${what}: admitted in department ${department}; expected a denial by ${id}`);
            else if (!denial) problems.push(`${what}: rejected in ${department}, but not by a policy: ${denied.stderr.trim()}`);
            else if (denial.rule !== id) problems.push(`${what}: denied by ${denial.policy} (${denial.message}); expected ${id}`);
            if (waived.code !== 0) problems.push(`${what}: rejected in ${WAIVED}, where every rule is waived: ${waived.stderr.trim()}`);
            else if (!policyWarnings(waived).some((w) => w.rule === id))
              problems.push(`${what}: no ${id} warning in ${WAIVED}; warnings: ${JSON.stringify(warnings(waived))}`);
          }),
        ),
      );
      const outside = await dryRun(kubectl, failing[0], OUTSIDE);
      if (outside.code !== 0 || policyWarnings(outside).length > 0)
        problems.push(
          `failing ${objectKey(failing[0] as KubeObject)}: the policies reach namespace ${OUTSIDE}, which is no department: ${outside.stderr.trim()}`,
        );

      await Promise.all(
        passing.flatMap((object) =>
          withPod(object).map(async (variant) => {
            const what = `passing ${objectKey(variant as KubeObject)}`;
            const result = await dryRun(kubectl, variant, department);
            problems.push(...celErrors(what, result));
            if (result.code !== 0) problems.push(`${what}: rejected in ${department}: ${result.stderr.trim()}`);
            else if (policyWarnings(result).some((w) => w.rule === id))
              problems.push(`${what}: admitted with a ${id} warning: ${JSON.stringify(warnings(result))}`);
          }),
        ),
      );
      expect(problems.sort()).toEqual([]);
    });
  });

  describe("the library's own output is admitted", () => {
    const targets = libraryTargets();
    afterAll(() => targets.cleanup());

    it.each(targets.clusters.map((c) => [`${c.source}: ${c.region}/${c.cluster}`, c] as const))('%s', async (_, target) => {
      step.require([STEP.accepted]);
      const root = targets.synthesize(target.source);
      const stack = JSON.parse(fs.readFileSync(path.join(root, 'terraform', 'stacks', `${target.region}-${target.cluster}`, 'cdk.tf.json'), 'utf8')) as Json;
      const namespaces = Object.values((stack.resource?.kubernetes_namespace_v1 ?? {}) as Record<string, Json>).map((r) => r.metadata as Json);
      const specDepartments = new Set(target.departments);
      // The department namespaces of the stack carry the label the bindings select, with their name.
      const unlabelled = namespaces.filter((ns) => specDepartments.has(ns.name) && ns.labels?.[LABELS.department] !== ns.name).map((ns) => String(ns.name));
      expect(unlabelled).toEqual([]);
      const departments = namespaces.filter((ns) => ns.labels?.[LABELS.department] !== undefined);
      if (departments.length === 0) {
        log(`${target.source}: ${target.region}/${target.cluster} has no department namespace`);
        return;
      }
      const departmentNames = departments.map((ns) => String(ns.name)).sort();
      await applyObjects(
        kubectl,
        departments.map((ns) => ({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: ns.name, labels: ns.labels, ...(ns.annotations ? { annotations: ns.annotations } : {}) },
        })),
      );
      // The pods name their tier's PriorityClass, which the stack defines (the Priority admission plugin refuses an unknown one).
      const priorityClasses = Object.values((stack.resource?.kubernetes_priority_class_v1 ?? {}) as Record<string, Json>);
      await applyObjects(
        kubectl,
        priorityClasses.map((c) => ({
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name: (c.metadata as Json).name },
          value: c.value,
          preemptionPolicy: c.preemption_policy,
          globalDefault: c.global_default,
        })),
      );

      // In Karmada mode the department workloads are the region's `karmada/` folder, propagated to its members.
      const folders = [target.cluster, 'karmada'].map((name) => path.join(root, 'manifests', target.region, name));
      const objects = folders.flatMap((folder) => (fs.existsSync(path.join(folder, 'kustomization.yaml')) ? readKustomization(folder) : []));
      const folder = folders[0];
      const output: ClusterOutput = {
        region: target.region,
        cluster: target.cluster,
        role: 'gov',
        production: true,
        registry: '',
        departments: departmentNames,
        terraform: [],
        manifests: objects.map((object) => ({ file: folder, object })),
      };
      const waivers = admissionWaivers(target.suppressions, output, LABELS.name);
      await usePolicies(admissionPolicies(RULES, { departmentLabel: LABELS.department, objectLabel: LABELS.name, waivers }));

      const inDepartments = objects.filter((o) => o.metadata.namespace !== undefined && departmentNames.includes(o.metadata.namespace));
      // Pods need their ServiceAccount: applied for real, as the manifests would.
      await applyObjects(
        kubectl,
        inDepartments.filter((o) => o.kind === 'ServiceAccount'),
      );
      const workloads = inDepartments.filter((o) => isPodBearing(o as Json));
      const rejected: string[] = [];
      await Promise.all(
        workloads.flatMap((workload) =>
          withPod(workload as Json).map(async (variant) => {
            const result = await dryRun(kubectl, variant, String(variant.metadata.namespace));
            if (result.code !== 0 || warnings(result).length > 0) rejected.push(`${objectKey(variant as KubeObject)}: ${result.stderr.trim()}`);
          }),
        ),
      );
      expect(rejected.sort()).toEqual([]);
      log(
        `${target.source}: ${target.region}/${target.cluster}: ${workloads.length} workloads and their pods admitted in ${departmentNames.length} department namespaces` +
          (waivers.length > 0
            ? ` (${waivers.length} waivers: ${waivers.map((w) => `${w.rule} ${w.department ?? 'cluster'}${w.object ? `/${w.object}` : ''}`).join(', ')})`
            : ''),
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The library's outputs

interface LibraryCluster {
  /** `default blueprint` or `example <name>`. */
  readonly source: string;
  readonly region: string;
  readonly cluster: string;
  readonly departments: readonly string[];
  readonly suppressions: readonly Suppression[];
}

/** Every cluster of the default blueprint and of the examples (known before synth, as jest collects tests), synthesized on first use. */
function libraryTargets() {
  // The fleets are built to read their regions only and write nothing here; created by no one, removed in case.
  const scratch = path.join(os.tmpdir(), `govcloud-e2e-admission-fleets-${process.pid}`);
  const clusters: LibraryCluster[] = [];
  const add = (source: string, fleet: Fleet) => {
    for (const target of regionClusters(fleet)) {
      const { spec } = target;
      const departments = spec.departments.map((d) => d.name);
      clusters.push({ source, region: target.region, cluster: target.cluster, departments, suppressions: [...(spec.compliance?.suppressions ?? [])] });
    }
  };
  add('default blueprint', library().defaultFleet({ outdir: path.join(scratch, 'default') }));
  const { EXAMPLES } = require(path.join(REPO_ROOT, 'dist', 'examples', 'index.js')) as typeof import('../../examples/index');
  for (const name of exampleNames()) add(`example ${name}`, EXAMPLES[name](path.join(scratch, name)));

  const roots = new Map<string, string | Error>();
  const dirs: string[] = [];
  return {
    clusters,
    /** Synthesizes a source once (a failure too) and returns its output root. */
    synthesize(source: string): string {
      if (!roots.has(source)) {
        const dir = temporaryDirectory('admission-synth');
        dirs.push(dir);
        try {
          if (source === 'default blueprint') {
            synthesizeDefaultBlueprint(dir);
            roots.set(source, dir);
          } else roots.set(source, synthesizeExample(source.replace(/^example /, ''), dir));
        } catch (error) {
          roots.set(source, error as Error);
        }
      }
      const root = roots.get(source)!;
      if (root instanceof Error) throw root;
      return root;
    },
    cleanup(): void {
      fs.rmSync(scratch, { recursive: true, force: true });
      for (const dir of dirs) removeDirectory(dir);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Objects

function namespace(name: string, labels: Record<string, string>): Json {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function isPodBearing(object: Json): boolean {
  return POD_BEARING_KINDS.has(String(object.kind));
}

function templateOf(object: Json): Json | undefined {
  if (object.kind === 'Pod') return object;
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template as Json | undefined;
  return object.spec?.template as Json | undefined;
}

function podSpecOf(object: Json): Json | undefined {
  return isPodBearing(object) ? (templateOf(object)?.spec as Json | undefined) : undefined;
}

/** The object, and for a workload also the Pod its controller would make of its template. */
function withPod(object: Json): Json[] {
  if (object.kind === 'Pod') return [object];
  const template = templateOf(object)!;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${String(object.metadata.name)}-${String(object.kind).toLowerCase()}-pod`,
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
      ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
    },
    spec: controllerPodSpec(object, template.spec),
  };
  return [object, pod];
}

/** A copy of a workload whose `app.kubernetes.io/name` (object, selector and template) is `name`. */
function relabelled(object: Json, name: string): Json {
  const copy = structuredClone(object);
  copy.metadata.name = name;
  copy.metadata.labels = { ...copy.metadata.labels, [LABELS.name]: name };
  const template = templateOf(copy);
  if (template && template !== copy) template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [LABELS.name]: name } };
  if (copy.spec?.selector?.matchLabels?.[LABELS.name] !== undefined) copy.spec.selector.matchLabels[LABELS.name] = name;
  return copy;
}

/**
 * The rule's validations in a policy of their own for pods, with the variables written out
 * (`object.spec`, `object.spec.containers`): the status controller type-checks what reads `object`
 * but not what reads variables, so a misspelt field would otherwise pass unseen. It has no binding:
 * it is never enforced.
 */
function typeCheckTwin(rule: Rule): Json {
  // The type checker names each list's element type by its path, so `containers + initContainers`
  // would not type-check; every container list is read as `containers` (the same Container schema).
  const written = (expression: string) =>
    expression
      .replace(/\bvariables\.podSpec\.(initContainers|ephemeralContainers)\b/g, 'object.spec.containers')
      .replace(/\bvariables\.podSpec\b/g, 'object.spec')
      .replace(/\bvariables\.containers\b/g, 'object.spec.containers');
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: `e2e-typecheck-${rule.id.toLowerCase()}`, labels: { 'e2e-typecheck-rule': rule.id } },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] },
      validations: rule.admission!.validations.map((v) => ({ expression: written(v.expression), message: v.message })),
    },
  };
}

/**
 * Fields whose values are quantity maps (`resources.requests`, `resources.limits`, the pod's
 * `overhead`): Kubernetes 1.33's type checker has no CEL type for them and calls them undefined,
 * although they exist and evaluate at run time. The fixtures prove the rules that read them.
 */
const QUANTITY_MAPS = /^[^\n]*undefined field '(requests|limits|overhead)'/;

/** The errors of one type-checking warning (`<gvk>: ERROR: <input>:1:5: ... ERROR: ...`), quantity maps left out. */
function typeErrors(warning: string): string[] {
  return warning
    .split(/(?=ERROR: )/)
    .filter((part) => part.startsWith('ERROR: '))
    .filter((error) => !QUANTITY_MAPS.test(error))
    .map((error) => error.trim());
}

// ---------------------------------------------------------------------------------------------
// The API server

async function applyObjects(kubectl: Kubectl, objects: readonly Json[]): Promise<void> {
  if (objects.length === 0) return;
  const result = await applyList(kubectl, objects);
  if (result.code !== 0) throw new Error(`kubectl apply failed:\n${result.stderr.trim()}`);
}

function applyList(kubectl: Kubectl, objects: readonly Json[]): Promise<RunResult> {
  return kubectl.run(
    ['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  );
}

/** `kubectl apply --server-side` of one object in `namespace`, for real. */
function applyObjectIn(kubectl: Kubectl, object: Json, namespace: string): Promise<RunResult> {
  const placed = { ...object, metadata: { ...object.metadata, namespace } };
  return kubectl.run(['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], JSON.stringify(placed));
}

/** `kubectl apply --server-side --dry-run=server` of one object in `namespace`: admission runs in full, nothing is stored. */
function dryRun(kubectl: Kubectl, object: Json, namespace: string): Promise<RunResult> {
  const placed = { ...object, metadata: { ...object.metadata, namespace } };
  return kubectl.run(['apply', '--server-side', '--dry-run=server', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], JSON.stringify(placed));
}

const DENIAL = /ValidatingAdmissionPolicy '([^']+)' with binding '([^']+)' denied request: (.*)/;
const WARNING = /Validation failed for ValidatingAdmissionPolicy '([^']+)' with binding '([^']+)': (.*)/;
const RULE_IN_MESSAGE = /^\[([A-Z0-9-]+)\]/;

/** The policy that denied the request, and the rule its message names. */
function policyDenial(result: RunResult): { policy: string; binding: string; rule: string; message: string } | undefined {
  const match = DENIAL.exec(result.stderr);
  if (!match) return undefined;
  return { policy: match[1], binding: match[2], rule: RULE_IN_MESSAGE.exec(match[3])?.[1] ?? '', message: match[3].trim() };
}

/** The policies' warnings kubectl printed (Warn bindings), with the rule each names. */
function policyWarnings(result: RunResult): Array<{ policy: string; binding: string; rule: string }> {
  return warnings(result).flatMap((line) => {
    const match = WARNING.exec(line);
    return match ? [{ policy: match[1], binding: match[2], rule: RULE_IN_MESSAGE.exec(match[3])?.[1] ?? '' }] : [];
  });
}

/** A CEL expression that fails at run time (a missing field read without has()) shows up as "resulted in error". */
function celErrors(what: string, result: RunResult): string[] {
  return result.stderr
    .split('\n')
    .filter((line) => /resulted in error|evaluation error/i.test(line))
    .map((line) => `${what}: a CEL expression fails at run time: ${line.trim()}`);
}

/** The rules a kubectl error names by their policy (`gcb-pod-01` -> GCB-POD-01). */
function rulesNamedIn(stderr: string): string {
  const names = [...stderr.matchAll(/ValidatingAdmissionPolicy[\w.]* "(?:e2e-typecheck-)?([a-z0-9.-]+)"/gi)].map((m) => m[1].toUpperCase());
  return names.length > 0 ? [...new Set(names)].join(', ') : 'a rule (see the message)';
}

/**
 * Waits until the API server enforces what was just applied: a sentinel policy and binding are
 * created after everything else, and the API server loads policies and bindings in the order they
 * were written, so once the sentinel denies, every earlier policy and binding is in force.
 */
async function waitUntilEnforced(kubectl: Kubectl, generation: number): Promise<void> {
  const name = `e2e-sentinel-${generation}`;
  await kubectl.ok(['delete', 'validatingadmissionpolicybindings,validatingadmissionpolicies', '-l', 'e2e-sentinel', '--ignore-not-found', '--wait=false']);
  await applyObjects(kubectl, [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels: { 'e2e-sentinel': 'true' } },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
        validations: [{ expression: `object.metadata.name != '${name}'`, message: `${name} is in force` }],
      },
    },
  ]);
  await applyObjects(kubectl, [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: { 'e2e-sentinel': 'true' } },
      spec: { policyName: name, validationActions: ['Deny'] },
    },
  ]);
  const probe = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } };
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const result = await dryRun(kubectl, probe, 'default');
    if (result.code !== 0 && result.stderr.includes(`${name} is in force`)) return;
    if (Date.now() > deadline)
      throw new Error(
        `the API server did not enforce the policies within ${ACTIVE_TIMEOUT_MS / 1000} s (sentinel ${name}: ${result.stderr.trim() || 'admitted'})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The named policies once the status controller has checked their current generation. */
async function checkedPolicies(kubectl: Kubectl, names: readonly string[]): Promise<Json[]> {
  const deadline = Date.now() + STATUS_TIMEOUT_MS;
  for (;;) {
    const list = JSON.parse((await kubectl.ok(['get', 'validatingadmissionpolicies', '-o', 'json'])).stdout) as { items: Json[] };
    const byName = new Map(list.items.map((p) => [String(p.metadata.name), p]));
    const pending = names.filter((n) => {
      const policy = byName.get(n);
      return !policy || policy.status?.observedGeneration !== policy.metadata.generation;
    });
    if (pending.length === 0) return names.map((n) => byName.get(n)!);
    if (Date.now() > deadline) throw new Error(`the status controller did not type-check ${pending.join(', ')} within ${STATUS_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The toolchain with a kube-apiserver that allows privileged containers, as every real cluster's
 * does (kube-proxy and the CNI agents need them): without `--allow-privileged=true` the API
 * server's own validation refuses a privileged container before admission runs, and GCB-POD-01's
 * policy could not be seen denying one.
 */
function allowingPrivileged(toolchain: Toolchain, dir: string): Toolchain {
  const wrapper = path.join(dir, 'kube-apiserver');
  fs.writeFileSync(wrapper, `#!/usr/bin/env bash\nexec ${JSON.stringify(toolchain.bin.kubeApiserver)} --allow-privileged=true "$@"\n`, { mode: 0o755 });
  return { ...toolchain, bin: { ...toolchain.bin, kubeApiserver: wrapper } };
}

/**
 * kube-controller-manager with only the controller that type-checks policies and writes
 * `status.typeChecking` (the suite's API server runs the quota controller alone). Supervised like
 * the API server's own processes, so it never outlives the run.
 */
function startStatusController(toolchain: Toolchain, kubeconfig: string, dir: string): ChildProcess {
  const logFile = fs.openSync(path.join(dir, 'policy-status-controller.log'), 'a');
  const child = spawn(
    'bash',
    [
      SUPERVISE,
      String(process.pid),
      toolchain.bin.kubeControllerManager,
      `--kubeconfig=${kubeconfig}`,
      '--controllers=validatingadmissionpolicy-status-controller',
      '--leader-elect=false',
      '--secure-port=0',
    ],
    { stdio: ['ignore', logFile, logFile] },
  );
  fs.closeSync(logFile);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
