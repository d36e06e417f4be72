import * as fs from 'fs';
import * as path from 'path';
import type { ClusterOutput, Json, TerraformResource } from '../../lib/compliance/compliance-rule';
import type { IRegion } from '../core/tree';
import type { ManifestFolder } from '../core/manifest-folders';
import { KARMADA_DIRECTORY } from '../karmada/karmada-spec';

/** A stack's resources as cdktf wrote them (after every escape hatch). */
function stackResources(stackFile: string): TerraformResource[] {
  const stack = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { resource?: Record<string, Record<string, Json>> };
  return Object.entries(stack.resource ?? {}).flatMap(([type, resources]) =>
    Object.entries(resources).map(([name, body]) => {
      const recorded: unknown = (body['//'] as { metadata?: { path?: unknown } } | undefined)?.metadata?.path;
      return { type, name, constructPath: typeof recorded === 'string' ? recorded : name, body };
    }),
  );
}

/**
 * What the rule pack reads for each cluster of the region: the objects of its manifest folder and
 * the resources of its Terraform stack, as they are written. In Karmada mode the region's folded
 * application layer is one more output (`<region>/karmada`), holding every department.
 * `stacksDirectory` is where cdktf synthesized the stacks (`<dir>/<stack>/cdk.tf.json`).
 */
export function collectClusterOutputs(region: IRegion, folders: readonly ManifestFolder[], stacksDirectory: string): ClusterOutput[] {
  const manifestsOf = (directory: string) =>
    (folders.find((f) => f.directory === directory)?.files ?? []).flatMap((file) =>
      file.objects.map((object) => ({ file: `manifests/${directory}/${file.stem}.yaml`, object: object })),
    );
  const outputs: ClusterOutput[] = region.clusters.map((cluster) => ({
    region: region.name,
    cluster: cluster.name,
    role: cluster.spec.role,
    production: cluster.spec.production !== false,
    registry: cluster.supplyChain.registry,
    // A department's namespace is its name (namespaceName is a Terraform reference).
    departments: cluster.departments.map((d) => d.spec.name),
    manifests: manifestsOf(cluster.manifestDirectory),
    terraform: stackResources(path.join(stacksDirectory, cluster.stackName, 'cdk.tf.json')),
  }));
  const karmada = `${region.name}/${KARMADA_DIRECTORY}`;
  if (folders.some((f) => f.directory === karmada)) {
    outputs.push({
      region: region.name,
      cluster: KARMADA_DIRECTORY,
      role: 'gov',
      production: region.clusters.some((c) => c.spec.production !== false),
      registry: region.spec.supplyChain.registry,
      departments: region.spec.departments.map((d) => d.name),
      manifests: manifestsOf(karmada),
      terraform: [],
      // The members run the folded StatefulSets, and their Schedules back up the volumes.
      memberSchedules: region.clusters.flatMap((c) => manifestsOf(c.manifestDirectory)).filter(({ object }) => object.kind === 'Schedule'),
    });
  }
  return outputs;
}
