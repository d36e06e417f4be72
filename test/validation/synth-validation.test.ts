import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import { Fleet } from '../../constructs/core/fleet';
import { ValidationError } from '../../lib/errors';
import { CRD_BUNDLE_FILE, bundleCrds, formatCrdBundle } from '../../lib/validation/bundled-crds';
import { readCrdDocuments } from '../../lib/validation/manifest-validator';
import { manifestSchemaProblems, synthManifestValidator } from '../../lib/validation/output-check';
import { minimalBlueprint, tempDir } from '../support/fleet-fixtures';

const ROOT = path.resolve(__dirname, '../..');
const SHARED_CRDS = path.resolve(ROOT, '../shared/crds');

/** A fleet of the minimal blueprint whose enrolment Deployment gets `patch`, synthesized into `outdir`. */
function synthPatched(outdir: string, patch: JsonPatch): ValidationError {
  const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir });
  const [region] = fleet.addRegions({ changsha: {} });
  const chart = region.cluster('gov').department('education')!.chart;
  const deployment = chart.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment')!;
  region.escapeHatches.patchManifest(deployment, patch, 'test');
  try {
    fleet.synth();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected synth to fail');
}

describe('Fleet.synth checks every manifest against the Kubernetes and CRD schemas', () => {
  it('fails on a wrong type, naming the file, the document, the object and the field, and writes nothing', () => {
    const outdir = path.join(tempDir(), 'out');
    const error = synthPatched(outdir, JsonPatch.replace('/spec/replicas', 'three'));
    expect(error.message).toMatch(/^the manifests do not match the Kubernetes and CRD schemas \(1 problem\)/);
    expect(error.problems).toEqual([
      {
        path: expect.stringMatching(/^manifests\/changsha\/gov\/[a-z-]+\.yaml#\d+ Deployment\/enrolment: spec\.replicas$/),
        message: 'must be integer, got string "three"',
      },
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });

  it('fails on an unknown field with a did-you-mean, and keeps the previous output as it was', () => {
    const outdir = path.join(tempDir(), 'out');
    const good = new Fleet({ blueprint: minimalBlueprint(), outdir });
    good.addRegions({ changsha: {} });
    good.synth();
    const before = fs.readdirSync(outdir, { recursive: true }).sort();
    const error = synthPatched(outdir, JsonPatch.add('/spec/replicaz', 2));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/Deployment\/enrolment: spec\.replicaz: unknown field "replicaz"; did you mean "replicas"\?$/),
    ]);
    expect(fs.readdirSync(outdir, { recursive: true }).sort()).toEqual(before);
  });

  it("reports every region's problems together and writes nothing, though regions are checked and written one at a time", () => {
    const outdir = path.join(tempDir(), 'out');
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir });
    // The first region is valid (and written to the staging folder), the second and third are not.
    const regions = fleet.addRegions({ changsha: {}, xiangtan: {}, zhuzhou: {} });
    for (const region of regions.slice(1)) {
      const chart = region.cluster('gov').department('education')!.chart;
      const deployment = chart.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment')!;
      region.escapeHatches.patchManifest(deployment, JsonPatch.replace('/spec/replicas', 'three'), 'test');
    }
    let error: unknown;
    try {
      fleet.synth();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.path)).toEqual([
      expect.stringMatching(/^manifests\/xiangtan\/gov\/[a-z-]+\.yaml#\d+ Deployment\/enrolment: spec\.replicas$/),
      expect.stringMatching(/^manifests\/zhuzhou\/gov\/[a-z-]+\.yaml#\d+ Deployment\/enrolment: spec\.replicas$/),
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });

  it('checks custom resources against the bundled CRDs', () => {
    const scaledObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'x' },
      spec: { scaleTargetRef: { name: 'x' }, triggers: [{ typo: 'cpu', metadata: {} }] },
    };
    expect(manifestSchemaProblems([{ file: 'manifests/a/b/c.yaml', objects: [scaledObject] }])).toEqual([
      { path: 'manifests/a/b/c.yaml#0 ScaledObject/x: spec.triggers[0].type', message: 'required field is missing' },
      { path: 'manifests/a/b/c.yaml#0 ScaledObject/x: spec.triggers[0].typo', message: expect.stringMatching(/^unknown field "typo"; did you mean "type"\?/) },
    ]);
    const unknownKind = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(manifestSchemaProblems([{ file: 'f.yaml', objects: [unknownKind] }])).toEqual([
      { path: 'f.yaml#0 Widget/w', message: expect.stringMatching(/^no schema for example\.com\/v1 Widget/) },
    ]);
  });

  it('makes the validator once per process', () => {
    expect(synthManifestValidator()).toBe(synthManifestValidator());
  });

  // The package index also exports ManifestValidator itself (and so loads ajv); Fleet does not need it.
  it('loads the validator only when something is synthesized', () => {
    const script = `
      const loaded = () => Object.keys(require.cache).some((file) => /[\\/](ajv|kubernetes-models)[\\/]/.test(file));
      const { Fleet } = require(${JSON.stringify(path.join(ROOT, 'dist', 'constructs', 'core', 'fleet.js'))});
      const { citizenServices } = require(${JSON.stringify(path.join(ROOT, 'dist', 'blueprints', 'citizen-services.js'))});
      const fleet = new Fleet({ blueprint: citizenServices, outdir: process.argv[1] });
      fleet.addRegions({ 'city-0': {} });
      const before = loaded();
      fleet.synth();
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const stdout = execFileSync('node', ['-e', script, path.join(tempDir(), 'out')], { encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual({ before: false, after: true });
  });

  it(`${CRD_BUNDLE_FILE} is committed and up to date with ../shared/crds (run \`npm run crds\`)`, () => {
    const expected = formatCrdBundle(bundleCrds(readCrdDocuments(SHARED_CRDS), SHARED_CRDS));
    expect(fs.readFileSync(path.join(ROOT, CRD_BUNDLE_FILE), 'utf8') === expected).toBe(true);
  });
});
