/**
 * Region overrides: `merge` (named lists by name, `$remove`, `null` removal, plain lists replace,
 * records key by key), `diff` for reports, and `resolveOverrides`, which checks, merges and
 * re-checks in one go.
 */
import * as s from '../../lib/schema';
import { type Problem, Problems } from '../../lib/errors';

interface Port {
  readonly name: string;
  readonly port: number;
}

interface Resources {
  readonly cpu: string | number;
  readonly memory?: string | number;
}

interface Service {
  readonly name: string;
  readonly image: string;
  readonly replicas?: number;
  readonly resources?: Resources;
  readonly ports?: readonly Port[];
  readonly labels?: { readonly [key: string]: string };
}

interface Blueprint {
  readonly tier: 'bronze' | 'silver' | 'gold';
  readonly services: readonly Service[];
  readonly labels?: { readonly [key: string]: string };
  readonly zones?: readonly string[];
  readonly owner?: string;
}

const port = s.object<Port>({ name: s.name(), port: s.integer({ min: 1, max: 65535 }) }, { title: 'a port' });
const resources = s.object<Resources>({ cpu: s.quantity(), memory: s.quantity().optional() }, { title: 'resources' });
const service = s.object<Service>(
  {
    name: s.name(),
    image: s.string(),
    replicas: s.integer({ min: 1 }).optional(),
    resources: resources.optional(),
    ports: s.namedList(port).optional(),
    labels: s.record(s.string()).optional(),
  },
  { title: 'a service' },
);
const blueprint = s.object<Blueprint>({
  tier: s.enumOf(['bronze', 'silver', 'gold'] as const),
  services: s.namedList(service),
  labels: s.record(s.string()).optional(),
  zones: s.list(s.string()).optional(),
  owner: s.string().optional(),
});

/** A fresh base for each test, so no test can leak a mutation into another. */
function base(): Blueprint {
  return {
    tier: 'silver',
    services: [
      { name: 'web', image: 'nginx:1.27', replicas: 2, resources: { cpu: '500m', memory: '1Gi' }, ports: [{ name: 'http', port: 80 }] },
      { name: 'worker', image: 'busybox:1.36' },
    ],
    labels: { team: 'platform', cost: 'shared' },
    zones: ['a', 'b', 'c'],
    owner: 'platform-team',
  };
}

/** The effective spec and problems of merging `override` into the base (no checks). */
function merge(override: unknown): { effective: Blueprint | undefined; problems: readonly Problem[] } {
  const problems = new Problems();
  const effective = blueprint.merge(base(), override, '', problems);
  return { effective, problems: problems.list };
}

function resolve(override: unknown, path = 'regions.eu'): { resolved: s.Resolved<Blueprint> | undefined; problems: readonly Problem[] } {
  const problems = new Problems();
  const resolved = s.resolveOverrides(blueprint, base(), override, path, problems);
  return { resolved, problems: problems.list };
}

function differences(before: Blueprint, after: Blueprint): s.Difference[] {
  const out: s.Difference[] = [];
  blueprint.diff(before, after, '', out);
  return out;
}

