/**
 * The TypeScript build into dist/.
 *
 *   node scripts/build.js           incremental: what `npm run synth` and `npm run example` use
 *   node scripts/build.js --clean   a fresh dist/: `npm run build`, hence `npm test` and `npm pack`
 *
 * Both run `tsc --build --incremental` (its state is dist/tsconfig.tsbuildinfo): with nothing
 * changed since the last build (`npm run watch` compiles every change as it is saved) tsc
 * compares timestamps and compiles nothing; after a one-line change it compiles that change, not
 * the whole tree. A build that failed is never taken for up to date: tsc reports its errors
 * again. tsc never deletes an output whose source is gone, so the incremental build deletes
 * those first: a deleted or renamed source leaves no stale dist/ file that a synth could run.
 * When an output tsc believes it wrote is missing (dist/ edited by hand), the state is dropped
 * and the build starts over. `npm run build` stays a clean build all the same: what is tested
 * and packed never depends on this bookkeeping.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
/** The roots of tsconfig.json's `include`. */
const SOURCE_ROOTS = ['index.ts', 'lib', 'constructs', 'blueprints', 'examples'];

/** Every file below `entry` (a file or a folder), as paths relative to `base`. */
function filesBelow(base, entry) {
  const full = path.join(base, entry);
  let stat;
  try {
    stat = fs.lstatSync(full);
  } catch {
    return [];
  }
  if (!stat.isDirectory()) return [entry];
  return fs.readdirSync(full).flatMap((name) => filesBelow(base, path.join(entry, name)));
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/** The source a dist/ file was compiled from: `lib/a.js` and `lib/a.d.ts` come from `lib/a.ts`. */
function sourceOf(output) {
  const match = /^(.*)\.(d\.ts|js)$/.exec(output);
  return match ? `${match[1]}.ts` : undefined;
}

/**
 * Deletes the files of `root`/dist/ whose source is gone, and tsc's state when a source compiled
 * before has no output (so tsc compiles everything again).
 */
function pruneStaleOutputs(root) {
  const dist = path.join(root, 'dist');
  const buildInfo = path.join(dist, 'tsconfig.tsbuildinfo');
  const sources = new Set(SOURCE_ROOTS.flatMap((entry) => filesBelow(root, entry)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')));
  const outputs = filesBelow(dist, '.');
  for (const output of outputs) {
    const source = sourceOf(output);
    if (source !== undefined && !sources.has(source) && SOURCE_ROOTS.some((r) => source === r || source.startsWith(r + path.sep))) {
      fs.rmSync(path.join(dist, output));
    }
  }
  // A source older than tsc's state was there at the last build: its missing output is one tsc
  // believes it wrote. A newer one (just added) tsc compiles anyway.
  const compiled = new Set(outputs);
  const builtAt = mtime(buildInfo);
  if ([...sources].some((source) => !compiled.has(source.replace(/\.ts$/, '.js')) && mtime(path.join(root, source)) <= builtAt))
    fs.rmSync(buildInfo, { force: true });
}

module.exports = { SOURCE_ROOTS, filesBelow, mtime, pruneStaleOutputs };

if (require.main === module) {
  if (process.argv.includes('--clean')) fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  else pruneStaleOutputs(ROOT);
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--build', 'tsconfig.json', '--incremental'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  process.exit(tsc.status ?? 1);
}
