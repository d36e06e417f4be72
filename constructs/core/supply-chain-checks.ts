import { type Problem, type Problems, formatProblem } from '../../lib/errors';
import { type SupplyChainSources, writtenReleaseSupplyChainProblems } from '../../lib/supply-chain';
import type { BlueprintSpec } from '../blueprint-spec';
import { imageReference, servedVersions, versionDigest } from '../workload/canary-plan';
import { type ClusterSpec, isProductionCluster } from './cluster-spec';
import { serviceClusters } from './placement-plan';

/** True when `supplyChain.requireDigests` asks for digests on the cluster. */
export function digestsRequiredOn(spec: BlueprintSpec, cluster: ClusterSpec): boolean {
  const rule = spec.supplyChain.requireDigests ?? 'never';
  return rule === 'always' || (rule === 'production' && isProductionCluster(cluster));
}

/**
 * `supplyChain.requireDigests`: every version a service serves (stable and canary) has a digest
 * where a cluster it runs on requires one; burst copies and standbys pull the same image, so
 * their clusters count too. One problem per missing digest, naming those clusters.
 */
export function checkImageDigests(spec: BlueprintSpec, path: string, problems: Problems): void {
  const rule = spec.supplyChain.requireDigests ?? 'never';
  if (rule === 'never') return;
  for (const service of spec.services) {
    const requiring = serviceClusters(spec, service)
      .map((name) => spec.clusters.find((c) => c.name === name))
      .filter((c): c is ClusterSpec => c !== undefined && digestsRequiredOn(spec, c))
      .map((c) => JSON.stringify(c.name));
    if (requiring.length === 0) continue;
    const where = `${rule === 'production' ? 'production ' : ''}cluster${requiring.length > 1 ? 's' : ''} ${requiring.join(', ')} (supplyChain.requireDigests "${rule}")`;
    const servicePath = `${path}.services.${service.name}`;
    for (const version of servedVersions(service)) {
      if (versionDigest(service, version) !== undefined) continue;
      const image = imageReference(service.image, service, version);
      if (version === service.version) {
        problems.add(
          `${servicePath}.digest`,
          `required on ${where}, got none; add digest: "sha256:<64 hex>" with the digest of ${image} (\`crane digest ${image}\` prints it)`,
        );
      } else {
        problems.add(
          `${servicePath}.traffic.canary.digests`,
          `canary version ${JSON.stringify(version)} has no digest, required on ${where}; add "${version}": "sha256:<64 hex>" with the digest of ${image} (\`crane digest ${image}\` prints it)`,
        );
      }
    }
  }
}

/**
 * Every `helm_release` of a stack as cdktf wrote it (`cdk.tf.json`: after every escape hatch, on a
 * resource or on the stack): its chart must come from the chart mirror and every image its final
 * values name (values documents, then `set`, `set_list`, `set_sensitive`, `set_wo`) from the
 * cluster's registry mirror. Each problem names the stack, the release's construct path and the
 * values path.
 */
export function stackSupplyChainProblems(stack: unknown, sources: SupplyChainSources, stackName: string): Problem[] {
  const releases = (stack as { resource?: { helm_release?: Record<string, Record<string, unknown>> } } | null)?.resource?.helm_release ?? {};
  return Object.entries(releases).flatMap(([name, release]) => {
    const recorded: unknown = (release['//'] as { metadata?: { path?: unknown } } | undefined)?.metadata?.path;
    const where = `helm_release ${typeof recorded === 'string' ? recorded : name}`;
    return writtenReleaseSupplyChainProblems(release, sources, where).map((p) => ({ path: stackName, message: formatProblem(p) }));
  });
}
