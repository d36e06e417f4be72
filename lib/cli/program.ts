import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as Commander from 'commander';
import { FileError } from '../file-errors';
import { outputRootRefusal } from '../output/staged-output';
import { type AppFleet, type FleetApp, buildFleet, findApp, loadApp } from './app';
import { type DiffColors, diffOutputs, formatDiff, listDirectories } from './output-diff';
import { outputTarget, parseRegionList } from './options';
import { withProgress } from './progress';
import { EXIT_CODES, failureText, UsageError } from './run-cli';

/** A stream the command line writes to (`process.stdout`, or a test's collector). */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** The environment variables the command line reads; nothing below it reads the environment. */
export interface CommandLineEnvironment {
  /** Set by `cdktf synth` to cdktf.json's `output`: see `outputTarget`. */
  readonly CDKTF_OUTDIR?: string;
  /** Any value turns colour off (https://no-color.org). */
  readonly NO_COLOR?: string;
  /** Set in CI: no progress display. */
  readonly CI?: string;
}

/** An app with the name messages call it by. */
export interface NamedApp {
  readonly name: string;
  readonly build: FleetApp;
}

export interface CommandLineOptions {
  /** The arguments after the program (`process.argv.slice(2)`). */
  readonly argv: readonly string[];
  readonly env: CommandLineEnvironment;
  readonly cwd: string;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** What runs when neither --app nor cdktf.json names an app. */
  readonly defaultApp: NamedApp;
  /** An app that is always used (`runFleetApp`): --app is not offered. */
  readonly app?: NamedApp;
  /** @default "govcloud-blueprint" */
  readonly programName?: string;
}

/** The commands, for `runFleetApp`, which runs `synth` when the first argument is none of them. */
export const COMMANDS = ['synth', 'diff', 'validate', 'graph', 'list', 'help'] as const;

const EXIT_CODE_HELP = `
Exit codes:
  0  success (diff: also when there are differences, unless --fail)
  1  failed: invalid spec or output, a file error, an app that cannot be loaded
  2  usage error: unknown command or flag, a bad flag value, a cdktf.json app it cannot run
  3  diff --fail: there are differences

Environment:
  CDKTF_OUTDIR  set by "cdktf synth": the output root (or its terraform/ folder)
  NO_COLOR      any value: no colour (so does --no-color, or output that is not a terminal)
  CI            set: no progress display, only the summary line`;

/** What the progress line says for each step of synth. */
const PHASE_LABELS: Readonly<Record<string, string>> = {
  validate: 'validating the constructs',
  terraform: 'writing the Terraform stacks',
  checks: 'checking the manifests',
  yaml: 'writing the manifests',
  write: 'writing the manifests',
  reports: 'writing the reports',
};

interface CommonFlags {
  readonly app?: string;
  readonly region?: string[];
}

/**
 * Runs the command line (`govcloud-blueprint <command>`) and returns its exit code: commander
 * parses, each command loads the app (see `findApp`), builds the fleet and works on it.
 */
