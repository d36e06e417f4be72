import * as path from 'path';
import type { FleetApp } from './app';
import { COMMANDS, type NamedApp, runCommandLine } from './program';

/**
 * The command line's entry point (`govcloud-blueprint`, package.json `bin`): the process's
 * arguments, environment and streams go in here and nowhere else; the exit code comes out.
 */
export function runCommandLineProcess(defaultApp: NamedApp): void {
  settle(runCommandLine({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, defaultApp }));
}

/**
 * Runs an app file as a program, for `node app.js` and `cdktf synth` alike: its arguments are a
 * command of the command line (`synth` when the first is none, so `node app.js --region x`
 * synthesizes; `node app.js --help` lists the commands), always with this app, under the name
 * `node app.js`. Under `cdktf synth` the output goes where CDKTF_OUTDIR says
 * (README "Command line"). Call it from the app file as
 * `if (require.main === module) runFleetApp(app)`, so the command line can load the same file.
 */
export function runFleetApp(app: FleetApp, name = `app ${path.basename(process.argv[1] ?? 'app')}`): void {
  const argv = process.argv.slice(2);
  const args = fleetAppArguments(argv);
  const named = { name, build: app };
  settle(
    runCommandLine({
      argv: args,
      env: process.env,
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
      defaultApp: named,
      app: named,
      programName: `node ${path.basename(process.argv[1] ?? 'app.js')}`,
    }),
  );
}

/**
 * The command line of `node app.js <arguments>`: as given when the first is a command, or
 * `--help` / `-h` (the help of every command); else synth's (`node app.js --region x`).
 */
export function fleetAppArguments(argv: readonly string[]): string[] {
  const first = argv[0];
  const asGiven = first !== undefined && ((COMMANDS as readonly string[]).includes(first) || first === '--help' || first === '-h');
  return asGiven ? [...argv] : ['synth', ...argv];
}

function settle(run: Promise<number>): void {
  // A reader that stops early (`govcloud-blueprint list | head -1`) is no error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  run.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A bug: its stack trace, and the failure code.
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