describe('merge', () => {
  it('an empty override changes nothing', () => {
    expect(merge({})).toEqual({ effective: base(), problems: [] });
  });

  it('replaces a scalar', () => {
    expect(merge({ tier: 'gold' }).effective?.tier).toBe('gold');
  });

  it('does not mutate the base', () => {
    const original = base();
    const snapshot = JSON.parse(JSON.stringify(original));
    blueprint.merge(original, { tier: 'gold', services: [{ name: 'web', replicas: 9 }], labels: { team: null } }, '', new Problems());
    expect(original).toEqual(snapshot);
  });

  describe('named lists', () => {
    it('deep-merge the item of the same name, keeping its other fields', () => {
      const { effective } = merge({ services: [{ name: 'web', replicas: 5, resources: { cpu: '2' } }] });
      expect(effective?.services[0]).toEqual({
        name: 'web',
        image: 'nginx:1.27',
        replicas: 5,
        resources: { cpu: '2', memory: '1Gi' },
        ports: [{ name: 'http', port: 80 }],
      });
    });

    it('leave items the override does not name untouched', () => {
      const { effective } = merge({ services: [{ name: 'web', replicas: 5 }] });
      expect(effective?.services[1]).toEqual(base().services[1]);
    });

    it('keep the order of inherited items when an override names them in another order', () => {
      const { effective } = merge({
        services: [
          { name: 'worker', replicas: 3 },
          { name: 'web', replicas: 4 },
        ],
      });
      expect(effective?.services.map((item) => item.name)).toEqual(['web', 'worker']);
    });

    it('append new items at the end, in the order the override lists them', () => {
      const { effective } = merge({
        services: [
          { name: 'zeta', image: 'z:1' },
          { name: 'web', replicas: 3 },
          { name: 'alpha', image: 'a:1' },
        ],
      });
      expect(effective?.services.map((item) => item.name)).toEqual(['web', 'worker', 'zeta', 'alpha']);
      expect(effective?.services[2]).toEqual({ name: 'zeta', image: 'z:1' });
    });

    it('remove an item marked $remove: true', () => {
      const { effective, problems } = merge({ services: [{ name: 'worker', $remove: true }] });
      expect(problems).toEqual([]);
      expect(effective?.services.map((item) => item.name)).toEqual(['web']);
    });

    it('merge nested named lists by name as well', () => {
      const { effective } = merge({
        services: [
          {
            name: 'web',
            ports: [
              { name: 'http', port: 8080 },
              { name: 'grpc', port: 9090 },
            ],
          },
        ],
      });
      expect(effective?.services[0].ports).toEqual([
        { name: 'http', port: 8080 },
        { name: 'grpc', port: 9090 },
      ]);
    });

    it('report removing a name that is not inherited, listing the names there are', () => {
      const { problems } = merge({ services: [{ name: 'api', $remove: true }] });
      expect(problems).toEqual([{ path: 'services.api', message: 'cannot remove "api": there is no such item to inherit (have: web, worker)' }]);
    });

    it('say "none" when there is nothing to remove from', () => {
      const problems = new Problems();
      s.namedList(port).merge(undefined, [{ name: 'http', $remove: true }], 'ports', problems);
      expect(problems.list).toEqual([{ path: 'ports.http', message: 'cannot remove "http": there is no such item to inherit (have: none)' }]);
    });

    it('can remove every item', () => {
      const { effective } = merge({
        services: [
          { name: 'web', $remove: true },
          { name: 'worker', $remove: true },
        ],
      });
      expect(effective?.services).toEqual([]);
    });

    it('are removed whole by null when optional', () => {
      const { effective } = merge({ services: [{ name: 'web', ports: null }] });
      expect(effective?.services[0]).not.toHaveProperty('ports');
    });
  });

  describe('null', () => {
    it('removes an optional top-level field', () => {
      const { effective } = merge({ owner: null, zones: null, labels: null });
      expect(effective).toEqual({ tier: 'silver', services: base().services });
    });

    it('removes an optional field of a named-list item', () => {
      const { effective } = merge({ services: [{ name: 'web', replicas: null }] });
      expect(effective?.services[0]).not.toHaveProperty('replicas');
      expect(effective?.services[0].image).toBe('nginx:1.27');
    });

    it('removes an optional field of a nested object', () => {
      const { effective } = merge({ services: [{ name: 'web', resources: { memory: null } }] });
      expect(effective?.services[0].resources).toEqual({ cpu: '500m' });
    });

    it('removes a whole optional nested object', () => {
      const { effective } = merge({ services: [{ name: 'web', resources: null }] });
      expect(effective?.services[0]).not.toHaveProperty('resources');
    });
  });

  describe('plain lists', () => {
    it('are replaced whole, not merged', () => {
      expect(merge({ zones: ['x'] }).effective?.zones).toEqual(['x']);
    });

    it('can be replaced by an empty list', () => {
      expect(merge({ zones: [] }).effective?.zones).toEqual([]);
    });
  });

  describe('records', () => {
    it('merge key by key: change one, add one, keep the rest', () => {
      expect(merge({ labels: { team: 'payments', region: 'eu' } }).effective?.labels).toEqual({ team: 'payments', cost: 'shared', region: 'eu' });
    });

    it('remove a key set to null', () => {
      expect(merge({ labels: { cost: null } }).effective?.labels).toEqual({ team: 'platform' });
    });

    it('ignore null for a key that is not there', () => {
      expect(merge({ labels: { nothing: null } }).effective?.labels).toEqual({ team: 'platform', cost: 'shared' });
    });

    it('start from nothing when the base has no record', () => {
      const problems = new Problems();
      expect(s.record(s.string()).merge(undefined, { a: 'x', b: null }, 'labels', problems)).toEqual({ a: 'x' });
    });
  });
});

