import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './support/fleet-fixtures';

const ROOT = path.resolve(__dirname, '..');

/**
 * The package as users get it: `npm pack`, unpacked into another project's node_modules, used
 * from JavaScript and compiled against from TypeScript with the published declarations.
 */
describe('the packed npm package', () => {
  const consumer = tempDir('govcloud-consumer-');
  const modules = path.join(consumer, 'node_modules');

  beforeAll(() => {
    // Without prepack's clean build: `npm test` built dist/ already, and other suites run it meanwhile.
    const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', consumer], { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    fs.mkdirSync(path.join(modules, 'govcloud-blueprint'), { recursive: true });
    execFileSync('tar', ['-xzf', path.join(consumer, tarball), '-C', path.join(modules, 'govcloud-blueprint'), '--strip-components=1']);
    // Peer and runtime dependencies, as the consumer's own install would provide them.
    for (const dep of [
      'cdktf',
      'cdk8s',
      'constructs',
      '@cdktf',
      'yaml',
      'ajv',
      'kubernetes-models',
      '@kubernetes-models',
      'fast-deep-equal',
      'json-schema-traverse',
      'fast-uri',
      'require-from-string',
      '@aduh95',
      'commander',
      '@types',
      'typescript',
    ]) {
      fs.mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
      fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep));
    }
  }, 120000);

  it('ships the compiled library, declarations, region files, schemas, the license and the examples to read, and no other sources or tests', () => {
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: path.join(modules, 'govcloud-blueprint'), encoding: 'utf8' }).split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        './dist/index.js',
        './dist/index.d.ts',
        './dist/constructs/core/fleet.d.ts',
        './blueprints/regions/xiangtan.yaml',
        './blueprints/schema/region-overrides.schema.json',
        './lib/validation/crds.json',
        './LICENSE',
        './examples/red-packet-surge/red-packet-surge.ts',
      ]),
    );
    // The license package.json declares, in full (its terms and the appendix).
    const license = fs.readFileSync(path.join(modules, 'govcloud-blueprint', 'LICENSE'), 'utf8');
    expect(JSON.parse(fs.readFileSync(path.join(modules, 'govcloud-blueprint', 'package.json'), 'utf8')).license).toBe('Apache-2.0');
    expect(license).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004\n\s+http:\/\/www\.apache\.org\/licenses\/\n/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(license).toContain('APPENDIX: How to apply the Apache License to your work.');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('./examples/'))).toEqual([]);
    expect(files.filter((f) => f.includes('tsbuildinfo'))).toEqual([]);
    expect(files.filter((f) => f.includes('test'))).toEqual([]);
  });

  it('composes and synthesizes a fleet from another project (JavaScript)', () => {
    fs.writeFileSync(
      path.join(consumer, 'synth.js'),
      `const { Fleet, citizenServices, hunanRegions } = require('govcloud-blueprint');
const fleet = new Fleet({ blueprint: citizenServices, outdir: 'out' });
fleet.addRegions({ xiangtan: hunanRegions().xiangtan, hengyang: { overrides: { services: [{ name: 'citizen-app', autoscaling: { maxReplicas: 8 } }] } } });
console.log(JSON.stringify(fleet.synth().stacks));`,
    );
    expect(execFileSync('node', ['synth.js'], { cwd: consumer, encoding: 'utf8' }).trim()).toBe('["xiangtan-gov","hengyang-gov"]');
    expect(fs.existsSync(path.join(consumer, 'out', 'manifests', 'hengyang', 'gov', 'data-bureau.yaml'))).toBe(true);
  });

  it('loads no command-line library when required (commander, listr2), and commander once a command line runs', () => {
    fs.writeFileSync(
      path.join(consumer, 'loaded.js'),
      `const cliLibraries = () => Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/](commander|listr2)[\\\\/]/.test(f)).length > 0;
const { runCommandLine } = require('govcloud-blueprint');
const atRequire = cliLibraries();
const quiet = { write: () => true };
runCommandLine({ argv: ['--help'], env: {}, cwd: __dirname, stdout: quiet, stderr: quiet, defaultApp: { name: 'none', build: () => { throw new Error('not built'); } } }).then((code) =>
  console.log(JSON.stringify({ atRequire, code, afterCommand: cliLibraries() })),
);`,
    );
    expect(JSON.parse(execFileSync('node', ['loaded.js'], { cwd: consumer, encoding: 'utf8' }))).toEqual({ atRequire: false, code: 0, afterCommand: true });
  });

  it('type-checks a TypeScript consumer against the published declarations', () => {
    fs.writeFileSync(
      path.join(consumer, 'region.ts'),
      `import { BlueprintOverrides, Fleet, citizenServices } from 'govcloud-blueprint';
const overrides: BlueprintOverrides = { services: [{ name: 'citizen-app', autoscaling: { maxReplicas: 8 } }, { name: 'gov-portal', $remove: true }] };
new Fleet({ blueprint: citizenServices }).addRegions({ hengyang: { overrides } });
// @ts-expect-error unknown keys are compile errors too
const typo: BlueprintOverrides = { services: [{ name: 'citizen-app', replcas: 3 }] };
export { typo };`,
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(
      'node',
      [tsc, '--noEmit', '--strict', '--module', 'commonjs', '--target', 'es2022', '--moduleResolution', 'node', '--skipLibCheck', 'region.ts'],
      { cwd: consumer, encoding: 'utf8' },
    );
  });
});
