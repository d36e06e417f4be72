/**
 * README "Upgrading": the two-step, gap-free upgrade to the release that merged NetworkPolicies (one
 * per pod selector instead of one per edge). The stack changsha-gov is first deployed as the previous
 * release wrote it, then the README's sh block runs as written, over the stack this release writes.
 *
 * Only namespaces and NetworkPolicies are deployed (no helm release: the test stays cheap). The
 * previous release's are `fixtures/previous-release/network-policies.json`, written by its
 * `generate.sh` from the commit before the merge. Both stacks are trimmed to those two resource
 * types. The merge's only other change to the stacks leaves out attributes equal to the providers'
 * defaults, which no plan shows as a change, so over whole stacks the README's `-target` list and
 * the final apply's changes are the ones here (changes of later releases to other resources are
 * theirs, not this upgrade's).
 */
import * as fs from 'fs';
import * as path from 'path';
import { type TestApiServer, startTestApiServer } from './support/api-server';
import { type KubeObject, Kubectl } from './support/kubectl';
import { CommandFailed, run } from './support/run';
import { REPO_ROOT, library, regionClusters, removeDirectory, synthesizeRegionAgainst, temporaryDirectory } from './support/synth';
import { type StackJson, Terraform, dummyVariables } from './support/terraform';
import { loadToolchain } from './support/toolchain';

