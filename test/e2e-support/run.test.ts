import { spawn } from 'child_process';
import { run } from '../e2e/support/run';

/** Far more than a pipe buffers (64 KiB on Linux): the write is still going when the child has exited. */
const LARGE_INPUT = 'x'.repeat(8 * 1024 * 1024);

describe("the e2e suite's command runner", () => {
  it('meets EPIPE when a child exits before reading its input: the case the runner must survive', async () => {
    const child = spawn('true', [], { stdio: ['pipe', 'ignore', 'ignore'] });
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      child.stdin.on('error', resolve);
      child.on('close', () => setImmediate(() => resolve(undefined)));
      child.stdin.end(LARGE_INPUT);
    });
    expect(error?.code).toBe('EPIPE');
  });

  it('resolves with the exit code of a child that exits before reading its input, and lets no EPIPE escape', async () => {
    const escaped: unknown[] = [];
    const record = (error: unknown) => escaped.push(error);
    process.on('uncaughtException', record);
    try {
      await expect(run('true', [], { input: LARGE_INPUT })).resolves.toMatchObject({ code: 0 });
      await expect(run('sh', ['-c', 'exit 3'], { input: LARGE_INPUT })).resolves.toMatchObject({ code: 3 });
      // A child gone before the write starts: the write comes after its exit.
      await expect(run('sh', ['-c', 'exec 0<&-; exit 4'], { input: LARGE_INPUT })).resolves.toMatchObject({ code: 4 });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('uncaughtException', record);
    }
    expect(escaped).toEqual([]);
  });

  it('still delivers the input to a child that reads it', async () => {
    await expect(run('cat', [], { input: 'hello' })).resolves.toMatchObject({ code: 0, stdout: 'hello' });
  });
});
