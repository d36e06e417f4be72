import * as fs from 'fs';
import * as path from 'path';
import { showValue } from '../errors';
import { FileError } from '../file-errors';

/** A cluster as the command line sees it. */
export interface AppCluster {
  readonly name: string;
  /** The Terraform stack cdktf deploys (`cdktf deploy changsha-gov`). */
  readonly stackName: string;
}

/** A region as the command line sees it. */
export interface AppRegion {
  readonly name: string;
  readonly clusters: readonly AppCluster[];
}

/** What one synth wrote (the Fleet's `SynthResult`, as far as the command line reads it). */
export interface AppSynthResult {
  readonly outdir: string;
  readonly stacks: readonly string[];
  readonly manifestFiles: readonly string[];
  readonly reports: readonly string[];
  readonly warnings: readonly string[];
}

/** Options the command line passes to `synth()` (the Fleet's `SynthOptions`). */
export interface AppSynthOptions {
  readonly onPhase?: (phase: string, region?: string) => void;
  readonly outdir?: string;
  readonly terraformFolder?: 'terraform' | '.';
}

/**
 * The fleet an app builds, as the command line uses it: a `Fleet` (the engine knows it by shape
 * only, so it stays free of the constructs).
 */
export interface AppFleet {
  readonly regions: readonly AppRegion[];
  synth(options?: AppSynthOptions): AppSynthResult;
  topologyPictures(format?: 'svg' | 'dot'): ReadonlyArray<{ readonly region?: string; readonly path: string; readonly content: string }>;
}

/** What the command line tells an app. */
export interface AppContext {
  /**
   * The regions `--region` asked for, or undefined for every region. An app that builds others
   * too is refused, since synth cannot leave a region out afterwards.
   */
  readonly regions?: readonly string[];
}

/** An app: a function building the fleet (it may read `context.regions`). */
export type FleetApp = (context: AppContext) => AppFleet;

/** Where the command line found the app. */
export type AppSource = { readonly kind: 'file'; readonly file: string; readonly from: '--app' | 'cdktf.json' } | { readonly kind: 'default' };

/** What an app discovery noticed and the user should know (one line). */
export interface FoundApp {
  readonly source: AppSource;
  readonly note?: string;
}

/**
 * Which app runs: `--app <file>`; else cdktf.json's `app` (in the current folder) when its last
 * command is `node <file>.js` (or `.cjs`); else the default blueprint, with a note when
 * cdktf.json's `app` is some other command.
 */
export function findApp(appOption: string | undefined, cwd: string): FoundApp {
  if (appOption !== undefined) return { source: { kind: 'file', file: path.resolve(cwd, appOption), from: '--app' } };
  const config = path.join(cwd, 'cdktf.json');
  if (!fs.existsSync(config)) return { source: { kind: 'default' } };
  let app: unknown;
  try {
    app = (JSON.parse(fs.readFileSync(config, 'utf8')) as { app?: unknown }).app;
  } catch (error) {
    throw new FileError(`cannot read ${config}: ${(error as Error).message}; fix the file, or pass --app <file>`, config);
  }
  if (typeof app !== 'string') return { source: { kind: 'default' } };
  const entry = nodeEntryOf(app);
  if (entry) return { source: { kind: 'file', file: path.resolve(cwd, entry), from: 'cdktf.json' } };
  return {
    source: { kind: 'default' },
    note: `cdktf.json's app ${showValue(app)} runs no "node <file>.js": using the default blueprint; pass --app <file> to run your own`,
  };
}

/** The file of the last `node <file>.js` (`.cjs`) command in a shell line such as `npm run build && node dist/main.js`. */
export function nodeEntryOf(command: string): string | undefined {
  const last = command
    .split(/&&|;|\|\|/)
    .pop()!
    .trim();
  const match = /^(?:npx\s+)?node\s+(?:-\S+\s+)*([^\s'"]+\.c?js)$/.exec(last);
  return match?.[1];
}

/**
 * Loads an app file (CommonJS): its `module.exports`, or its export named `default` or `app`, is
 * either a function `(context) => Fleet` or a Fleet. The file's own `if (require.main === module)` block does not
 * run, so the same file works with plain `cdktf synth`.
 */
export function loadApp(file: string): FleetApp {
  if (!fs.existsSync(file)) throw new FileError(`app ${file} does not exist; pass --app <file.js> (a built JavaScript file)`, file);
  if (/\.(m?ts|tsx)$/.test(file)) throw new FileError(`app ${file} is TypeScript; build it first and pass the .js file to --app`, file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as unknown;
  const named = exported as { default?: unknown; app?: unknown } | undefined;
  const candidates = [exported, named?.default, named?.app];
  for (const candidate of candidates) {
    if (typeof candidate === 'function') return candidate as FleetApp;
    if (isFleet(candidate)) return () => candidate;
  }
  throw new FileError(
    `app ${file} exports neither a Fleet nor a function returning one; write module.exports = (context) => fleet (or export it as default or app), see README "Command line"`,
    file,
  );
}

/** A Fleet by its shape (the app may load another copy of this package). */
export function isFleet(value: unknown): value is AppFleet {
  const candidate = value as Partial<AppFleet> | undefined;
  return typeof candidate === 'object' && candidate !== null && Array.isArray(candidate.regions) && typeof candidate.synth === 'function';
}

/**
 * Builds the fleet and checks it against `--region`: a region asked for must exist, and an app
 * that built regions it was not asked for is refused (its other regions would be synthesized too).
 */
export function buildFleet(app: FleetApp, regions: readonly string[] | undefined, appName: string): AppFleet {
  const fleet = app(regions ? { regions } : {});
  if (!isFleet(fleet)) throw new FileError(`${appName} returned ${showValue(fleet)}, not a Fleet; return the Fleet you built`, appName);
  if (regions) {
    const built = fleet.regions.map((r) => r.name);
    const missing = regions.filter((r) => !built.includes(r));
    if (missing.length > 0) {
      throw new FileError(
        `--region: ${appName} built no region ${missing.map((r) => showValue(r)).join(', ')} (it built ${built.join(', ') || 'none'}); check the names against the app's regions`,
        appName,
      );
    }
    const extra = built.filter((r) => !regions.includes(r));
    if (extra.length > 0) {
      throw new FileError(
        `${appName} built regions ${extra.join(', ')} although --region asked for ${regions.join(', ')}; add only the regions in context.regions (README "Command line")`,
        appName,
      );
    }
  }
  return fleet;
}
