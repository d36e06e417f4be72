/** Value parsers and helpers: quantities, durations, CIDRs, DNS-1123 names and did-you-mean. */
import { formatBytes, parseQuantity, QUANTITY_HELP } from '../../lib/quantity';
import { DURATION_HELP, parseDuration } from '../../lib/duration';
import { type Cidr, cidrsOverlap, parseCidr } from '../../lib/cidr';
import { dns1123LabelProblem, dns1123SubdomainProblem, toDns1123Label } from '../../lib/names';
import { didYouMean, editDistance } from '../../lib/did-you-mean';

describe('parseQuantity', () => {
  it.each<[string | number, number]>([
    ['500m', 0.5],
    ['2', 2],
    [3, 3],
    [0.25, 0.25],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['64Mi', 64 * 2 ** 20],
    ['100Ki', 102400],
    ['1Ti', 2 ** 40],
    ['2k', 2000],
    ['2M', 2e6],
    ['8G', 8e9],
    ['1n', 1e-9],
    ['1u', 1e-6],
    ['.5', 0.5],
    ['1.', 1],
    ['0', 0],
    ['-1', -1],
    ['+2', 2],
  ])('parses %p as %p', (text, expected) => {
    expect(parseQuantity(text)).toBeCloseTo(expected, 12);
  });

  it.each<[string | number]>([
    ['12 cores'],
    ['1.5.5Gi'],
    ['1Gb'],
    ['1gi'],
    ['Gi'],
    [''],
    [' 1'],
    ['1 '],
    ['1e'],
    ['0x10'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
  ])('rejects %p', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  it.each<[string, number]>([
    ['1E', 1e18],
    ['2E', 2e18],
  ])('parses the exa suffix in %p as %p', (text, expected) => {
    expect(parseQuantity(text)).toBe(expected);
  });

  it('has help text with examples', () => {
    expect(QUANTITY_HELP).toContain('"500m"');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0'],
    [3 * 2 ** 30, '3Gi'],
    [1.5 * 2 ** 30, '1536Mi'],
    [15 * 256 * 2 ** 20, '3840Mi'],
    [1000, '1000'],
    [2048, '2Ki'],
  ])('writes %p bytes as %p, which parses back to the same number', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
    expect(parseQuantity(text)).toBe(bytes);
  });
});

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['500ms', 0.5],
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['1m30s', 90],
    ['2h45m30s', 9930],
    ['1m500ms', 60.5],
  ])('parses %p as %p seconds', (text, seconds) => {
    expect(parseDuration(text)).toBeCloseTo(seconds, 9);
  });

  it.each(['30', '', '1d', '1h 30m', '-5s', 's', '1.s', '.5s', '1H', '5 m', '0'])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('has help text with examples', () => {
    expect(DURATION_HELP).toContain('"1h30m"');
  });
});

describe('parseCidr', () => {
  it.each<[string, number, number]>([
    ['10.42.0.0/16', 0x0a2a0000, 0x0a2affff],
    ['10.0.0.0/8', 0x0a000000, 0x0affffff],
    ['192.168.1.128/25', 0xc0a80180, 0xc0a801ff],
    ['0.0.0.0/0', 0, 0xffffffff],
    ['255.255.255.255/32', 0xffffffff, 0xffffffff],
  ])('parses %p', (text, start, end) => {
    expect(parseCidr(text)).toEqual({ text, start, end });
  });

  it.each([
    ['10.42.0.0', 'must be an IPv4 CIDR such as "10.42.0.0/16"'],
    ['10.42.0/16', 'must be an IPv4 CIDR such as "10.42.0.0/16"'],
    ['fd00::/8', 'must be an IPv4 CIDR such as "10.42.0.0/16"'],
    [' 10.0.0.0/8', 'must be an IPv4 CIDR such as "10.42.0.0/16"'],
    ['256.0.0.0/8', 'must be an IPv4 CIDR: octets 0-255, prefix 0-32'],
    ['10.0.0.0/33', 'must be an IPv4 CIDR: octets 0-255, prefix 0-32'],
  ])('rejects %p: %s', (text, reason) => {
    expect(parseCidr(text)).toBe(reason);
  });

  it.each([
    ['10.42.0.1/16', 'has host bits set; did you mean "10.42.0.0/16"?'],
    ['192.168.1.130/25', 'has host bits set; did you mean "192.168.1.128/25"?'],
    ['255.255.255.255/0', 'has host bits set; did you mean "0.0.0.0/0"?'],
  ])('rejects %p with host bits set and suggests the network address', (text, reason) => {
    expect(parseCidr(text)).toBe(reason);
  });
});

describe('cidrsOverlap', () => {
  const cidr = (text: string): Cidr => {
    const parsed = parseCidr(text);
    if (typeof parsed === 'string') throw new Error(`${text}: ${parsed}`);
    return parsed;
  };

  it.each([
    ['10.0.0.0/8', '10.42.0.0/16', true],
    ['10.42.0.0/16', '10.42.0.0/16', true],
    ['0.0.0.0/0', '192.168.0.0/16', true],
    ['10.42.0.0/16', '10.43.0.0/16', false],
    ['10.42.0.0/24', '10.42.1.0/24', false],
    ['192.168.0.0/25', '192.168.0.128/25', false],
  ])('%s and %s overlap: %p', (a, b, expected) => {
    expect(cidrsOverlap(cidr(a), cidr(b))).toBe(expected);
    expect(cidrsOverlap(cidr(b), cidr(a))).toBe(expected);
  });
});

