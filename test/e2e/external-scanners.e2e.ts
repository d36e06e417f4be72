/**
 * Cross-checks by scanners nobody here wrote: kube-score (github.com/zegl/kube-score) on every
 * manifest folder, and Checkov on every manifest folder (`--framework kubernetes`) and every
 * stack's cdk.tf.json (`--framework terraform_json`), for the default blueprint and every example.
 *
 * Each finding is reduced to a stable key (check, object kind, namespace and name, file relative to
 * the output root, and kube-score's container and message) and compared with the committed
 * expectations in scanner-expectations/, every one of which carries the reason it is expected. A
 * finding no expectation covers fails the test, and so does an expectation that no longer matches
 * any finding: the files say exactly what the scanners find today, and why that is accepted.
 * README.md ("External scanners") says how to update them.
 *
 * Checkov runs offline: no API key (BC_API_KEY and every other BC_/CKV_/CHECKOV_/PRISMA_ variable
 * of the caller's environment removed), `--skip-download` and BC_SKIP_MAPPING (no policy metadata
 * or guidelines from the platform), CKV_SKIP_PACKAGE_UPDATE_CHECK (no version check against PyPI,
 * which its banner makes), `--skip-results-upload`. With these it opens no network connection at
 * all (checked with `strace -f -e trace=connect`); without `--skip-download` it looks the platform
 * up at every start. Its configuration files (.checkov.yaml in the scanned folder, the working
 * directory or HOME) cannot exist: the working directory and HOME are a fresh temporary folder, and
 * the scanned folders are the test's own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parse, parseAllDocuments, stringify } from 'yaml';
import { log } from './support/log';
import { CommandFailed, type RunResult, run } from './support/run';
import { exampleNames, removeDirectory, synthesizeDefaultBlueprint, synthesizeExample, temporaryDirectory } from './support/synth';
import { stackDirectories } from './support/terraform';
import { loadToolchain } from './support/toolchain';

const toolchain = loadToolchain();
const EXPECTATIONS_DIR = path.join(__dirname, 'scanner-expectations');

// --- Findings and expectations -------------------------------------------------------------------

/** One finding of one scanner, reduced to what stays the same from run to run. */
interface Finding {
  /** Checkov only: `kubernetes` or `terraform_json` (the same CKV_K8S ids exist in both). */
  readonly framework: string;
  readonly check: string;
  /** The object's kind (a Terraform resource type for terraform_json). */
  readonly kind: string;
  readonly namespace: string;
  /** The object's name (a Terraform resource's logical name for terraform_json). */
  readonly name: string;
  /** Relative to the output root, prefixed with the output: `default/manifests/changsha/gov/health.yaml`, `examples/logistics-port/...`. */
  readonly file: string;
  /** kube-score only: the container (or other path) its comment names; empty when it names none. */
  readonly container: string;
  /** kube-score: its comment's summary; Checkov: the check's title. */
  readonly message: string;
}

const KEY_FIELDS = ['framework', 'check', 'kind', 'namespace', 'name', 'file', 'container', 'message'] as const;
type KeyField = (typeof KEY_FIELDS)[number];

/** A glob (`*` is any run of characters, `/` included) or a list of them (any may match). */
type Pattern = string | readonly string[];

/**
 * One committed expectation: the findings it covers and why they are expected. `check` is exact;
 * every other key field given must match (an omitted one matches anything).
 */
type Expectation = { readonly check: string; readonly reason: string } & Partial<Record<Exclude<KeyField, 'check'>, Pattern>>;

interface ExpectationFile {
  /** What the file is, for its readers. */
  readonly about?: string;
  readonly expected: readonly Expectation[];
}

interface ToolRules {
  /** The fields each expectation must give (so that a new kind of finding cannot slip under an old reason). */
  readonly required: readonly KeyField[];
}

const RULES: Record<'kube-score' | 'checkov', ToolRules> = {
  'kube-score': { required: ['kind', 'message'] },
  checkov: { required: ['framework', 'kind'] },
};

function globRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function matchesPattern(pattern: Pattern, value: string): boolean {
  return (typeof pattern === 'string' ? [pattern] : pattern).some((p) => globRegExp(p).test(value));
}

function covers(expectation: Expectation, finding: Finding): boolean {
  return (
    expectation.check === finding.check &&
    KEY_FIELDS.every((field) => field === 'check' || expectation[field] === undefined || matchesPattern(expectation[field], finding[field]))
  );
}

