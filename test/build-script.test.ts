/**
 * The incremental build (`scripts/build.js`, run by `npm run synth` and `npm run example`) never
 * leaves an output whose source is gone, and starts over when an output it believes written is missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const { pruneStaleOutputs } = require('../scripts/build.js') as { pruneStaleOutputs: (root: string) => void };

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-build-'));
  for (const file of [
    'index.ts',
    'lib/a.ts',
    'examples/x/x.ts',
    'dist/index.js',
    'dist/lib/a.js',
    'dist/lib/a.d.ts',
    'dist/examples/x/x.js',
    'dist/tsconfig.tsbuildinfo',
  ]) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
  }
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function distFiles(): string[] {
  return (fs.readdirSync(path.join(root, 'dist'), { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, 'dist', f)).isFile()).sort();
}

it('keeps every output whose source is there, and tsc state', () => {
  pruneStaleOutputs(root);
  expect(distFiles()).toEqual(['examples/x/x.js', 'index.js', 'lib/a.d.ts', 'lib/a.js', 'tsconfig.tsbuildinfo']);
});

it('deletes the JavaScript and declarations of a deleted source', () => {
  fs.rmSync(path.join(root, 'lib', 'a.ts'));
  fs.rmSync(path.join(root, 'examples', 'x', 'x.ts'));
  pruneStaleOutputs(root);
  expect(distFiles()).toEqual(['index.js', 'tsconfig.tsbuildinfo']);
});

it("drops tsc's state when the output of a source compiled before is missing, so tsc compiles it again", () => {
  const builtAt = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(root, 'dist', 'tsconfig.tsbuildinfo'), builtAt, builtAt);
  fs.rmSync(path.join(root, 'dist', 'lib', 'a.js'));
  pruneStaleOutputs(root);
  expect(distFiles()).toEqual(['examples/x/x.js', 'index.js', 'lib/a.d.ts']);
});

it("keeps tsc's state for a source added since the last build: tsc compiles the new file alone", () => {
  const builtAt = new Date(Date.now() - 60_000);
  fs.utimesSync(path.join(root, 'dist', 'tsconfig.tsbuildinfo'), builtAt, builtAt);
  fs.writeFileSync(path.join(root, 'lib', 'new.ts'), '');
  pruneStaleOutputs(root);
  expect(distFiles()).toEqual(['examples/x/x.js', 'index.js', 'lib/a.d.ts', 'lib/a.js', 'tsconfig.tsbuildinfo']);
});

/**
 * `scripts/run.js` (`npm run synth`, `npm run example`): transpiles the changed sources alone, runs
 * the program, and type-checks alongside it. Each case runs the script on a small project of its
 * own, with this repository's tsconfig.json and TypeScript.
 */
describe('scripts/run.js', () => {
  const repository = path.resolve(__dirname, '..');
  let project: string;

  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-run-'));
    for (const file of ['tsconfig.json', 'package.json', 'scripts/build.js', 'scripts/run.js']) {
      fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      fs.copyFileSync(path.join(repository, file), path.join(project, file));
    }
    fs.symlinkSync(path.join(repository, 'node_modules'), path.join(project, 'node_modules'));
    write('lib/greeting.ts', "export const greeting: string = 'hello';\n");
    write('lib/main.ts', "import { greeting } from './greeting';\nconsole.log(greeting);\n");
  });

  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  /** Writes a source with a modification time `ageMs` in the past (0: now). */
  function write(file: string, text: string, ageMs = 0) {
    const full = path.join(project, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    const at = new Date(Date.now() - ageMs);
    fs.utimesSync(full, at, at);
  }

  function run(...args: string[]) {
    return spawnSync(process.execPath, [path.join(project, 'scripts', 'run.js'), 'dist/lib/main.js', ...args], { cwd: project, encoding: 'utf8' });
  }

  function output(file: string): string {
    return fs.readFileSync(path.join(project, 'dist', file), 'utf8');
  }

  it('transpiles every source on the first run, then runs the program', () => {
    const result = run();
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('hello\n');
    expect(result.status).toBe(0);
    expect(output('lib/greeting.js')).toContain("exports.greeting = 'hello';");
  });

  it('transpiles a changed source again, and only that one', () => {
    expect(run().status).toBe(0);
    fs.writeFileSync(path.join(project, 'dist', 'lib', 'main.js'), 'console.log("main.js untouched");\n');
    const later = new Date(Date.now() + 2000);
    fs.utimesSync(path.join(project, 'dist', 'lib', 'main.js'), later, later);
    write('lib/greeting.ts', "export const greeting: string = 'hello again';\n");
    fs.utimesSync(path.join(project, 'lib', 'greeting.ts'), later, later);
    const result = run();
    expect(result.stdout).toBe('main.js untouched\n');
    expect(output('lib/greeting.js')).toContain("exports.greeting = 'hello again';");
  });

  it('deletes the output of a deleted source', () => {
    write('lib/old.ts', 'export const old = 1;\n');
    expect(run().status).toBe(0);
    expect(fs.existsSync(path.join(project, 'dist', 'lib', 'old.js'))).toBe(true);
    fs.rmSync(path.join(project, 'lib', 'old.ts'));
    expect(run().status).toBe(0);
    expect(fs.existsSync(path.join(project, 'dist', 'lib', 'old.js'))).toBe(false);
  });

  it('runs the program, then fails with the type errors', () => {
    write('lib/greeting.ts', "export const greeting: number = 'hello';\n");
    const result = run();
    expect(result.stdout).toBe('hello\n');
    expect(result.stderr).toContain("lib/greeting.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(result.stderr).toContain('type errors (above)');
    expect(result.status).toBe(1);
    // Still failing: a failed check is never taken for a passed one.
    expect(run().status).toBe(1);
  });

  it('rejects what a file-by-file transpile would get wrong (tsconfig.json: isolatedModules)', () => {
    write('lib/shape.ts', 'export interface Shape {\n  sides: number;\n}\n');
    write('lib/main.ts', "export { Shape } from './shape';\nconsole.log('ran');\n");
    const result = run();
    expect(result.stderr).toContain("lib/main.ts(1,10): error TS1205: Re-exporting a type when 'isolatedModules' is enabled requires using 'export type'.");
    expect(result.status).toBe(1);
  });

  it('fails on a source that does not parse, without running the program', () => {
    write('lib/main.ts', "console.log('ran';\n");
    const result = run();
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("lib/main.ts(1,18): error TS1005: ')' expected.");
    expect(result.stderr).toContain('not run');
    expect(result.status).toBe(1);
  });

  it("passes the program's arguments and exit code through", () => {
    write('lib/main.ts', 'console.log(process.argv.slice(2).join(" "));\nprocess.exitCode = 3;\n');
    const result = run('--region', 'changsha');
    expect(result.stdout).toBe('--region changsha\n');
    expect(result.status).toBe(3);
  });

  it('skips the check when no source changed since a check passed', () => {
    expect(run().status).toBe(0);
    expect(fs.existsSync(path.join(project, 'dist', 'typecheck.passed'))).toBe(true);
    // A type error the check would report, in a file older than the last check: not checked again.
    write('lib/unchecked.ts', 'export const n: number = "x";\n', 60_000);
    expect(run().status).toBe(0);
    // Saved now, it is.
    write('lib/unchecked.ts', 'export const n: number = "x";\n');
    expect(run().status).toBe(1);
  });
});
