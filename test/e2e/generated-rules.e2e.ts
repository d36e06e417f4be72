/**
 * Every Prometheus rule the library writes, as it writes it: each PrometheusRule in the manifests
 * of the default blueprint and of every example (SLO rules and early warnings, escape hatches
 * applied) goes through `promtool check rules` with its linter, which parses each expression and
 * annotation template and rejects duplicate rules.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { runOk } from './support/run';
import { exampleNames, removeDirectory, synthesizeDefaultBlueprint, synthesizeExample, temporaryDirectory } from './support/synth';
import { loadToolchain } from './support/toolchain';

const promtool = loadToolchain().bin.promtool;

interface RuleObject {
  kind: string;
  metadata: { name: string; namespace: string };
  spec: { groups: unknown[] };
}

function ruleObjects(manifestRoot: string): Array<{ file: string; rule: RuleObject }> {
  const found: Array<{ file: string; rule: RuleObject }> = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.yaml')) {
        for (const doc of parseAllDocuments(fs.readFileSync(full, 'utf8'))) {
          const object = doc.toJS() as RuleObject | null;
          if (object?.kind === 'PrometheusRule') found.push({ file: path.relative(manifestRoot, full), rule: object });
        }
      }
    }
  };
  walk(manifestRoot);
  return found;
}

let work: string;
beforeAll(() => {
  work = temporaryDirectory('generated-rules');
});
afterAll(() => removeDirectory(work));

describe('promtool check rules on every rule the library writes', () => {
  test('the default blueprint and every example', async () => {
    const outdir = path.join(work, 'default');
    synthesizeDefaultBlueprint(outdir);
    const roots = [path.join(outdir, 'manifests'), ...exampleNames().map((name) => path.join(synthesizeExample(name, path.join(work, name)), 'manifests'))];
    const files: string[] = [];
    roots.forEach((root, r) =>
      ruleObjects(root).forEach(({ file, rule }, i) => {
        const target = path.join(work, 'rules', `${r}-${i}-${rule.metadata.namespace}-${rule.metadata.name}.yaml`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, `# ${file}\n${stringify({ groups: rule.spec.groups })}`);
        files.push(target);
      }),
    );
    // SLO rules in the department namespaces and the early warnings of every cluster.
    expect(files.some((f) => f.includes('-govcloud-early-warnings.yaml'))).toBe(true);
    expect(files.some((f) => f.includes('-service-level-objectives.yaml'))).toBe(true);
    const result = await runOk(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', ...files]);
    process.stdout.write(`[e2e] promtool check rules: ${files.length} files, ${(result.stdout.match(/SUCCESS: (\d+) rules found/g) ?? []).length} checked\n`);
    expect(result.stdout).not.toMatch(/FAILED/);
  });
});