function loadExpectations(tool: keyof typeof RULES): Expectation[] {
  const file = path.join(EXPECTATIONS_DIR, `${tool}.json`);
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as ExpectationFile;
  const problems: string[] = [];
  parsed.expected.forEach((e, i) => {
    const at = `${path.relative(process.cwd(), file)} expected[${i}]`;
    for (const key of Object.keys(e)) if (key !== 'reason' && !(KEY_FIELDS as readonly string[]).includes(key)) problems.push(`${at}: unknown key "${key}"`);
    if (typeof e.check !== 'string' || e.check === '' || e.check.includes('*')) problems.push(`${at}: "check" must be one exact check id`);
    for (const field of RULES[tool].required) if (e[field] === undefined) problems.push(`${at}: gives no "${field}" (required for ${tool})`);
    if (typeof e.reason !== 'string' || e.reason.trim().length < 20 || /^todo\b/i.test(e.reason.trim())) problems.push(`${at}: needs a real reason`);
  });
  if (problems.length > 0) throw new Error(`invalid expectations:\n  ${problems.join('\n  ')}`);
  return [...parsed.expected];
}

function sortKey(f: Finding): string {
  return `${f.framework} ${f.check} ${f.kind} ${f.message} ${f.namespace}/${f.name} ${f.container} ${f.file}`;
}

/** Findings grouped by what an expectation must name exactly: framework, check, kind and message. */
function groupFindings(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))) {
    const key = JSON.stringify([f.framework, f.check, f.kind, f.message]);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()];
}

/** A group of new findings as an expectation to paste; long lists become "*", to narrow by hand. The reason is left to write. */
function suggestedExpectation(group: readonly Finding[]): unknown {
  const collapse = (values: string[], longest: number): Pattern => {
    const unique = [...new Set(values)].sort();
    return unique.length === 1 ? unique[0] : unique.length <= longest ? unique : '*';
  };
  return {
    ...(group[0].framework ? { framework: group[0].framework } : {}),
    check: group[0].check,
    kind: group[0].kind,
    namespace: collapse(
      group.map((f) => f.namespace),
      10,
    ),
    name: collapse(
      group.map((f) => f.name),
      10,
    ),
    file: collapse(
      group.map((f) => f.file),
      3,
    ),
    message: group[0].message,
    reason: 'TODO: why this is expected (or fix the library instead)',
  };
}

/** The findings no committed expectation covers. */
function unexpectedFindings(tool: keyof typeof RULES, findings: readonly Finding[]): Finding[] {
  const expectations = loadExpectations(tool);
  return findings.filter((f) => !expectations.some((e) => covers(e, f)));
}

/**
 * Fails unless every finding is covered by an expectation and every expectation covers a finding;
 * prints what each expectation covers when they agree.
 */
function compareWithExpectations(tool: keyof typeof RULES, findings: readonly Finding[]): void {
  const expectations = loadExpectations(tool);
  const file = `test/e2e/scanner-expectations/${tool}.json`;
  const unexpected = unexpectedFindings(tool, findings);
  const stale = expectations.filter((e) => !findings.some((f) => covers(e, f)));
  if (unexpected.length > 0 || stale.length > 0) {
    const parts: string[] = [];
    if (unexpected.length > 0) {
      const groups = groupFindings(unexpected);
      parts.push(`${tool}: ${unexpected.length} finding(s) that ${file} does not expect:`);
      for (const group of groups) {
        const [first] = group;
        parts.push(`  + ${first.framework ? `[${first.framework}] ` : ''}${first.check} on ${group.length} ${first.kind}(s): ${first.message}`);
        const shown = group
          .slice(0, 8)
          .map((f) => `      ${f.namespace ? `${f.namespace}/` : ''}${f.name}${f.container ? ` (${f.container})` : ''}  -- ${f.file}`);
        parts.push(...shown, ...(group.length > shown.length ? [`      ... and ${group.length - shown.length} more`] : []));
      }
      parts.push(
        `  Fix the library, or, once each is understood, add to ${file} (narrow any "*" that is broader than the reason):`,
        ...groups.map((group) => `    ${JSON.stringify(suggestedExpectation(group))},`),
      );
    }
    if (stale.length > 0) {
      parts.push(
        `${tool}: ${stale.length} expectation(s) in ${file} that no finding matches any more (remove them once you know why the finding went away):`,
        ...stale.map((e) => `  - ${JSON.stringify(e)}`),
      );
    }
    throw new Error(parts.join('\n'));
  }
  log(`${tool}: ${findings.length} findings, each expected:`);
  for (const e of expectations) {
    const count = findings.filter((f) => covers(e, f)).length;
    log(`  ${String(count).padStart(3)} x ${e.framework ? `[${String(e.framework)}] ` : ''}${e.check} (${String(e.kind)}): ${e.reason}`);
  }
}

