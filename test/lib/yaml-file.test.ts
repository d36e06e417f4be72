/**
 * YAML override files as bad input: tags, alias bombs, huge or deep documents, missing files and
 * folders; and schema problems pointed back at the file's lines.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Fleet } from '../../constructs/core/fleet';
import { ValidationError } from '../../lib/errors';
import { FileError } from '../../lib/file-errors';
import { locateYamlProblems, readYamlFile, YAML_FILE_MAX_BYTES } from '../../lib/yaml-file';
import { minimalBlueprint } from '../support/fleet-fixtures';

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-yaml-test-'));
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

/** The error readYamlFile threw for a file holding `text`. */
function thrown(text: string | Buffer): { file: string; error: unknown } {
  const file = writeFile('bad.yaml', text);
  try {
    readYamlFile(file);
  } catch (error) {
    return { file, error };
  }
  throw new Error('readYamlFile did not throw');
}

/** The "path: message" lines of the ValidationError readYamlFile threw for `text`. */
function problems(text: string): { file: string; lines: string[] } {
  const { file, error } = thrown(text);
  if (!(error instanceof ValidationError)) throw error;
  expect(error.message.split('\n')[0]).toBe(`${file} is not valid YAML (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}):`);
  return { file, lines: error.problems.map((p) => `${p.path}: ${p.message}`) };
}

describe('readYamlFile refuses what is not plain data', () => {
  it.each([
    ['!Ref', 'cluster: !Ref Gov\n', '1:10'],
    ['!!binary', 'tier: gold\nsecret: !!binary aGVsbG8=\n', '2:9'],
    ['!!timestamp', 'at: !!timestamp 2001-12-14\n', '1:5'],
    ['!!set', 'names: !!set {a, b}\n', '1:8'],
    ['!Sub', 'services:\n  - name: web\n    image: !Sub "${Registry}/web"\n', '3:12'],
  ])('an unknown tag %s, at its line and column', (tag, text, at) => {
    const { file, lines } = problems(text);
    expect(lines).toEqual([
      `${file}:${at}: unknown tag ${tag}: overrides are plain data (maps, lists, strings, numbers, booleans, null); write the value without the tag`,
    ]);
  });

  it('keeps the core tags, which only restate a plain type', () => {
    expect(readYamlFile(writeFile('ok.yaml', 'a: !!str 12\nb: !!int "3"\nc: !!map {}\nd: !!seq []\n'))).toEqual({ a: '12', b: 3, c: {}, d: [] });
  });

  it('a list or map used as a key', () => {
    const { file, lines } = problems('tier: gold\n? [a, b]\n: 1\n');
    expect(lines).toEqual([`${file}:2:3: a key must be a plain value (a name), not a map or a list; write the key as a string`]);
  });

  it('an alias bomb ("billion laughs"), naming the file', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++)
      bomb += `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const { file, lines } = problems(bomb);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${escape(file)}: its aliases \\(\\*name\\) expand to too much data .* refused as a resource exhaustion attack; write the values out or use fewer aliases$`,
        ),
      ),
    ]);
  });

  it('still reads a few aliases', () => {
    expect(readYamlFile(writeFile('ok.yaml', 'a: &x {b: 1}\nc: *x\nd: *x\n'))).toEqual({ a: { b: 1 }, c: { b: 1 }, d: { b: 1 } });
  });

  it('a document nested too deeply to parse, at its line and column', () => {
    const { file, lines } = problems(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(lines[0]).toMatch(new RegExp(`^${escape(file)}:1:\\d+: nested too deeply to parse; flatten the file$`));
  });

  it('a file over the size limit, without reading all of it', () => {
    const { file, error } = thrown(Buffer.alloc(YAML_FILE_MAX_BYTES + 1, 'a'));
    expect(error).toBeInstanceOf(FileError);
    expect((error as Error).message).toBe(
      `cannot read ${file}: it is larger than ${YAML_FILE_MAX_BYTES} bytes, the limit for a YAML file; split it or keep only what differs from the blueprint`,
    );
  });

  it('reads a file of exactly the size limit', () => {
    const text = `a: ${'b'.repeat(YAML_FILE_MAX_BYTES - 4)}\n`;
    expect(Buffer.byteLength(text)).toBe(YAML_FILE_MAX_BYTES);
    expect(readYamlFile(writeFile('big.yaml', text))).toEqual({ a: 'b'.repeat(YAML_FILE_MAX_BYTES - 4) });
  });

  it('an endless device stops at the size limit', () => {
    if (!fs.existsSync('/dev/zero')) return;
    expect(() => readYamlFile('/dev/zero')).toThrow(`cannot read /dev/zero: it is larger than ${YAML_FILE_MAX_BYTES} bytes`);
  });

  it('a missing file, in one line', () => {
    const file = path.join(tmp, 'nope', 'missing.yaml');
    expect(() => readYamlFile(file)).toThrow(new FileError(`cannot read ${file}: no such file or folder (ENOENT); check the path`, file));
  });

  it('a folder, in one line', () => {
    expect(() => readYamlFile(tmp)).toThrow(new FileError(`cannot read ${tmp}: it is a folder, not a YAML file; name the file itself`, tmp));
  });

  it('a path through a file, in one line', () => {
    const file = writeFile('plain.txt', 'x');
    expect(() => readYamlFile(path.join(file, 'region.yaml'))).toThrow(
      `cannot read ${path.join(file, 'region.yaml')}: a part of the path is a file, not a folder (ENOTDIR); fix the path`,
    );
  });
});

