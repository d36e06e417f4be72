import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Lazy } from 'cdk8s';
import { ApiObject } from 'cdk8s';
import { Fleet } from '../constructs/core/fleet';
import { minimalBlueprint, SynthOutput, tempDir } from './support/fleet-fixtures';

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'dist', 'blueprints', 'main.js');

describe('npm run synth (dist/blueprints/main.js)', () => {
  it('synthesizes the chosen region into the chosen output root', () => {
    const out = path.join(tempDir(), 'out');
    const stdout = execFileSync('node', [MAIN, '--region', 'changsha', '--out', out], { encoding: 'utf8' });
    expect(stdout).toMatch(/^synthesized 2 stacks, \d+ manifest files and 2 reports into .*out\/ in \d+ ms\n$/);
    expect(new SynthOutput(out).files().filter((f) => f.startsWith('reports/'))).toEqual([
      'reports/changsha.md',
      'reports/changsha/red-packet-burst.svg',
      'reports/changsha/red-packet-rehearsal.svg',
      'reports/changsha/topology.svg',
      'reports/fleet-topology.svg',
      'reports/fleet.md',
      'reports/index.html',
    ]);
  });

  it('takes the output root from CDKTF_OUTDIR when cdktf runs it', () => {
    const root = path.join(tempDir(), 'out');
    execFileSync('node', [MAIN, '--region', 'xiangtan'], { env: { ...process.env, CDKTF_OUTDIR: path.join(root, 'terraform') } });
    expect(fs.existsSync(path.join(root, 'terraform', 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'manifests', 'xiangtan', 'gov', 'kustomization.yaml'))).toBe(true);
  });

  it('fails on an unknown region with the choices and writes nothing', () => {
    const out = path.join(tempDir(), 'out');
    const run = spawnSync('node', [MAIN, '--region', 'wuhan', '--out', out], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--region: no region "wuhan" in the default blueprint; choose from changsha, zhuzhou, xiangtan');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('rejects unknown arguments with usage and exit code 2', () => {
    const run = spawnSync('node', [MAIN, '--regoin', 'x'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown argument "--regoin"');
    expect(run.stderr).toContain('usage: synth');
  });
});

describe('a failed synth leaves no half-written output', () => {
  function previousOutput(): string {
    const out = path.join(tempDir(), 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'previous.txt'), 'from the last good synth');
    return out;
  }

  function expectUntouched(out: string): void {
    expect(fs.readdirSync(out)).toEqual(['previous.txt']);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  }

  it('when a construct validation fails, listing every failure', () => {
    const out = previousOutput();
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir: out });
    const [region] = fleet.addRegions({ changsha: {} });
    region.cluster('gov').stack.node.addValidation({ validate: () => ['first problem', 'second problem'] });
    expect(() => fleet.synth()).toThrow(/the fleet does not validate \(2 problems\):\n {2}- changsha-gov: first problem\n {2}- changsha-gov: second problem/);
    expectUntouched(out);
  });

  it('when writing fails halfway', () => {
    const out = previousOutput();
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir: out });
    const [region] = fleet.addRegions({ changsha: {} });
    const chart = region.cluster('gov').department('education')!.chart;
    new ApiObject(chart, 'broken', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'broken' },
      data: Lazy.any({
        produce: () => {
          throw new Error('disk full');
        },
      }),
    });
    expect(() => fleet.synth()).toThrow(/disk full/);
    expectUntouched(out);
  });

  it('and a good synth replaces the previous output whole', () => {
    const out = previousOutput();
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir: out });
    fleet.addRegions({ changsha: {} });
    fleet.synth();
    expect(fs.readdirSync(out).sort()).toEqual(['manifests', 'reports', 'terraform']);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  });
});
