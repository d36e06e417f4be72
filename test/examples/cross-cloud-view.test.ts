import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { crossCloudViewFleet } from '../../examples/cross-cloud-view/cross-cloud-view';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { SynthOutput, tempDir } from '../support/fleet-fixtures';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');
const HUB = 'https://metrics.hunan.gov.example/api/v1/receive';

describe('example: one view across clouds (white paper 4.3)', () => {
  const dir = path.join(tempDir(), 'out');
  crossCloudViewFleet(dir).synth();
  const out = new SynthOutput(dir);
  const releases = (stack: string) => Object.values<any>(out.resources(stack, 'helm_release'));
  const prometheus = (stack: string) => parseYaml(releases(stack).find((r) => r.name === 'kube-prometheus-stack').values[0]).prometheus.prometheusSpec;

  it('validates every manifest against the Kubernetes and CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(dir, 'manifests')))).toBe('');
  });

  it('has every cluster, on three clouds, remote-write to the one hub with its region, cluster and cloud on each series', () => {
    const clouds = { 'changsha-gov': 'hunan-gov-cloud', 'changsha-burst': 'huawei-cloud', 'yueyang-gov': 'tianyi-gov-cloud' };
    for (const [stack, cloud] of Object.entries(clouds)) {
      const spec = prometheus(stack);
      expect(spec.remoteWrite.map((w: any) => w.url)).toEqual([HUB]);
      const [region, cluster] = stack.split('-');
      expect(spec.externalLabels).toMatchObject({ region, cluster, cloud });
    }
  });

  it('runs the hub once, in Changsha, where every department reads its own namespace in every city', () => {
    expect(releases('changsha-gov').map((r) => r.name)).toEqual(expect.arrayContaining(['thanos', 'thanos-tenants', 'grafana', 'grafana-education']));
    expect(releases('yueyang-gov').filter((r) => /^(thanos|grafana)/.test(r.name))).toEqual([]);
    expect(out.read('reports/yueyang.md')).toContain(
      `remote-writes to the hub at \`${HUB}\` over mutual TLS. The hub (Thanos and Grafana) runs in region \`changsha\``,
    );
  });

  it('says in the fleet report which clusters on which clouds feed the view', () => {
    const fleet = out.read('reports/fleet.md');
    expect(fleet).toContain(
      '3 of 3 clusters, on 3 clouds (hunan-gov-cloud, huawei-cloud, tianyi-gov-cloud), remote-write to one hub; every series carries its region, cluster and cloud, so one query compares them.',
    );
    expect(fleet).toContain(
      '| yueyang | gov | gov | tianyi-gov-cloud/yueyang-dc1 | blueprint=citizen-services, region=yueyang, cluster=gov, cloud=tianyi-gov-cloud, role=gov |',
    );
  });
});
