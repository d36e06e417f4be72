/**
 * The incremental build (`scripts/build.js`, run by `npm run synth` and `npm run example`) never
 * leaves an output whose source is gone, and starts over when an output it believes written is missing.
 */
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
