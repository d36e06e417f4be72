/**
 * Property: whatever a user changes in a blueprint or a region's overrides, synth either throws a
 * `ValidationError` whose every problem names where it is, or writes output that the Kubernetes
 * and CRD schemas accept and that Terraform can read. No other exception, ever.
 *
 * fast-check picks a scenario (the default blueprint with one Hunan region, or an example), a side
 * (the blueprint or a region's overrides), a place in it (a leaf or a container) and a change
 * (a hostile value, a deletion, an unknown key, a duplicated list item), with a fixed seed and a
 * bounded number of runs so `npm test` stays deterministic and quick.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { Fleet } from '../../constructs/core/fleet';
import type { RegionProps } from '../../constructs/core/region';
import type { BlueprintSpec } from '../../constructs/blueprint-spec';
import { citizenServices } from '../../blueprints/citizen-services';
import { hunanRegions } from '../../blueprints/regions';
import { EXAMPLES } from '../../examples';
import { ValidationError } from '../../lib/errors';
import { synthManifestValidator } from '../../lib/validation/output-check';

interface Scenario {
  readonly name: string;
  readonly blueprint: BlueprintSpec;
  readonly regions: Record<string, RegionProps>;
}

/** Each example's blueprint and regions, as its own fleet function passes them to `addRegions`. */
function exampleScenarios(): Scenario[] {
  return Object.entries(EXAMPLES).map(([name, build]) => {
    let regions: Record<string, RegionProps> = {};
    const spy = jest.spyOn(Fleet.prototype, 'addRegions').mockImplementation((given) => {
      regions = { ...given };
      return [];
    });
    try {
      const fleet = build(path.join(os.tmpdir(), 'unused'));
      return { name, blueprint: fleet.blueprint, regions };
    } finally {
      spy.mockRestore();
    }
  });
}

function scenarios(): Scenario[] {
  const hunan = hunanRegions();
  return [
    ...Object.entries(hunan).map(([region, props]) => ({ name: `default/${region}`, blueprint: citizenServices, regions: { [region]: props } })),
    ...exampleScenarios(),
  ];
}

type Path = readonly (string | number)[];

/** Every place in a value: leaves (to replace) and containers (to delete from, add to, or replace). */
function places(value: unknown, at: Path = []): Array<{ path: Path; leaf: boolean }> {
  if (Array.isArray(value)) return [{ path: at, leaf: false }, ...value.flatMap((item, i) => places(item, [...at, i]))];
  if (typeof value === 'object' && value !== null)
    return [{ path: at, leaf: false }, ...Object.entries(value).flatMap(([key, item]) => places(item, [...at, key]))];
  return [{ path: at, leaf: true }];
}

const hostileValues: unknown[] = [
  -1,
  0,
  2 ** 31,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  ' ',
  '1e999',
  'Edu ${x}',
  '%{ if true }x%{ endif }',
  '${TfToken[TOKEN.1]}',
  '__proto__',
  'constructor',
  '9lives',
  'h--p',
  '250%',
  'docker.io/library/nginx:latest',
  'Mars/Olympus',
  '99 99 99 99 99',
  '172.020.0.0/16',
  '10.0.0.0/33',
  'a'.repeat(300),
  '城市服务',
  null,
  true,
  [],
  {},
];

type Change = { kind: 'replace'; value: unknown } | { kind: 'delete' } | { kind: 'unknown-key'; key: string; value: unknown } | { kind: 'duplicate' };

const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileValues) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
);

const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 6, arbitrary: hostile.map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('unknown-key' as const), key: fc.constantFrom('replcas', '__proto__', 'constructor', 'x'), value: hostile }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'duplicate' as const }) },
);

/** A deep copy of plain spec data (specs are JSON-like). */
const copy = <T>(value: T): T => structuredClone(value);

