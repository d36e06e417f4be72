/**
 * Runs a program of dist/ on the current sources, without waiting for a type check:
 *
 *   node scripts/run.js dist/blueprints/main.js [arguments]   `npm run synth`
 *   node scripts/run.js dist/examples/run.js [arguments]      `npm run example`
 *
 * 1. Deletes the dist/ files whose source is gone (as `scripts/build.js` does).
 * 2. Transpiles each source whose dist/ JavaScript is missing or older than it, alone
 *    (`ts.transpileModule` with tsconfig.json's options; `isolatedModules` there makes tsc reject
 *    what a file-by-file transpile would get wrong), so a one-line change costs one file.
 * 3. Runs the program and, alongside it, type-checks the whole tree (`tsc --noEmit --incremental`,
 *    its state in dist/typecheck.tsbuildinfo; started before step 2, since it reads the sources,
 *    not dist/, and takes longer than the program). Type errors are printed after the program's own
 *    output and fail the command (exit code 1), as a failed build did before: the output was
 *    written all the same, from code that does not type-check. The check is skipped when no source
 *    changed since a check or `tsc --build` (`npm run build`, `npm run watch`) passed.
 *
 * Declarations (.d.ts) are not written here: `npm run build` and `npm run watch` write them.
 */
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { SOURCE_ROOTS, filesBelow, mtime, pruneStaleOutputs } = require('./build.js');

const ROOT = path.resolve(__dirname, '..');
/** Written, with the time the check started, when a type check passed. */
const CHECK_PASSED = path.join('dist', 'typecheck.passed');
const CHECK_STATE = path.join('dist', 'typecheck.tsbuildinfo');
/** The keys of a `tsc --build` state with no diagnostics and nothing left to emit (TypeScript 5.x). */
const CLEAN_BUILD_STATE_KEYS = new Set(['fileNames', 'fileIdsList', 'fileInfos', 'root', 'options', 'referencedMap', 'version', 'latestChangedDtsFile']);

/** The TypeScript sources of `root` (relative paths), as tsconfig.json's `include` names them. */
function sourcesOf(root) {
  return SOURCE_ROOTS.flatMap((entry) => filesBelow(root, entry)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
}

/** `lib/a.ts` -> `dist/lib/a.js` (tsconfig.json: `rootDir` `.`, `outDir` `dist`). */
function outputOf(source) {
  return path.join('dist', source.replace(/\.ts$/, '.js'));
}

/** Writes through a temporary file, so that a program running meanwhile never reads half a file. */
function writeAtomically(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/**
 * Transpiles the sources of `root` whose JavaScript is missing or older than them. Returns the
 * sources transpiled and the syntax errors found (nothing is written for a file with errors).
 */
function transpileChanged(root) {
  const changed = sourcesOf(root).filter((source) => mtime(path.join(root, outputOf(source))) < mtime(path.join(root, source)));
  if (changed.length === 0) return { transpiled: [], errors: '' };
  const ts = require('typescript');
  const configFile = path.join(root, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  if (error) return { transpiled: [], errors: ts.formatDiagnostics([error], formatHost(root)) };
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configFile);
  const transpiled = [];
  let errors = '';
  for (const source of changed) {
    const fileName = path.join(root, source);
    const { outputText, diagnostics = [] } = ts.transpileModule(fs.readFileSync(fileName, 'utf8'), {
      compilerOptions: options,
      fileName,
      reportDiagnostics: true,
    });
    if (diagnostics.length > 0) {
      errors += ts.formatDiagnostics(diagnostics, formatHost(root));
      continue;
    }
    writeAtomically(path.join(root, outputOf(source)), outputText);
    transpiled.push(source);
  }
  return { transpiled, errors };
}

function formatHost(root) {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
}

/** Whether a `tsc --build` state holds no diagnostics and nothing left to emit. */
function isCleanBuildState(file) {
  try {
    return Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))).every((key) => CLEAN_BUILD_STATE_KEYS.has(key));
  } catch {
    return false;
  }
}

/**
 * Whether the sources of `root` passed a type check as they are now: no source (nor tsconfig.json
 * or package.json) changed since a check of this script or a `tsc --build` without errors.
 */
function typeCheckedAlready(root) {
  const newestInput = Math.max(...[...sourcesOf(root), 'tsconfig.json', 'package.json'].map((f) => mtime(path.join(root, f))));
  const buildState = path.join(root, 'dist', 'tsconfig.tsbuildinfo');
  return mtime(path.join(root, CHECK_PASSED)) >= newestInput || (mtime(buildState) >= newestInput && isCleanBuildState(buildState));
}

/**
 * Starts `tsc --noEmit` on `root`: `done` resolves to its exit code and output; `stop()` ends it
 * early (its result is then a failure, never taken for a passed check).
 */
function startTypeCheck(root, { color }) {
  const startedAt = new Date();
  const tsc = spawn(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '--project',
      'tsconfig.json',
      '--noEmit',
      '--incremental',
      '--tsBuildInfoFile',
      CHECK_STATE,
      '--pretty',
      String(color),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = [];
  tsc.stdout.on('data', (chunk) => output.push(chunk));
  tsc.stderr.on('data', (chunk) => output.push(chunk));
  const done = new Promise((resolve) => {
    tsc.on('error', (error) => resolve({ status: 1, output: String(error) }));
    tsc.on('close', (status) => {
      const passed = path.join(root, CHECK_PASSED);
      if (status === 0) {
        // The start time: a source saved while tsc ran is newer, so it gets checked next time.
        fs.writeFileSync(passed, '');
        fs.utimesSync(passed, startedAt, startedAt);
      } else fs.rmSync(passed, { force: true });
      resolve({ status: status ?? 1, output: Buffer.concat(output).toString() });
    });
  });
  return { done, stop: () => tsc.kill() };
}

function runProgram(root, program, args) {
  const child = spawn(process.execPath, [program, ...args], { cwd: process.cwd(), stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`${error}\n`);
      resolve(1);
    });
    child.on('close', (status, signal) => resolve(status ?? (signal ? 128 + (require('os').constants.signals[signal] ?? 0) : 1)));
  });
}

async function main([program, ...args]) {
  if (!program) {
    process.stderr.write('usage: node scripts/run.js dist/<program>.js [arguments]\n');
    return 2;
  }
  pruneStaleOutputs(ROOT);
  // The check reads the sources, not dist/: it starts first, so the transpile below is not on its path.
  const color = Boolean(process.stderr.isTTY) && !('NO_COLOR' in process.env);
  const check = typeCheckedAlready(ROOT) ? undefined : startTypeCheck(ROOT, { color });
  const { errors } = transpileChanged(ROOT);
  if (errors) {
    if (check) {
      check.stop();
      await check.done;
    }
    process.stderr.write(`${errors}\nnot run: the sources above do not parse.\n`);
    return 1;
  }
  const status = await runProgram(ROOT, path.resolve(program), args);
  const checked = await check?.done;
  if (checked && checked.status !== 0) {
    process.stderr.write(`\n${checked.output.trimEnd()}\n\ntype errors (above): the run above used code that does not type-check; fix them and run again.\n`);
    return status === 0 ? 1 : status;
  }
  return status;
}

module.exports = { transpileChanged, typeCheckedAlready, outputOf };

if (require.main === module) main(process.argv.slice(2)).then((status) => process.exit(status));
