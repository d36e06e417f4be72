import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { schoolEnrolmentBlueprint, schoolEnrolmentFleet, zhuzhouEnrolment } from '../../examples/school-enrolment/school-enrolment';
import { Fleet } from '../../constructs/core/fleet';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { SynthOutput, problemsOf, tempDir } from '../support/fleet-fixtures';

const ROOT = path.resolve(__dirname, '../..');
const SHARED_CRDS = path.resolve(ROOT, '../shared/crds');

function synth(): SynthOutput {
  const dir = path.join(tempDir(), 'out');
  schoolEnrolmentFleet(dir).synth();
  return new SynthOutput(dir);
}

describe('example: school enrolment, pre-scaled inside the government cloud (white paper 4.1, scenario 1)', () => {
  const out = synth();
  const zhuzhou = out.read('reports/zhuzhou.md');
  const xiangtan = out.read('reports/xiangtan.md');

  it('validates every manifest, the ScaledObjects included, against the Kubernetes and KEDA schemas', () => {
    expect(formatManifestProblems(new ManifestValidator({ crdDirectories: [SHARED_CRDS] }).validateDirectory(path.join(out.dir, 'manifests')))).toBe('');
  });

  it('runs in the government cloud alone: one gov cluster per region, no public cluster, no burst link', () => {
    expect(schoolEnrolmentBlueprint.clusters.map((c) => [c.name, c.role])).toEqual([['gov', 'gov']]);
    expect(schoolEnrolmentBlueprint.burst).toBeUndefined();
    expect(fs.readdirSync(path.join(out.dir, 'terraform', 'stacks')).sort()).toEqual(['xiangtan-gov', 'zhuzhou-gov']);
    expect(fs.readdirSync(path.join(out.dir, 'manifests', 'zhuzhou'))).toEqual(['gov']);
    expect(fs.readdirSync(path.join(out.dir, 'manifests', 'xiangtan'))).toEqual(['gov']);
    for (const report of [zhuzhou, xiangtan]) expect(report).toContain('## Burst capacity plan\n\nNo burst links.');
  });

  it('pre-scales enrolment and the citizen app for enrolment day with KEDA cron triggers on the gov cluster, instead of their HPAs', () => {
    for (const [region, enrolment, ceiling] of [
      ['zhuzhou', '12', 16],
      ['xiangtan', '20', 24],
    ] as const) {
      const scaled = out.find(region, 'gov', 'ScaledObject', 'enrolment').spec;
      expect([scaled.minReplicaCount, scaled.maxReplicaCount]).toEqual([2, ceiling]);
      expect(scaled.triggers[0]).toEqual({
        type: 'cron',
        name: 'event-enrolment-day',
        metadata: { timezone: 'Asia/Shanghai', start: '30 7 1 7 *', end: '0 18 5 7 *', desiredReplicas: enrolment },
      });
      expect(scaled.triggers[1]).toMatchObject({ type: 'cpu' });
      expect(out.find(region, 'gov', 'ScaledObject', 'citizen-app').spec.triggers[0].metadata.desiredReplicas).toBe('12');
      const hpas = out.manifests(region, 'gov').filter((o) => o.kind === 'HorizontalPodAutoscaler');
      expect(hpas.map((h) => h.metadata.name)).not.toContain('enrolment');
      expect(hpas.map((h) => h.metadata.name)).not.toContain('citizen-app');
      // The other services keep their HPAs: only the event's services change.
      expect(hpas.map((h) => h.metadata.name)).toContain('health-code');
      const charts = Object.values(out.resources(`${region}-gov`, 'helm_release')).map((r: any) => r.chart);
      expect(charts).toContain('keda');
    }
  });

  it("proves in Zhuzhou's report that enrolment day fits: held replicas, headroom on the cluster and in each quota", () => {
    expect(zhuzhou).toContain('**enrolment-day** on `gov`: from `30 7 1 7 *` to `0 18 5 7 *` (Asia/Shanghai). **Fits**.');
    expect(zhuzhou).toContain('| citizen-app | data-bureau | 3 | 12 | 30 |');
    expect(zhuzhou).toContain('| enrolment | education | 2 | 12 | 16 |');
    expect(zhuzhou).toContain('| cluster `gov` (nodes) | 192 CPU, 768Gi | 26.95 CPU, 40Gi | 165.05 CPU (86%), 728Gi (95%) | 40.15 CPU, 53.8Gi | fits |');
    expect(zhuzhou).toContain(
      '| department `data-bureau` (quota) | 48 CPU, 192Gi | 7.9 CPU, 8.3Gi | 40.1 CPU (84%), 183.8Gi (96%) | 18.7 CPU, 19.5Gi | fits |',
    );
    expect(zhuzhou).toContain('| department `education` (quota) | 32 CPU, 96Gi | 7.2 CPU, 7.5Gi | 24.8 CPU (78%), 88.5Gi (92%) | 9.6 CPU, 10Gi | fits |');
    expect(zhuzhou).toContain('| enrolment | education | 1.6.2 | gov | gov: 2-16 (KEDA) |');
  });

  it("proves it in Xiangtan's smaller cloud too: 20 enrolment replicas and their sidecars take 12 of the education bureau's 16 CPU", () => {
    expect(xiangtan).toContain('**enrolment-day** on `gov`: from `30 7 1 7 *` to `0 18 5 7 *` (Asia/Shanghai). **Fits**.');
    expect(xiangtan).toContain('| enrolment | education | 2 | 20 | 24 |');
    expect(xiangtan).toContain('| cluster `gov` (nodes) | 64 CPU, 256Gi | 35.05 CPU, 50.4Gi | 28.95 CPU (45%), 205.6Gi (80%) | 37.45 CPU, 52.9Gi | fits |');
    expect(xiangtan).toContain('| department `education` (quota) | 16 CPU, 48Gi | 12 CPU, 12.5Gi | 4 CPU (25%), 35.5Gi (74%) | 14.4 CPU, 15Gi | fits |');
  });

  it('fails the synth, with the spec path and the fix, where enrolment day would not fit', () => {
    const problems = problemsOf(() =>
      new Fleet({ blueprint: schoolEnrolmentBlueprint, outdir: tempDir() }).addRegions({
        zhuzhou: { overrides: { ...zhuzhouEnrolment, departments: [{ name: 'education', quota: { cpu: '5' } }] } },
      }),
    );
    expect(problems).toEqual([
      'regions.zhuzhou.services.enrolment.autoscaling.schedule.enrolment-day: event "enrolment-day" holds enrolment at 12 on cluster "gov": department "education" then requests 7.2 CPU and 7.5Gi, more than its quota (5 CPU, 96Gi), which would refuse the pre-scaled pods: short by 2.2 CPU; raise departments.education.quota cpu to "8", or lower the event\'s minReplicas',
    ]);
  });

  it('synthesizes the same bytes twice', () => {
    const again = synth();
    for (const file of out.files()) expect(again.read(file)).toBe(out.read(file));
  });
});

describe('npm run example -- school-enrolment', () => {
  it('writes the example to out/examples/school-enrolment/ in the layout of out/', () => {
    const cwd = tempDir();
    const stdout = execFileSync('node', [path.join(ROOT, 'dist', 'examples', 'run.js'), 'school-enrolment'], { cwd, encoding: 'utf8' });
    expect(stdout).toMatch(/^example school-enrolment: 2 stacks, \d+ manifest files and 3 reports in out\/examples\/school-enrolment\/\n$/);
    for (const file of ['terraform/manifest.json', 'manifests/zhuzhou/gov/kustomization.yaml', 'reports/xiangtan.md']) {
      expect(fs.existsSync(path.join(cwd, 'out', 'examples', 'school-enrolment', file))).toBe(true);
    }
  });
});
