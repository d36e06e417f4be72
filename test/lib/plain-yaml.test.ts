import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { defaultFleet } from '../../blueprints/default-fleet';
import { EXAMPLES } from '../../examples';
import { canonicalObject, forgetWrittenYaml, readYaml, toYaml, toYamlDocuments } from '../../lib/output/canonical-yaml';
import * as plainYamlModule from '../../lib/output/plain-yaml';
import { PLAIN_YAML_OPTIONS, plainYaml } from '../../lib/output/plain-yaml';

/** What synth wrote before the plain-data writer: the `yaml` package's `stringify`. */
const yamlPackage = (value: unknown): string => stringify(value, PLAIN_YAML_OPTIONS);

/** Strings that a YAML 1.1 or 1.2 reader takes for something else, or that need quotes or a block. */
const TRICKY = [
  ...['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'On', 'OFF', 'true', 'False', 'TRUE', '~', 'null', 'Null', 'NULL', ''],
  ...['0', '-1', '+1', '012', '0o17', '0x1F', '0b101', '1_000', '1e3', '1E-3', '1.5', '.5', '-.inf', '.inf', '.NaN', '1:20', '190:20:30.5'],
  ...['2024-01-01', '2024-01-01T10:00:00Z', '2024-1-1 1:02:03'],
  ...[' lead', 'trail ', ' ', '\t', 'a: b', 'a:b', 'a #b', 'a#b', '#c', ': x', 'x:', '- a', '-', '?', '? a', '-a', '?a', '[a]', '{a}', 'a,b'],
  ...['&a', '*a', '!t', '|', '>', "'q'", '"q"', "it's", 'say "hi"', `both ' and "`, '%x', '@x', '`x`', '---', '--- a', '...', 'a---'],
  ...['<<', '=', 'a\\nb', 'tab\there', 'ümlaut', '北京市', '🙂 emoji', '\u00a0nbsp', 'a\u2028b', 'ctrl\u0001', 'del\u007f', 'c1\u0085'],
  ...['line1\nline2', 'line1\nline2\n', 'ends\n\n', '\nleading newline', '  indented\nnext', 'a\n\nb', 'x\n  more indented\ny', 'trailing \nspace'],
  ...['a\n---\nb: c\n', 'key: value\n# comment\n', 'a\n ', 'a\n\t', '\n', '\n\n', 'a\r\nb', '__proto__', 'toString'],
];

const line = fc.oneof(fc.constantFrom(...TRICKY.filter((s) => !s.includes('\n'))), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 }));
const tricky = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
  { weight: 2, arbitrary: fc.array(line, { minLength: 2, maxLength: 5 }).map((lines) => lines.join('\n')) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e21, 2 ** 60, 0.1, Number.MAX_SAFE_INTEGER, -1e-7));