describe('DNS-1123 names', () => {
  describe('dns1123LabelProblem', () => {
    it.each(['a', 'web', 'web-2', '0', '1a', 'a'.repeat(63)])('accepts %p', (name) => {
      expect(dns1123LabelProblem(name)).toBeUndefined();
    });

    it.each(['Web', 'tax_portal', '-web', 'web-', 'a.b', 'web app', ''])('rejects %p', (name) => {
      expect(dns1123LabelProblem(name)).toBe('must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit');
    });

    it('rejects 64 characters, saying how many there are', () => {
      expect(dns1123LabelProblem('a'.repeat(64))).toBe('must be at most 63 characters (has 64)');
    });
  });

  describe('dns1123SubdomainProblem', () => {
    it.each(['a', 'web.example.com', 'a-b.c-d', 'a'.repeat(253)])('accepts %p', (name) => {
      expect(dns1123SubdomainProblem(name)).toBeUndefined();
    });

    it.each(['Web.example', 'a..b', '.a', 'a.', 'a_b'])('rejects %p', (name) => {
      expect(dns1123SubdomainProblem(name)).toBe('must be a DNS-1123 subdomain: lower-case letters, digits, "-" and "."');
    });

    it('rejects 254 characters, saying how many there are', () => {
      expect(dns1123SubdomainProblem('a'.repeat(254))).toBe('must be at most 253 characters (has 254)');
    });
  });

  describe('toDns1123Label', () => {
    it.each([
      ['Tax_Bureau', 'tax-bureau'],
      ['Web', 'web'],
      ['my service!', 'my-service'],
      ['--edge--', 'edge'],
      ['a__b', 'a-b'],
      ['a.b.c', 'a-b-c'],
      ['café', 'caf'],
      ['___', 'x'],
      ['', 'x'],
    ])('turns %p into %p', (input, expected) => {
      expect(toDns1123Label(input)).toBe(expected);
    });

    it('cuts a long name to 63 characters', () => {
      expect(toDns1123Label('A'.repeat(100))).toBe('a'.repeat(63));
    });

    it.each(['Tax_Bureau', 'x'.repeat(80), '__a__', 'Département Fiscal'])('suggests a valid label for %p', (input) => {
      expect(dns1123LabelProblem(toDns1123Label(input))).toBeUndefined();
    });

    it('suggests a valid label when the cut at 63 characters lands after a hyphen', () => {
      const suggestion = toDns1123Label(`${'a'.repeat(62)}-bc`);
      expect(dns1123LabelProblem(suggestion)).toBeUndefined();
    });
  });
});

describe('did you mean', () => {
  describe('editDistance', () => {
    it.each<[string, string, number]>([
      ['', '', 0],
      ['abc', 'abc', 0],
      ['', 'abc', 3],
      ['replcas', 'replicas', 1],
      ['replicsa', 'replicas', 1],
      ['kitten', 'sitting', 3],
      ['ab', 'ba', 1],
    ])('editDistance(%p, %p) is %p', (a, b, distance) => {
      expect(editDistance(a, b)).toBe(distance);
      expect(editDistance(b, a)).toBe(distance);
    });
  });

  describe('didYouMean', () => {
    const keys = ['name', 'image', 'replicas', 'resources', 'ports'];

    it.each([
      ['replcas', 'replicas'],
      ['replicsa', 'replicas'],
      ['REPLICAS', 'replicas'],
      ['imgae', 'image'],
      ['resorces', 'resources'],
      ['port', 'ports'],
    ])('suggests a candidate for the typo %p', (input, expected) => {
      expect(didYouMean(input, keys)).toBe(expected);
    });

    it.each(['colour', 'xyz', 'replicaCount', 'nm'])('gives no hint when nothing is close to %p', (input) => {
      expect(didYouMean(input, keys)).toBeUndefined();
    });

    it('gives no hint without candidates', () => {
      expect(didYouMean('replicas', [])).toBeUndefined();
    });

    it('allows at most a third of the input length in edits (at least 1)', () => {
      expect(didYouMean('abcdef', ['abcdxy'])).toBe('abcdxy');
      expect(didYouMean('abcdef', ['abcxyz'])).toBeUndefined();
    });

    it('never allows more than 3 edits, however long the input', () => {
      expect(didYouMean('abcdefghijklmnop', ['abcdefghijklmxyz'])).toBe('abcdefghijklmxyz');
      expect(didYouMean('abcdefghijklmnop', ['abcdefghijklwxyz'])).toBeUndefined();
    });

    it('prefers the closest candidate, and the first of equally close ones', () => {
      expect(didYouMean('silvr', ['gold', 'silver', 'sliver'])).toBe('silver');
      expect(didYouMean('cat', ['bat', 'hat'])).toBe('bat');
    });
  });
});
