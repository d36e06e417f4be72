/**
 * The package as a user gets it, used the way the README's "Use it in your own project" says: a
 * fresh copy of this repository (no dist/) is packed by `npm pack`, whose prepack builds it; the
 * tarball and the peer dependencies are installed into an empty project by npm; the README's
 * `main.ts`, `tsconfig.json` and `cdktf.json` are written there and `cdktf.json`'s `app` command
 * runs as cdktf's CLI runs it; a stack it wrote passes `terraform init` and `terraform validate`
 * with the README's `provider_installation` block pointed at the suite's provider mirror.
 *
 * npm reads the registry (registry.npmjs.org) through the local cache first (`--prefer-offline`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { log } from './support/log';
import { type RunResult, run, runOk } from './support/run';
import { REPO_ROOT, removeDirectory, temporaryDirectory } from './support/synth';
import { Terraform } from './support/terraform';
import { loadToolchain } from './support/toolchain';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const SECTION = '## Use it in your own project';
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
};

/** The README section's text, up to the next `## ` heading. */
function readmeSection(): string {
  const start = README.indexOf(`\n${SECTION}\n`);
  if (start < 0) throw new Error(`README.md has no "${SECTION}" section`);
  const end = README.indexOf('\n## ', start + SECTION.length + 2);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Text with its line breaks and runs of spaces as single spaces: a sentence however it is wrapped. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The content of the first fenced code block after `label` in the README section. */
function codeBlockAfter(label: string): string {
  const section = readmeSection();
  const at = section.indexOf(label);
  if (at < 0) throw new Error(`README.md's "${SECTION}" has no ${JSON.stringify(label)}`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(section.slice(at));
  if (!block) throw new Error(`README.md's "${SECTION}" has no code block after ${JSON.stringify(label)}`);
  return block[1];
}

/** The version of a package installed in this repository's node_modules (what `npm ci` installed). */
function installedVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * A fresh checkout of the working tree: the files git tracks or would track (a commit's files,
 * uncommitted edits included; nothing git ignores, so no dist/), with this repository's
 * node_modules linked in as `npm ci` would have installed it.
 */
async function freshCheckout(into: string): Promise<void> {
  const listed = await runOk('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT });
  for (const file of listed.stdout.split('\0')) {
    if (file === '' || file === 'node_modules' || !fs.existsSync(path.join(REPO_ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, file), path.join(into, file));
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(into, 'node_modules'));
}

describe('the packed package in a project of its own', () => {
  const toolchain = loadToolchain();
  let work: string;
  let project: string;
  let tarball: string;
  let app: RunResult;

  /** Runs a command in the project, as its user would from a shell there; it must succeed. */
  function runInProject(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
    return runOk(command, args, { cwd: project, env: { npm_config_update_notifier: 'false', ...env } });
  }

  beforeAll(async () => {
    work = temporaryDirectory('packed');
    const checkout = path.join(work, 'checkout');
    await freshCheckout(checkout);
    expect(fs.existsSync(path.join(checkout, 'dist'))).toBe(false);
    log('packing a fresh checkout (npm pack: prepack builds dist/)');
    const packed = await runOk('npm', ['pack', '--silent', '--pack-destination', work], { cwd: checkout, env: { npm_config_update_notifier: 'false' } });
    tarball = path.join(work, packed.stdout.trim().split('\n').pop()!);

    project = path.join(work, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'my-platform', version: '1.0.0', private: true }, null, 2)}\n`);
    // The peer dependencies at the versions this repository is tested with (each within the
    // package's range), TypeScript and Node's types to compile main.ts.
    const peers = Object.keys(PACKAGE.peerDependencies).map((name) => `${name}@${installedVersion(name)}`);
    log(`installing ${path.basename(tarball)} and ${peers.join(' ')} into an empty project`);
    await runInProject('npm', [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--save-exact',
      tarball,
      ...peers,
      `typescript@${installedVersion('typescript')}`,
      `@types/node@${installedVersion('@types/node')}`,
    ]);

    fs.writeFileSync(path.join(project, 'main.ts'), codeBlockAfter('`main.ts`'));
    fs.writeFileSync(path.join(project, 'tsconfig.json'), codeBlockAfter('`tsconfig.json`'));
    fs.writeFileSync(path.join(project, 'cdktf.json'), codeBlockAfter('`cdktf.json`:'));
    const cdktf = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.json'), 'utf8')) as { app: string; output: string };
    // As cdktf's CLI runs the app: through a shell, in the project, with CDKTF_OUTDIR set to "output".
    app = await runInProject('sh', ['-c', cdktf.app], { CDKTF_OUTDIR: path.join(project, cdktf.output) });
  }, 20 * 60_000);
  afterAll(() => {
    if (work) removeDirectory(work);
  });

  it('packs a fresh checkout: the compiled library, the license and the examples to read', async () => {
    const listed = await runOk('tar', ['-tzf', tarball]);
    const files = listed.stdout.split('\n');
    expect(files).toEqual(
      expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/LICENSE', 'package/examples/health-code/health-code.ts']),
    );
    expect(files.filter((f) => f.includes('tsbuildinfo') || f.startsWith('package/test/'))).toEqual([]);
    expect(path.basename(tarball)).toBe(`govcloud-blueprint-${PACKAGE.version}.tgz`);
  });

  it("installs into the empty project with its peer dependencies, and the README's table names their ranges", () => {
    const installed = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'govcloud-blueprint', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(PACKAGE.version);
    const table = Object.fromEntries([...readmeSection().matchAll(/^\| `([^`]+)` \| `([^`]+)` \|$/gm)].map((row) => [row[1], row[2]]));
    expect(table).toEqual(PACKAGE.peerDependencies);
  });

  it("runs the README's app: cdktf.json's app command compiles main.ts and synthesizes the stacks cdktf deploy 'changsha-*' picks", () => {
    expect(app.stdout.trim()).toMatch(/^synthesized 2 stacks, \d+ manifest files and \d+ reports into \S*out\/ in \d+ ms$/);
    const out = path.join(project, 'out');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(['changsha-gov', 'zhuzhou-gov']);
    expect(Object.keys(manifest.stacks).filter((stack) => stack.startsWith('changsha-'))).toEqual(['changsha-gov']);
    expect(fs.readFileSync(path.join(out, 'manifests', 'changsha', 'gov', 'kustomization.yaml'), 'utf8')).toContain('education.yaml');
    expect(fs.readFileSync(path.join(out, 'manifests', 'zhuzhou', 'gov', 'education.yaml'), 'utf8')).toContain('name: enrolment');
    expect(fs.readFileSync(path.join(out, 'reports', 'changsha.md'), 'utf8')).toContain('enrolment');
    expect(fs.existsSync(path.join(out, 'reports', 'index.html'))).toBe(true);
    expect(flat(readmeSection())).toContain('the stacks are `<region>-<cluster>`, here `changsha-gov` and `zhuzhou-gov`');
  });

  it("validates a stack with providers from the mirror through the README's provider_installation block", async () => {
    const stack = path.join(project, 'out', 'terraform', 'stacks', 'changsha-gov');
    const required = Terraform.readStack(stack).terraform.required_providers;
    expect(flat(readmeSection())).toContain(`The stacks need hashicorp/kubernetes ${required.kubernetes.version} and hashicorp/helm ${required.helm.version}.`);
    let terraformrc: string | undefined;
    if (toolchain.providers.mode === 'source') {
      const mirror = /path\s*=\s*"([^"]+)"/.exec(fs.readFileSync(toolchain.providers.terraformrc, 'utf8'))?.[1];
      if (!mirror) throw new Error(`no filesystem_mirror path in ${toolchain.providers.terraformrc}`);
      const block = codeBlockAfter('```hcl');
      expect(block).toContain('path    = "/opt/terraform-providers"');
      terraformrc = path.join(work, 'terraformrc');
      fs.writeFileSync(terraformrc, block.replace('/opt/terraform-providers', mirror));
    } else {
      log('providers from the registry (GOVCLOUD_E2E_PROVIDERS=registry): the README mirror block is not exercised');
    }
    const terraform = new Terraform(toolchain, {}, terraformrc);
    await terraform.init(stack, { backend: false });
    const validate = await terraform.validate(stack);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('Success!');
  });

  // The command line the package installs, on the project's own app (cdktf.json's app names
  // `node dist/main.js`, whose `app` export the CLI loads).
  it("runs its command line there: --help, list, synth, diff and graph on the project's app", async () => {
    const help = await runInProject('npx', ['govcloud-blueprint', '--help']);
    for (const command of ['synth', 'diff', 'validate', 'graph', 'list']) expect(help.stdout).toContain(command);

    const stacks = await runInProject('npx', ['govcloud-blueprint', 'list', '--stacks']);
    expect(stacks.stdout.trim().split('\n')).toEqual(['changsha-gov', 'zhuzhou-gov']);

    const synth = await runInProject('npx', ['govcloud-blueprint', 'synth', '--out', 'cli-out']);
    expect(synth.stdout).toMatch(/synthesized 2 stacks/);
    expect(fs.existsSync(path.join(project, 'cli-out', 'terraform', 'stacks', 'changsha-gov', 'cdk.tf.json'))).toBe(true);

    const unchanged = await run('npx', ['govcloud-blueprint', 'diff', '--out', 'cli-out', '--fail'], { cwd: project });
    expect(unchanged.code).toBe(0);

    // A one-line change to the app, rebuilt: diff names the changed Deployment and exits 3 with --fail.
    const main = path.join(project, 'main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace("version: '1.0.0'", "version: '1.0.1'"));
    await runInProject('npx', ['tsc']);
    const changed = await run('npx', ['govcloud-blueprint', 'diff', '--out', 'cli-out', '--fail'], { cwd: project });
    expect(changed.code).toBe(3);
    expect(changed.stdout).toContain('Deployment education/enrolment');

    await runInProject('npx', ['govcloud-blueprint', 'graph', '--region', 'changsha', '--out', 'pictures']);
    expect(fs.readFileSync(path.join(project, 'pictures', 'changsha.svg'), 'utf8')).toContain('<svg');
  });
});