describe('diff', () => {
  it('unchanged values produce no differences', () => {
    expect(differences(base(), base())).toEqual([]);
  });

  it('a value equal in content but built in another key order is unchanged', () => {
    const reordered = {
      ...base(),
      services: [
        { replicas: 2, image: 'nginx:1.27', name: 'web', resources: { memory: '1Gi', cpu: '500m' }, ports: [{ port: 80, name: 'http' }] },
        base().services[1],
      ],
    };
    expect(differences(base(), reordered)).toEqual([]);
  });

  it('a changed scalar is reported with before and after', () => {
    expect(differences(base(), { ...base(), tier: 'gold' })).toEqual([{ path: 'tier', change: 'changed', before: 'silver', after: 'gold' }]);
  });

  it('a changed plain list is reported whole', () => {
    expect(differences(base(), { ...base(), zones: ['a'] })).toEqual([{ path: 'zones', change: 'changed', before: ['a', 'b', 'c'], after: ['a'] }]);
  });

  it('a record key added and one removed are reported at their key paths', () => {
    expect(differences(base(), { ...base(), labels: { team: 'platform', region: 'eu' } })).toEqual([
      { path: 'labels.cost', change: 'removed', before: 'shared' },
      { path: 'labels.region', change: 'added', after: 'eu' },
    ]);
  });

  it('a removed optional field is reported as removed', () => {
    const { owner: _owner, ...withoutOwner } = base();
    expect(differences(base(), withoutOwner)).toEqual([{ path: 'owner', change: 'removed', before: 'platform-team' }]);
  });

  it('a whole record added is reported key by key', () => {
    const { labels: _labels, ...withoutLabels } = base();
    expect(differences(withoutLabels, base())).toEqual([
      { path: 'labels.team', change: 'added', after: 'platform' },
      { path: 'labels.cost', change: 'added', after: 'shared' },
    ]);
  });

  it('uses the given path as prefix', () => {
    const out: s.Difference[] = [];
    blueprint.diff(base(), { ...base(), tier: 'gold' }, 'regions.eu', out);
    expect(out.map((d) => d.path)).toEqual(['regions.eu.tier']);
  });
});