// --- The outputs ---------------------------------------------------------------------------------

interface Output {
  /** `default`, or `examples/<name>`: the prefix of every finding's file. */
  readonly label: string;
  readonly root: string;
}

/** A manifest folder's objects, each with the lines its document spans. */
interface PlacedObject {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly firstLine: number;
  readonly lastLine: number;
}

function placedObjects(file: string): PlacedObject[] {
  const lineCounter = new LineCounter();
  return parseAllDocuments(fs.readFileSync(file, 'utf8'), { lineCounter }).flatMap((doc) => {
    const object = doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
    if (!object?.kind || !doc.contents?.range) return [];
    return [
      {
        kind: object.kind,
        namespace: object.metadata?.namespace ?? '',
        name: object.metadata?.name ?? '',
        firstLine: lineCounter.linePos(doc.contents.range[0]).line,
        lastLine: lineCounter.linePos(doc.contents.range[1]).line,
      },
    ];
  });
}

/** Every folder with a kustomization.yaml (`manifests/<region>/<cluster>/`, `manifests/<region>/karmada/`) and the files it lists. */
function manifestFolders(output: Output): Array<{ folder: string; files: string[] }> {
  const manifests = path.join(output.root, 'manifests');
  return fs
    .readdirSync(manifests)
    .flatMap((region) => fs.readdirSync(path.join(manifests, region)).map((cluster) => path.join(manifests, region, cluster)))
    .filter((folder) => fs.existsSync(path.join(folder, 'kustomization.yaml')))
    .sort()
    .map((folder) => {
      const kustomization = parse(fs.readFileSync(path.join(folder, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
      return { folder, files: (kustomization.resources ?? []).map((file) => path.join(folder, file)) };
    });
}

function relativeFile(output: Output, file: string): string {
  return `${output.label}/${path.relative(output.root, file)}`;
}

function parseJsonOutput(result: RunResult, cwd?: string): unknown {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new CommandFailed(result, cwd);
  }
}

// --- kube-score ----------------------------------------------------------------------------------

interface KubeScoreObject {
  readonly type_meta: { readonly kind: string };
  readonly object_meta: { readonly name: string; readonly namespace?: string };
  readonly file_name: string;
  readonly checks: ReadonlyArray<{
    readonly check: { readonly id: string };
    readonly grade: number;
    readonly skipped: boolean;
    readonly comments: ReadonlyArray<{ readonly path: string; readonly summary: string }> | null;
  }>;
}

/** kube-score's grade of a passed check (scorecard.GradeAllOK); lower grades are findings. */
const KUBE_SCORE_ALL_OK = 10;
/** The kinds kube-score scores; every such object of a folder must appear in its report. */
const KUBE_SCORE_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
  'Service',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'Ingress',
];

/** kube-score on one manifest folder (the files its kustomization lists); fails unless it scored every object it scores. */
async function kubeScore(output: Output, files: readonly string[]): Promise<Finding[]> {
  // Every check, the optional ones too; the Kubernetes the suite tests against (deprecated APIs);
  // `kube-score/ignore` annotations have no effect, so nothing in the output can hide a finding.
  const args = [
    'score',
    '--output-format',
    'json',
    '--color',
    'never',
    '--kubernetes-version',
    toolchain.versions.kubernetes.replace(/^(v\d+\.\d+)\..*$/, '$1'),
  ];
  args.push('--all-default-optional', '--disable-ignore-checks-annotations', '--disable-optional-checks-annotations', ...files);
  const result = await run(toolchain.bin.kubeScore, args);
  // Exit 1 means "a critical finding", which the expectations judge; anything else is a failure.
  if (result.code !== 0 && result.code !== 1) throw new CommandFailed(result);
  const report = (parseJsonOutput(result) ?? []) as KubeScoreObject[];
  const scored = new Set(report.map((o) => `${o.type_meta.kind} ${o.object_meta.namespace ?? ''}/${o.object_meta.name}`));
  const notScored = files.flatMap((file) =>
    placedObjects(file)
      .filter((o) => KUBE_SCORE_KINDS.includes(o.kind) && !scored.has(`${o.kind} ${o.namespace}/${o.name}`))
      .map((o) => `${relativeFile(output, file)}: ${o.kind} ${o.namespace}/${o.name}`),
  );
  expect({ notScoredByKubeScore: notScored }).toEqual({ notScoredByKubeScore: [] });
  return report.flatMap((object) =>
    object.checks
      .filter((check) => !check.skipped && check.grade < KUBE_SCORE_ALL_OK)
      .flatMap((check) =>
        (check.comments?.length ? check.comments : [{ path: '', summary: '' }]).map((comment) => ({
          framework: '',
          check: check.check.id,
          kind: object.type_meta.kind,
          namespace: object.object_meta.namespace ?? '',
          name: object.object_meta.name,
          file: relativeFile(output, object.file_name),
          container: comment.path,
          message: comment.summary,
        })),
      ),
  );
}

// --- Checkov -------------------------------------------------------------------------------------

interface CheckovResult {
  readonly check_id: string;
  readonly check_name: string;
  readonly file_abs_path: string;
  readonly file_line_range: readonly [number, number];
  readonly resource: string;
}

interface CheckovReport {
  readonly check_type?: string;
  readonly results?: {
    readonly passed_checks: readonly CheckovResult[];
    readonly failed_checks: readonly CheckovResult[];
    readonly skipped_checks: readonly CheckovResult[];
    readonly parsing_errors: readonly string[];
  };
  readonly summary?: { readonly passed: number; readonly failed: number; readonly skipped: number; readonly parsing_errors: number };
}

/** Runs Checkov offline (see the top of this file) on a folder (`-d`) or a file (`-f`); its reports, one per framework that found something. */
async function checkov(framework: 'kubernetes' | 'terraform_json', target: ['-d' | '-f', string]): Promise<CheckovReport[]> {
  const home = temporaryDirectory('checkov-home');
  try {
    const env: Record<string, string | undefined> = {};
    for (const key of Object.keys(process.env)) if (/^(BC_|CKV_|CHECKOV_|PRISMA_)/.test(key)) env[key] = undefined;
    Object.assign(env, { HOME: home, BC_SKIP_MAPPING: 'TRUE', CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true', LOG_LEVEL: 'WARNING' });
    // --soft-fail: exit 0 whatever it finds, so any other exit is a crash. --compact: no code blocks
    // in the JSON (it stays a few MB); passed checks stay in, to show every object was scanned.
    const args = [...target, '--framework', framework, '--output', 'json', '--compact', '--soft-fail', '--skip-download', '--skip-results-upload'];
    const result = await run(toolchain.bin.checkov, args, { cwd: home, env });
    if (result.code !== 0) throw new CommandFailed(result, home);
    const parsed = parseJsonOutput(result, home) as CheckovReport | CheckovReport[];
    return Array.isArray(parsed) ? parsed : [parsed];
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The one report of a framework; fails on parsing errors and on suppressed checks. */
function reportOf(reports: CheckovReport[], framework: string): NonNullable<CheckovReport['results']> {
  const report = reports.find((r) => r.check_type === framework);
  if (!report?.results) throw new Error(`Checkov's ${framework} scan found nothing to check: ${JSON.stringify(reports.map((r) => r.summary))}`);
  expect({ framework, parsingErrors: report.results.parsing_errors }).toEqual({ framework, parsingErrors: [] });
  // A `checkov.io/skip` annotation (or a comment) in the output would hide a finding from this test.
  expect({ framework, skipped: report.results.skipped_checks.map((r) => `${r.check_id} ${r.resource}`) }).toEqual({ framework, skipped: [] });
  return report.results;
}

/**
 * Checkov's kubernetes framework on the manifests of some outputs, copied under one folder as
 * `<label>/manifests/...` (one run for all, and each file's path there is the finding's `file`).
 * Fails unless every Deployment, Service and ServiceAccount was scanned.
 */
async function checkovKubernetes(scanned: readonly Output[], tree: string): Promise<{ findings: Finding[]; passed: number }> {
  for (const output of scanned) fs.cpSync(path.join(output.root, 'manifests'), path.join(tree, output.label, 'manifests'), { recursive: true });
  const results = reportOf(await checkov('kubernetes', ['-d', tree]), 'kubernetes');
  // The object a result names is the document at its first line.
  const objectsByFile = new Map<string, PlacedObject[]>();
  const objectAt = (result: CheckovResult): PlacedObject => {
    if (!objectsByFile.has(result.file_abs_path)) objectsByFile.set(result.file_abs_path, placedObjects(result.file_abs_path));
    const found = objectsByFile.get(result.file_abs_path)!.find((o) => o.firstLine <= result.file_line_range[0] && result.file_line_range[0] <= o.lastLine);
    if (!found) throw new Error(`no object at ${result.file_abs_path}:${result.file_line_range[0]} (Checkov's ${result.check_id} on ${result.resource})`);
    return found;
  };
  const objectKey = (file: string, o: PlacedObject): string => `${file}: ${o.kind} ${o.namespace}/${o.name}`;
  const seen = new Set([...results.passed_checks, ...results.failed_checks].map((r) => objectKey(path.relative(tree, r.file_abs_path), objectAt(r))));
  const notScanned = scanned.flatMap((output) =>
    manifestFolders(output).flatMap(({ files }) =>
      files.flatMap((file) =>
        placedObjects(file)
          .filter((o) => ['Deployment', 'Service', 'ServiceAccount'].includes(o.kind))
          .map((o) => objectKey(relativeFile(output, file), o))
          .filter((key) => !seen.has(key)),
      ),
    ),
  );
  expect({ notScannedByCheckov: notScanned }).toEqual({ notScannedByCheckov: [] });
  const findings = results.failed_checks.map((result) => {
    const object = objectAt(result);
    const file = path.relative(tree, result.file_abs_path);
    return {
      framework: 'kubernetes',
      check: result.check_id,
      kind: object.kind,
      namespace: object.namespace,
      name: object.name,
      file,
      container: '',
      message: result.check_name,
    };
  });
  return { findings, passed: results.passed_checks.length };
}

/**
 * cdk.tf.json as Checkov can read it. Checkov 3.3.30's terraform_json parser raises "this method
 * receives only dicts" on `terraform.required_version` (a plain string, as the Terraform JSON
 * syntax has it and cdktf writes it) and then scans nothing, exiting 0 (bridgecrewio/checkov
 * issue 7454, fix proposed, not released). The copy leaves that one string out; no check reads it.
 * The last test here fails once a Checkov release parses the file as written.
 */
function withoutRequiredVersion(stackJson: string): string {
  const stack = JSON.parse(stackJson) as { terraform?: Record<string, unknown> };
  if (stack.terraform) delete stack.terraform.required_version;
  return JSON.stringify(stack, null, 2);
}

/**
 * Checkov's terraform_json framework on every stack of some outputs, copied (see above) under one
 * folder as `<label>/terraform/stacks/<stack>/cdk.tf.json`. Fails unless every stack was scanned.
 */
async function checkovTerraform(scanned: readonly Output[], tree: string): Promise<{ findings: Finding[]; passed: number; stacks: number }> {
  const resourcesByFile = new Map<string, Record<string, Record<string, unknown>>>();
  for (const output of scanned) {
    for (const dir of stackDirectories(output.root)) {
      const target = path.join(tree, output.label, path.relative(output.root, dir), 'cdk.tf.json');
      const source = fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8');
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, withoutRequiredVersion(source));
      resourcesByFile.set(target, (JSON.parse(source) as { resource?: Record<string, Record<string, unknown>> }).resource ?? {});
    }
  }
  const results = reportOf(await checkov('terraform_json', ['-d', tree]), 'terraform_json');
  const scannedFiles = new Set([...results.passed_checks, ...results.failed_checks].map((r) => r.file_abs_path));
  expect({ stacksNotScannedByCheckov: [...resourcesByFile.keys()].filter((file) => !scannedFiles.has(file)).map((file) => path.relative(tree, file)) }).toEqual(
    {
      stacksNotScannedByCheckov: [],
    },
  );
  // Checkov names a resource `resource.<name>` (terraform_json) or `<type>.<name>`; the type comes from the stack.
  const findings = results.failed_checks.map((result) => {
    const types = resourcesByFile.get(result.file_abs_path);
    if (!types) throw new Error(`Checkov reported ${result.check_id} on a file this test did not write: ${result.file_abs_path}`);
    const [first, ...rest] = result.resource.split('.');
    const name = rest.join('.');
    const kind =
      types[first]?.[name] !== undefined
        ? first
        : Object.keys(types)
            .filter((type) => types[type][name] !== undefined)
            .join('|') || '?';
    const file = path.relative(tree, result.file_abs_path);
    return { framework: 'terraform_json', check: result.check_id, kind, namespace: '', name, file, container: '', message: result.check_name };
  });
  return { findings, passed: results.passed_checks.length, stacks: resourcesByFile.size };
}

// --- The tests -----------------------------------------------------------------------------------

let work: string;
let outputs: Output[];
beforeAll(() => {
  work = temporaryDirectory('external-scanners');
  const defaultRoot = path.join(work, 'out', 'default');
  synthesizeDefaultBlueprint(defaultRoot);
  outputs = [{ label: 'default', root: defaultRoot }, ...exampleNames().map((name) => ({ label: `examples/${name}`, root: synthesizeExample(name, work) }))];
});
afterAll(() => removeDirectory(work));

test('kube-score on every manifest folder: exactly the expected findings', async () => {
  const findings: Finding[] = [];
  let folders = 0;
  for (const output of outputs) {
    for (const { files } of manifestFolders(output)) {
      folders++;
      findings.push(...(await kubeScore(output, files)));
    }
  }
  log(`kube-score ${toolchain.versions.kubeScore}: ${folders} manifest folders of ${outputs.length} outputs`);
  compareWithExpectations('kube-score', findings);
});

test('Checkov on every manifest folder and every stack: exactly the expected findings', async () => {
  const [kubernetes, terraform] = await Promise.all([
    checkovKubernetes(outputs, path.join(work, 'checkov', 'kubernetes')),
    checkovTerraform(outputs, path.join(work, 'checkov', 'terraform')),
  ]);
  log(
    `checkov ${toolchain.versions.checkov}: kubernetes ${kubernetes.passed} passed, ${kubernetes.findings.length} failed; ` +
      `terraform_json ${terraform.passed} passed, ${terraform.findings.length} failed (${terraform.stacks} stacks)`,
  );
  compareWithExpectations('checkov', [...kubernetes.findings, ...terraform.findings]);
});

test('a privileged host-network container slipped into the output is a new finding for both scanners', async () => {
  // One manifest folder of the default blueprint, with health-code made privileged on the host's
  // network (what an escape hatch could do): the expectations must not cover it.
  const doctored: Output = { label: 'doctored', root: path.join(work, 'doctored') };
  const folder = path.join('manifests', 'changsha', 'gov');
  fs.cpSync(path.join(outputs[0].root, folder), path.join(doctored.root, folder), { recursive: true });
  const file = path.join(doctored.root, folder, 'health.yaml');
  const documents = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS() as { kind: string; metadata: { name: string }; spec: any });
  const deployment = documents.find((o) => o.kind === 'Deployment' && o.metadata.name === 'health-code');
  if (!deployment) throw new Error(`no Deployment health-code in ${file}`);
  deployment.spec.template.spec.hostNetwork = true;
  deployment.spec.template.spec.containers[0].securityContext.privileged = true;
  fs.writeFileSync(file, documents.map((o) => stringify(o)).join('---\n'));

  const [folderFiles] = manifestFolders(doctored).map(({ files }) => files);
  const scanned = [...(await kubeScore(doctored, folderFiles)), ...(await checkovKubernetes([doctored], path.join(work, 'checkov', 'doctored'))).findings];
  const newOnHealthCode = (tool: keyof typeof RULES, findings: Finding[]): string[] =>
    unexpectedFindings(tool, findings)
      .filter((f) => f.name === 'health-code')
      .map((f) => f.check);
  expect(
    newOnHealthCode(
      'kube-score',
      scanned.filter((f) => f.framework === ''),
    ),
  ).toEqual(expect.arrayContaining(['container-security-context-privileged']));
  // CKV_K8S_16: privileged; CKV_K8S_19: the host's network namespace.
  expect(
    newOnHealthCode(
      'checkov',
      scanned.filter((f) => f.framework !== ''),
    ),
  ).toEqual(expect.arrayContaining(['CKV_K8S_16', 'CKV_K8S_19']));
});

test('Checkov still cannot read cdk.tf.json as cdktf writes it (the required_version workaround above is still needed)', async () => {
  const [stack] = stackDirectories(outputs[0].root);
  const reports = await checkov('terraform_json', ['-f', path.join(stack, 'cdk.tf.json')]);
  const errors = reports.reduce((sum, r) => sum + (r.summary?.parsing_errors ?? 0), 0);
  if (errors === 0)
    throw new Error(
      `Checkov ${toolchain.versions.checkov} parses ${path.relative(outputs[0].root, stack)}/cdk.tf.json as written: remove withoutRequiredVersion() from this file and this test`,
    );
});
