import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Lazy } from 'cdk8s';
import { ApiObject } from 'cdk8s';
import { Fleet } from '../constructs/core/fleet';
import { OUTPUT_MARK, OUTPUT_MARK_CONTENT } from '../lib/output/staged-output';
import { runCli } from '../lib/cli/run-cli';
import { FileError } from '../lib/file-errors';
import { minimalBlueprint, SynthOutput, tempDir } from './support/fleet-fixtures';

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'dist', 'blueprints', 'main.js');

describe('npm run synth (dist/blueprints/main.js)', () => {
  it('synthesizes the chosen region into the chosen output root', () => {
    const out = path.join(tempDir(), 'out');
    const stdout = execFileSync('node', [MAIN, '--region', 'changsha', '--out', out], { encoding: 'utf8' });
    expect(stdout).toMatch(/^synthesized 2 stacks, \d+ manifest files and 2 reports into .*out\/ in \d+ ms\n$/);
    expect(new SynthOutput(out).files().filter((f) => f.startsWith('reports/'))).toEqual([
      'reports/changsha.md',
      'reports/changsha/red-packet-burst.svg',
      'reports/changsha/red-packet-rehearsal.svg',
      'reports/changsha/topology.svg',
      'reports/fleet-topology.svg',
      'reports/fleet.md',
      'reports/index.html',
    ]);
  });

  it('takes the output root from CDKTF_OUTDIR when cdktf runs it', () => {
    const root = path.join(tempDir(), 'out');
    execFileSync('node', [MAIN, '--region', 'xiangtan'], { env: { ...process.env, CDKTF_OUTDIR: path.join(root, 'terraform') } });
    expect(fs.existsSync(path.join(root, 'terraform', 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'manifests', 'xiangtan', 'gov', 'kustomization.yaml'))).toBe(true);
  });

  it('fails on an unknown region with the choices as a usage error (exit code 2) and writes nothing', () => {
    const out = path.join(tempDir(), 'out');
    const run = spawnSync('node', [MAIN, '--region', 'wuhan', '--out', out], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--region: no region "wuhan" in the default blueprint; choose from changsha, zhuzhou, xiangtan');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('rejects unknown arguments with exit code 2, naming the flag and its likely fix', () => {
    const run = spawnSync('node', [MAIN, '--regoin', 'x'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("error: unknown option '--regoin'");
    expect(run.stderr).toContain('Did you mean --region?');
  });
});

describe('a failed synth leaves no half-written output', () => {
  function previousOutput(): string {
    const out = path.join(tempDir(), 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, OUTPUT_MARK), OUTPUT_MARK_CONTENT);
    fs.writeFileSync(path.join(out, 'previous.txt'), 'from the last good synth');
    return out;
  }

  function expectUntouched(out: string): void {
    expect(fs.readdirSync(out).sort()).toEqual([OUTPUT_MARK, 'previous.txt']);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  }

  it('when a construct validation fails, listing every failure', () => {
    const out = previousOutput();
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir: out });
    const [region] = fleet.addRegions({ changsha: {} });
    region.cluster('gov').stack.node.addValidation({ validate: () => ['first problem', 'second problem'] });
    expect(() => fleet.synth()).toThrow(/the fleet does not validate \(2 problems\):\n {2}- changsha-gov: first problem\n {2}- changsha-gov: second problem/);
    expectUntouched(out);
  });

  it('when writing fails halfway', () => {
    const out = previousOutput();
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir: out });
    const [region] = fleet.addRegions({ changsha: {} });
    const chart = region.cluster('gov').department('education')!.chart;
    new ApiObject(chart, 'broken', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'broken' },
      data: Lazy.any({
        produce: () => {
          throw new Error('disk full');
        },
      }),
    });
    expect(() => fleet.synth()).toThrow(/disk full/);
    expectUntouched(out);
  });

  it('and a good synth replaces the previous output whole', () => {
    const out = previousOutput();
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir: out });
    fleet.addRegions({ changsha: {} });
    fleet.synth();
    expect(fs.readdirSync(out).sort()).toEqual([OUTPUT_MARK, 'manifests', 'reports', 'terraform']);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  });
});

