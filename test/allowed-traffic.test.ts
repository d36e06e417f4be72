import * as fs from 'fs';
import * as path from 'path';
import { defaultFleet } from '../blueprints/default-fleet';
import { EXAMPLES } from '../examples';
import { networkPolicyAtoms } from './support/network-policy-atoms';
import { tempDir } from './support/fleet-fixtures';

/**
 * What the NetworkPolicies of the default blueprint and every example allow, pinned: the atoms
 * (see `networkPolicyAtoms`) in `fixtures/allowed-traffic.json` were taken from the one-policy-
 * per-edge output before the policies were merged per pod selector, so this proves the merge kept
 * every path and opened none. A change to what is allowed must update the fixture on purpose.
 */
const FIXTURE = path.join(__dirname, 'fixtures', 'allowed-traffic.json');

function synthesized(): Record<string, string[]> {
  const programs: Record<string, (outdir: string) => { synth(): unknown }> = {
    'default-blueprint': (outdir) => defaultFleet({ outdir }),
    ...Object.fromEntries(Object.entries(EXAMPLES).map(([name, build]) => [`examples/${name}`, build])),
  };
  return Object.fromEntries(
    Object.entries(programs).map(([name, build]) => {
      const outdir = path.join(tempDir(), 'out');
      build(outdir).synth();
      return [name, networkPolicyAtoms(outdir)];
    }),
  );
}

describe('the traffic the NetworkPolicies allow', () => {
  const allowed = synthesized();
  const pinned: Record<string, string[]> = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));

  it('covers the default blueprint and every example', () => {
    expect(Object.keys(allowed).sort()).toEqual(Object.keys(pinned).sort());
  });

  it.each(Object.keys(pinned))('is unchanged for %s', (name) => {
    const now = new Set(allowed[name]);
    const before = new Set(pinned[name]);
    expect({ opened: [...now].filter((a) => !before.has(a)), closed: [...before].filter((a) => !now.has(a)) }).toEqual({ opened: [], closed: [] });
    expect(allowed[name].length).toBeGreaterThan(0);
  });
});
