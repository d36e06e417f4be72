import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as Library from '../../../index';
import type { BlueprintOverrides, BlueprintSpec, Fleet, Region } from '../../../index';

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
  fs.mkdirSync(cwd, { recursive: true });
  try {
    execFileSync(process.execPath, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const failed = error as Error & { status?: number | null; stdout?: string; stderr?: string };
    const how = failed.status === null || failed.status === undefined ? failed.message : `exit ${failed.status}`;
    throw new Error(`synth failed (${how}): node ${args.join(' ')} in ${cwd}\n${failed.stderr ?? ''}${failed.stdout ?? ''}`, { cause: error });
  }
}

/** `node dist/blueprints/main.js --out <outdir>`: the default blueprint, every Hunan region. */
export function synthesizeDefaultBlueprint(outdir: string): void {
  synthCommand([path.join(REPO_ROOT, 'dist', 'blueprints', 'main.js'), '--out', outdir], REPO_ROOT);
}

/** The runnable examples, by name, as `examples/index.ts` lists them. */
export function exampleNames(): string[] {
  const { EXAMPLES } = require(path.join(REPO_ROOT, 'dist', 'examples', 'index.js')) as typeof import('../../../examples/index');
  return Object.keys(EXAMPLES).sort();
}

/** `node dist/examples/run.js <name>` in `workdir`, which writes `<workdir>/out/examples/<name>/`; returns that root. */
export function synthesizeExample(name: string, workdir: string): string {
  synthCommand([path.join(REPO_ROOT, 'dist', 'examples', 'run.js'), name], workdir);
  return path.join(workdir, 'out', 'examples', name);
}

/** One cluster of one region, as a fleet built it. */
export interface RegionCluster {
  readonly region: string;
  readonly cluster: string;
  /** The region's effective spec: its blueprint merged with its overrides. */
  readonly spec: BlueprintSpec;
}

/**
 * Every (region, cluster) of a fleet, in order. The fleet is only built to read its regions, never
 * synthesized, so its private scratch directory (which only synth() removes) is removed here.
 */
export function regionClusters(fleet: Fleet): RegionCluster[] {
  fs.rmSync(fleet.terraform.outdir, { recursive: true, force: true });
  return fleet.regions.flatMap((region) => region.spec.clusters.map((cluster) => ({ region: region.node.id, cluster: cluster.name, spec: region.spec })));
}

export interface RegionTarget extends RegionCluster {
  readonly kubeconfig: { readonly path: string; readonly context: string };
  /** Local Terraform state, in place of the region's own backend (S3, Kubernetes). @default the region's own backend */
  readonly stateDirectory?: string;
  /** The blueprint's `supplyChain.chartRepository` in its place (a loopback repository). @default the region's own */
  readonly chartRepository?: string;
  /** Extra changes to the built region before synth (escape hatches). */
  readonly customize?: (region: Region) => void;
}

/**
 * Synthesizes one region with its cluster reached through the given kubeconfig context and its
 * state local, through the public API alone: the region's effective spec as the blueprint, and as
 * the region's overrides exactly what a user would write to point it at another cluster (the
 * cluster's `connection`, the `backend` when a state directory is given, and the chart repository
 * when one is given). Nothing synthesized
 * is edited afterwards; the manifests come out byte for byte as the region's own synth writes them.
 */
export function synthesizeRegionAgainst(target: RegionTarget, outdir: string): void {
  const { Fleet } = library();
  const fleet = new Fleet({ blueprint: target.spec, outdir });
  const [region] = fleet.addRegions({ [target.region]: { overrides: pointAt(target), source: 'test/e2e (pointed at a test API server)' } });
  target.customize?.(region);
  fleet.synth();
}

function pointAt(target: RegionTarget): BlueprintOverrides {
  const inherited = target.spec.clusters.find((c) => c.name === target.cluster);
  if (!inherited) throw new Error(`region ${target.region} has no cluster ${target.cluster}`);
  const backend = target.spec.backend ?? {};
  return {
    ...(target.chartRepository ? { supplyChain: { chartRepository: target.chartRepository } } : {}),
    // `null` removes what the spec sets (an endpoint, an S3 or Kubernetes backend).
    clusters: [{ name: target.cluster, connection: { kubeconfig: { ...target.kubeconfig }, ...(inherited.connection.endpoint ? { endpoint: null } : {}) } }],
    ...(target.stateDirectory
      ? {
          backend: {
            local: { directory: target.stateDirectory },
            ...(backend.s3 ? { s3: null } : {}),
            ...(backend.kubernetes ? { kubernetes: null } : {}),
          },
        }
      : {}),
  };
}