export async function runCommandLine(options: CommandLineOptions): Promise<number> {
  const { env, stdout, stderr } = options;
  const colorWanted = env.NO_COLOR === undefined && !options.argv.includes('--no-color');
  const outColors = colorsFor(colorWanted && stdout.isTTY === true);
  const errColors = colorsFor(colorWanted && stderr.isTTY === true);
  const progress = stdout.isTTY === true && !isCi(env.CI);
  const commander = loadCommander();
  const program = new commander.Command(options.programName ?? 'govcloud-blueprint');
  program
    .description('Synthesize, compare, check and draw a govcloud-blueprint fleet (Terraform stacks and Kubernetes manifests).')
    .option('--no-color', 'plain output, no colour (also NO_COLOR, or output that is not a terminal)')
    .addHelpText('after', EXIT_CODE_HELP)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride();

  const command = (name: string, description: string): Commander.Command => {
    const sub = program
      .command(name)
      .description(description)
      .addOption(
        new commander.Option('--region <names>', 'only these regions (comma-separated, repeatable); default: every region').argParser(
          (value: string, previous: string[] | undefined) => [...(previous ?? []), ...usageToInvalidArgument(() => parseRegionList(value))],
        ),
      );
    if (!options.app)
      sub.option(
        '--app <file>',
        'the app: a JavaScript file exporting a Fleet or (context) => Fleet; default: cdktf.json\'s app ("node <file>.js"), or the default blueprint where there is no cdktf.json',
      );
    return sub.showHelpAfterError('(add --help for usage)').exitOverride();
  };

  let exitCode: number = EXIT_CODES.ok;
  let running = 'synth';
  /** `showProgress`: false for list and graph, whose output on stdout is the data itself (a picture piped on). */
  const load = async (flags: CommonFlags, showProgress = progress): Promise<AppFleet> => {
    const app = options.app ?? resolveApp(flags.app, options.cwd, options.defaultApp);
    return withProgress(showProgress, `Load ${app.name}`, () => buildFleet(app.build, flags.region, app.name));
  };
  const synthesize = (fleet: AppFleet, title: string, synthOptions: { outdir: string; terraformFolder: 'terraform' | '.' }) =>
    withProgress(progress, title, (report) => {
      const names = fleet.regions.map((r) => r.name);
      let shown = '';
      return fleet.synth({
        ...synthOptions,
        onPhase: (phase, region) => {
          const step = phase === 'write' && !region ? 'writing the output' : (PHASE_LABELS[phase] ?? phase);
          const line = region ? `${region} (${names.indexOf(region) + 1}/${names.length}): ${step}` : step;
          // Manifests alternate yaml and write per file: one redraw per step, not per file.
          if (phase !== 'done' && line !== shown) report((shown = line));
        },
      });
    });

  command('synth', 'write Terraform stacks, manifests and reports into the output root, replacing it whole')
    .option('--out <dir>', 'output root; default: out (under "cdktf synth": from CDKTF_OUTDIR)')
    .action(async (flags: CommonFlags & { out?: string }) => {
      running = 'synth';
      const target = outputTarget(flags.out, env.CDKTF_OUTDIR);
      // Refused before the fleet is built, not seconds later at synth (which checks again).
      const refusal = outputRootRefusal(target.outdir, options.cwd);
      if (refusal) throw new FileError(refusal, target.outdir);
      const started = process.hrtime.bigint();
      const fleet = await load(flags);
      const result = await synthesize(fleet, `Synthesize ${regionCount(fleet)} into ${target.outdir}/`, {
        outdir: path.resolve(options.cwd, target.outdir),
        terraformFolder: target.terraformFolder,
      });
      for (const warning of result.warnings) stderr.write(`warning: ${warning}\n`);
      const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      stdout.write(
        `synthesized ${result.stacks.length} stacks, ${result.manifestFiles.length} manifest files and ${result.reports.length} reports into ${target.outdir}/ in ${ms} ms\n`,
      );
    });

  command('diff', 'show what a synth would change in the output root, per region, stack and object; writes nothing')
    .option('--out <dir>', 'the output root to compare with; default: out (under "cdktf synth": from CDKTF_OUTDIR)')
    .option('--fail', `exit with code ${EXIT_CODES.differences} when there are differences`)
    .action(async (flags: CommonFlags & { out?: string; fail?: boolean }) => {
      running = 'diff';
      const target = outputTarget(flags.out, env.CDKTF_OUTDIR);
      const fleet = await load(flags);
      const diff = await inScratch('diff', async (scratch) => {
        await synthesize(fleet, `Synthesize ${regionCount(fleet)} for comparison`, { outdir: scratch, terraformFolder: target.terraformFolder });
        const regions = fleet.regions.map((r) => r.name);
        // A region the app no longer builds shows as removed, unless --region narrowed the comparison.
        const previousRegions = flags.region ? [] : listDirectories(path.resolve(options.cwd, target.outdir, 'manifests'));
        const compared = [...regions, ...previousRegions.filter((r) => !regions.includes(r))];
        return diffOutputs(
          { root: path.resolve(options.cwd, target.outdir), terraformFolder: target.terraformFolder },
          { root: scratch, terraformFolder: target.terraformFolder },
          compared,
        );
      });
      stdout.write(`${formatDiff(diff, outColors, target.outdir)}\n`);
      const differs = diff.counts.added + diff.counts.changed + diff.counts.removed > 0;
      if (differs && flags.fail) exitCode = EXIT_CODES.differences;
    });

  command('validate', 'run every spec and output check (schemas, rule pack, supply chain); writes nothing').action(async (flags: CommonFlags) => {
    running = 'validate';
    const fleet = await load(flags);
    const result = await inScratch('validate', (scratch) =>
      synthesize(fleet, `Check ${regionCount(fleet)}`, { outdir: scratch, terraformFolder: 'terraform' }),
    );
    stdout.write(
      `valid: ${regionCount(fleet)}, ${plural(result.stacks.length, 'stack')} and ${plural(result.manifestFiles.length, 'manifest file')} pass every check (nothing written)\n`,
    );
  });

  command('graph', 'draw the topology pictures: each region, and the fleet')
    .option('--fleet', 'only the fleet picture (with --region: of those regions only)')
    .addOption(new commander.Option('--format <format>', 'svg, or dot (the Graphviz source)').choices(['svg', 'dot']).default('svg'))
    .option('--out <dir>', 'folder for <region>.<format> and fleet.<format>', 'topology')
    .option('--stdout', 'print the one selected picture instead of writing files')
    .action(async (flags: CommonFlags & { fleet?: boolean; format: 'svg' | 'dot'; out: string; stdout?: boolean }) => {
      running = 'graph';
      const fleet = await load(flags, false);
      const all = fleet.topologyPictures(flags.format);
      // --fleet: only the fleet picture (of the --region regions, when given); --region alone: only theirs.
      const wanted = all.filter((p) => (p.region === undefined ? flags.fleet || !flags.region : !flags.fleet));
      if (flags.stdout) {
        if (wanted.length !== 1) {
          throw new UsageError(
            `--stdout prints one picture, but ${wanted.length} are selected; choose one: --region <name> for a region, or --fleet for the fleet`,
          );
        }
        stdout.write(wanted[0].content.endsWith('\n') ? wanted[0].content : `${wanted[0].content}\n`);
        return;
      }
      const folder = path.resolve(options.cwd, flags.out);
      fs.mkdirSync(folder, { recursive: true });
      const names = wanted.map((p) => `${p.region ?? 'fleet'}.${flags.format}`);
      wanted.forEach((picture, i) => fs.writeFileSync(path.join(folder, names[i]), picture.content));
      stdout.write(`wrote ${names.length} picture${names.length === 1 ? '' : 's'} into ${flags.out}/: ${names.join(', ')}\n`);
    });

  command('list', 'list the regions, their clusters and the Terraform stacks cdktf deploys')
    .option('--stacks', 'only the stack names, one a line (for scripts: cdktf deploy $(...))')
    .action(async (flags: CommonFlags & { stacks?: boolean }) => {
      running = 'list';
      const fleet = await load(flags, false);
      const lines = flags.stacks
        ? fleet.regions.flatMap((r) => r.clusters.map((c) => c.stackName))
        : fleet.regions.flatMap((r) => {
            const width = Math.max(...r.clusters.map((c) => c.name.length));
            return [`region ${r.name}`, ...r.clusters.map((c) => `  cluster ${c.name.padEnd(width)}  stack ${c.stackName}`)];
          });
      stdout.write(lines.map((l) => `${l}\n`).join(''));
    });

  if (options.argv.length === 0) {
    stderr.write(program.helpInformation());
    return EXIT_CODES.usage;
  }
  try {
    await program.parseAsync([...options.argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof commander.CommanderError) {
      return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code) ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (error instanceof UsageError) {
      stderr.write(`${errColors.failed('error:')} ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    const text = failureText(error);
    if (text === undefined) throw error;
    const nothingWritten = running === 'synth' && !(error instanceof FileError) ? '\nNothing was written.' : '';
    stderr.write(`${errColors.failed(`${running} failed:`)} ${text}${nothingWritten}\n`);
    return EXIT_CODES.failed;
  }
}

/** The app to run: --app, cdktf.json's app, or the default when there is no cdktf.json (see `findApp`). */
function resolveApp(appOption: string | undefined, cwd: string, defaultApp: NamedApp): NamedApp {
  const found = findApp(appOption, cwd);
  if (found.source.kind === 'default') return defaultApp;
  const file = found.source.file;
  return { name: `app ${path.relative(cwd, file) || file}`, build: (context) => loadApp(file)(context) };
}

/** A private folder in the system's temporary folder, deleted afterwards whatever happens. */
async function inScratch<T>(purpose: string, work: (outdir: string) => Promise<T>): Promise<T> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `govcloud-${purpose}-`));
  try {
    return await work(path.join(scratch, 'out'));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function regionCount(fleet: AppFleet): string {
  return plural(fleet.regions.length, 'region');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function isCi(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * commander, loaded when a command line runs: the package root re-exports this module, and a
 * library user who never runs a command never loads it.
 */
function loadCommander(): typeof Commander {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('commander') as typeof Commander;
}

/** Commander reports an InvalidArgumentError with the flag it belongs to. */
function usageToInvalidArgument<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UsageError) throw new (loadCommander().InvalidArgumentError)(error.message);
    throw error;
  }
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

function colorsFor(enabled: boolean): DiffColors & { readonly failed: (text: string) => string } {
  const plain = (text: string) => text;
  if (!enabled) return { added: plain, removed: plain, changed: plain, heading: plain, failed: plain };
  return { added: ansi(32, 39), removed: ansi(31, 39), changed: ansi(33, 39), heading: ansi(1, 22), failed: ansi(31, 39) };
}
