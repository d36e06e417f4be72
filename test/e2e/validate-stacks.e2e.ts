/**
 * Every Terraform stack the default blueprint and the examples synthesize, through `terraform init`
 * (providers from the toolchain's mirror) and `terraform validate`: the real providers' schemas
 * and validation, which the unit tests' JSON checks do not have. Then the stacks' provider range
 * against the providers the suite ran them with, judged by Terraform itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import { log } from './support/log';
import { CommandFailed, run } from './support/run';
import { exampleNames, removeDirectory, synthesizeDefaultBlueprint, synthesizeExample, temporaryDirectory } from './support/synth';
import { Terraform, stackDirectories } from './support/terraform';
import { type ProviderName, loadToolchain, sourceBuiltProviders } from './support/toolchain';

// Synthesized while jest collects the tests, so there is one test per stack.
const work = temporaryDirectory('validate');
const outputs: Array<{ label: string; outdir: string }> = [];
synthesizeDefaultBlueprint(path.join(work, 'default'));
outputs.push({ label: 'default blueprint', outdir: path.join(work, 'default') });
for (const name of exampleNames()) outputs.push({ label: `example ${name}`, outdir: synthesizeExample(name, path.join(work, 'examples')) });

const terraform = new Terraform(loadToolchain());

afterAll(() => removeDirectory(work));

describe.each(outputs)('$label', ({ outdir }) => {
  it.each(stackDirectories(outdir).map((dir) => [path.basename(dir), dir]))('%s: terraform init and validate', async (name, dir) => {
    await terraform.init(dir, { backend: false });
    const result = await terraform.validate(dir);
    if (result.code !== 0) throw new CommandFailed(result, dir);
    expect(result.stdout).toContain('The configuration is valid');
    // Deprecations and other provider warnings are findings too.
    expect(result.stdout.split('\n').filter((line) => line.startsWith('Warning:'))).toEqual([]);
    log(`${name}: valid`);
  });
});

/**
 * Source mode runs the stacks with pre-release builds (`3.2.1-src.<commit>`), which Terraform takes
 * only when asked for exactly, so validate and apply alone never test the stacks' own range. Here
 * Terraform resolves that range, copied verbatim from the stacks, against a mirror holding the
 * suite's build under its release number alone: it must select it. The same range against the
 * build under a version just outside it (below, and the next minor) must find nothing.
 */
describe("the stacks' provider range", () => {
  const toolchain = loadToolchain();
  const built = sourceBuiltProviders(toolchain);
  const stacks = outputs.flatMap(({ outdir }) => stackDirectories(outdir));
  const ranges = (name: ProviderName) => [...new Set(stacks.map((dir) => Terraform.readStack(dir).terraform.required_providers[name].version))];

  it('is one range per provider, in every stack', () => {
    expect([ranges('kubernetes').length, ranges('helm').length]).toEqual([1, 1]);
  });

  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  /** `terraform init` of a configuration requiring `range`, with `binary` in a mirror as `version`. */
  async function resolve(name: ProviderName, range: string, binary: string, version: string): Promise<{ code: number; selected?: string; output: string }> {
    const dir = fs.mkdtempSync(path.join(work, `range-${name}-`));
    const target = path.join(dir, 'mirror', 'registry.terraform.io', 'hashicorp', name, version, platform);
    fs.mkdirSync(target, { recursive: true });
    fs.symlinkSync(binary, path.join(target, `terraform-provider-${name}_v${version}`));
    const config = path.join(dir, 'terraformrc');
    fs.writeFileSync(config, `provider_installation {\n  filesystem_mirror {\n    path = "${path.join(dir, 'mirror')}"\n  }\n}\n`);
    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: { [name]: { source: `hashicorp/${name}`, version: range } } } }),
    );
    const result = await run('terraform', ['init', '-input=false', '-no-color', '-backend=false'], {
      cwd: project,
      env: { TF_CLI_CONFIG_FILE: config, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_PLUGIN_CACHE_DIR: undefined },
    });
    const lock = path.join(project, '.terraform.lock.hcl');
    const selected = fs.existsSync(lock) ? /version\s*=\s*"([^"]+)"/.exec(fs.readFileSync(lock, 'utf8'))?.[1] : undefined;
    return { code: result.code, selected, output: result.stdout + result.stderr };
  }

  const cases = built.map((p) => [p.name, p] as const);
  if (cases.length === 0) {
    // Registry mode: `terraform init` above resolved the stacks' own range against the registry.
    it.each(['kubernetes', 'helm'] as const)('hashicorp/%s: every stack locked a release within its range (registry mode)', (name) => {
      const [range] = ranges(name);
      const locked = stacks.map((dir) => {
        const lock = fs.readFileSync(path.join(dir, '.terraform.lock.hcl'), 'utf8');
        return new RegExp(`provider "registry.terraform.io/hashicorp/${name}" \\{\\s*version\\s*=\\s*"([^"]+)"`).exec(lock)?.[1];
      });
      for (const version of new Set(locked)) expect([version, withinRange(String(version), range)]).toEqual([version, true]);
      log(`registry mode: hashicorp/${name} ${[...new Set(locked)].join(', ')} for the range "${range}"`);
    });
  } else {
    it.each(cases)('hashicorp/%s: admits the release the suite built, and nothing outside it', async (name, provider) => {
      const [range] = ranges(name);
      const binary = path.join(
        toolchain.cache,
        'terraform-providers',
        'registry.terraform.io',
        'hashicorp',
        name,
        provider.installed,
        platform,
        `terraform-provider-${name}_v${provider.installed}`,
      );
      expect(fs.existsSync(binary)).toBe(true);
      const admitted = await resolve(name, range, binary, provider.release);
      expect([admitted.code, admitted.selected, admitted.code === 0 ? '' : admitted.output]).toEqual([0, provider.release, '']);
      const [major, minor, patch] = provider.release.split('.').map(Number);
      const outside = [patch > 0 ? `${major}.${minor}.${patch - 1}` : `${major}.${minor - 1}.99`, `${major}.${minor + 1}.0`];
      for (const version of outside) {
        const refused = await resolve(name, range, binary, version);
        expect([version, refused.code, refused.selected]).toEqual([version, 1, undefined]);
        expect(refused.output).toMatch(/no available releases match|Failed to query available provider packages/);
      }
      log(
        `hashicorp/${name}: the stacks' range "${range}" admits ${provider.release} (the suite's build ${provider.installed}) and refuses ${outside.join(' and ')}`,
      );
    });
  }
});

/** Whether `version` (x.y.z) meets a constraint of `>=`/`<` bounds joined by commas, as the stacks write it. */
function withinRange(version: string, range: string): boolean {
  const parse = (v: string) => v.split('.').map(Number);
  const compare = (a: number[], b: number[]) => a.map((n, i) => n - (b[i] ?? 0)).find((d) => d !== 0) ?? 0;
  return range.split(',').every((part) => {
    const [, operator, bound] = /^\s*(>=|<)\s*(\S+)\s*$/.exec(part) ?? [];
    if (!operator) throw new Error(`cannot read the constraint "${range}"`);
    const order = compare(parse(version), parse(bound));
    return operator === '>=' ? order >= 0 : order < 0;
  });
}
