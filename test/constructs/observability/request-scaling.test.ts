import * as path from 'path';
import { Fleet } from '../../../constructs/core/fleet';
import type { BlueprintSpec } from '../../../constructs/blueprint-spec';
import { SynthOutput, problemsOf, tempDir, observabilityWithHubIn } from '../../support/fleet-fixtures';
import { continuityBlueprint } from '../../support/karmada-fixtures';

const OBSERVABILITY = observabilityWithHubIn('city');

/** The continuity fixture, with red-packet's burst scaling on requests. */
function scalingOnRequests(change: (b: any) => void = () => undefined): BlueprintSpec {
  return continuityBlueprint((b) => {
    b.observability = OBSERVABILITY;
    b.burst[0].services[0].scaleOn = 'requests';
    change(b);
  });
}

function synth(blueprint: BlueprintSpec): SynthOutput {
  const dir = path.join(tempDir(), 'out');
  const fleet = new Fleet({ blueprint, outdir: dir });
  fleet.addRegions({ city: {} });
  fleet.synth();
  return new SynthOutput(dir);
}

describe('burst scaling on the planned metric (requests per replica)', () => {
  const out = synth(scalingOnRequests());

  it("adds a KEDA prometheus trigger at the plan's requests per replica on both sides, beside CPU", () => {
    for (const cluster of ['gov', 'burst']) {
      const scaled = out.find('city', cluster, 'ScaledObject', 'red-packet');
      const trigger = scaled.spec.triggers.find((t: any) => t.type === 'prometheus');
      expect(trigger.metricType).toBe('AverageValue');
      expect(trigger.metadata.threshold).toBe('100');
      expect(trigger.metadata.serverAddress).toMatch(/^http:\/\/.*prometheus.*\.monitoring\.svc:9090$/);
      expect(trigger.metadata.query).toBe(
        'sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="finance",destination_service_name="red-packet"}[1m]))',
      );
      expect(scaled.spec.triggers.map((t: any) => t.type)).toContain('cpu');
    }
  });

  it('installs KEDA where a ScaledObject runs, with ServiceMonitors for its own metrics', () => {
    for (const stack of ['city-gov', 'city-burst']) {
      const keda = Object.entries(out.resources(stack, 'helm_release')).find(([p]) => p.endsWith('keda/release'));
      expect(keda).toBeDefined();
    }
    expect(Object.keys(out.resources('city-dr', 'helm_release')).some((p) => p.endsWith('keda/release'))).toBe(false);
  });

  it("installs KEDA after the cluster's monitoring release, whose CRDs its ServiceMonitors need", () => {
    for (const stack of ['city-gov', 'city-burst']) {
      const releases = out.resources(stack, 'helm_release');
      const keda = Object.entries(releases).find(([p]) => p.endsWith('keda/release'))![1];
      const monitoring = Object.keys(releases).find((p) => p.endsWith('/monitoring/release'))!;
      expect(monitoring).toBeDefined();
      expect(keda.depends_on).toEqual([`helm_release.${releases[monitoring]['//'].metadata.uniqueId}`]);
    }
  });

  it('installs KEDA for scheduled events even without observability', () => {
    const plain = synth(continuityBlueprint());
    const keda = Object.entries(plain.resources('city-gov', 'helm_release')).find(([p]) => p.endsWith('keda/release'));
    expect(keda).toBeDefined();
    // No ServiceMonitors, so nothing to wait for.
    expect(keda![1].depends_on).toBeUndefined();
  });

  it('fails without observability, outside the mesh without metrics, and in Karmada mode', () => {
    const build = (blueprint: BlueprintSpec) => () => new Fleet({ blueprint, outdir: tempDir() }).addRegions({ city: {} });
    const path = 'blueprint.burst.red-packet-day.services.red-packet.scaleOn';
    expect(problemsOf(build(scalingOnRequests((b) => delete b.observability)))).toContain(
      `${path}: "requests" reads the request rate from the cluster's Prometheus, and the blueprint has no observability; add observability, or scale on "cpu"`,
    );
    expect(problemsOf(build(scalingOnRequests((b) => delete b.mesh))).join('\n')).toMatch(
      /scaleOn: clusters gov and burst are not meshed, so the request rate must come from the service's own metrics/,
    );
    expect(problemsOf(build(scalingOnRequests((b) => (b.karmada = {}))))).toContain(
      `${path}: Karmada mode folds the scalers into a FederatedHPA, which has no prometheus trigger; scale on "cpu" there`,
    );
  });
});