describe('schema problems of a YAML file carry its file:line:column', () => {
  const text = [
    'clusters:', // 1
    '  - name: gov', // 2
    '    capacity:', // 3
    '      nodes: many', // 4
    'labels:', // 5
    '  app.kubernetes.io/name: portal', // 6
    'services:', // 7
    '  - name: web', // 8
    '    replicas: 3', // 9
    '    ports:', // 10
    '      - port: 80', // 11
    '',
  ].join('\n');

  function locate(...paths: string[]): (string | undefined)[] {
    const file = writeFile('region.yaml', text);
    const data = readYamlFile(file);
    return locateYamlProblems(
      paths.map((p) => ({ path: p, message: 'm' })),
      data,
      'regions.x',
    ).map((p) => p.location?.replace(`${file}:`, ''));
  }

  it.each([
    ['a scalar value, at the value', 'regions.x.clusters.gov.capacity.nodes', '4:14'],
    ['a named list item, at its first key', 'regions.x.services.web', '8:5'],
    ['a map under a key, at the key', 'regions.x.clusters.gov.capacity', '3:5'],
    ['a list item by index', 'regions.x.services.web.ports[0].port', '11:15'],
    ['a key holding dots', 'regions.x.labels.app.kubernetes.io/name', '6:27'],
    ['a missing key, at its nearest parent', 'regions.x.services.web.autoscaling.minReplicas', '8:5'],
    ['a missing list item, at the list', 'regions.x.services.tax-portal.replicas', '7:1'],
    ['the region itself, at the start of the file', 'regions.x', '1:1'],
  ])('%s', (_case, specPath, at) => {
    expect(locate(specPath)).toEqual([at]);
  });

  it('leaves problems outside the region, and data not read from a file, as they are', () => {
    expect(locate('regions.xy.services', 'blueprint.services')).toEqual([undefined, undefined]);
    expect(locateYamlProblems([{ path: 'regions.x.a', message: 'm' }], { a: 1 }, 'regions.x')).toEqual([{ path: 'regions.x.a', message: 'm' }]);
  });

  it('a region read from YAML names file:line:column in every problem, and the message keeps its spec path', () => {
    const file = writeFile(
      'xiangtan.yaml',
      [
        'services:',
        '  - name: enrolment',
        '    replicas: -1',
        '    autoscalling: {}',
        'departments:',
        '  - name: education',
        '    quota:',
        '      cpu: lots',
        '',
      ].join('\n'),
    );
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir: path.join(tmp, 'out') });
    let error: unknown;
    try {
      fleet.addRegions({ xiangtan: { overrides: readYamlFile(file) as never, source: file } });
    } catch (caught) {
      error = caught;
    }
    if (!(error instanceof ValidationError)) throw error;
    expect(error.problems.length).toBeGreaterThanOrEqual(3);
    for (const problem of error.problems) expect(problem.location).toMatch(new RegExp(`^${escape(file)}:\\d+:\\d+$`));
    const byPath = Object.fromEntries(error.problems.map((p) => [p.path, p.location!.slice(file.length + 1)]));
    expect(byPath['regions.xiangtan.services.enrolment.replicas']).toBe('3:15');
    expect(byPath['regions.xiangtan.services.enrolment.autoscalling']).toBe('4:5');
    expect(byPath['regions.xiangtan.departments.education.quota.cpu']).toBe('8:12');
    expect(error.message).toContain(`\n  - ${file}:3:15: regions.xiangtan.services.enrolment.replicas: `);
  });

  it('a region written in TypeScript keeps its problems without a location', () => {
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir: path.join(tmp, 'out') });
    try {
      fleet.addRegions({ changsha: { overrides: { services: [{ name: 'enrolment', replicas: -1 }] } } });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      expect(error.problems.map((p) => p.location)).toEqual([undefined]);
      expect(error.message).toContain('\n  - regions.changsha.services.enrolment.replicas: ');
      return;
    }
    throw new Error('expected a ValidationError');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
