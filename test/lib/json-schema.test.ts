/**
 * `toJsonSchema('full' | 'override')` and `jsonSchemaDocument`: the shape of the emitted JSON
 * Schema, and — validated with ajv — that editors would accept and reject the same documents as
 * the schema's own `check`.
 */
import Ajv2020 from 'ajv/dist/2020';
import * as s from '../../lib/schema';
import { Problems } from '../../lib/errors';

interface Port {
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

interface Service {
  readonly name: string;
  readonly image: string;
  readonly replicas?: number;
  readonly resources?: { readonly cpu: string | number; readonly memory?: string | number };
  readonly ports?: readonly Port[];
  readonly timeout?: string;
}

interface Blueprint {
  readonly tier: 'bronze' | 'silver' | 'gold';
  readonly services: readonly Service[];
  readonly labels?: { readonly [key: string]: string };
  readonly zones?: readonly string[];
  readonly budget?: number | string;
  readonly enabled?: boolean;
}

const port = s.object<Port>(
  { name: s.name('Port name.'), port: s.integer({ min: 1, max: 65535 }), protocol: s.enumOf(['TCP', 'UDP'] as const).optional() },
  { title: 'a port', description: 'A port the service listens on.' },
);
const service = s.object<Service>(
  {
    name: s.name(),
    image: s.string({ description: 'Image reference.', pattern: { regex: /^[a-z0-9./-]+:[\w.-]+$/, meaning: 'an image with a tag' } }),
    replicas: s.integer({ min: 1, max: 50 }).optional(),
    resources: s.object<{ cpu: string | number; memory?: string | number }>({ cpu: s.quantity(), memory: s.quantity().optional() }).optional(),
    ports: s.namedList(port).optional(),
    timeout: s.duration().optional(),
  },
  { title: 'a service' },
);
const blueprint = s.object<Blueprint>(
  {
    tier: s.enumOf(['bronze', 'silver', 'gold'] as const, 'Service tier.'),
    services: s.namedList(service, 'Services.'),
    labels: s.record(s.string(), 'Labels.').optional(),
    zones: s.list(s.string()).optional(),
    budget: s.intOrPercent().optional(),
    enabled: s.boolean().optional(),
  },
  { description: 'A toy blueprint.' },
);

type Json = Record<string, any>;

const full = blueprint.toJsonSchema('full');
const override = blueprint.toJsonSchema('override');

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateFull = ajv.compile(s.jsonSchemaDocument(blueprint, 'full', 'https://example.test/blueprint.json', 'Blueprint'));
const validateOverride = ajv.compile(s.jsonSchemaDocument(blueprint, 'override', 'https://example.test/blueprint-override.json', 'Blueprint override'));

function checks(value: unknown, mode: s.CheckMode): boolean {
  const problems = new Problems();
  blueprint.check(value, '', mode, problems);
  return problems.empty;
}

const goodBlueprint = {
  tier: 'gold',
  services: [
    {
      name: 'web',
      image: 'nginx:1.27',
      replicas: 2,
      resources: { cpu: '500m', memory: '1Gi' },
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      timeout: '30s',
    },
  ],
  labels: { team: 'platform' },
  zones: ['a'],
  budget: '25%',
  enabled: true,
};

const goodOverride = {
  tier: 'bronze',
  labels: { team: null, region: 'eu' },
  zones: null,
  services: [
    {
      name: 'web',
      replicas: null,
      resources: { memory: null },
      ports: [
        { name: 'http', $remove: true },
        { name: 'grpc', port: 9090 },
      ],
    },
    { name: 'worker', $remove: true },
    { name: 'api', image: 'api:2' },
  ],
};

describe('full mode', () => {
  it('lists required fields and closes every object', () => {
    expect(full.type).toBe('object');
    expect(full.required).toEqual(['tier', 'services']);
    expect(full.additionalProperties).toBe(false);
    const item = full.properties.services.items;
    expect(item.required).toEqual(['name', 'image']);
    expect(item.additionalProperties).toBe(false);
    expect(item.properties.resources).toMatchObject({ required: ['cpu'], additionalProperties: false });
  });

  it('omits "required" for an object whose fields are all optional', () => {
    expect(s.object({ a: s.string().optional() }).toJsonSchema('full')).toEqual({
      type: 'object',
      properties: { a: { type: 'string', minLength: 1 } },
      additionalProperties: false,
    });
  });

  it('does not make optional fields nullable', () => {
    expect(full.properties.enabled).toEqual({ type: 'boolean' });
  });

  it('emits a named list as a plain array of full items', () => {
    expect(full.properties.services).toEqual({ description: 'Services.', type: 'array', items: service.toJsonSchema('full') });
  });

  it('emits records with their value schema as additionalProperties', () => {
    expect(full.properties.labels).toEqual({ description: 'Labels.', type: 'object', additionalProperties: { type: 'string', minLength: 1 } });
  });

  it('carries descriptions of fields and objects', () => {
    expect(full.description).toBe('A toy blueprint.');
    expect(full.properties.tier).toEqual({ description: 'Service tier.', type: 'string', enum: ['bronze', 'silver', 'gold'] });
    expect(full.properties.services.items.properties.image.description).toBe('Image reference.');
  });

  it.each<[string, s.Schema<unknown>, Json]>([
    [
      'string with pattern',
      s.string({ pattern: { regex: /^v\d+$/, meaning: 'a version' }, minLength: 2 }),
      { type: 'string', minLength: 2, pattern: '^v\\d+$' },
    ],
    ['name', s.name(), { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }],
    ['integer range', s.integer({ min: 1, max: 5 }), { type: 'integer', minimum: 1, maximum: 5 }],
    ['number', s.number({ min: 0 }), { type: 'number', minimum: 0 }],
    ['enum', s.enumOf(['a', 'b']), { type: 'string', enum: ['a', 'b'] }],
    // Integers land in Kubernetes int32 fields: without bounds of their own they get int32's.
    ['plain list', s.list(s.integer()), { type: 'array', items: { type: 'integer', minimum: -2147483648, maximum: 2147483647 }, uniqueItems: true }],
  ])('emits %s', (_kind, schema, expected) => {
    expect(schema.toJsonSchema('full')).toEqual(expected);
  });

  it('validates a good blueprint and agrees with check', () => {
    expect(validateFull(goodBlueprint)).toBe(true);
    expect(checks(goodBlueprint, 'full')).toBe(true);
  });

  it.each<[string, Json]>([
    ['a missing required field', { services: [] }],
    ['an unknown key', { ...goodBlueprint, colour: 'blue' }],
    ['an unknown key in an item', { ...goodBlueprint, services: [{ name: 'web', image: 'nginx:1.27', replcas: 2 }] }],
    ['an item missing a required field', { ...goodBlueprint, services: [{ name: 'web' }] }],
    ['null on an optional field', { ...goodBlueprint, labels: null }],
    ['a removal item', { ...goodBlueprint, services: [{ name: 'web', $remove: true }] }],
  ])('rejects %s, like check', (_case, value) => {
    expect(validateFull(value)).toBe(false);
    expect(checks(value, 'full')).toBe(false);
  });
});

describe('override mode', () => {
  it('has no required fields at the top or in nested objects', () => {
    expect(override).not.toHaveProperty('required');
    expect(override.additionalProperties).toBe(false);
  });

  it('requires only "name" on a named-list item', () => {
    const [, partial] = override.properties.services.items.anyOf;
    expect(partial.required).toEqual(['name']);
    expect(partial.additionalProperties).toBe(false);
    expect(partial.properties.resources.anyOf[0]).not.toHaveProperty('required');
  });

  it('offers a removal item: name and $remove: true, nothing else', () => {
    const [removal] = override.properties.services.items.anyOf;
    expect(removal).toEqual({
      type: 'object',
      description: 'Removes the inherited item of this name.',
      properties: { name: s.name().toJsonSchema('override'), $remove: { const: true } },
      required: ['name', '$remove'],
      additionalProperties: false,
    });
  });

  it('accepts null for optional fields', () => {
    expect(override.properties.enabled).toEqual({ anyOf: [{ type: 'boolean' }, { type: 'null', description: 'null removes the inherited value' }] });
  });

  it('does not accept null for required fields', () => {
    expect(override.properties.tier).toEqual(full.properties.tier);
  });

  it('accepts null for record values', () => {
    expect(override.properties.labels.anyOf[0].additionalProperties).toEqual({ anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] });
  });

  it('keeps items of a plain list in full form (a replaced list is complete)', () => {
    const list = s.list(port).toJsonSchema('override');
    expect(list.items.required).toEqual(['name', 'port']);
  });

  it('validates a good override document and agrees with check', () => {
    expect(validateOverride(goodOverride)).toBe(true);
    expect(validateOverride.errors).toBeNull();
    expect(checks(goodOverride, 'override')).toBe(true);
  });

  it('validates the empty override', () => {
    expect(validateOverride({})).toBe(true);
  });

  it.each<[string, Json]>([
    ['an unknown key', { colour: 'blue' }],
    ['an unknown key in an item', { services: [{ name: 'web', replcas: 2 }] }],
    ['an item without a name', { services: [{ replicas: 2 }] }],
    ['$remove: false', { services: [{ name: 'web', $remove: false }] }],
    ['$remove with other keys', { services: [{ name: 'web', $remove: true, replicas: 2 }] }],
    ['null on a required field', { tier: null }],
    ['null on a required field of an item', { services: [{ name: 'web', image: null }] }],
    ['a bad enum value', { tier: 'platinum' }],
    ['a plain-list item in partial form', { services: [{ name: 'web', ports: [{ name: 'http', port: 'eighty' }] }] }],
  ])('rejects %s, like check', (_case, value) => {
    expect(validateOverride(value)).toBe(false);
    expect(checks(value, 'override')).toBe(false);
  });

  it('reports an unknown key with ajv at its instance path', () => {
    validateOverride({ services: [{ name: 'web', replcas: 2 }] });
    expect(validateOverride.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ instancePath: '/services/0', keyword: 'additionalProperties', params: { additionalProperty: 'replcas' } }),
      ]),
    );
  });
});