describe('synth refuses an output root it did not write, in one line', () => {
  /** Runs the built CLI; its stderr must be one line, never a stack trace. */
  function refused(args: string[], cwd = ROOT): string {
    const run = spawnSync('node', [MAIN, '--region', 'changsha', ...args], { encoding: 'utf8', cwd });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(/\n {4}at /);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    return run.stderr;
  }

  it('a regular file', () => {
    const file = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(file, 'mine');
    expect(refused(['--out', file])).toBe(
      `synth failed: output root ${file} is a file, not a folder; choose another --out (a new folder, or one synth wrote before), or delete the file yourself\n`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['notes.txt']);
  });

  it.each(['.', '..'])('%p', (out) => {
    const cwd = path.join(tempDir(), 'work');
    fs.mkdirSync(cwd);
    fs.writeFileSync(path.join(cwd, 'keep.txt'), 'mine');
    expect(refused(['--out', out], cwd)).toContain(`synth failed: output root ${out} (${path.resolve(cwd, out)}) is the current folder`);
    expect(fs.readdirSync(cwd)).toEqual(['keep.txt']);
  });

  it('the project root', () => {
    expect(refused(['--out', ROOT], tempDir())).toMatch(
      /^synth failed: output root .* holds (package\.json|\.git): it is a project folder, not an output; choose another --out/,
    );
    expect(fs.existsSync(path.join(ROOT, 'package.json'))).toBe(true);
  });

  it('an unrelated folder', () => {
    const out = path.join(tempDir(), 'documents');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'letter.odt'), 'mine');
    expect(refused(['--out', out])).toBe(
      `synth failed: output root ${out} is a folder synth did not write (it holds letter.odt; no ${OUTPUT_MARK} file); choose another --out (a new folder, or one synth wrote before), or delete the folder yourself\n`,
    );
    expect(fs.readdirSync(out)).toEqual(['letter.odt']);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['documents']);
  });

  it('an output root below a file (ENOTDIR)', () => {
    const file = path.join(tempDir(), 'plain');
    fs.writeFileSync(file, 'x');
    expect(refused(['--out', path.join(file, 'out')])).toBe(
      `synth failed: cannot read ${path.join(file, 'out')}: a part of the path is a file, not a folder (ENOTDIR); fix the path\n`,
    );
  });

  it('and replaces its own previous output, which carries the mark', () => {
    const out = path.join(tempDir(), 'out');
    execFileSync('node', [MAIN, '--region', 'changsha', '--out', out]);
    expect(fs.readFileSync(path.join(out, OUTPUT_MARK), 'utf8')).toBe(OUTPUT_MARK_CONTENT);
    fs.writeFileSync(path.join(out, 'stale.txt'), 'old');
    execFileSync('node', [MAIN, '--region', 'xiangtan', '--out', out]);
    expect(fs.readdirSync(out).sort()).toEqual([OUTPUT_MARK, 'manifests', 'reports', 'terraform']);
    expect(fs.readdirSync(path.join(out, 'manifests'))).toEqual(['xiangtan']);
  });
});

describe('runCli', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  it.each([
    ['EACCES', 'mkdir', 'cannot create the folder /srv/out: permission denied (EACCES); check the permissions'],
    ['EEXIST', 'mkdir', 'cannot create the folder /srv/out: it already exists (EEXIST); remove it yourself or choose another path'],
    ['ENAMETOOLONG', 'open', 'cannot open /srv/out: the name is too long (ENAMETOOLONG); choose a shorter path'],
    ['EBUSY', 'rename', 'cannot move /srv/out: it is busy or a mount point (EBUSY); close what holds it'],
    ['EPERM', 'rm', 'cannot delete /srv/out: operation not permitted (EPERM); check the permissions and ownership'],
    ['EIO', 'write', 'cannot write /srv/out: failed (EIO); check the path and run again'],
  ])('prints a file-system error %s from %s as one line with exit code 1', (code, syscall, words) => {
    runCli(() => {
      throw Object.assign(new Error(`${code}: failed, ${syscall} '/srv/out'`), { code, syscall, path: '/srv/out' });
    });
    expect(process.exitCode).toBe(1);
    expect(stderr).toHaveBeenCalledTimes(1);
    const text = String(stderr.mock.calls[0][0]);
    expect(text).toMatch(/^synth failed: .*\n$/);
    expect(text.trimEnd()).not.toContain('\n');
    expect(text).toContain(words);
  });

  it('prints a FileError as it is', () => {
    runCli(() => {
      throw new FileError('output root x is a file, not a folder; choose another --out', 'x');
    });
    expect(process.exitCode).toBe(1);
    expect(stderr.mock.calls.map((c) => c[0])).toEqual(['synth failed: output root x is a file, not a folder; choose another --out\n']);
  });

  it('still throws a bug (an error without an errno code) for its stack trace', () => {
    expect(() =>
      runCli(() => {
        throw new TypeError('undefined is not a function');
      }),
    ).toThrow(TypeError);
  });
});
