import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as Library from '../../../index';
import type { BlueprintOverrides, BlueprintSpec, Region } from '../../../index';

/** The repository root (package.json, dist/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The CRD schemas shared by the projects (`../shared/crds` beside the repository). */
export const SHARED_CRDS = path.resolve(REPO_ROOT, '..', 'shared', 'crds');

/**
 * The library as users get it: the built `dist/` (`npm run test:e2e` builds first), not the
 * TypeScript sources.
 */
export function library(): typeof Library {
  const entry = path.join(REPO_ROOT, 'dist', 'index.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first (npm run test:e2e does)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(entry) as typeof Library;
}

/** A fresh temporary directory; removed by the caller (or left for inspection when E2E_KEEP=1). */
export function temporaryDirectory(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `govcloud-e2e-${prefix}-`));
}

export function removeDirectory(dir: string): void {
  if (process.env.GOVCLOUD_E2E_KEEP === '1') {
    process.stdout.write(`[e2e] kept ${dir} (GOVCLOUD_E2E_KEEP=1)\n`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs a synth command line the way a user does (synchronously: the suite declares one test per
 * stack it writes, and jest collects tests synchronously). A failure throws with its output.
 */
function synthCommand(args: string[], cwd: string): void {
  try {
    execFileSync(process.execPath, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    throw new Error(`synth failed (exit ${failed.status}): node ${args.join(' ')}\n${failed.stderr ?? ''}${failed.stdout ?? ''}`);
  }
}

/** `node dist/blueprints/main.js --out <outdir>`: the default blueprint, every Hunan region. */
export function synthesizeDefaultBlueprint(outdir: string): void {
  synthCommand([path.join(REPO_ROOT, 'dist', 'blueprints', 'main.js'), '--out', outdir], REPO_ROOT);
}

/** The runnable examples, by name, as `examples/index.ts` lists them. */
export function exampleNames(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EXAMPLES } = require(path.join(REPO_ROOT, 'dist', 'examples', 'index.js')) as typeof import('../../../examples/index');
  return Object.keys(EXAMPLES).sort();
}

/** `node dist/examples/run.js <name>` in `workdir`, which writes `<workdir>/out/examples/<name>/`; returns that root. */
export function synthesizeExample(name: string, workdir: string): string {
  synthCommand([path.join(REPO_ROOT, 'dist', 'examples', 'run.js'), name], workdir);
  return path.join(workdir, 'out', 'examples', name);
}

export interface RegionTarget {
  readonly blueprint: BlueprintSpec;
  readonly region: string;
  /** The region's own overrides, as its program or YAML file gives them. */
  readonly overrides: BlueprintOverrides;
  readonly source?: string;
  /** The cluster to point at the test API server. */
  readonly cluster: string;
  readonly kubeconfig: { readonly path: string; readonly context: string };
  /** Local Terraform state, in place of the region's own backend (S3, Kubernetes). */
  readonly stateDirectory: string;
  /** Extra changes to the built region before synth (escape hatches). */
  readonly customize?: (region: Region) => void;
}

/**
 * Synthesizes one region whose cluster is reached through the given kubeconfig context and whose
 * state is local, through the public API alone: the region's overrides plus two more overrides
 * (the cluster's `connection.kubeconfig` and the `backend`), exactly what a user would write to
 * point a region at another cluster. Nothing synthesized is edited afterwards.
 */
export function synthesizeRegionAgainst(target: RegionTarget, outdir: string): void {
  const { Fleet } = library();
  const fleet = new Fleet({ blueprint: target.blueprint, outdir });
  const [region] = fleet.addRegions({ [target.region]: { overrides: pointAt(target), source: target.source } });
  target.customize?.(region);
  fleet.synth();
}

function pointAt(target: RegionTarget): BlueprintOverrides {
  const connection = { kubeconfig: { path: target.kubeconfig.path, context: target.kubeconfig.context } };
  const clusters = target.overrides.clusters ?? [];
  const known = clusters.some((c) => c.name === target.cluster);
  return {
    ...target.overrides,
    // Replaces the region's backend whole: the blueprints here set none at blueprint level.
    backend: { local: { directory: target.stateDirectory } },
    clusters: known
      ? clusters.map((c) => (c.name === target.cluster ? { ...c, connection } : c))
      : [...clusters, { name: target.cluster, connection }],
  };
}
