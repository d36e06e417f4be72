import * as path from 'path';
import { Fleet } from '../../constructs/core/fleet';
import { type BlueprintOverrides, type BlueprintSpec } from '../../constructs/blueprint-spec';
import { showValue } from '../../lib/errors';
import { minimalBlueprint, problemsOf, synthesize, tempDir } from '../support/fleet-fixtures';
import { continuityBlueprint } from '../support/karmada-fixtures';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;
const CANARY_DIGEST = `sha256:${'cd34'.repeat(16)}`;

/** The minimal blueprint with a change, and a mesh (a canary needs one). */
function blueprintWith(change: (b: any) => void): BlueprintSpec {
  const blueprint: any = minimalBlueprint();
  blueprint.mesh = { version: '1.30.3' };
  change(blueprint);
  return blueprint;
}

function problems(blueprint: BlueprintSpec, overrides: unknown = {}): string[] {
  return problemsOf(() =>
    new Fleet({ blueprint, outdir: path.join(tempDir(), 'out') }).addRegions({ changsha: { overrides: overrides as BlueprintOverrides } }),
  );
}

const image = (object: any): string => object.spec.template.spec.containers[0].image;

describe('images pinned by digest', () => {
  it('pulls the stable and each canary version by digest, keeping the tag and the version label', () => {
    const out = synthesize(
      blueprintWith((b) => {
        b.services[0].digest = DIGEST;
        b.services[0].traffic = { canary: { weights: { '1.0.0': 90, '1.1.0': 10 }, digests: { '1.1.0': CANARY_DIGEST } } };
      }),
      { changsha: {} },
    );
    const stable = out.find('changsha', 'gov', 'Deployment', 'enrolment');
    const canary = out.find('changsha', 'gov', 'Deployment', 'enrolment-v1-1-0');
    expect(image(stable)).toBe(`registry.test.example/edu/enrolment:1.0.0@${DIGEST}`);
    expect(image(canary)).toBe(`registry.test.example/edu/enrolment:1.1.0@${CANARY_DIGEST}`);
    expect(stable.metadata.labels!['app.kubernetes.io/version']).toBe('1.0.0');
    expect(canary.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('1.1.0');
  });

  it('pulls a canary version without a digest by tag', () => {
    const out = synthesize(
      blueprintWith((b) => {
        b.services[0].digest = DIGEST;
        b.services[0].traffic = { canary: { weights: { '1.0.0': 90, '1.1.0': 10 } } };
      }),
      { changsha: {} },
    );
    expect(image(out.find('changsha', 'gov', 'Deployment', 'enrolment-v1-1-0'))).toBe('registry.test.example/edu/enrolment:1.1.0');
  });

  it("keeps the digest on a burst copy below the public cluster's registry and on a standby", () => {
    const out = synthesize(
      continuityBlueprint((b) => {
        b.services.find((s: any) => s.name === 'red-packet').digest = DIGEST;
      }),
      { changsha: {} },
    );
    const on = (cluster: string) => image(out.find('changsha', cluster, 'Deployment', 'red-packet'));
    expect(on('gov')).toBe(`registry.test.example/finance/red-packet:1.0.0@${DIGEST}`);
    expect(on('burst')).toBe(`swr.public.example/finance/red-packet:1.0.0@${DIGEST}`);
    expect(on('dr')).toBe(`registry.test.example/finance/red-packet:1.0.0@${DIGEST}`);
  });

  it('a digest set in a region override reaches that region only', () => {
    const out = synthesize(minimalBlueprint(), { changsha: { overrides: { services: [{ name: 'enrolment', digest: DIGEST }] } }, zhuzhou: {} });
    expect(image(out.find('changsha', 'gov', 'Deployment', 'enrolment'))).toBe(`registry.test.example/edu/enrolment:1.0.0@${DIGEST}`);
    expect(image(out.find('zhuzhou', 'gov', 'Deployment', 'enrolment'))).toBe('registry.test.example/edu/enrolment:1.0.0');
  });
});

describe('bad digests', () => {
  const meaning = 'must be an image digest: "sha256:" and 64 lower-case hex characters, as `crane digest <image>` prints it';

  it.each([
    [`sha512:${'ab'.repeat(64)}`, 'algorithm "sha512" is not accepted; use the image\'s sha256 digest'],
    [`sha256:${'a'.repeat(63)}`, 'it has 63 hex characters instead of 64; copy the whole digest'],
    [`sha256:${'AB12'.repeat(16)}`, 'write the hex digits in lower case'],
    [`sha256:${'g'.repeat(64)}`, 'the part after "sha256:" holds characters that are not hex digits'],
    ['ab12'.repeat(16), 'it names no algorithm; write it as "sha256:<hex>"'],
    [`registry.test.example/edu/enrolment@${DIGEST}`, 'give the digest alone, the part after "@", without the image name'],
  ])('rejects the digest %j, saying why', (digest, why) => {
    expect(problems(minimalBlueprint(), { services: [{ name: 'enrolment', digest }] })).toEqual([
      `regions.changsha.services.enrolment.digest: ${meaning}, got ${showValue(digest)}; ${why}`,
    ]);
  });

  it('rejects a malformed canary digest at its version', () => {
    const blueprint = blueprintWith((b) => (b.services[0].traffic = { canary: { weights: { '1.0.0': 90, '1.1.0': 10 }, digests: { '1.1.0': 'sha256:abc' } } }));
    expect(problems(blueprint)).toEqual([
      `blueprint.services.enrolment.traffic.canary.digests.1.1.0: ${meaning}, got "sha256:abc"; it has 3 hex characters instead of 64; copy the whole digest`,
    ]);
  });

  it('rejects a canary digest for a version the canary does not serve', () => {
    const blueprint = blueprintWith(
      (b) => (b.services[0].traffic = { canary: { weights: { '1.0.0': 90, '1.1.0': 10 }, digests: { '1.2.0': CANARY_DIGEST } } }),
    );
    expect(problems(blueprint)).toEqual([
      'blueprint.services.enrolment.traffic.canary.digests.1.2.0: "1.2.0" is not one of the canary\'s versions (1.0.0, 1.1.0); give digests only for versions in weights, or fix the version',
    ]);
  });

  it("rejects a canary digest for the stable version, whose digest is the service's own", () => {
    const blueprint = blueprintWith((b) => (b.services[0].traffic = { canary: { weights: { '1.0.0': 90, '1.1.0': 10 }, digests: { '1.0.0': DIGEST } } }));
    expect(problems(blueprint)).toEqual([
      'blueprint.services.enrolment.traffic.canary.digests.1.0.0: "1.0.0" is the stable version: its digest goes in the service\'s own digest, canary.digests holds the other versions\'; move it there',
    ]);
  });

  it('rejects an unknown requireDigests setting', () => {
    expect(problems(minimalBlueprint(), { supplyChain: { requireDigests: 'yes' } })).toEqual([
      expect.stringMatching(/^regions\.changsha\.supplyChain\.requireDigests: must be one of "never", "production", "always"/),
    ]);
  });
});

describe('supplyChain.requireDigests', () => {
  const requiring = (rule: string, change: (b: any) => void = () => undefined) =>
    blueprintWith((b) => {
      b.supplyChain.requireDigests = rule;
      change(b);
    });

  it('is off by default: no digest needed anywhere', () => {
    expect(() => synthesize(minimalBlueprint(), { changsha: {} })).not.toThrow();
  });

  it('"production" requires a digest on a production cluster, naming the service, the cluster, the image and the fix', () => {
    expect(problems(requiring('production'))).toEqual([
      'blueprint.services.enrolment.digest: required on production cluster "gov" (supplyChain.requireDigests "production"), got none; add digest: "sha256:<64 hex>" with the digest of registry.test.example/edu/enrolment:1.0.0 (`crane digest registry.test.example/edu/enrolment:1.0.0` prints it)',
    ]);
  });

  it('"production" leaves a non-production cluster alone; "always" does not', () => {
    const nonProduction = (b: any) => (b.clusters[0].production = false);
    expect(() => synthesize(requiring('production', nonProduction), { changsha: {} })).not.toThrow();
    expect(problems(requiring('always', nonProduction))).toEqual([
      expect.stringMatching(/^blueprint\.services\.enrolment\.digest: required on cluster "gov" \(supplyChain\.requireDigests "always"\), got none;/),
    ]);
  });

  it('is met by the digest of every version served: stable and canary', () => {
    const withDigests = requiring('production', (b) => {
      b.services[0].digest = DIGEST;
      b.services[0].traffic = { canary: { weights: { '1.0.0': 90, '1.1.0': 10 }, digests: { '1.1.0': CANARY_DIGEST } } };
    });
    expect(() => synthesize(withDigests, { changsha: {} })).not.toThrow();
    const canaryWithout = requiring('production', (b) => {
      b.services[0].digest = DIGEST;
      b.services[0].traffic = { canary: { weights: { '1.0.0': 90, '1.1.0': 10 } } };
    });
    expect(problems(canaryWithout)).toEqual([
      'blueprint.services.enrolment.traffic.canary.digests: canary version "1.1.0" has no digest, required on production cluster "gov" (supplyChain.requireDigests "production"); add "1.1.0": "sha256:<64 hex>" with the digest of registry.test.example/edu/enrolment:1.1.0 (`crane digest registry.test.example/edu/enrolment:1.1.0` prints it)',
    ]);
  });

  it('counts the clusters of burst copies and standbys: a copy on a production cluster needs the digest too', () => {
    const blueprint = continuityBlueprint((b) => {
      b.supplyChain.requireDigests = 'production';
      // Only the public cluster is production; red-packet bursts there from a test gov cluster.
      b.clusters.filter((c: any) => c.name !== 'burst').forEach((c: any) => (c.production = false));
      for (const s of b.services) if (s.name !== 'red-packet') s.digest = DIGEST;
      b.services.find((s: any) => s.name === 'citizen-app').traffic.canary.digests = { '1.1.0': CANARY_DIGEST };
    });
    expect(problems(blueprint)).toEqual([expect.stringMatching(/^blueprint\.services\.red-packet\.digest: required on production cluster "burst" \(/)]);
  });

  it('names every requiring cluster in one problem', () => {
    const blueprint = continuityBlueprint((b) => {
      b.supplyChain.requireDigests = 'production';
      for (const s of b.services) if (s.name !== 'red-packet') s.digest = DIGEST;
      b.services.find((s: any) => s.name === 'citizen-app').traffic.canary.digests = { '1.1.0': CANARY_DIGEST };
    });
    expect(problems(blueprint)).toEqual([
      expect.stringMatching(
        /^blueprint\.services\.red-packet\.digest: required on production clusters "gov", "burst", "dr" \(supplyChain\.requireDigests "production"\)/,
      ),
    ]);
  });

  it('can be turned on by a region, which then needs the digests', () => {
    expect(problems(minimalBlueprint(), { supplyChain: { requireDigests: 'production' } })).toEqual([
      expect.stringMatching(
        /^regions\.changsha\.services\.enrolment\.digest: required on production cluster "gov" \(supplyChain\.requireDigests "production"\)/,
      ),
    ]);
    const out = synthesize(minimalBlueprint(), {
      changsha: { overrides: { supplyChain: { requireDigests: 'production' }, services: [{ name: 'enrolment', digest: DIGEST }] } },
    });
    expect(image(out.find('changsha', 'gov', 'Deployment', 'enrolment'))).toBe(`registry.test.example/edu/enrolment:1.0.0@${DIGEST}`);
  });
});