describe('jsonSchemaDocument', () => {
  it('adds $schema, $id and title before the root schema', () => {
    const document = s.jsonSchemaDocument(blueprint, 'full', 'https://example.test/x.json', 'X');
    expect(Object.keys(document).slice(0, 3)).toEqual(['$schema', '$id', 'title']);
    expect(document).toEqual({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://example.test/x.json', title: 'X', ...full });
  });

  it('is plain JSON data (survives a JSON round trip unchanged)', () => {
    const document = s.jsonSchemaDocument(blueprint, 'override', 'https://example.test/o.json', 'O');
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });
});

describe('check and JSON Schema agree on scalar values', () => {
  /** Whether ajv accepts `value` for a one-field object around `schema`, and whether check does. */
  function verdicts(schema: s.Schema<unknown>, value: unknown): { ajv: boolean; check: boolean } {
    const wrapper = s.object({ v: schema });
    const problems = new Problems();
    wrapper.check({ v: value }, '', 'full', problems);
    return { ajv: new Ajv2020({ strict: true }).validate(wrapper.toJsonSchema('full'), { v: value }) === true, check: problems.empty };
  }

  it.each<[string, s.Schema<unknown>, unknown]>([
    ['quantity', s.quantity(), '500m'],
    ['quantity', s.quantity(), '1.5Gi'],
    ['quantity', s.quantity(), '1e3'],
    ['quantity', s.quantity(), '.5'],
    ['quantity', s.quantity(), '12 cores'],
    ['quantity', s.quantity(), '-1'],
    ['quantity', s.quantity(), -1],
    ['quantity', s.quantity(), 3],
    ['quantity', s.quantity(), '1.5.5Gi'],
    ['duration', s.duration(), '1h30m'],
    ['duration', s.duration(), '500ms'],
    ['duration', s.duration(), '30'],
    ['duration', s.duration(), '1d'],
    ['name', s.name(), 'web-1'],
    ['name', s.name(), 'Web'],
    ['name', s.name(), 'a'.repeat(63)],
    ['name', s.name(), 'a'.repeat(64)],
    ['name', s.name(), '-web'],
    ['int-or-percent', s.intOrPercent(), 3],
    ['int-or-percent', s.intOrPercent(), '25%'],
    ['int-or-percent', s.intOrPercent(), '1000%'],
    ['int-or-percent', s.intOrPercent(), -1],
    ['integer', s.integer({ min: 1, max: 5 }), 5],
    ['integer', s.integer({ min: 1, max: 5 }), 6],
    ['integer', s.integer({ min: 1, max: 5 }), 2.5],
    ['string', s.string(), ''],
    ['enum', s.enumOf(['a', 'b']), 'c'],
  ])('%s %p', (_kind, schema, value) => {
    const { ajv, check } = verdicts(schema, value);
    expect(ajv).toBe(check);
  });

  it.each<[unknown]>([['+1'], ['-0']])('quantity %p', (value) => {
    const { ajv, check } = verdicts(s.quantity(), value);
    expect(ajv).toBe(check);
  });
});
