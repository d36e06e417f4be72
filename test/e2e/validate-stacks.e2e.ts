/**
 * Every Terraform stack the default blueprint and the examples synthesize, through `terraform init`
 * (providers from the toolchain's mirror) and `terraform validate`: the real providers' schemas
 * and validation, which the unit tests' JSON checks do not have.
 */
import * as path from 'path';
import { log } from './support/log';
import { CommandFailed } from './support/run';
import { exampleNames, removeDirectory, synthesizeDefaultBlueprint, synthesizeExample, temporaryDirectory } from './support/synth';
import { Terraform, stackDirectories } from './support/terraform';
import { loadToolchain } from './support/toolchain';

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
