import { spawnSync } from 'child_process';
import * as path from 'path';
import { TOOLCHAIN_DIR, loadToolchain, sourceBuiltProviders } from './support/toolchain';

/**
 * Builds the toolchain (or finds it in the cache) before any test: Terraform providers, etcd,
 * kube-apiserver, kube-controller-manager, helm and promtool. The build scripts print their own
 * progress.
 */
export default function globalSetup(): void {
  const started = Date.now();
  process.stdout.write('\n[e2e] preparing the toolchain (test/e2e/toolchain/build-all.sh)\n');
  const build = spawnSync('bash', [path.join(TOOLCHAIN_DIR, 'build-all.sh')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the e2e toolchain could not be built (exit ${build.status ?? build.signal}); see the messages above`);
  const toolchain = loadToolchain();
  const steps = Object.entries(toolchain.stepSeconds)
    .map(([step, seconds]) => `${step} ${seconds}s`)
    .join(', ');
  process.stdout.write(
    `[e2e] toolchain ready in ${Math.round((Date.now() - started) / 1000)}s (${steps}): terraform ${toolchain.versions.terraform}, ` +
      `kube-apiserver ${toolchain.versions.kubernetes}, etcd ${toolchain.versions.etcd}, helm ${toolchain.versions.helm}, ` +
      `promtool (prometheus ${toolchain.versions.promtool}), providers from ${toolchain.providers.mode === 'source' ? 'source (filesystem mirror)' : 'the Terraform registry'}\n`,
  );
  for (const p of sourceBuiltProviders(toolchain)) {
    process.stdout.write(
      `[e2e] NOTE: hashicorp/${p.name} is a source build, installed as ${p.installed}: the stacks are pointed at it exactly, and validate-stacks.e2e.ts proves their range admits ${p.release}\n`,
    );
  }
}
