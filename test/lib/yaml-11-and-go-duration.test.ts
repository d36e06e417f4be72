import { parse, parseAllDocuments } from 'yaml';
import { formatGoDuration, formatProtoDuration, parseDuration } from '../../lib/duration';
import { toYaml, toYamlDocuments } from '../../lib/output/canonical-yaml';

const readAs11 = (text: string): unknown => parse(text, { version: '1.1' });

/** Strings that a YAML 1.1 reader (Kubernetes, Helm, kubectl) would take for something else. */
const AMBIGUOUS = [
  'on',
  'off',
  'On',
  'OFF',
  'yes',
  'no',
  'Yes',
  'NO',
  'y',
  'n',
  'Y',
  'N',
  '012',
  '0o12',
  '0x1F',
  '1:20',
  '190:20:30',
  '1_000',
  'true',
  'False',
  'null',
  'Null',
  '~',
  '',
  '.inf',
  '-.Inf',
  '.nan',
  '1e3',
  '1.5',
  '0b101',
  '2024-01-01',
];

describe('toYaml and YAML 1.1 readers', () => {
  it.each(AMBIGUOUS)('keeps %j a string for a YAML 1.1 reader', (value) => {
    const text = toYaml({ value });
    expect(readAs11(text)).toEqual({ value });
    expect(parse(text)).toEqual({ value });
  });

  it('quotes the strings it must', () => {
    const text = toYaml({ a: 'on', b: 'n', c: '012', d: '1:20', e: 'yes', f: '~' });
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^[a-f]: (["']).*\1$/);
  });

  it('leaves real booleans, numbers and null unquoted', () => {
    const value = { enabled: true, disabled: false, replicas: 3, ratio: 0.5, nothing: null };
    const text = toYaml(value);
    expect(text).toBe('disabled: false\nenabled: true\nnothing: null\nratio: 0.5\nreplicas: 3\n');
    expect(readAs11(text)).toEqual(value);
  });

  it('leaves plain strings unquoted', () => {
    expect(toYaml({ name: 'redis', image: 'ghcr.io/org/app:1.2' })).toBe('image: ghcr.io/org/app:1.2\nname: redis\n');
  });

  it('quotes an ambiguous map key', () => {
    const value = { n: 1, y: 'yes', on: { off: 'no' }, '012': 'x' };
    const back = readAs11(toYaml(value)) as Record<string, unknown>;
    expect(back).toEqual(value);
    expect(Object.keys(back).sort()).toEqual(['012', 'n', 'on', 'y']);
  });

  it('keeps ambiguous strings inside lists', () => {
    const value = { args: ['on', 'off', 'n', '012', '1:20', 'true', 'null', '~'] };
    expect(readAs11(toYaml(value))).toEqual(value);
  });

  it('keeps a cron schedule intact', () => {
    const value = { spec: { schedule: '0 18 * * *' } };
    const text = toYaml(value);
    expect(readAs11(text)).toEqual(value);
    expect(parse(text)).toEqual(value);
  });
});

describe('toYamlDocuments and YAML 1.1 readers', () => {
  it('keeps ambiguous strings strings in every document', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags' }, data: Object.fromEntries(AMBIGUOUS.map((v, i) => [`k${i}`, v])) };
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', labels: { n: 'y' } },
      spec: { schedule: '0 18 * * *', suspend: false },
    };
    const text = toYamlDocuments([configMap, cronJob]);
    const documents = parseAllDocuments(text, { version: '1.1' });
    expect(Array.isArray(documents)).toBe(true);
    const values = (documents as { toJS(): unknown; errors: unknown[] }[]).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
    expect(values).toEqual([configMap, cronJob]);
  });
});

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [0.5, '500ms'],
    [0.25, '250ms'],
    [0.001, '1ms'],
    [0.0015, '1.5ms'],
    [0.0005, '500µs'],
    [0.0000015, '1.5µs'],
    [0.0000002, '200ns'],
    [-90, '-1m30s'],
    [1, '1s'],
    [1.5, '1.5s'],
    [30, '30s'],
    [59, '59s'],
    [60, '1m0s'],
    [90, '1m30s'],
    [90.25, '1m30.25s'],
    [3600, '1h0m0s'],
    [3661, '1h1m1s'],
    [5400, '1h30m0s'],
    [86400, '24h0m0s'],
    [604800, '168h0m0s'],
    [2592000, '720h0m0s'],
  ])('%p seconds => %s', (seconds, expected) => {
    expect(formatGoDuration(seconds)).toBe(expected);
  });

  it('does not round a value just under a minute up to "60s"', () => {
    expect(formatGoDuration(59.9999)).toBe('59.9999s');
    expect(formatGoDuration(3599.9999)).toBe('59m59.9999s');
  });

  it.each(['500ms', '1.5ms', '30s', '1m30s', '5m', '1h', '1h30m', '168h', '720h', '2h45m30s', '1.5s', '90m', '0s'])(
    'round-trips %s through parseDuration',
    (text) => {
      const seconds = parseDuration(text)!;
      const formatted = formatGoDuration(seconds);
      expect(parseDuration(formatted)).toBeCloseTo(seconds, 9);
    },
  );

  it('prints what parseDuration reads back to the same seconds for awkward sums', () => {
    for (const seconds of [0.1 + 0.2, 1.1, 61.7, 3600.5, 7322.125]) expect(parseDuration(formatGoDuration(seconds))).toBeCloseTo(seconds, 6);
  });
});

describe('formatProtoDuration', () => {
  it.each([
    [1, '1s'],
    [60, '60s'],
    [0.5, '0.5s'],
    [0.05, '0.05s'],
    [3600, '3600s'],
    [0, '0s'],
    [1.000000001, '1.000000001s'],
  ])('%p seconds => %s', (seconds, expected) => {
    expect(formatProtoDuration(seconds)).toBe(expected);
  });

  it('rounds float noise away at nanosecond precision', () => {
    expect(formatProtoDuration(0.1 + 0.2)).toBe('0.3s');
  });

  it.each([
    ['1m', '60s'],
    ['250ms', '0.25s'],
    ['1h30m', '5400s'],
  ])('writes what parseDuration reads from %s as %s', (text, expected) => {
    expect(formatProtoDuration(parseDuration(text)!)).toBe(expected);
  });
});
