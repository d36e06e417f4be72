/**
 * Every cluster of every runnable example (examples/index.ts), deployed to its own real API server
 * with the CRDs installed (the mesh's Istio objects among them).
 */
import * as path from 'path';
import { describeDeployment } from './support/deployment';
import { REPO_ROOT, exampleNames, regionClusters, removeDirectory, synthesizeExample, temporaryDirectory } from './support/synth';

const { EXAMPLES } = require(path.join(REPO_ROOT, 'dist', 'examples', 'index.js')) as typeof import('../../examples/index');

const work = temporaryDirectory('examples-reference');
afterAll(() => removeDirectory(work));

for (const name of exampleNames()) {
  // The CLI's own output, which each deployment's manifests must equal.
  const reference = synthesizeExample(name, work);
  for (const target of regionClusters(EXAMPLES[name](reference))) {
    describeDeployment({ title: `example ${name}`, target, referenceManifests: path.join(reference, 'manifests', target.region, target.cluster) });
  }
}
