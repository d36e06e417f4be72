import * as fs from 'fs';
import * as path from 'path';
import { showValue } from '../errors';
import { FileError } from '../file-errors';
import { didYouMean } from '../did-you-mean';
import { failureText, UsageError } from './run-cli';

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

/** Which app runs (see `findApp`). */
export interface FoundApp {
  readonly source: AppSource;
}

/**
 * Which app runs: `--app <file>`; else cdktf.json's `app` (in the current folder) when its last
 * command is `node <file>.js` (or `.cjs`); else, when there is no cdktf.json, the default
 * blueprint. A cdktf.json whose `app` the command line cannot run (`npx ts-node main.ts`) is a
 * usage error: running the default blueprint instead would replace that project's output with it.
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
  const entry = typeof app === 'string' ? nodeEntryOf(app) : undefined;
  if (entry) return { source: { kind: 'file', file: path.resolve(cwd, entry), from: 'cdktf.json' } };
  const why =
    typeof app === 'string'
      ? `its app ${showValue(app)} runs no "node <file>.js", and the command line loads only a built JavaScript file`
      : app === undefined
        ? 'it has no "app"'
        : `its "app" is ${showValue(app)}, not a command`;
  const typescript = typeof app === 'string' ? /(\S+)\.tsx?\b/.exec(app)?.[1] : undefined;
  const example = typescript ? `--app ${typescript}.js once npx tsc has compiled ${typescript}.ts` : '--app dist/main.js';
  throw new UsageError(
    `${config}: ${why}, so it cannot run this project's app; pass --app <file.js>, the built JavaScript entry (e.g. ${example}), or set cdktf.json's app to "npx tsc && node <file>.js"`,
  );
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
  let exported: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(file);
  } catch (error) {
    // A spec the app builds as it loads fails with its own problems; anything else is the file's.
    if (failureText(error) !== undefined) throw error;
    throw new FileError(`app ${file} cannot be loaded: ${loadFailure(error, file)}; fix the file (or install what it requires) and run again`, file);
  }
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

/**
 * Why requiring an app failed, in one line: the error's kind and first message line, and where
 * in the app file when the error says (a syntax error's `file:line`, a throw's first frame there).
 */
function loadFailure(error: unknown, file: string): string {
  if (!(error instanceof Error) && !(typeof error === 'object' && error !== null && 'message' in error)) return showValue(error);
  const { name, message, stack } = error as Error;
  const first = String(message).split('\n')[0];
  const kind = name && name !== 'Error' ? `${name}: ` : '';
  const lines = String(stack ?? '').split('\n');
  // A syntax error's stack starts with "<file>:<line>"; another error's frames read "at ... (<file>:<line>:<column>)".
  const syntaxAt = new RegExp(`^${escapeRegExp(file)}:(\\d+)$`).exec(lines[0] ?? '');
  const frame = lines.map((l) => new RegExp(`${escapeRegExp(file)}:(\\d+):\\d+\\)?$`).exec(l.trim())).find(Boolean);
  const line = syntaxAt?.[1] ?? frame?.[1];
  return `${kind}${first}${line ? ` (line ${line})` : ''}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A Fleet by its shape (the app may load another copy of this package). */
export function isFleet(value: unknown): value is AppFleet {
  const candidate = value as Partial<AppFleet> | undefined;
  return typeof candidate === 'object' && candidate !== null && Array.isArray(candidate.regions) && typeof candidate.synth === 'function';
}

/**
 * Builds the fleet and checks it against `--region`: a region asked for must exist (else a usage
 * error listing the regions the app has), and an app that built regions it was not asked for is
 * refused (its other regions would be synthesized too).
 */
export function buildFleet(app: FleetApp, regions: readonly string[] | undefined, appName: string): AppFleet {
  let fleet: unknown;
  try {
    fleet = app(regions ? { regions } : {});
  } catch (error) {
    // An app may refuse a region it does not have (the default blueprint does): say so as for any app.
    if (regions) refuseUnknownRegions(regions, regionsOf(app), appName);
    throw error;
  }
  if (!isFleet(fleet)) throw new FileError(`${appName} returned ${showValue(fleet)}, not a Fleet; return the Fleet you built`, appName);
  if (regions) {
    const built = fleet.regions.map((r) => r.name);
    const missing = regions.filter((r) => !built.includes(r));
    if (missing.length > 0) {
      // An app that filters by context.regions built none of the unknown ones: its whole fleet says which exist.
      refuseUnknownRegions(missing, regionsOf(app), appName);
      throw new FileError(
        `--region: ${appName} built no region ${missing.map((r) => showValue(r)).join(', ')} (it built ${built.join(', ') || 'none'}); build each region context.regions names (README "Command line")`,
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

/** The region names of the app's whole fleet, or undefined when that cannot be built. */
function regionsOf(app: FleetApp): string[] | undefined {
  try {
    const fleet = app({});
    return isFleet(fleet) ? fleet.regions.map((r) => r.name) : undefined;
  } catch {
    return undefined;
  }
}

/** A usage error (exit code 2) when a region asked for is none of the app's, listing those it has. */
function refuseUnknownRegions(asked: readonly string[], known: readonly string[] | undefined, appName: string): void {
  if (known === undefined) return;
  const unknown = asked.filter((r) => !known.includes(r));
  if (unknown.length === 0) return;
  const choices = known.length > 0 ? known.join(', ') : '(it has none)';
  const named = unknown.map((r) => {
    const hint = didYouMean(r, known);
    return `no region ${showValue(r)} in ${appName}; ${hint ? `did you mean ${showValue(hint)}? Choose` : 'choose'} from ${choices}`;
  });
  throw new UsageError(`--region: ${named.join('; ')}`);
}
