/**
 * Output plumbing: canonical YAML, the staged output directory, reading YAML override files,
 * synth's command line and the package root lookup.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { canonicalObject, sortKeysDeep, toYaml, toYamlDocuments } from '../../lib/output/canonical-yaml';
import { OUTPUT_MARK, OUTPUT_MARK_CONTENT, StagedOutput } from '../../lib/output/staged-output';
import { readYamlFile } from '../../lib/yaml-file';
import { ValidationError } from '../../lib/errors';
import { outputTarget, parseRegionList } from '../../lib/cli/options';
import { UsageError } from '../../lib/cli/run-cli';
import { packageRoot } from '../../lib/package-root';

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-output-test-'));
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every file below `dir`, as relative paths with forward slashes, sorted. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path
        .relative(dir, path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name))
        .split(path.sep)
        .join('/'),
    )
    .sort();
}

function writeFile(relative: string, content: string): string {
  const file = path.join(tmp, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

describe('canonical YAML', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { b: '2', a: '1' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
  };
  const sameDeploymentOtherOrder = {
    spec: { selector: { matchLabels: { app: 'web' } }, replicas: 2 },
    metadata: { labels: { a: '1', b: '2' }, name: 'web' },
    kind: 'Deployment',
    apiVersion: 'apps/v1',
  };

  it('prints the same object built in different key orders as identical bytes', () => {
    expect(toYamlDocuments([sameDeploymentOtherOrder])).toBe(toYamlDocuments([deployment]));
    expect(toYaml(sameDeploymentOtherOrder)).toBe(toYaml(deployment));
  });

  it('puts apiVersion, kind and metadata first, then the other keys sorted', () => {
    const object = { zeta: 1, spec: {}, metadata: { name: 'x' }, data: {}, kind: 'ConfigMap', apiVersion: 'v1' };
    expect(Object.keys(canonicalObject(object))).toEqual(['apiVersion', 'kind', 'metadata', 'data', 'spec', 'zeta']);
  });

  it('leads with whichever of apiVersion, kind and metadata are present', () => {
    expect(Object.keys(canonicalObject({ b: 1, kind: 'List', a: 2 }))).toEqual(['kind', 'a', 'b']);
  });

  it('sorts nested keys, including keys of objects inside lists, and keeps list order', () => {
    expect(
      toYamlDocuments([
        {
          kind: 'K',
          spec: {
            ports: [
              { port: 80, name: 'http' },
              { port: 443, name: 'https' },
            ],
          },
        },
      ]),
    ).toBe(['kind: K', 'spec:', '  ports:', '    - name: http', '      port: 80', '    - name: https', '      port: 443', ''].join('\n'));
  });

  it('separates documents with "---" and parses back to the same objects', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } };
    const text = toYamlDocuments([deployment, configMap]);
    expect(text.split('\n').filter((line) => line === '---')).toHaveLength(1);
    expect(text).toContain('\n---\napiVersion: v1\nkind: ConfigMap\n');
    expect(parseAllDocuments(text).map((document) => document.toJS())).toEqual([deployment, configMap]);
  });

  it('prints nothing for no objects', () => {
    expect(toYamlDocuments([])).toBe('');
  });

  it('does not wrap long strings', () => {
    const long = 'word '.repeat(40).trim();
    expect(toYaml({ description: long })).toBe(`description: ${long}\n`);
  });

  it('writes an object referenced twice in full, not as an alias', () => {
    const shared = { app: 'web' };
    const text = toYaml({ a: shared, b: shared });
    expect(text).not.toMatch(/[&*]/);
    expect(text).toBe('a:\n  app: web\nb:\n  app: web\n');
  });

  it('quotes strings that would otherwise read as numbers', () => {
    expect(toYaml({ port: '8080' })).toBe('port: "8080"\n');
  });

  it('sortKeysDeep leaves scalars and null alone and does not mutate its input', () => {
    const input = { b: [{ d: 1, c: null }], a: 'x' };
    const copy = JSON.parse(JSON.stringify(input));
    expect(sortKeysDeep(input)).toEqual(input);
    expect(Object.keys(sortKeysDeep(input) as object)).toEqual(['a', 'b']);
    expect(input).toEqual(copy);
    expect(Object.keys(input)).toEqual(['b', 'a']);
    expect([sortKeysDeep(null), sortKeysDeep(3), sortKeysDeep('s')]).toEqual([null, 3, 's']);
  });
});

describe('StagedOutput', () => {
  const target = () => path.join(tmp, 'out');
  /** A previous output: it carries the mark a commit writes. */
  const marked = () => writeFile(`out/${OUTPUT_MARK}`, OUTPUT_MARK_CONTENT);

  it('does not touch the target before commit', () => {
    marked();
    fs.writeFileSync(path.join(target(), 'old.yaml'), 'old');
    const output = new StagedOutput(target());
    output.write('new.yaml', 'new');
    expect(filesUnder(target())).toEqual([OUTPUT_MARK, 'old.yaml']);
    output.abort();
  });

  it('stages beside the target, in a hidden directory', () => {
    const output = new StagedOutput(target());
    expect(output.staging).toBe(path.join(tmp, '.out.staging'));
    expect(fs.statSync(output.staging).isDirectory()).toBe(true);
    output.abort();
  });

  it('commit replaces an existing target completely: old files are gone', () => {
    marked();
    writeFile('out/old.yaml', 'old');
    writeFile('out/stale/deep.yaml', 'old');
    const output = new StagedOutput(target());
    output.write('regions/eu/app.yaml', 'kind: A\n');
    output.write('README.md', '# out\n');
    output.commit();
    expect(filesUnder(target())).toEqual([OUTPUT_MARK, 'README.md', 'regions/eu/app.yaml']);
    expect(fs.readFileSync(path.join(target(), 'regions/eu/app.yaml'), 'utf8')).toBe('kind: A\n');
  });

  it('commit leaves no staging or previous directory behind', () => {
    marked();
    writeFile('out/old.yaml', 'old');
    const output = new StagedOutput(target());
    output.write('a.yaml', 'a');
    output.commit();
    expect(fs.readdirSync(tmp)).toEqual(['out']);
  });

  it('commit creates the target, and its parents, when missing', () => {
    const nested = path.join(tmp, 'deep', 'er', 'out');
    const output = new StagedOutput(nested);
    output.write('a.yaml', 'a');
    output.commit();
    expect(filesUnder(nested)).toEqual([OUTPUT_MARK, 'a.yaml']);
  });

  it('abort leaves the existing target untouched and removes the staging directory', () => {
    marked();
    writeFile('out/old.yaml', 'old');
    const output = new StagedOutput(target());
    output.write('new.yaml', 'new');
    output.abort();
    expect(filesUnder(target())).toEqual([OUTPUT_MARK, 'old.yaml']);
    expect(fs.readFileSync(path.join(target(), 'old.yaml'), 'utf8')).toBe('old');
    expect(fs.existsSync(output.staging)).toBe(false);
  });

  it('clears a stale staging directory a killed run left behind', () => {
    writeFile('.out.staging/leftover.yaml', 'stale');
    const output = new StagedOutput(target());
    output.write('a.yaml', 'a');
    output.commit();
    expect(filesUnder(target())).toEqual([OUTPUT_MARK, 'a.yaml']);
  });

  it.each(['../x', '../../etc/passwd', 'a/../../x', '../.out.staging-sibling/x', '.', ''])('refuses to write %p, which escapes the output root', (relative) => {
    const output = new StagedOutput(target());
    expect(() => output.write(relative, 'x')).toThrow('escapes the output directory');
    output.abort();
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('refuses an absolute path', () => {
    const output = new StagedOutput(target());
    expect(() => output.write(path.join(tmp, 'evil.txt'), 'x')).toThrow('escapes the output directory');
    expect(fs.existsSync(path.join(tmp, 'evil.txt'))).toBe(false);
    output.abort();
  });

  it('allows ".." that stays inside the root', () => {
    const output = new StagedOutput(target());
    output.write('a/../b.yaml', 'b');
    output.commit();
    expect(filesUnder(target())).toEqual([OUTPUT_MARK, 'b.yaml']);
  });

  it('copies a directory into the staged tree', () => {
    writeFile('source/chart/Chart.yaml', 'name: c\n');
    writeFile('source/chart/templates/t.yaml', 't\n');
    const output = new StagedOutput(target());
    output.copyDirectory(path.join(tmp, 'source'), 'charts');
    output.commit();
    expect(filesUnder(target())).toEqual([OUTPUT_MARK, 'charts/chart/Chart.yaml', 'charts/chart/templates/t.yaml']);
  });

  it('refuses to copy a directory outside the root', () => {
    writeFile('source/a.txt', 'a');
    const output = new StagedOutput(target());
    expect(() => output.copyDirectory(path.join(tmp, 'source'), '../copied')).toThrow('escapes the output directory');
    output.abort();
  });

  it.each<[string, (output: StagedOutput) => void]>([
    ['write', (output) => output.write('a.yaml', 'a')],
    ['copyDirectory', (output) => output.copyDirectory(tmp, 'copy')],
    ['commit', (output) => output.commit()],
  ])('%s throws after commit', (_name, act) => {
    const output = new StagedOutput(target());
    output.commit();
    expect(() => act(output)).toThrow(`output for ${target()} was already committed or aborted`);
  });

  it.each<[string, (output: StagedOutput) => void]>([
    ['write', (output) => output.write('a.yaml', 'a')],
    ['commit', (output) => output.commit()],
  ])('%s throws after abort', (_name, act) => {
    const output = new StagedOutput(target());
    output.abort();
    expect(() => act(output)).toThrow('already committed or aborted');
  });
});

