import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { redPacketFleet } from '../../examples/red-packet-surge/red-packet-surge';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { SynthOutput, tempDir } from '../support/fleet-fixtures';

const ROOT = path.resolve(__dirname, '../..');
const SHARED_CRDS = path.resolve(ROOT, '../shared/crds');
const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });

function synth(options: { withoutKarmada?: boolean } = {}): SynthOutput {
  const dir = path.join(tempDir(), 'out');
  redPacketFleet(dir, options).synth();
  return new SynthOutput(dir);
}

describe('example: the Changsha digital-RMB red packet, 40x surge (white paper 5.1)', () => {
  const karmada = synth();
  const perCluster = synth({ withoutKarmada: true });

  it('validates every manifest of both modes (Karmada, KEDA, Velero, CloudNativePG included) against the Kubernetes and CRD schemas', () => {
    expect(formatManifestProblems(validator.validateDirectory(path.join(karmada.dir, 'manifests')))).toBe('');
    expect(formatManifestProblems(validator.validateDirectory(path.join(perCluster.dir, 'manifests')))).toBe('');
    const kinds = new Set(
      karmada
        .files()
        .filter((f) => f.endsWith('.yaml'))
        .flatMap((f) => [...karmada.read(f).matchAll(/^kind: (\w+)$/gm)].map((m) => m[1])),
    );
    for (const kind of [
      'PropagationPolicy',
      'OverridePolicy',
      'FederatedHPA',
      'CronFederatedHPA',
      'ScaledObject',
      'Schedule',
      'BackupStorageLocation',
      'Cluster',
    ])
      expect(kinds).toContain(kind);
  });

  it('absorbs the 40x surge in Changsha: the report shows both sides at baseline and peak', () => {
    const report = karmada.read('reports/changsha.md');
    expect(report).toContain(
      '**red-packet**: `gov` (government cloud) -> `burst` (huawei-cloud), surge 40x with 20% headroom. **Absorbed**: 62,400 requests/s at the ceilings against 62,400 needed at peak (52,000 plus headroom).',
    );
    expect(report).toContain('| citizen-app | 800 | 32,000 | 400 | 4 on gov | 60 + 36 = 96 (needs 96) | 60 / 36 | 2 |');
    expect(report).toContain('| red-packet | 500 | 20,000 | 200 | 4 on gov | 40 + 80 = 120 (needs 120) | 40 / 80 | 2 |');
  });

  it('reuses the blueprint in Zhuzhou with its own cloud and a 20x surge', () => {
    const report = karmada.read('reports/zhuzhou.md');
    expect(report).toContain('**red-packet**: `gov` (government cloud) -> `burst` (tianyi-cloud), surge 20x with 20% headroom. **Absorbed**');
    expect(karmada.find('zhuzhou', 'burst', 'Deployment', 'red-packet').spec.template.spec.containers[0].image).toBe(
      'registry.ctyun.example/hunan-gov/citizen-services/red-packet:1.4.0',
    );
    expect(karmada.files()).not.toContain('manifests/zhuzhou/karmada/kustomization.yaml');
  });

  it('keeps a hot standby on the public cloud: two warm replicas, the settlement database replicated, backups every 5 minutes', () => {
    const standby = perCluster.find('changsha', 'burst', 'ScaledObject', 'citizen-app').spec;
    expect([standby.minReplicaCount, standby.maxReplicaCount]).toEqual([2, 60]);
    expect(perCluster.find('changsha', 'burst', 'Cluster', 'settlement-db-replica').spec.replica.enabled).toBe(true);
    const schedules = perCluster
      .manifests('changsha', 'gov')
      .filter((o) => o.kind === 'Schedule' && o.spec.template.storageLocation === 'dr-campaign-continuity');
    expect(schedules.map((s) => s.spec.schedule)).toEqual(['*/5 * * * *']);
    const report = perCluster.read('reports/changsha.md');
    expect(report).toContain(
      '-> `burst` (public cloud `huawei-cloud`, failure domain `huawei-cloud/cn-central-221`), hot-standby, RPO 5m, RTO 5m. **Objectives met**.',
    );
    expect(report).toContain('| recovery point | backups every 5m (`*/5 * * * *`');
  });

  it("writes Changsha's application layer once for Karmada (MCP) and Zhuzhou's per cluster, from the same blueprint", () => {
    const files = karmada.files();
    expect(files).toContain('manifests/changsha/karmada/kustomization.yaml');
    expect(files).not.toContain('manifests/changsha/gov/finance-office.yaml');
    expect(files).toContain('manifests/zhuzhou/gov/finance-office.yaml');
    expect(perCluster.files()).toContain('manifests/changsha/gov/finance-office.yaml');
    const placement = karmada
      .manifests('changsha', 'karmada')
      .find((o) => o.kind === 'PropagationPolicy' && o.spec.resourceSelectors.some((r: any) => r.kind === 'Deployment' && r.name === 'red-packet'))!.spec
      .placement;
    expect(placement.clusterAffinities[0]).toMatchObject({
      clusterNames: ['changsha-gov-cloud'],
      overflowAffinities: [expect.objectContaining({ clusterNames: ['changsha-huawei-cce'] })],
    });
    expect(placement.replicaScheduling).toMatchObject({ replicaSchedulingType: 'Divided' });
  });

  it('synthesizes the same bytes twice', () => {
    const again = synth();
    for (const file of karmada.files()) expect(again.read(file)).toBe(karmada.read(file));
  });
});

describe('npm run example -- red-packet-surge', () => {
  it('writes the example to out/examples/red-packet-surge/ in the layout of out/', () => {
    const cwd = tempDir();
    const stdout = execFileSync('node', [path.join(ROOT, 'dist', 'examples', 'run.js'), 'red-packet-surge'], { cwd, encoding: 'utf8' });
    expect(stdout).toMatch(/^example red-packet-surge: 4 stacks, \d+ manifest files and 3 reports in out\/examples\/red-packet-surge\/\n$/);
    for (const file of [
      'terraform/manifest.json',
      'manifests/changsha/karmada/kustomization.yaml',
      'manifests/zhuzhou/burst/kustomization.yaml',
      'reports/changsha.md',
    ]) {
      expect(fs.existsSync(path.join(cwd, 'out', 'examples', 'red-packet-surge', file))).toBe(true);
    }
  });
});
