import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BlueprintSpec } from '../../constructs/blueprint-spec';
import { tempDir } from '../support/fleet-fixtures';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The built command line (package.json `bin`). */
export const CLI = path.join(ROOT, 'dist', 'blueprints', 'cli.js');

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built command line in `cwd`, as a user's shell would (no terminal: plain output, no progress). */
export function cli(args: readonly string[], cwd: string, env: Record<string, string> = {}): Run {
  const { CDKTF_OUTDIR: _ignored, ...inherited } = process.env;
  const run = spawnSync('node', [CLI, ...args], { cwd, encoding: 'utf8', env: { ...inherited, ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * A user's project with an app file `app.js` (the README's pattern: exports the app, runs it as a
 * program under `node app.js` or `cdktf synth`), building `regions` of `blueprint`.
 */
export function appProject(blueprint: BlueprintSpec, regions: readonly string[] = ['changsha']): string {
  const dir = tempDir('govcloud-cli-');
  writeApp(dir, blueprint, regions);
  return dir;
}

export function writeApp(dir: string, blueprint: BlueprintSpec, regions: readonly string[] = ['changsha']): void {
  const source = `const { Fleet, runFleetApp } = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});
const blueprint = ${JSON.stringify(blueprint, null, 2)};
function app(context) {
  const fleet = new Fleet({ blueprint });
  const names = context.regions || ${JSON.stringify(regions)};
  fleet.addRegions(Object.fromEntries(names.map((name) => [name, {}])));
  return fleet;
}
module.exports = app;
if (require.main === module) runFleetApp(app);
`;
  fs.writeFileSync(path.join(dir, 'app.js'), source);
}

/**
 * The README's app (`app.js`): it adds only the regions `context.regions` names, so `--region`
 * with a name it has not builds no region at all.
 */
export function writeFilteringApp(dir: string, blueprint: BlueprintSpec, regions: readonly string[]): void {
  const source = `const { Fleet, runFleetApp } = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});
const blueprint = ${JSON.stringify(blueprint)};
function app(context) {
  const regions = ${JSON.stringify(Object.fromEntries(regions.map((name) => [name, {}])))};
  const fleet = new Fleet({ blueprint });
  fleet.addRegions(Object.fromEntries(Object.entries(regions).filter(([name]) => !context.regions || context.regions.includes(name))));
  return fleet;
}
module.exports = app;
if (require.main === module) runFleetApp(app);
`;
  fs.writeFileSync(path.join(dir, 'app.js'), source);
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[/;