describe('readYamlFile', () => {
  it('reads a mapping as plain data', () => {
    const file = writeFile('region.yaml', 'tier: gold\nservices:\n  - name: web\n    replicas: 3\n');
    expect(readYamlFile(file)).toEqual({ tier: 'gold', services: [{ name: 'web', replicas: 3 }] });
  });

  it.each([
    ['an empty file', ''],
    ['a file with only a comment', '# nothing to override\n'],
    ['a file with only null', '~\n'],
  ])('reads %s as {}', (_case, text) => {
    expect(readYamlFile(writeFile('empty.yaml', text))).toEqual({});
  });

  it('resolves anchors and aliases to plain copies', () => {
    expect(readYamlFile(writeFile('a.yaml', 'a: &x {b: 1}\nc: *x\n'))).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  /** The ValidationError readYamlFile threw for `text`. */
  function yamlError(text: string): { file: string; error: ValidationError } {
    const file = writeFile('bad.yaml', text);
    try {
      readYamlFile(file);
    } catch (error) {
      if (error instanceof ValidationError) return { file, error };
      throw error;
    }
    throw new Error('readYamlFile did not throw');
  }

  it('reports a duplicate key as a ValidationError naming the file', () => {
    const { file, error } = yamlError('tier: gold\nowner: me\ntier: silver\n');
    expect(error.message).toContain(`${file} is not valid YAML (1 problem)`);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].path.startsWith(file)).toBe(true);
    expect(error.problems[0].message).toContain('Map keys must be unique');
  });

  it('reports a syntax error as a ValidationError naming the file', () => {
    const { file, error } = yamlError('services: [web, api\ntier: gold\n');
    expect(error.problems.length).toBeGreaterThanOrEqual(1);
    expect(error.problems[0].path.startsWith(file)).toBe(true);
    expect(error.problems[0].message).toContain('Flow sequence');
  });

  it('keeps each problem message to one line', () => {
    const { error } = yamlError('services: [web, api\ntier: gold\n');
    for (const problem of error.problems) expect(problem.message).not.toContain('\n');
  });

  it('reports a file with several documents', () => {
    const { error } = yamlError('a: 1\n---\nb: 2\n');
    expect(error.problems[0].message).toContain('multiple documents');
  });

  it('throws a one-line error naming a missing file', () => {
    const file = path.join(tmp, 'missing.yaml');
    expect(() => readYamlFile(file)).toThrow(`cannot read ${file}: no such file or folder (ENOENT); check the path`);
  });

  it('reports a duplicate key at file:line:col', () => {
    const { file, error } = yamlError('tier: gold\nowner: me\ntier: silver\n');
    expect(error.problems[0].path).toBe(`${file}:3:1`);
  });

  it('reports a syntax error at file:line:col', () => {
    const { file, error } = yamlError('services: [web, api\ntier: gold\n');
    expect(error.problems[0].path).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+$`));
  });
});

describe('parseRegionList (--region)', () => {
  it('ignores empty entries in a comma-separated list', () => {
    expect(parseRegionList('a,,b,')).toEqual(['a', 'b']);
  });

  it.each([[','], ['']])('rejects %p: it names no region', (list) => {
    expect(() => parseRegionList(list)).toThrow(UsageError);
  });
});

describe('outputTarget (--out and CDKTF_OUTDIR)', () => {
  it('defaults to out with terraform/ inside', () => {
    expect(outputTarget(undefined, undefined)).toEqual({ outdir: 'out', terraformFolder: 'terraform' });
  });

  it('takes a CDKTF_OUTDIR named terraform for the Terraform folder of the output root above it', () => {
    expect(outputTarget(undefined, '/work/out/terraform')).toEqual({ outdir: '/work/out', terraformFolder: 'terraform' });
  });

  it("takes any other CDKTF_OUTDIR (cdktf's usual cdktf.out) for the output root, Terraform at its top", () => {
    expect(outputTarget(undefined, '/work/app/cdktf.out')).toEqual({ outdir: '/work/app/cdktf.out', terraformFolder: '.' });
  });

  it('lets --out win over CDKTF_OUTDIR', () => {
    expect(outputTarget('mine', '/work/out/terraform')).toEqual({ outdir: 'mine', terraformFolder: 'terraform' });
  });
});

describe('packageRoot', () => {
  it('finds the project root from test/lib', () => {
    expect(packageRoot(__dirname)).toBe(path.resolve(__dirname, '..', '..'));
    expect(fs.existsSync(path.join(packageRoot(__dirname), 'lib', 'package-root.ts'))).toBe(true);
  });

  it('finds it from a file path as well as a directory', () => {
    expect(packageRoot(__filename)).toBe(path.resolve(__dirname, '..', '..'));
  });

  it("skips other packages' package.json on the way up", () => {
    const dependency = path.dirname(require.resolve('ajv/package.json'));
    expect(packageRoot(path.join(dependency, 'dist'))).toBe(path.resolve(__dirname, '..', '..'));
  });

  it('throws, naming the start, when there is no such package above', () => {
    expect(() => packageRoot(tmp)).toThrow(`cannot find the govcloud-blueprint package root above ${tmp}`);
  });
});
