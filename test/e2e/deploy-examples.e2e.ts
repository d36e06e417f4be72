/**
 * Every cluster of every runnable example (examples/index.ts), deployed to its own real API server
 * with the CRDs installed (the mesh's Istio objects among them). A cluster whose output is byte for
 * byte that of a cluster deployed already (the default blueprint's, which
 * deploy-default-blueprint.e2e.ts deploys, or an earlier example's) is not deployed twice: its test
 * proves the two are identical.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { describeDeployment } from './support/deployment';
import { REPO_ROOT, exampleNames, regionClusters, removeDirectory, synthesizeDefaultBlueprint, synthesizeExample, temporaryDirectory } from './support/synth';

const { EXAMPLES } = require(path.join(REPO_ROOT, 'dist', 'examples', 'index.js')) as typeof import('../../examples/index');

const work = temporaryDirectory('examples-reference');
afterAll(() => removeDirectory(work));

/** A digest of what a cluster deploys: its manifest folder (every file below it) and its Terraform stack. */
function outputDigest(root: string, region: string, cluster: string): string {
  const hash = createHash('sha256');
  const folder = path.join(root, 'manifests', region, cluster);
  for (const file of fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(folder, file);
    if (fs.statSync(full).isFile()) hash.update(`${file}\0`).update(fs.readFileSync(full)).update('\0');
  }
  hash.update(fs.readFileSync(path.join(root, 'terraform', 'stacks', `${region}-${cluster}`, 'cdk.tf.json')));
  return hash.digest('hex');
}

/** Each output deployed, by digest: where it is and how to name it. */
const deployed = new Map<string, { readonly root: string; readonly region: string; readonly cluster: string; readonly title: string }>();
const defaults = path.join(work, 'default');
synthesizeDefaultBlueprint(defaults);
for (const region of fs.readdirSync(path.join(defaults, 'manifests'))) {
  for (const cluster of fs.readdirSync(path.join(defaults, 'manifests', region))) {
    deployed.set(outputDigest(defaults, region, cluster), { root: defaults, region, cluster, title: `the default blueprint's ${region}/${cluster}` });
  }
}

for (const name of exampleNames()) {
  // The CLI's own output, which each deployment's manifests must equal.
  const reference = synthesizeExample(name, work);
  for (const target of regionClusters(EXAMPLES[name](reference))) {
    const title = `example ${name}`;
    const digest = outputDigest(reference, target.region, target.cluster);
    const twin = deployed.get(digest);
    if (twin) {
      describe(`${title}: ${target.region}/${target.cluster}`, () => {
        it(`writes byte for byte what ${twin.title} writes, which is deployed there`, () => {
          expect(outputDigest(reference, target.region, target.cluster)).toBe(outputDigest(twin.root, twin.region, twin.cluster));
        });
      });
      continue;
    }
    deployed.set(digest, { root: reference, region: target.region, cluster: target.cluster, title: `${title}'s ${target.region}/${target.cluster}` });
    describeDeployment({ title, target, referenceManifests: path.join(reference, 'manifests', target.region, target.cluster) });
  }
}