describe('resolveOverrides', () => {
  it('returns the effective spec and the differences', () => {
    const { resolved, problems } = resolve({ tier: 'gold', services: [{ name: 'web', replicas: 4 }] });
    expect(problems).toEqual([]);
    expect(resolved?.effective.tier).toBe('gold');
    expect(resolved?.effective.services[0].replicas).toBe(4);
    expect(resolved?.differences).toEqual([
      { path: 'tier', change: 'changed', before: 'silver', after: 'gold' },
      { path: 'services.web.replicas', change: 'changed', before: 2, after: 4 },
    ]);
  });

  it('returns the base unchanged for undefined or null overrides', () => {
    for (const overrides of [undefined, null, {}]) {
      const { resolved, problems } = resolve(overrides);
      expect(problems).toEqual([]);
      expect(resolved).toEqual({ effective: base(), differences: [] });
    }
  });

  it('reports differences at relative paths, without the region prefix', () => {
    const { resolved } = resolve({ services: [{ name: 'web', resources: { memory: '2Gi' } }] });
    expect(resolved?.differences).toEqual([{ path: 'services.web.resources.memory', change: 'changed', before: '1Gi', after: '2Gi' }]);
  });

  it('reports an added item as one difference holding the item', () => {
    const { resolved } = resolve({ services: [{ name: 'api', image: 'api:2' }] });
    expect(resolved?.differences).toEqual([{ path: 'services.api', change: 'added', after: { name: 'api', image: 'api:2' } }]);
  });

  it('reports a removed item as one difference holding the old item', () => {
    const { resolved } = resolve({ services: [{ name: 'worker', $remove: true }] });
    expect(resolved?.differences).toEqual([{ path: 'services.worker', change: 'removed', before: base().services[1] }]);
  });

  it('reports nested fields added and removed, and items in nested named lists', () => {
    const { resolved } = resolve({
      services: [
        {
          name: 'web',
          replicas: null,
          ports: [
            { name: 'http', $remove: true },
            { name: 'https', port: 443 },
          ],
        },
        { name: 'worker', resources: { cpu: '1' } },
      ],
    });
    expect(resolved?.differences).toEqual([
      { path: 'services.web.replicas', change: 'removed', before: 2 },
      { path: 'services.web.ports.http', change: 'removed', before: { name: 'http', port: 80 } },
      { path: 'services.web.ports.https', change: 'added', after: { name: 'https', port: 443 } },
      { path: 'services.worker.resources', change: 'added', after: { cpu: '1' } },
    ]);
  });

  it('reports removed items before added ones, whatever the override order', () => {
    const { resolved } = resolve({
      services: [
        { name: 'api', image: 'api:2' },
        { name: 'worker', $remove: true },
      ],
    });
    expect(resolved?.differences.map((d) => `${d.change} ${d.path}`)).toEqual(['removed services.worker', 'added services.api']);
  });

  it('fails a new item missing a required field in the full check, at the item path under the given prefix', () => {
    const { resolved, problems } = resolve({ services: [{ name: 'api', replicas: 2 }] });
    expect(resolved).toBeUndefined();
    expect(problems).toEqual([{ path: 'regions.eu.services.api.image', message: 'is required: set it to a string' }]);
  });

  it('returns undefined and records every problem when the overrides are invalid', () => {
    const { resolved, problems } = resolve({
      tier: 'platinum',
      services: [
        { name: 'web', replcas: 3 },
        { name: 'worker', $remove: false },
      ],
    });
    expect(resolved).toBeUndefined();
    expect(problems).toEqual([
      { path: 'regions.eu.tier', message: 'must be one of "bronze", "silver", "gold", got "platinum"' },
      { path: 'regions.eu.services.web.replcas', message: expect.stringContaining('did you mean "replicas"?') },
      { path: 'regions.eu.services.worker.$remove', message: 'must be true, got false' },
    ]);
  });

  it('does not merge when the overrides are invalid (no full-check problems pile on)', () => {
    const { problems } = resolve({ services: [{ name: 'api', image: 5 }] });
    expect(problems).toEqual([{ path: 'regions.eu.services.api.image', message: 'must be a string, got 5' }]);
  });

  it('reports removing a missing name with the prefixed path and the names there are', () => {
    const { resolved, problems } = resolve({ services: [{ name: 'api', $remove: true }] });
    expect(resolved).toBeUndefined();
    expect(problems).toEqual([{ path: 'regions.eu.services.api', message: 'cannot remove "api": there is no such item to inherit (have: web, worker)' }]);
  });

  it('rejects null on a required field before merging', () => {
    const { resolved, problems } = resolve({ tier: null });
    expect(resolved).toBeUndefined();
    expect(problems).toEqual([{ path: 'regions.eu.tier', message: expect.stringContaining('is required and cannot be removed with null') }]);
  });

  it('rejects a non-object override', () => {
    const { resolved, problems } = resolve(['tier']);
    expect(resolved).toBeUndefined();
    expect(problems).toEqual([{ path: 'regions.eu', message: expect.stringContaining('must be an object') }]);
  });

  it('runs cross-field rules on the merged result', () => {
    const ruled = s.object<{ min: number; max: number }>(
      { min: s.integer(), max: s.integer() },
      { rules: [(value, path, problems) => (value.min > value.max ? problems.add(path, 'min exceeds max') : undefined)] },
    );
    const problems = new Problems();
    expect(s.resolveOverrides(ruled, { min: 1, max: 3 }, { min: 5 }, 'scaling', problems)).toBeUndefined();
    expect(problems.list).toEqual([{ path: 'scaling', message: 'min exceeds max' }]);
  });

  it('leaves problems recorded before the call alone and still succeeds', () => {
    const problems = new Problems();
    problems.add('elsewhere', 'an earlier problem');
    const resolved = s.resolveOverrides(blueprint, base(), { tier: 'gold' }, 'regions.eu', problems);
    expect(resolved?.effective.tier).toBe('gold');
    expect(problems.list).toHaveLength(1);
  });

  it('drops null on an optional field of a newly added item', () => {
    const { resolved, problems } = resolve({ services: [{ name: 'api', image: 'api:2', replicas: null }] });
    expect(problems).toEqual([]);
    expect(resolved?.effective.services[2]).toEqual({ name: 'api', image: 'api:2' });
  });

  it('drops null on an optional field of a nested object the base item lacks', () => {
    const { resolved, problems } = resolve({ services: [{ name: 'worker', resources: { cpu: '1', memory: null } }] });
    expect(problems).toEqual([]);
    expect(resolved?.effective.services[1].resources).toEqual({ cpu: '1' });
  });

  // Same root cause: a record inside a new item keeps its `key: null` entries verbatim.
  it('drops null record keys inside a newly added item', () => {
    const { resolved, problems } = resolve({ services: [{ name: 'api', image: 'api:2', labels: { a: 'x', b: null } }] });
    expect(problems).toEqual([]);
    expect(resolved?.effective.services[2].labels).toEqual({ a: 'x' });
  });
});
