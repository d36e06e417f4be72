import * as path from 'path';
import { Fleet } from '../../constructs/core/fleet';
import { escapeTemplateLiterals, escapeTemplateSequences } from '../../lib/terraform/template-literals';
import { minimalBlueprint, SynthOutput, tempDir, listFiles } from '../support/fleet-fixtures';
import * as fs from 'fs';

/** What the library's own references look like once cdktf resolved them. */
const REFERENCE = /^\$\{(?:var\.[a-z0-9_]+|(?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\.[a-z0-9_]+|\[\d+\])*)\}$/;
const INJECTED = '${x}';
const DIRECTIVE = '%{y}';
const FREE_TEXT = `Edu ${INJECTED} ${DIRECTIVE}`;
const ESCAPED = 'Edu $${x} %%{y}';

/** Every `${...}` Terraform would evaluate (not preceded by another `$`) and every live `%{`. */
function liveSequences(text: string): { interpolations: string[]; directives: number } {
  const interpolations = [...text.matchAll(/(?<!\$)(?:\$\$)*\$\{[^}]*\}/g)].map((m) => m[0].replace(/^(?:\$\$)+/, ''));
  const directives = [...text.matchAll(/(?<!%)(?:%%)*%\{/g)].length;
  return { interpolations, directives };
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, child]) => [key, ...stringsOf(child)]);
  return [];
}

describe('Terraform template escaping', () => {
  it('escapes ${ and %{ in text and leaves cdktf token markers alone', () => {
    expect(escapeTemplateSequences(FREE_TEXT)).toBe(ESCAPED);
    expect(escapeTemplateSequences('plain text {braces}')).toBe('plain text {braces}');
    expect(escapeTemplateSequences('ns-${TfToken[TOKEN.12]} and ${var.x}')).toBe('ns-${TfToken[TOKEN.12]} and $${var.x}');
    // Already-escaped text stays literal: `$$${` is `$` followed by the escape of `${`.
    expect(escapeTemplateSequences('$${x}')).toBe('$$${x}');
  });

  it('escapes keys and values of plain objects and arrays, copying them, and leaves other objects alone', () => {
    const resolvable = { resolve: () => '${x}' };
    Object.setPrototypeOf(resolvable, { kind: 'token' });
    const input = { labels: { 'a${b}': '%{c}' }, list: ['${d}', 1, true, null], token: resolvable };
    const escaped = escapeTemplateLiterals(input) as typeof input;
    expect(escaped).toEqual({ labels: { 'a$${b}': '%%{c}' }, list: ['$${d}', 1, true, null], token: resolvable });
    expect(escaped.token).toBe(resolvable);
    expect(input.labels).toEqual({ 'a${b}': '%{c}' });
  });

  describe('a blueprint whose free text holds ${x} and %{y}', () => {
    const outdir = path.join(tempDir(), 'out');
    const blueprint: any = minimalBlueprint();
    blueprint.departments[0].displayName = FREE_TEXT;
    blueprint.clusters[0].connection = { kubeconfig: { path: `~/.kube/${INJECTED}`, context: `gov-${DIRECTIVE}` } };
    blueprint.clusters[0].storageClass = `csi ${INJECTED}`;
    blueprint.middleware = [{ name: 'shared-db', engine: 'postgresql', version: '17.6.0', grants: ['education'] }];
    blueprint.services[0].env = [{ name: 'GREETING', value: FREE_TEXT }];
    const fleet = new Fleet({ blueprint, outdir });
    const [region] = fleet.addRegions({ changsha: {} });
    const education = region.cluster('gov').department('education')!;
    region.escapeHatches.overrideTerraform(education.namespace, 'metadata.labels', { vendor: `acme ${INJECTED}` }, 'vendor label');
    fleet.synth();
    const out = new SynthOutput(outdir);
    const stack = out.stack('changsha-gov');

    it('writes every such string to cdk.tf.json as literal text', () => {
      const namespace = out.resources('changsha-gov', 'kubernetes_namespace_v1')['changsha-gov/education/namespace'];
      expect(namespace.metadata.annotations['govcloud.io/display-name']).toBe(ESCAPED);
      expect(namespace.metadata.labels.vendor).toBe('acme $${x}');
      expect(stack.provider.kubernetes[0]).toMatchObject({ config_path: '~/.kube/$${x}', config_context: 'gov-%%{y}' });
      const release = out.resources('changsha-gov', 'helm_release')['changsha-gov/middleware/shared-db/release'];
      expect(release.values.join('\n')).toContain('csi $${x}');
    });

    it('leaves only the library references live, and they resolve', () => {
      const texts = stringsOf(stack);
      const live = texts.flatMap((text) => liveSequences(text).interpolations);
      expect(live.length).toBeGreaterThan(0);
      expect(live.filter((expression) => !REFERENCE.test(expression))).toEqual([]);
      expect(live).toContain('${var.middleware_shared_db_password}');
      expect(texts.reduce((sum, text) => sum + liveSequences(text).directives, 0)).toBe(0);
      // Nothing anywhere in the Terraform output is left with an injected expression.
      for (const file of listFiles(path.join(outdir, 'terraform'))) {
        expect(liveSequences(fs.readFileSync(file, 'utf8')).interpolations).not.toContain(INJECTED);
      }
    });

    it('keeps manifests (YAML, not Terraform) unescaped', () => {
      const deployment = out.find('changsha', 'gov', 'Deployment', 'enrolment');
      const env = deployment.spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
      expect(env.find((e) => e.name === 'GREETING')?.value).toBe(FREE_TEXT);
      expect(JSON.stringify(out.manifests('changsha', 'gov'))).not.toContain('$${');
    });
  });
});
