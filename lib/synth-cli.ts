import * as path from 'path';
import { showValue, ValidationError } from './errors';
import { describeFileSystemError, FileError, isFileSystemError } from './file-errors';
import { dns1123LabelProblem } from './names';

export interface SynthCliOptions {
  /** Output root. */
  readonly outdir: string;
  /** Regions to synthesize; empty for all. */
  readonly regions: string[];
}

export const SYNTH_USAGE = `usage: synth [--region NAME]... [--out DIR]

  --region NAME   synthesize only this region (repeatable); default: every region
  --out DIR       output root, replaced as a whole (only a folder synth wrote); default: out
                  (under "cdktf synth" the root is the parent of CDKTF_OUTDIR)`;

/** Parses synth's command line; `cdktfOutdir` is CDKTF_OUTDIR when cdktf's CLI runs the app. */
export function parseSynthArgs(argv: readonly string[], cdktfOutdir?: string): SynthCliOptions {
  const regions: string[] = [];
  let outdir = cdktfOutdir ? path.dirname(cdktfOutdir) : 'out';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--region') regions.push(...regionNames(flag, value()));
    else if (flag === '--out') outdir = value();
    else if (flag === '--help' || flag === '-h') throw new UsageError('');
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  return { outdir, regions };
}

/**
 * `--region a,b`: the names, each a DNS-1123 label (empty entries between commas are skipped); a
 * list of no names at all is an error, not "every region". Whether each exists is the fleet's to say.
 */
function regionNames(flag: string, list: string): string[] {
  const names = list.split(',').filter(Boolean);
  if (names.length === 0) throw new UsageError(`${flag} ${showValue(list)} names no region; write names separated by commas, e.g. ${flag} changsha,zhuzhou`);
  for (const name of names) {
    const problem = dns1123LabelProblem(name);
    if (problem) throw new UsageError(`${flag}: region name ${showValue(name)} ${problem}`);
  }
  return names;
}

export class UsageError extends Error {}

/**
 * Runs a synth entry point: prints a one-line summary, or the problems and exit code 1 (2 for
 * usage). A file-system failure or a refused output root is one line and exit code 1 too; only a
 * bug shows a stack trace.
 */
export function runCli(main: () => string, usage = SYNTH_USAGE): void {
  try {
    process.stdout.write(`${main()}\n`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message ? `${error.message}\n\n` : ''}${usage}\n`);
      process.exitCode = error.message ? 2 : 0;
    } else if (error instanceof ValidationError) {
      process.stderr.write(`synth failed: ${error.message}\nNothing was written.\n`);
      process.exitCode = 1;
    } else if (error instanceof FileError || isFileSystemError(error)) {
      const message = error instanceof FileError ? error.message : describeFileSystemError(error);
      process.stderr.write(`synth failed: ${message}\n`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}
