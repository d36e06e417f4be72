/**
 * The schema DSL's `check`: every problem, with its full path and a message that says what was
 * received and what is allowed, in `full` and `override` mode. Also the problem plumbing in
 * lib/errors.ts that the schema reports through.
 */
import * as s from '../../lib/schema';
import { childPath, formatProblem, type Problem, Problems, showValue, ValidationError } from '../../lib/errors';

// ---------------------------------------------------------------------------------------------
// A toy blueprint: a named list of services with nested optional objects, a record of labels,
// a plain list, an enum, quantities and a cross-field rule.
// ---------------------------------------------------------------------------------------------

interface Port {
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

interface Scaling {
  readonly min: number;
  readonly max: number;
}

interface Resources {
  readonly cpu: string | number;
  readonly memory?: string | number;
}

interface Service {
  readonly name: string;
  readonly image: string;
  readonly replicas?: number;
  readonly scaling?: Scaling;
  readonly resources?: Resources;
  readonly ports?: readonly Port[];
  readonly timeout?: string;
}

interface Blueprint {
  readonly tier: 'bronze' | 'silver' | 'gold';
  readonly owner: string;
  readonly services: readonly Service[];
  readonly labels?: { readonly [key: string]: string };
  readonly zones?: readonly string[];
  readonly disruptionBudget?: number | string;
  readonly ratio?: number;
  readonly enabled?: boolean;
}

const scaling = s.object<Scaling>(
  { min: s.integer({ min: 1 }), max: s.integer({ min: 1, max: 100 }) },
  {
    title: 'a scaling range',
    rules: [
      (value, path, problems) => {
        if (value.min > value.max) problems.add(path, `min (${value.min}) must not exceed max (${value.max})`);
      },
    ],
  },
);

const port = s.object<Port>(
  { name: s.name(), port: s.integer({ min: 1, max: 65535 }), protocol: s.enumOf(['TCP', 'UDP'] as const).optional() },
  { title: 'a port' },
);

const service = s.object<Service>(
  {
    name: s.name(),
    image: s.string({ pattern: { regex: /^[a-z0-9./-]+:[\w.-]+$/, meaning: 'an image reference with a tag ("nginx:1.27")' } }),
    replicas: s.integer({ min: 1, max: 50 }).optional(),
    scaling: scaling.optional(),
    resources: s.object<Resources>({ cpu: s.quantity(), memory: s.quantity().optional() }, { title: 'resources' }).optional(),
    ports: s.namedList(port).optional(),
    timeout: s.duration().optional(),
  },
  { title: 'a service' },
);

const blueprint = s.object<Blueprint>({
  tier: s.enumOf(['bronze', 'silver', 'gold'] as const),
  owner: s.string(),
  services: s.namedList(service),
  labels: s.record(s.string()).optional(),
  zones: s.list(s.string()).optional(),
  disruptionBudget: s.intOrPercent().optional(),
  ratio: s.number({ min: 0, max: 1 }).optional(),
  enabled: s.boolean().optional(),
});

const validBlueprint: Blueprint = {
  tier: 'silver',
  owner: 'platform-team',
  services: [
    { name: 'web', image: 'nginx:1.27', replicas: 2, ports: [{ name: 'http', port: 80 }] },
    { name: 'worker', image: 'busybox:1.36', resources: { cpu: '500m', memory: '1Gi' } },
  ],
  labels: { team: 'platform' },
  zones: ['a', 'b'],
};

/** Problems of one check call, as plain `{ path, message }` data. */
function check(schema: s.Schema<unknown>, value: unknown, mode: s.CheckMode = 'full', path = ''): Problem[] {
  const problems = new Problems();
  schema.check(value, path, mode, problems);
  return [...problems.list];
}

/** The one problem a check reported (fails the test if there were none or several). */
function onlyProblem(schema: s.Schema<unknown>, value: unknown, mode: s.CheckMode = 'full', path = 'field'): Problem {
  const problems = check(schema, value, mode, path);
  expect(problems).toHaveLength(1);
  return problems[0];
}

/** A copy of the valid blueprint with one service replaced by `patch` merged onto it. */
function withService(index: number, patch: Record<string, unknown>): Record<string, unknown> {
  const services = validBlueprint.services.map((item, i) => (i === index ? { ...item, ...patch } : item));
  return { ...validBlueprint, services };
}

describe('a valid value', () => {
  it('has no problems in full mode', () => {
    expect(check(blueprint, validBlueprint)).toEqual([]);
  });

  it('has no problems in override mode either', () => {
    expect(check(blueprint, validBlueprint, 'override')).toEqual([]);
  });

  it('an empty override has no problems', () => {
    expect(check(blueprint, {}, 'override')).toEqual([]);
  });
});

describe('unknown keys', () => {
  it('reports the key at its full path with a did-you-mean hint and the allowed keys', () => {
    const problems = check(blueprint, withService(0, { replcas: 3 }));
    expect(problems).toEqual([
      {
        path: 'services.web.replcas',
        message: expect.stringContaining('unknown key; did you mean "replicas"?'),
      },
    ]);
    expect(problems[0].message).toContain('Allowed keys: name, image, replicas, scaling, resources, ports, timeout');
  });

  it('gives no hint when no key is close, but still lists the allowed keys', () => {
    const problem = onlyProblem(scaling, { min: 1, max: 2, colour: 'blue' }, 'full', 'scaling');
    expect(problem.path).toBe('scaling.colour');
    expect(problem.message).toContain('unknown key');
    expect(problem.message).not.toContain('did you mean');
    expect(problem.message).toContain('Allowed keys: min, max');
  });

  it('is reported in override mode too', () => {
    expect(check(blueprint, { services: [{ name: 'web', replcas: 3 }] }, 'override')).toEqual([
      { path: 'services.web.replcas', message: expect.stringContaining('did you mean "replicas"?') },
    ]);
  });

  it.each(['constructor', 'toString', '__proto__'])('treats the inherited property name %p as an unknown key', (key) => {
    const value = JSON.parse(`{ "min": 1, "max": 2, "${key}": 1 }`);
    const problem = onlyProblem(scaling, value, 'full', 'scaling');
    expect(problem.path).toBe(`scaling.${key}`);
    expect(problem.message).toContain('unknown key');
  });
});

describe('scalars', () => {
  describe('type mismatches name the expected shape and the received value', () => {
    it.each<[string, s.Schema<unknown>, unknown, string]>([
      ['string', s.string(), 42, 'must be a string, got 42'],
      ['integer', s.integer(), 'three', 'must be an integer, got "three"'],
      ['number', s.number(), '1.5', 'must be a number, got "1.5"'],
      ['boolean', s.boolean(), 'yes', 'must be true or false, got "yes"'],
      ['enum', s.enumOf(['a', 'b']), 1, 'must be one of "a", "b", got 1'],
      ['name', s.name(), 7, 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters), got 7'],
      ['duration', s.duration(), 30, 'must be a duration such as "500ms", "30s", "5m" or "1h30m", got 30'],
      ['quantity', s.quantity(), true, 'must be a Kubernetes quantity such as "500m", "2", "512Mi" or "8Gi", got true'],
      ['list', s.list(s.string()), 'a,b', 'must be a list of a string, got "a,b"'],
      ['record', s.record(s.string()), ['a'], 'must be a map of a string, got ["a"]'],
      ['object', scaling, 3, 'must be a scaling range (a map with keys min, max), got 3'],
      ['named list', s.namedList(port), { http: 80 }, 'must be a list of a port with unique names, got {"http":80}'],
    ])('%s', (_kind, schema, value, message) => {
      expect(onlyProblem(schema, value)).toEqual({ path: 'field', message });
    });
  });

  describe('integers', () => {
    const replicas = s.integer({ min: 1, max: 50 });

    it.each([1, 25, 50])('accepts %p inside the range', (value) => {
      expect(check(replicas, value)).toEqual([]);
    });

    it.each([
      [0, 'must be an integer from 1 to 50, got 0'],
      [51, 'must be an integer from 1 to 50, got 51'],
      [2.5, 'must be an integer from 1 to 50, got 2.5'],
      [Number.NaN, 'must be an integer from 1 to 50, got null'],
      [Number.POSITIVE_INFINITY, 'must be an integer from 1 to 50, got null'],
    ])('rejects %p', (value, message) => {
      expect(onlyProblem(replicas, value).message).toBe(message);
    });

    it.each<[s.Schema<number>, string]>([
      [s.integer({ min: 0 }), 'an integer >= 0'],
      [s.integer({ max: 9 }), 'an integer <= 9'],
      [s.number({ min: 0, max: 1 }), 'a number from 0 to 1'],
      [s.number(), 'a number'],
    ])('describes its range: %#', (schema, description) => {
      expect(schema.describe()).toBe(description);
    });
  });

  describe('numbers', () => {
    it('accept fractions', () => {
      expect(check(s.number({ min: 0, max: 1 }), 0.25)).toEqual([]);
    });

    it('reject values out of range', () => {
      expect(onlyProblem(s.number({ min: 0, max: 1 }), 1.5).message).toBe('must be a number from 0 to 1, got 1.5');
    });
  });

  describe('enums', () => {
    const tier = s.enumOf(['bronze', 'silver', 'gold']);

    it('accepts a listed value', () => {
      expect(check(tier, 'gold')).toEqual([]);
    });

    it('suggests the closest value for a typo', () => {
      expect(onlyProblem(tier, 'silvr').message).toBe('must be one of "bronze", "silver", "gold", got "silvr"; did you mean "silver"?');
    });

    it('suggests the listed spelling for a value in the wrong case', () => {
      expect(onlyProblem(tier, 'Gold').message).toContain('did you mean "gold"?');
    });

    it('gives no hint when nothing is close', () => {
      expect(onlyProblem(tier, 'platinum').message).toBe('must be one of "bronze", "silver", "gold", got "platinum"');
    });
  });

  describe('strings', () => {
    it('reject the empty string by default', () => {
      expect(onlyProblem(s.string(), '').message).toBe('must not be empty: expected a string');
    });

    it('accept the empty string when minLength is 0', () => {
      expect(check(s.string({ minLength: 0 }), '')).toEqual([]);
    });

    it('enforce a custom minLength', () => {
      expect(onlyProblem(s.string({ minLength: 3 }), 'ab').message).toBe('must not be empty: expected a string');
    });

    it('report a pattern mismatch with the pattern meaning', () => {
      const problem = onlyProblem(blueprint, withService(0, { image: 'nginx' }), 'full', '');
      expect(problem).toEqual({ path: 'services.web.image', message: 'must be an image reference with a tag ("nginx:1.27"), got "nginx"' });
    });

    it('report an empty patterned string as empty, naming what was expected', () => {
      expect(onlyProblem(service.field('image')!, '').message).toBe('must not be empty: expected an image reference with a tag ("nginx:1.27")');
    });
  });

  describe('DNS-1123 names', () => {
    it.each(['web', 'a', 'web-2', '0day', 'a'.repeat(63)])('accepts %p', (value) => {
      expect(check(s.name(), value)).toEqual([]);
    });

    it.each([
      ['Web', '"Web" must be a DNS-1123 label', 'try "web"'],
      ['tax_portal', '"tax_portal" must be a DNS-1123 label', 'try "tax-portal"'],
      ['Tax_Bureau', '"Tax_Bureau" must be a DNS-1123 label', 'try "tax-bureau"'],
      ['-web', '"-web" must be a DNS-1123 label', 'try "web"'],
      ['web-', '"web-" must be a DNS-1123 label', 'try "web"'],
      ['', '"" must be a DNS-1123 label', 'try "x"'],
    ])('rejects %p and suggests a fix', (value, reason, fix) => {
      const { message } = onlyProblem(s.name(), value);
      expect(message).toContain(reason);
      expect(message).toContain(fix);
    });

    it('rejects a 64-character name, saying how long it is', () => {
      const { message } = onlyProblem(s.name(), 'a'.repeat(64));
      expect(message).toContain('must be at most 63 characters (has 64)');
      expect(message).toContain('; try "');
    });
  });

  describe('quantities', () => {
    it.each<[string | number]>([['500m'], ['1.5Gi'], ['2'], [3], ['1e3'], ['0'], [0], ['64Mi'], ['.5'], ['1E3']])('accepts %p', (value) => {
      expect(check(s.quantity(), value)).toEqual([]);
    });

    it.each<[unknown]>([['12 cores'], ['-1'], [-1], ['1.5.5Gi'], ['1Gb'], [''], [' 1'], [Number.NaN], [null]])('rejects %p', (value) => {
      expect(onlyProblem(s.quantity(), value).message).toBe(`must be a Kubernetes quantity such as "500m", "2", "512Mi" or "8Gi", got ${showValue(value)}`);
    });
  });

  describe('durations', () => {
    it.each(['500ms', '30s', '5m', '1h30m', '1.5h', '2h45m30s'])('accepts %p', (value) => {
      expect(check(s.duration(), value)).toEqual([]);
    });

    it.each(['30', '1d', '1h 30m', '', '-5s', 's'])('rejects %p', (value) => {
      expect(onlyProblem(s.duration(), value).message).toBe(`must be a duration such as "500ms", "30s", "5m" or "1h30m", got ${JSON.stringify(value)}`);
    });
  });

  describe('int-or-percent', () => {
    it.each<[number | string]>([[0], [3], ['25%'], ['100%']])('accepts %p', (value) => {
      expect(check(s.intOrPercent(), value)).toEqual([]);
    });

    it.each<[unknown]>([[-1], [1.5], ['25'], ['1000%'], ['%']])('rejects %p', (value) => {
      expect(onlyProblem(s.intOrPercent(), value).message).toContain('must be a count (integer >= 0) or a percentage such as "25%"');
    });
  });
});

describe('several problems in one check call', () => {
  it('are all reported together, each at its own path', () => {
    const value = {
      tier: 'platnum',
      owner: '',
      colour: 'blue',
      services: [
        { name: 'web', image: 'nginx', replicas: 0, replcas: 2 },
        { name: 'worker.v1', image: 'busybox:1.36', resources: { cpu: '12 cores' }, timeout: '30' },
      ],
      labels: { team: 5 },
      zones: ['a', ''],
      disruptionBudget: '1000%',
      ratio: 2,
      enabled: 'yes',
    };
    const problems = check(blueprint, value);
    expect(problems.map((p) => p.path)).toEqual([
      'colour',
      'tier',
      'owner',
      'services.web.replcas',
      'services.web.image',
      'services.web.replicas',
      'services[1].name',
      'services[1].resources.cpu',
      'services[1].timeout',
      'labels.team',
      'zones[1]',
      'disruptionBudget',
      'ratio',
      'enabled',
    ]);
    expect(problems).toHaveLength(14);
  });
});

describe('required and absent fields', () => {
  it('full mode reports each missing required field with what to set', () => {
    expect(check(blueprint, { services: [{ name: 'web' }] })).toEqual([
      { path: 'tier', message: 'is required: set it to one of "bronze", "silver", "gold"' },
      { path: 'owner', message: 'is required: set it to a string' },
      { path: 'services.web.image', message: 'is required: set it to an image reference with a tag ("nginx:1.27")' },
    ]);
  });

  it('full mode does not require optional fields', () => {
    expect(check(blueprint, { tier: 'gold', owner: 'me', services: [] })).toEqual([]);
  });

  it('override mode allows any field to be absent, including required ones in items', () => {
    expect(check(blueprint, { services: [{ name: 'web' }] }, 'override')).toEqual([]);
  });

  it('full mode rejects null on an optional field', () => {
    expect(check(blueprint, { ...validBlueprint, labels: null })).toEqual([{ path: 'labels', message: 'must be a map of a string, got null' }]);
  });

  it('override mode accepts null on an optional field', () => {
    expect(check(blueprint, { labels: null, services: [{ name: 'web', replicas: null, resources: null }] }, 'override')).toEqual([]);
  });

  it('override mode rejects null on a required field', () => {
    expect(check(blueprint, { owner: null, services: [{ name: 'worker', image: null }] }, 'override')).toEqual([
      { path: 'owner', message: 'is required and cannot be removed with null; set it to a string' },
      { path: 'services.worker.image', message: expect.stringContaining('is required and cannot be removed with null') },
    ]);
  });

  it('override mode rejects null on a required field of a nested optional object', () => {
    expect(check(blueprint, { services: [{ name: 'worker', resources: { cpu: null, memory: null } }] }, 'override')).toEqual([
      { path: 'services.worker.resources.cpu', message: expect.stringContaining('is required and cannot be removed with null') },
    ]);
  });

  it('an explicit undefined counts as absent', () => {
    expect(check(blueprint, { ...validBlueprint, labels: undefined })).toEqual([]);
  });
});

describe('cross-field rules', () => {
  const withScaling = (value: unknown) => withService(0, { scaling: value });

  it('run in full mode on a valid object', () => {
    expect(check(blueprint, withScaling({ min: 5, max: 2 }))).toEqual([{ path: 'services.web.scaling', message: 'min (5) must not exceed max (2)' }]);
  });

  it('pass when the rule holds', () => {
    expect(check(blueprint, withScaling({ min: 2, max: 5 }))).toEqual([]);
  });

  it('do not run in override mode', () => {
    expect(check(blueprint, { services: [{ name: 'web', scaling: { min: 5, max: 2 } }] }, 'override')).toEqual([]);
  });

  it('do not run when a field of the object is invalid', () => {
    expect(check(blueprint, withScaling({ min: 500, max: 200 }))).toEqual([
      { path: 'services.web.scaling.max', message: 'must be an integer from 1 to 100, got 200' },
    ]);
  });

  it('do not run when a field is missing', () => {
    expect(check(blueprint, withScaling({ min: 5 }))).toEqual([
      { path: 'services.web.scaling.max', message: 'is required: set it to an integer from 1 to 100' },
    ]);
  });

  it('do not run when the object has an unknown key', () => {
    expect(check(blueprint, withScaling({ min: 5, max: 2, maximum: 2 }))).toEqual([
      { path: 'services.web.scaling.maximum', message: expect.stringContaining('unknown key') },
    ]);
  });

  it('still run when an unrelated sibling object already has problems', () => {
    const value = { ...withScaling({ min: 5, max: 2 }), owner: '' };
    expect(check(blueprint, value).map((p) => p.path)).toEqual(['owner', 'services.web.scaling']);
  });

  it('receive the value and path of their object', () => {
    const seen: Array<[unknown, string]> = [];
    const spy = s.object<{ a: number }>({ a: s.integer() }, { rules: [(value, path) => seen.push([value, path])] });
    check(s.object({ outer: spy }), { outer: { a: 1 } }, 'full', 'root');
    expect(seen).toEqual([[{ a: 1 }, 'root.outer']]);
  });
});

describe('named lists', () => {
  it('paths use the item name', () => {
    expect(onlyProblem(blueprint, withService(1, { replicas: 0 }), 'full', '').path).toBe('services.worker.replicas');
  });

  it('paths of nested named lists use both names', () => {
    const value = withService(0, {
      ports: [
        { name: 'http', port: 80 },
        { name: 'grpc', port: 70000 },
      ],
    });
    expect(onlyProblem(blueprint, value, 'full', '')).toEqual({
      path: 'services.web.ports.grpc.port',
      message: 'must be an integer from 1 to 65535, got 70000',
    });
  });

  it('paths use a path-safe name even when it is not a valid DNS-1123 label', () => {
    const problems = check(blueprint, withService(1, { name: 'Worker_1', replicas: 0 }));
    expect(problems.map((p) => p.path)).toEqual(['services.Worker_1.name', 'services.Worker_1.replicas']);
    expect(problems[0].message).toContain('try "worker-1"');
  });

  it.each([
    ['a dot', 'worker.v1'],
    ['a space', 'worker 1'],
    ['nothing', ''],
  ])('paths fall back to the index for a name containing %s', (_case, name) => {
    const problems = check(blueprint, withService(1, { name, replicas: 0 }));
    expect(problems.map((p) => p.path)).toEqual(['services[1].name', 'services[1].replicas']);
  });

  it('report duplicate names at the name path, with both indexes', () => {
    const value = { ...validBlueprint, services: [validBlueprint.services[0], validBlueprint.services[1], { name: 'web', image: 'other:1' }] };
    expect(check(blueprint, value)).toEqual([
      { path: 'services.web', message: 'duplicate name "web" (items 0 and 2): names in a list must be unique; rename or merge one of them' },
    ]);
  });

  it('report duplicate names in override mode too', () => {
    expect(
      check(
        blueprint,
        {
          services: [
            { name: 'web', replicas: 2 },
            { name: 'web', $remove: true },
          ],
        },
        'override',
      ),
    ).toEqual([{ path: 'services.web', message: expect.stringContaining('duplicate name "web" (items 0 and 1)') }]);
  });

  it.each<[string, unknown]>([
    ['an item without a name', { image: 'nginx:1.27' }],
    ['an item whose name is not a string', { name: 5, image: 'nginx:1.27' }],
    ['an item that is not an object', 'web'],
  ])('report %s at its index', (_case, item) => {
    expect(onlyProblem(blueprint, { ...validBlueprint, services: [item] }, 'full', '')).toEqual({
      path: 'services[0]',
      message: `must be a service with a "name", got ${showValue(item)}`,
    });
  });

  it('check the items of a plain list at their index', () => {
    expect(onlyProblem(blueprint, { ...validBlueprint, zones: ['a', 3] }, 'full', '')).toEqual({ path: 'zones[1]', message: 'must be a string, got 3' });
  });

  it('check the items of a plain list in full even in override mode (a replaced list is complete)', () => {
    const ports = s.object({ ports: s.list(port) });
    expect(check(ports, { ports: [{ name: 'http' }] }, 'override')).toEqual([
      { path: 'ports[0].port', message: 'is required: set it to an integer from 1 to 65535' },
    ]);
  });

  describe('$remove', () => {
    it('is accepted with only a name in override mode', () => {
      expect(check(blueprint, { services: [{ name: 'worker', $remove: true }] }, 'override')).toEqual([]);
    });

    it('must be true', () => {
      expect(check(blueprint, { services: [{ name: 'worker', $remove: false }] }, 'override')).toEqual([
        { path: 'services.worker.$remove', message: 'must be true, got false' },
      ]);
    });

    it('may not carry other keys', () => {
      expect(check(blueprint, { services: [{ name: 'worker', $remove: true, replicas: 2, image: 'x:1' }] }, 'override')).toEqual([
        { path: 'services.worker', message: 'an item with $remove: true may only carry "name", also got replicas, image' },
      ]);
    });

    it('is an unknown key in full mode', () => {
      const problems = check(blueprint, { ...validBlueprint, services: [{ name: 'web', image: 'nginx:1.27', $remove: true }] });
      expect(problems).toEqual([{ path: 'services.web.$remove', message: expect.stringContaining('unknown key') }]);
    });
  });
});

describe('records', () => {
  it('check each value at its key path', () => {
    expect(check(blueprint, { ...validBlueprint, labels: { team: 'a', cost: 5, owner: '' } })).toEqual([
      { path: 'labels.cost', message: 'must be a string, got 5' },
      { path: 'labels.owner', message: 'must not be empty: expected a string' },
    ]);
  });

  it('accept null values in override mode (they remove a key)', () => {
    expect(check(blueprint, { labels: { team: null } }, 'override')).toEqual([]);
  });

  it('reject null values in full mode', () => {
    expect(check(blueprint, { ...validBlueprint, labels: { team: null } })).toEqual([{ path: 'labels.team', message: 'must be a string, got null' }]);
  });
});

describe('optional()', () => {
  it('marks the schema optional and keeps the description', () => {
    const inner = s.integer({ description: 'how many' });
    const optional = inner.optional();
    expect([inner.isOptional, optional.isOptional]).toEqual([false, true]);
    expect(optional.description).toBe('how many');
    expect(optional.describe()).toBe(inner.describe());
  });

  it('accepts undefined and checks anything else', () => {
    expect(check(s.integer().optional(), undefined)).toEqual([]);
    expect(onlyProblem(s.integer().optional(), 'x').message).toBe('must be an integer, got "x"');
  });
});

describe('ObjectSchema accessors', () => {
  it('lists keys in declaration order', () => {
    expect(scaling.keys).toEqual(['min', 'max']);
  });

  it('returns a field schema only for own keys', () => {
    expect(scaling.field('min')).toBeDefined();
    expect(scaling.field('toString')).toBeUndefined();
  });

  it('describes itself as "an object" without a title', () => {
    expect(s.object({}).describe()).toBe('an object');
  });
});

describe('deepEqual and isPlainObject', () => {
  it.each<[unknown, unknown, boolean]>([
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [[1, 2], [2, 1], false],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [[], {}, false],
    [null, {}, false],
    ['1', 1, false],
  ])('deepEqual(%p, %p) is %p', (a, b, expected) => {
    expect(s.deepEqual(a, b)).toBe(expected);
    expect(s.deepEqual(b, a)).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    [{}, true],
    [[], false],
    [null, false],
    ['x', false],
  ])('isPlainObject(%p) is %p', (value, expected) => {
    expect(s.isPlainObject(value)).toBe(expected);
  });
});

describe('lib/errors', () => {
  describe('childPath', () => {
    it.each<[string, string | number, string]>([
      ['', 'services', 'services'],
      ['services', 'web', 'services.web'],
      ['services', 0, 'services[0]'],
      ['', 0, '[0]'],
      ['a.b', 'c', 'a.b.c'],
    ])('childPath(%p, %p) is %p', (path, key, expected) => {
      expect(childPath(path, key)).toBe(expected);
    });
  });

  describe('showValue', () => {
    it.each<[unknown, string]>([
      [undefined, 'nothing'],
      [null, 'null'],
      ['x', '"x"'],
      [3, '3'],
      [{ a: [1] }, '{"a":[1]}'],
    ])('shows %p as %p', (value, expected) => {
      expect(showValue(value)).toBe(expected);
    });

    it('cuts long values to 60 characters with an ellipsis', () => {
      const shown = showValue('x'.repeat(100));
      expect(shown).toHaveLength(60);
      expect(shown.endsWith('...')).toBe(true);
    });

    it('shows the start of a circular value instead of giving up on it', () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      expect(showValue(circular)).toBe('{"self":{"self":{"self":{"self":{"self":{"self":{"self":{...');
      expect(showValue(10n)).toBe('10');
    });
  });

  describe('formatProblem', () => {
    it('prefixes the path', () => {
      expect(formatProblem({ path: 'a.b', message: 'is wrong' })).toBe('a.b: is wrong');
    });

    it('omits an empty path', () => {
      expect(formatProblem({ path: '', message: 'is wrong' })).toBe('is wrong');
    });
  });

  describe('Problems', () => {
    it('starts empty and does not throw', () => {
      const problems = new Problems();
      expect(problems.empty).toBe(true);
      expect(() => problems.throwIfAny('nothing')).not.toThrow();
    });

    it('collects problems in order, from add and addAll', () => {
      const problems = new Problems();
      problems.add('a', 'one');
      problems.addAll([
        { path: 'b', message: 'two' },
        { path: 'c', message: 'three' },
      ]);
      expect(problems.empty).toBe(false);
      expect(problems.list.map((p) => p.path)).toEqual(['a', 'b', 'c']);
    });

    it('throws one ValidationError listing every problem', () => {
      const problems = new Problems();
      problems.add('a', 'one');
      problems.add('', 'two');
      let thrown: unknown;
      try {
        problems.throwIfAny('spec is invalid');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      const error = thrown as ValidationError;
      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe('spec is invalid (2 problems):\n  - a: one\n  - two');
      expect(error.problems).toEqual([
        { path: 'a', message: 'one' },
        { path: '', message: 'two' },
      ]);
    });

    it('says "1 problem" in the singular', () => {
      expect(new ValidationError('bad', [{ path: 'x', message: 'y' }]).message).toBe('bad (1 problem):\n  - x: y');
    });
  });
});