const { data } = fc.letrec((tie) => ({
  data: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('scalar'), tie('list'), tie('map')),
  scalar: fc.oneof({ weight: 4, arbitrary: tricky }, number, fc.boolean(), fc.constant(null)),
  list: fc.array(fc.oneof({ weight: 5, arbitrary: tie('data') }, fc.constant(undefined)), { maxLength: 4 }),
  map: fc
    .array(fc.tuple(tricky, fc.oneof({ weight: 5, arbitrary: tie('data') }, fc.constant(undefined))), { maxLength: 4 })
    .map((entries) => Object.fromEntries(entries)),
}));
const document = fc.oneof(
  fc.array(data, { maxLength: 4 }),
  fc.array(fc.tuple(tricky, data), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
);

describe('plainYaml', () => {
  it('prints what the yaml package prints, or leaves the value to it', () => {
    fc.assert(
      fc.property(document, (value) => {
        const text = plainYaml(value);
        if (text !== undefined) expect(text).toBe(yamlPackage(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('covers the strings synth writes: quoted, plain and literal blocks alike', () => {
    const value = {
      // eslint-disable-next-line no-control-regex -- strings with control characters are left to `yaml`
      quoted: TRICKY.filter((s) => !/[\n\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(s) && !s.startsWith('---') && !s.startsWith('...')),
      config: 'server {\n  listen 80;\n}\n',
      script: '#!/bin/sh\nset -e\n\n  indented\nend',
      kept: 'a\n\n\n',
      'key: with colon': { y: ['on', 1.5, -0, null, true, [], {}] },
    };
    const text = plainYaml(value);
    expect(text).toBeDefined();
    expect(text).toBe(yamlPackage(value));
  });

  it.each([
    ['a control character (double quotes with escapes)', { a: 'ctrl\u0001' }],
    ['a key over a line', { 'a\nb': 1 }],
    ['a block ending in a whitespace-only line', { a: 'x\n  ' }],
    ['a document marker', { a: '--- x' }],
    ['a key over 1024 characters', { ['k'.repeat(1100)]: 1 }],
    ['a Date', { a: new Date(0) }],
    ['a Map', { a: new Map([['k', 1]]) }],
    ['a bigint', { a: BigInt(1) }],
    ['a scalar document', 'on'],
  ])('leaves %s to the yaml package', (_name, value) => {
    expect(plainYaml(value)).toBeUndefined();
  });

  it('prints every manifest and Helm values document of the default blueprint and every example as the yaml package does', () => {
    // Manifests are written straight from each object in canonical key order (`order`), Helm values from a sorted copy.
    const printed: [unknown, plainYamlModule.KeyOrder | undefined][] = [];
    const original = plainYamlModule.plainYaml;
    const spy = jest.spyOn(plainYamlModule, 'plainYaml').mockImplementation((value, order) => {
      printed.push([value, order]);
      return original(value, order);
    });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plain-yaml-'));
    try {
      defaultFleet({ outdir: path.join(root, 'default') }).synth();
      for (const [name, build] of Object.entries(EXAMPLES)) build(path.join(root, name)).synth();
    } finally {
      spy.mockRestore();
      fs.rmSync(root, { recursive: true, force: true });
    }
    expect(printed.length).toBeGreaterThan(1000);
    // A manifest the writer does not take as it is goes to it as a canonical copy (under jest, objects
    // from another realm, such as structuredClone's, are not plain maps here; under node they are).
    const canonical = (value: unknown) => canonicalObject(value as Record<string, unknown>);
    const left = printed.filter(([value, order]) => plainYaml(value, order) === undefined && (!order || plainYaml(canonical(value)) === undefined));
    // Every one of them takes the fast path today; one that does not is still right, only slower.
    expect(left).toEqual([]);
    for (const [value, order] of printed) {
      const text = plainYaml(value, order);
      if (text !== undefined) expect(text).toBe(yamlPackage(order ? canonical(value) : value));
    }
  }, 300_000);
});

describe('toYamlDocuments', () => {
  /** What it wrote before it wrote objects straight in canonical order: the canonical copy's bytes. */
  const fromCanonicalCopy = (object: Record<string, unknown>): string => {
    const copy = canonicalObject(object);
    return plainYaml(copy) ?? stringify(copy, PLAIN_YAML_OPTIONS);
  };
  const key = fc.oneof(tricky, fc.constantFrom('apiVersion', 'kind', 'metadata', '0', '7', '10', '4294967294', '4294967295', '01', '__proto__'));
  const object = fc
    .array(fc.tuple(key, data), { maxLength: 6 })
    .chain((entries) => fc.constantFrom(...(entries.length > 0 ? [entries, [...entries].reverse()] : [entries])))
    .map((entries) => Object.fromEntries(entries));

  it('writes the bytes of the canonical copy: leading keys, array-index keys and __proto__ alike', () => {
    fc.assert(
      fc.property(fc.array(object, { minLength: 1, maxLength: 3 }), (objects) => {
        expect(toYamlDocuments(objects)).toBe(objects.map(fromCanonicalCopy).join('---\n'));
      }),
      { numRuns: 2000 },
    );
  });

  it('orders keys as the copy enumerates them', () => {
    const object = Object.fromEntries([
      ['spec', { b: 1, '10': 'ten', a: 2, '2': 'two', '01': 'zero-one' }],
      ['kind', 'ConfigMap'],
      ['1', 'one'],
      ['metadata', { name: 'x' }],
      ['apiVersion', 'v1'],
      ['__proto__', { hidden: true }],
      ['data', [{ z: 1, y: new Date(0) }]],
    ]);
    const text = toYamlDocuments([object]);
    expect(text).toBe(fromCanonicalCopy(object));
    expect(text.split('\n').slice(0, 4)).toEqual(['"1": one', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:']);
  });
});

describe('readYaml', () => {
  afterEach(() => forgetWrittenYaml());

  it('reads a document toYaml wrote as the yaml package parses it, without parsing it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(tricky, data), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
        (value) => {
          const text = toYaml(value);
          expect(readYaml(text)).toEqual(parse(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('shares one frozen copy of what toYaml wrote and parses any other text', () => {
    const text = toYaml({ image: { repository: 'nginx', tag: '1.27' }, replicas: 2 });
    const first = readYaml(text);
    expect(readYaml(text)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen((first as { image: object }).image)).toBe(true);
    // An escape hatch that rewrote the document: parsed, so the check sees what is written.
    const edited = text.replace('nginx', 'docker.io/evil');
    expect(readYaml(edited)).toEqual({ image: { repository: 'docker.io/evil', tag: '1.27' }, replicas: 2 });
  });

  it('forgets what it wrote once a synth is over', () => {
    const text = toYaml({ a: 1 });
    const remembered = readYaml(text);
    forgetWrittenYaml();
    const parsed = readYaml(text);
    expect(parsed).toEqual(remembered);
    expect(parsed).not.toBe(remembered);
    expect(Object.isFrozen(parsed)).toBe(false);
  });

  it('throws on broken YAML as the yaml package does', () => {
    expect(() => readYaml('a: [')).toThrow();
  });
});