const NAMESPACE = 'kubernetes_namespace_v1';
const NETWORK_POLICY = 'kubernetes_network_policy_v1';
const PREVIOUS_RELEASE = path.join(__dirname, 'fixtures', 'previous-release', 'network-policies.json');
const STEP_MARKER = '### upgrade step ';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe('upgrading a deployed stack to merged NetworkPolicies, as README "Upgrading" says', () => {
  const toolchain = loadToolchain();
  const terraform = new Terraform(toolchain);
  let work: string;
  let server: TestApiServer | undefined;
  let kubectl: Kubectl;
  let stack: string;
  let variables: Record<string, string>;
  let previous: Set<string>;
  let declared: Set<string>;
  /** The README's commands, one per entry. */
  const commands = readmeCommands();

  beforeAll(async () => {
    work = temporaryDirectory('upgrade');
    const kubeconfig = { path: path.join(work, 'kubeconfig'), context: 'e2e' };
    const target = regionClusters(library().defaultFleet({ regions: ['changsha'] })).find((c) => c.cluster === 'gov')!;
    // The README's commands run in the folder that holds out/, as after a synth.
    synthesizeRegionAgainst({ ...target, kubeconfig, stateDirectory: path.join(work, 'state') }, path.join(work, 'out'));
    stack = path.join(work, 'out', 'terraform', 'stacks', 'changsha-gov');
    server = await startTestApiServer(toolchain, kubeconfig.path);
    kubectl = new Kubectl(server.kubeconfig, server.context);

    const current = Terraform.readStack(stack);
    variables = dummyVariables(current);
    const previousResources = (JSON.parse(fs.readFileSync(PREVIOUS_RELEASE, 'utf8')) as { resource: Resources }).resource;
    const currentResources = current.resource as Resources;
    previous = policyKeys(previousResources);
    declared = policyKeys(currentResources);

    // The previous release's stack: the same providers, backend and variables, its own resources.
    writeStack(stack, current, previousResources);
    await terraform.init(stack, { backend: true });
    await terraform.apply(stack, [], variables);
    // This release's stack, trimmed the same way: what the README's commands upgrade to.
    writeStack(stack, current, { [NAMESPACE]: currentResources[NAMESPACE], [NETWORK_POLICY]: currentResources[NETWORK_POLICY] });
  });
  afterAll(async () => {
    await server?.stop();
    if (work) removeDirectory(work);
  });

  it('the two releases differ in their policies, by the names the README lists', () => {
    const removed = difference(previous, declared);
    const added = difference(declared, previous);
    expect(removed.size).toBeGreaterThan(0);
    expect(added.size).toBeGreaterThan(0);
    const { destroyed, created } = readmeNamePatterns();
    expect([...removed].filter((key) => !destroyed.some((p) => p.test(policyName(key))))).toEqual([]);
    expect([...added].filter((key) => !created.some((p) => p.test(policyName(key))))).toEqual([]);
  });

  it('the README commands: the first apply only creates, the second only destroys the old policies', async () => {
    jqOnPath();
    const before = await deployedPolicies(kubectl);
    expect(before).toEqual(previous);

    const snapshots = path.join(work, 'snapshots');
    fs.mkdirSync(snapshots);
    const script = commands.flatMap((command, i) => [
      `echo '${STEP_MARKER}${i}'`,
      command,
      `kubectl --kubeconfig ${quote(server!.kubeconfig)} --context ${server!.context} get networkpolicies -A -o json > ${quote(path.join(snapshots, `${i}.json`))}`,
    ]);
    const result = await run('bash', ['-euo', 'pipefail', '-c', script.join('\n')], {
      cwd: work,
      env: {
        ...terraform.env,
        ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [`TF_VAR_${name}`, value])),
        // The approval a person types at each apply's prompt.
        TF_CLI_ARGS_apply: '-auto-approve',
        KUBECONFIG: undefined,
      },
    });
    if (result.code !== 0) throw new CommandFailed(result, work);
    const output = stepOutputs(result.stdout, commands.length);
    const applies = commands.map((command, i) => (/^terraform apply\b/.test(command) ? i : -1)).filter((i) => i >= 0);
    expect(applies).toHaveLength(2);
    const [first, second] = applies;
    const afterFirst = readSnapshot(path.join(snapshots, `${first}.json`));
    const afterSecond = readSnapshot(path.join(snapshots, `${second}.json`));

    // The plan holds both the creates and the destroys (a plain apply runs them side by side), nothing else.
    const plan = commands.findIndex((command) => /^terraform plan\b/.test(command));
    expect(planSummary(output[plan])).toEqual({ add: difference(declared, previous).size, change: 0, destroy: difference(previous, declared).size });
    // Nothing changes in the cluster before the first apply (init, plan).
    for (let i = 0; i < first; i++) expect(readSnapshot(path.join(snapshots, `${i}.json`))).toEqual(previous);
    // The first apply: the new policies beside the old ones, nothing destroyed.
    expect(applySummary(output[first])).toEqual({ added: difference(declared, previous).size, changed: 0, destroyed: 0 });
    expect(afterFirst).toEqual(union(previous, declared));
    // The second: the old ones gone, nothing else changed.
    expect(applySummary(output[second])).toEqual({ added: 0, changed: 0, destroyed: difference(previous, declared).size });
    expect(afterSecond).toEqual(declared);
  });

  it('afterwards a plan shows no changes', async () => {
    const plan = await terraform.plan(stack, [], variables);
    if (plan.code !== 0) throw new CommandFailed(plan, stack);
  });
});

/**
 * The README's sh block under "## Upgrading", split into commands (a line ending in a backslash
 * continues the command). Read at collection time: a README without it fails the suite at once.
 */
function readmeCommands(): string[] {
  const section = readmeUpgradingSection();
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md: no sh block under "## Upgrading"');
  const commands: string[] = [];
  let pending = '';
  for (const line of block[1].split('\n')) {
    if (line.trim() === '' && pending === '') continue;
    pending += (pending ? '\n' : '') + line;
    if (!line.endsWith('\\')) {
      commands.push(pending);
      pending = '';
    }
  }
  return commands;
}

function readmeUpgradingSection(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = /\n## Upgrading\n([\s\S]*?)\n## /.exec(readme);
  if (!section) throw new Error('README.md has no "## Upgrading" section');
  return section[1];
}

/**
 * The policy names the README says the first apply creates and destroys, as patterns: `<service>`
 * and `*` stand for any name part, a leading `-` for the replica's name before it.
 */
