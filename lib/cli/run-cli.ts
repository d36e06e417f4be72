import { ValidationError } from '../errors';
import { describeFileSystemError, FileError, isFileSystemError } from '../file-errors';

/**
 * The exit codes of the command line (README "Command line"): 0 success; 1 the input or the
 * output failed (a validation error, a file error, an app that cannot be loaded); 2 a usage
 * error (unknown command or flag, a bad flag value, a cdktf.json `app` it cannot run); 3
 * `diff --fail` found differences.
 */
export const EXIT_CODES = { ok: 0, failed: 1, usage: 2, differences: 3 } as const;

/** A command line that cannot be run as written: exit code 2 with the usage; no message means "--help" (exit code 0). */
export class UsageError extends Error {}

/**
 * The one-line (or one problem list) text of an expected failure, or undefined for a bug, which
 * keeps its stack trace. A ValidationError is known by its name too: a user's app may load
 * another copy of this package.
 */
export function failureText(error: unknown): string | undefined {
  if (error instanceof ValidationError || (error instanceof Error && error.name === 'ValidationError' && 'problems' in error)) return error.message;
  if (error instanceof FileError) return error.message;
  if (isFileSystemError(error)) return describeFileSystemError(error);
  return undefined;
}

/**
 * Runs a synth entry point: prints a one-line summary, or the problems and exit code 1 (2 for
 * usage). A file-system failure or a refused output root is one line and exit code 1 too; only a
 * bug shows a stack trace. (`npm run example`; the command line has its own, on commander.)
 */
export function runCli(main: () => string, usage = ''): void {
  try {
    process.stdout.write(`${main()}\n`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message ? `${error.message}\n\n` : ''}${usage}\n`);
      process.exitCode = error.message ? EXIT_CODES.usage : EXIT_CODES.ok;
      return;
    }
    const text = failureText(error);
    if (text === undefined) throw error;
    process.stderr.write(`synth failed: ${text}\n${error instanceof FileError || isFileSystemError(error) ? '' : 'Nothing was written.\n'}`);
    process.exitCode = EXIT_CODES.failed;
  }
}
