import { Fleet } from '../../constructs/core/fleet';
import { fleetAppArguments } from '../../lib/cli/entry';
import { runCommandLine } from '../../lib/cli/program';
import { minimalBlueprint, tempDir } from '../support/fleet-fixtures';

/** Runs the command line in-process on terminal-like streams (no CI: progress shows), with an app of two regions. */
async function onTerminal(argv: string[]): Promise<{ code: number; stdout: string; written: string }> {
  const chunks: string[] = [];
  const stdout = { isTTY: true, write: (text: string) => chunks.push(text) };
  const stderr = { isTTY: true, write: () => true };
  const build = () => {
    const fleet = new Fleet({ blueprint: minimalBlueprint() });
    fleet.addRegions({ changsha: {}, xiangtan: {} });
    return fleet;
  };
  // The progress display (listr2) writes to the process's own stdout: watch it too.
  const direct: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => {
    direct.push(String(text));
    return true;
  });
  try {
    const code = await runCommandLine({
      argv,
      env: {},
      cwd: tempDir(),
      stdout,
      stderr,
      defaultApp: { name: 'test app', build },
      app: { name: 'test app', build },
    });
    return { code, stdout: chunks.join(''), written: direct.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('progress on a terminal', () => {
  it('graph --stdout prints the picture alone: no progress line before it', async () => {
    const run = await onTerminal(['graph', '--fleet', '--format', 'dot', '--stdout', '--no-color']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^digraph /);
    expect(run.written).not.toContain('Load test app');
  });

  it('list prints the regions alone: no progress line', async () => {
    const run = await onTerminal(['list', '--stacks']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('changsha-gov\nxiangtan-gov\n');
    expect(run.written).not.toContain('Load test app');
  });

  it('validate still shows its progress (so the check above can fail)', async () => {
    const run = await onTerminal(['validate']);
    expect(run.code).toBe(0);
    expect(run.written).toContain('Load test app');
  });
});

describe('node app.js <arguments> (runFleetApp)', () => {
  it.each([
    [[], ['synth']],
    [
      ['--region', 'x'],
      ['synth', '--region', 'x'],
    ],
    [
      ['list', '--stacks'],
      ['list', '--stacks'],
    ],
    [['--help'], ['--help']],
    [['-h'], ['-h']],
    [
      ['help', 'diff'],
      ['help', 'diff'],
    ],
  ])('%p runs %p', (argv, args) => {
    expect(fleetAppArguments(argv)).toEqual(args);
  });
});
