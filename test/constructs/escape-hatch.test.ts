import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import { Fleet } from '../../constructs/core/fleet';
import { minimalBlueprint, SynthOutput, tempDir } from '../support/fleet-fixtures';

describe('escape hatches', () => {
  it('applies a raw Terraform override and a manifest patch, and lists both with their reasons in the report', () => {
    const outdir = path.join(tempDir(), 'out');
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir });
    const [region] = fleet.addRegions({ changsha: {} });
    const education = region.cluster('gov').department('education')!;
    region.escapeHatches.overrideTerraform(
      education.namespace,
      'metadata.annotations',
      { 'scheduler.alpha.kubernetes.io/node-selector': 'pool=gov' },
      'node pool pinning is not in the spec yet',
    );
    const deployment = education.chart.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment')!;
    region.escapeHatches.patchManifest(deployment, JsonPatch.add('/spec/minReadySeconds', 10), 'vendor asked for a settle time');
    fleet.synth();
    const out = new SynthOutput(outdir);
    expect(out.resources('changsha-gov', 'kubernetes_namespace_v1')['changsha-gov/education/namespace'].metadata.annotations).toEqual({
      'scheduler.alpha.kubernetes.io/node-selector': 'pool=gov',
    });
    expect(out.find('changsha', 'gov', 'Deployment', 'enrolment').spec.minReadySeconds).toBe(10);
    const report = out.read('reports/changsha.md');
    expect(report).toContain('| terraform | changsha-gov/education/namespace |');
    expect(report).toContain('node pool pinning is not in the spec yet |');
    expect(report).toContain(
      '| manifest | changsha-gov-education/enrolment/deployment | {"op":"add","path":"/spec/minReadySeconds","value":10} | vendor asked for a settle time |',
    );
  });

  it('refuses an escape hatch without a reason', () => {
    const fleet = new Fleet({ blueprint: minimalBlueprint() });
    const [region] = fleet.addRegions({ changsha: {} });
    expect(() => region.escapeHatches.overrideTerraform(region.cluster('gov').department('education')!.namespace, 'x', 1, ' ')).toThrow(
      /an escape hatch needs a reason/,
    );
  });
});
