import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The toolchain's build scripts (bash), run by the suite's globalSetup. */
export const TOOLCHAIN_DIR = path.resolve(__dirname, '..', 'toolchain');

/** What test/e2e/toolchain/build-all.sh built, as it writes it to `<cache>/toolchain.json`. */
export interface Toolchain {
  readonly cache: string;
  readonly providers: {
    /** `source`: built into a filesystem mirror; `registry`: Terraform downloads them itself. */
    readonly mode: 'source' | 'registry';
    /** The CLI config that installs providers from the mirror (source mode only). */
    readonly terraformrc: string;
    /**
     * The versions in the mirror (source mode): `<release>-src.<commit>`, source builds, which
     * Terraform takes only when asked for exactly (empty in registry mode).
     */
    readonly installed: { readonly kubernetes: string; readonly helm: string };
  };
  readonly bin: {
    readonly etcd: string;
    readonly kubeApiserver: string;
    readonly kubeControllerManager: string;
    /** helm, telling charts the Kubernetes major.minor of `versions.kubernetes`. */
    readonly helm: string;
    readonly promtool: string;
    /** kube-score (github.com/zegl/kube-score), built from the Go module proxy. */
    readonly kubeScore: string;
    /** Checkov's entry point in a virtualenv under the cache (PyPI, dependencies pinned). */
    readonly checkov: string;
  };
  readonly versions: {
    readonly kubernetes: string;
    readonly etcd: string;
    readonly terraform: string;
    readonly helm: string;
    /** The github.com/prometheus/prometheus module version promtool is built from (v0.316.0 is Prometheus 3.16.0). */
    readonly promtool: string;
    /** The github.com/zegl/kube-score module version (v1.20.0). */
    readonly kubeScore: string;
    /** The checkov release on PyPI (3.3.30). */
    readonly checkov: string;
  };
  readonly stepSeconds: Readonly<Record<string, number>>;
}

/** The e2e cache root, as the bash toolchain computes it. */
export function cacheDirectory(): string {
  return process.env.GOVCLOUD_E2E_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'govcloud-blueprint', 'e2e');
}

/** The toolchain built by globalSetup; fails with the way to build it when it is missing. */
export function loadToolchain(): Toolchain {
  const file = path.join(cacheDirectory(), 'toolchain.json');
  if (!fs.existsSync(file))
    throw new Error(`no e2e toolchain at ${file}: run the suite with "npm run test:e2e" (its globalSetup builds it) or run ${TOOLCHAIN_DIR}/build-all.sh`);
  const toolchain = JSON.parse(fs.readFileSync(file, 'utf8')) as Toolchain;
  // A toolchain.json written before a tool joined the toolchain lacks that tool's path.
  const missing = (['etcd', 'kubeApiserver', 'kubeControllerManager', 'helm', 'promtool', 'kubeScore', 'checkov'] as const).filter(
    (tool) => !toolchain.bin?.[tool],
  );
  if (missing.length > 0) throw new Error(`${file} names no ${missing.join(', ')} (written by an older toolchain): run ${TOOLCHAIN_DIR}/build-all.sh`);
  return toolchain;
}

export type ProviderName = 'kubernetes' | 'helm';

/**
 * The providers the suite built from source (source mode): each with the version it is installed
 * as (`3.2.1-src.3a33fb6cc605`) and the release number that version says it builds (`3.2.1`).
 * Terraform never selects a pre-release for a range, so the stacks are pointed at the exact build;
 * validate-stacks.e2e.ts proves the stacks' own range admits the release number.
 */
export function sourceBuiltProviders(toolchain: Toolchain): Array<{ name: ProviderName; installed: string; release: string }> {
  if (toolchain.providers.mode !== 'source') return [];
  return (['kubernetes', 'helm'] as const).map((name) => {
    const installed = toolchain.providers.installed[name];
    return { name, installed, release: installed.replace(/-.*$/, '') };
  });
}
