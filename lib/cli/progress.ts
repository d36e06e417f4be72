import type { Listr as ListrClass } from 'listr2';

/**
 * Runs `work` as one task of a listr2 task list when `enabled` (a terminal, not CI): a spinner,
 * the task's title and a line `report` updates (the region and step synth is on). synth is
 * synchronous; listr2 redraws on every update, so the line moves while it runs. When not
 * enabled, `work` runs as is and prints nothing.
 */
export async function withProgress<T>(enabled: boolean, title: string, work: (report: (line: string) => void) => T): Promise<T> {
  if (!enabled) return work(() => {});
  // Loaded when a terminal shows progress only: the library's users never load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Listr } = require('listr2') as { Listr: typeof ListrClass };
  let result: T | undefined;
  const list = new Listr(
    [
      {
        title,
        task: async (_context, task) => {
          // One turn of the event loop first, so the title is drawn before synchronous work starts.
          await new Promise((resolve) => setImmediate(resolve));
          result = work((line) => {
            task.output = line;
          });
        },
      },
    ],
    { renderer: 'default', rendererOptions: { showErrorMessage: false, collapseErrors: true }, exitOnError: true, registerSignalListeners: false },
  );
  await list.run();
  return result as T;
}
