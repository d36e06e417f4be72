/**
 * Every cluster of every region of the default blueprint, deployed to its own real API server:
 * the Terraform tenancy layer, then the manifests (see support/deployment.ts for the steps).
 */
import * as path from 'path';
import { describeDeployment } from './support/deployment';
import { library, regionClusters, removeDirectory, synthesizeDefaultBlueprint, temporaryDirectory } from './support/synth';

// The CLI's own output, which each deployment's manifests must equal.
const reference = temporaryDirectory('default-reference');
synthesizeDefaultBlueprint(reference);
afterAll(() => removeDirectory(reference));

for (const target of regionClusters(library().defaultFleet({ outdir: reference }))) {
  describeDeployment({ title: 'default blueprint', target, referenceManifests: path.join(reference, 'manifests', target.region, target.cluster) });
}
