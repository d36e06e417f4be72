import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Fleet, type SynthPhase } from '../index';
import { citizenServices } from '../blueprints/citizen-services';

// The bench's programs are plain JavaScript run by `npm run bench`; no timing is asserted here.
const { countOutput, regionShape } = require('../bench/count-output') as {
  countOutput: (outdir: string) => { resources: Record<string, number>; manifests: Record<string, number>; objects: number };
  regionShape: (outdir: string, region: string) => unknown;
};
const { synthHandWritten } = require('../bench/hand-written') as {
  synthHandWritten: (options: { regions: number; shape: unknown; outdir: string }) => { resources: number; manifests: number };
};

describe('npm run bench', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-test-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reports the library's synth phases in order, and the hand-written program emits the same objects by type and kind", () => {
    const library = path.join(dir, 'library');
    const fleet = new Fleet({ blueprint: citizenServices, outdir: library });
    fleet.addRegions({ 'city-0': {}, 'city-1': {} });
    const phases: Array<SynthPhase | 'done'> = [];
    const steps: string[] = [];
    fleet.synth({
      onPhase: (phase, region) => {
        phases.push(phase);
        if (region && steps[steps.length - 1] !== `${region} ${phase}`) steps.push(`${region} ${phase}`);
      },
    });
    const distinct = phases.filter((p, i) => p !== phases[i - 1]);
    expect(distinct.slice(0, 3)).toEqual(['validate', 'terraform', 'write']);
    expect(new Set(distinct)).toEqual(new Set(['validate', 'terraform', 'checks', 'yaml', 'reports', 'write', 'done']));
    expect(distinct[distinct.length - 1]).toBe('done');
    // One region at a time: checked, written and reported before the next region begins.
    const regionSteps = (region: string) => steps.filter((s) => s.startsWith(`${region} `)).filter((s, i, all) => s !== all[i - 1]);
    const lastOfFirst = steps.length - 1 - [...steps].reverse().findIndex((s) => s.startsWith('city-0 '));
    expect(lastOfFirst).toBeLessThan(steps.findIndex((s) => s.startsWith('city-1 ')));
    for (const region of ['city-0', 'city-1']) {
      const own = regionSteps(region);
      expect(own[0]).toBe(`${region} checks`);
      expect(own.slice(1, -1).every((s) => s === `${region} yaml` || s === `${region} write`)).toBe(true);
      expect(own[own.length - 1]).toBe(`${region} reports`);
    }

    const expected = countOutput(library);
    expect(expected.resources.kubernetes_network_policy_v1).toBeGreaterThan(0);
    expect(expected.manifests.Deployment).toBeGreaterThan(0);
    const handWritten = path.join(dir, 'hand-written');
    const made = synthHandWritten({ regions: 2, shape: regionShape(library, 'city-0'), outdir: handWritten });
    const actual = countOutput(handWritten);
    expect(actual).toEqual(expected);
    expect(made.resources + made.manifests).toBe(expected.objects);
  });
});

describe('Fleet.synth', () => {
  it("leaves none of its tokens in cdktf's process-wide map, and synthesizes again the same", () => {
    const { stringTokenMap, numberTokenMap } = (
      globalThis as unknown as { __cdktfTokenMap: { stringTokenMap: Map<string, unknown>; numberTokenMap: Map<number, unknown> } }
    ).__cdktfTokenMap;
    const sizes = () => [stringTokenMap.size, numberTokenMap.size];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-tokens-'));
    try {
      // Every kind of token (references, dependencies, lazy values such as a local backend's state
      // path): whatever the fleet put in the map, it takes out again, so nothing there holds its tree.
      const before = sizes();
      const fleet = new Fleet({ blueprint: citizenServices, outdir: path.join(dir, 'a') });
      fleet.addRegions({ 'city-0': {} });
      fleet.synth();
      expect(sizes()).toEqual(before);
      const first = fs.readFileSync(path.join(dir, 'a', 'terraform', 'stacks', 'city-0-gov', 'cdk.tf.json'), 'utf8');
      expect(first).toContain('${kubernetes_namespace_v1.');
      // A second synth of the same fleet puts its tokens back first, and writes the same bytes.
      fleet.synth();
      expect(fs.readFileSync(path.join(dir, 'a', 'terraform', 'stacks', 'city-0-gov', 'cdk.tf.json'), 'utf8')).toBe(first);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