function readmeNamePatterns(): { created: RegExp[]; destroyed: RegExp[] } {
  const text = readmeUpgradingSection().replace(/\s+/g, ' ');
  const sentence = /creates (.*?) and destroys (.*?) \(`deny-all`/.exec(text);
  if (!sentence) throw new Error('README "Upgrading": no sentence "creates ... and destroys ... (`deny-all` ..."');
  const patterns = (part: string) =>
    [...part.matchAll(/`([^`]+)`/g)].map(([, name]) => {
      const source = name
        .split(/(<[a-z]+>|\*)/)
        .map((piece) => (piece.startsWith('<') || piece === '*' ? '[a-z0-9-]+' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      return new RegExp(`^${name.startsWith('-') ? '[a-z0-9-]+' : ''}${source}$`);
    });
  return { created: patterns(sentence[1]), destroyed: patterns(sentence[2]) };
}

function jqOnPath(): void {
  if (!(process.env.PATH ?? '').split(':').some((dir) => dir && fs.existsSync(path.join(dir, 'jq'))))
    throw new Error('jq is not on PATH: the README\'s upgrade commands use it (Debian: "apt-get install jq"; .ci/run installs it when missing)');
}

/** The stack with these resources in place of the synthesized ones (providers, backend and variables kept). */
function writeStack(stackDir: string, synthesized: StackJson, resources: Resources): void {
  fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), `${JSON.stringify({ ...synthesized, resource: resources }, null, 2)}\n`);
}

/** `namespace/name` of each NetworkPolicy the resources declare (namespace references resolved). */
function policyKeys(resources: Resources): Set<string> {
  const namespaces = resources[NAMESPACE];
  return new Set(
    Object.values(resources[NETWORK_POLICY]).map((policy) => {
      const metadata = policy.metadata as { name: string; namespace: string };
      const reference = /^\$\{kubernetes_namespace_v1\.([^.]+)\.metadata\[0\]\.name\}$/.exec(metadata.namespace);
      const namespace = reference ? (namespaces[reference[1]].metadata as { name: string }).name : metadata.namespace;
      return `${namespace}/${metadata.name}`;
    }),
  );
}

function policyName(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}

async function deployedPolicies(kubectl: Kubectl): Promise<Set<string>> {
  return keysOf((await kubectl.ok(['get', 'networkpolicies', '-A', '-o', 'json'])).stdout);
}

function readSnapshot(file: string): Set<string> {
  return keysOf(fs.readFileSync(file, 'utf8'));
}

function keysOf(listJson: string): Set<string> {
  return new Set((JSON.parse(listJson) as { items: KubeObject[] }).items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
}

/** What the script printed after each step's marker. */
function stepOutputs(stdout: string, steps: number): string[] {
  const parts = stdout.split(new RegExp(`${STEP_MARKER}(\\d+)$`, 'm'));
  const outputs: string[] = new Array<string>(steps).fill('');
  for (let i = 1; i < parts.length; i += 2) outputs[Number(parts[i])] = parts[i + 1];
  return outputs;
}

/** `Plan: 1 to add, 2 to change, 3 to destroy.` (colours removed). */
function planSummary(output: string): { add: number; change: number; destroy: number } {
  const plain = withoutColours(output);
  const summary = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\./.exec(plain);
  if (!summary) throw new Error(`no "Plan:" line in:\n${plain}`);
  return { add: Number(summary[1]), change: Number(summary[2]), destroy: Number(summary[3]) };
}

/** `Apply complete! Resources: 1 added, 2 changed, 3 destroyed.` (colours removed). */
function applySummary(output: string): { added: number; changed: number; destroyed: number } {
  const plain = withoutColours(output);
  const summary = /Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\./.exec(plain);
  if (!summary) throw new Error(`no "Apply complete!" line in:\n${plain}`);
  return { added: Number(summary[1]), changed: Number(summary[2]), destroyed: Number(summary[3]) };
}

function withoutColours(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex
}

function difference(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a].filter((x) => !b.has(x)));
}

function union(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a, ...b]);
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