/** Applies `change` at `at` inside `root` (a copy); returns the changed root. */
function applyChange(root: unknown, at: Path, what: Change): unknown {
  if (at.length === 0) return what.kind === 'replace' ? what.value : root;
  const parent = at.slice(0, -1).reduce<any>((node, key) => node[key], root);
  const key = at[at.length - 1];
  const target = parent[key];
  switch (what.kind) {
    case 'replace':
      parent[key] = what.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'unknown-key':
      if (typeof target === 'object' && target !== null && !Array.isArray(target))
        Object.defineProperty(target, what.key, { value: what.value, enumerable: true });
      else parent[key] = what.value;
      break;
    case 'duplicate':
      if (Array.isArray(target) && target.length > 0) target.push(copy(target[0]));
      else if (Array.isArray(parent)) parent.push(copy(target));
      break;
  }
  return root;
}

const all = scenarios();
const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-property-'));
afterAll(() => fs.rmSync(outRoot, { recursive: true, force: true }));

/** Every manifest and Terraform file written under `outdir`: manifests against the schemas, stacks as JSON. */
function checkWrittenOutput(outdir: string): void {
  const validator = synthManifestValidator();
  const walk = (directory: string): string[] =>
    fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(directory, entry.name);
      return entry.isDirectory() ? walk(file) : [file];
    });
  for (const file of walk(outdir)) {
    const relative = path.relative(outdir, file);
    if (relative.startsWith('manifests') && file.endsWith('.yaml') && !file.endsWith('kustomization.yaml')) {
      parseAllDocuments(fs.readFileSync(file, 'utf8')).forEach((document, index) => {
        expect(document.errors).toEqual([]);
        expect({ file: relative, index, problems: validator.validateObject(document.toJS(), { file: relative, document: index }) }).toEqual({
          file: relative,
          index,
          problems: [],
        });
      });
    }
    if (file.endsWith('cdk.tf.json')) expect(() => JSON.parse(fs.readFileSync(file, 'utf8'))).not.toThrow();
  }
}

let run = 0;

it('any change to a blueprint or a region either fails with problems that name their path, or synthesizes valid output', () => {
  fc.assert(
    fc.property(fc.nat(all.length - 1), fc.boolean(), fc.nat(), change, (which, inRegion, placeIndex, what) => {
      const scenario = all[which];
      const blueprint = copy(scenario.blueprint);
      const regions = copy(scenario.regions);
      const regionName = Object.keys(regions)[0];
      const side: unknown = inRegion ? (regions[regionName].overrides ?? {}) : blueprint;
      const candidates = places(side);
      const place = candidates[placeIndex % candidates.length];
      const changed = applyChange(side, place.path, what);
      const finalBlueprint = inRegion ? blueprint : changed;
      if (inRegion) regions[regionName] = { ...regions[regionName], overrides: changed as RegionProps['overrides'] };
      const outdir = path.join(outRoot, `run-${run++}`);
      try {
        const fleet = new Fleet({ blueprint: finalBlueprint as BlueprintSpec, outdir });
        fleet.addRegions(regions);
        fleet.synth();
      } catch (error) {
        if (!(error instanceof ValidationError))
          throw new Error(`${scenario.name}: ${describeChange(inRegion, place.path, what)} threw ${String(error)}`, { cause: error });
        for (const problem of error.problems) {
          expect(typeof problem.path === 'string' && problem.path.length > 0).toBe(true);
          expect(problem.message).not.toMatch(/Cannot read propert|is not a function|undefined is not|Maximum call stack|There is already a Construct/);
        }
        expect(fs.existsSync(outdir)).toBe(false);
        return;
      }
      checkWrittenOutput(outdir);
      fs.rmSync(outdir, { recursive: true, force: true });
    }),
    { seed: Number(process.env.PROPERTY_SEED ?? 1312), numRuns: Number(process.env.PROPERTY_RUNS ?? 60), endOnFailure: true },
  );
});

function describeChange(inRegion: boolean, at: Path, what: Change): string {
  return `${inRegion ? 'overrides' : 'blueprint'} at ${JSON.stringify(at)}: ${JSON.stringify(what)}`;
}
