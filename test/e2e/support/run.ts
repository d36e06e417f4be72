import { spawn } from 'child_process';

export interface RunOptions {
  readonly cwd?: string;
  /** Added to (or, with a value of undefined, removed from) the parent's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Written to the child's standard input. */
  readonly input?: string;
  /** @default 10 minutes */
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly command: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion and returns its exit code and output; never throws for a non-zero exit. */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const command = [file, ...args].join(' ');
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    // Without input the child's stdin is /dev/null: nothing to write, so nothing to fail.
    const child = spawn(file, args, { cwd: options.cwd, env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        command,
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + (signal ? `\n(killed by ${signal})` : ''),
      });
    });
    if (child.stdin) {
      // A child may exit before it reads all its input (under load, before the write even starts):
      // the write then fails with EPIPE, which must not crash the suite. Its exit code and output
      // say what happened.
      child.stdin.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') reject(new Error(`cannot write to the input of ${command}: ${error.message}`));
      });
      child.stdin.end(options.input);
    }
  });
}

/** Runs a command that must succeed; the error carries the command, the exit code and its output. */
export async function runOk(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(file, args, options);
  if (result.code !== 0) throw new CommandFailed(result, options.cwd);
  return result;
}

/** A command that exited non-zero, with what it printed, so a failing test reads like a terminal. */
export class CommandFailed extends Error {
  constructor(
    readonly result: RunResult,
    cwd?: string,
  ) {
    super(
      [`command failed (exit ${result.code}): ${result.command}${cwd ? `\n  in ${cwd}` : ''}`, indent('stderr', result.stderr), indent('stdout', result.stdout)]
        .filter(Boolean)
        .join('\n'),
    );
  }
}

function indent(label: string, text: string): string {
  const lines = text.trimEnd().split('\n');
  if (lines.length === 1 && lines[0] === '') return '';
  // Long outputs (terraform plans) keep their end, where the error is.
  const shown = lines.length > 200 ? ['...', ...lines.slice(-200)] : lines;
  return `${label}:\n${shown.map((l) => `  | ${l}`).join('\n')}`;
}
