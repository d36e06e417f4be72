// Counts the objects in a synthesized output tree (the library's or the hand-written program's):
// Terraform resources by type in every `cdk.tf.json`, manifest objects by kind in every YAML file
// but kustomization files, and one region's shape for the hand-written program to copy.
const fs = require('fs');
const path = require('path');

function filesUnder(directory) {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory, { recursive: true })
    .map((f) => path.join(directory, String(f)))
    .filter((f) => fs.statSync(f).isFile())
    .sort();
}

function add(counts, key, n = 1) {
  counts[key] = (counts[key] ?? 0) + n;
}

function resourcesOf(file) {
  const counts = {};
  for (const [type, byName] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')).resource ?? {})) add(counts, type, Object.keys(byName).length);
  return counts;
}

function kindsOf(file) {
  const counts = {};
  // Every document's kind is its one top-level `kind:` line.
  for (const match of fs.readFileSync(file, 'utf8').matchAll(/^kind: (.+)$/gm)) add(counts, match[1]);
  return counts;
}

const isManifest = (file) => /\.ya?ml$/.test(file) && path.basename(file) !== 'kustomization.yaml';
const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Objects of the whole tree: `{ resources: { type: n }, manifests: { kind: n }, objects }`. */
function countOutput(outdir) {
  const resources = {};
  const manifests = {};
  for (const file of filesUnder(path.join(outdir, 'terraform'))) {
    if (path.basename(file) === 'cdk.tf.json') for (const [type, n] of Object.entries(resourcesOf(file))) add(resources, type, n);
  }
  for (const file of filesUnder(path.join(outdir, 'manifests')).filter(isManifest))
    for (const [kind, n] of Object.entries(kindsOf(file))) add(manifests, kind, n);
  return { resources, manifests, objects: total(resources) + total(manifests) };
}

/** One region of the library's output: its stacks' resources by type and its manifest files' objects by kind. */
function regionShape(outdir, region) {
  const stacksDirectory = path.join(outdir, 'terraform', 'stacks');
  const stacks = fs
    .readdirSync(stacksDirectory)
    .filter((s) => s.startsWith(`${region}-`))
    .sort()
    .map((s) => ({ name: s.slice(region.length + 1), resources: resourcesOf(path.join(stacksDirectory, s, 'cdk.tf.json')) }));
  const regionDirectory = path.join(outdir, 'manifests', region);
  const folders = fs
    .readdirSync(regionDirectory)
    .sort()
    .map((name) => ({
      name,
      files: filesUnder(path.join(regionDirectory, name))
        .filter(isManifest)
        .map((file) => ({
          stem: path
            .relative(path.join(regionDirectory, name), file)
            .replace(/\.yaml$/, '')
            .replace(/\//g, '-'),
          kinds: kindsOf(file),
        })),
    }));
  return { stacks, folders };
}

module.exports = { countOutput, regionShape };
