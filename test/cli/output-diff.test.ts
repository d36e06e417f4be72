import * as fs from 'fs';
import * as path from 'path';
import { Fleet } from '../../constructs/core/fleet';
import { diffOutputs, formatDiff } from '../../lib/cli/output-diff';
import { nodeEntryOf } from '../../lib/cli/app';
import { runCommandLine } from '../../lib/cli/program';
import { minimalBlueprint, tempDir } from '../support/fleet-fixtures';
import { ANSI } from './cli-support';

const plain = { added: (t: string) => t, removed: (t: string) => t, changed: (t: string) => t, heading: (t: string) => t };

/** An output root with one stack and one manifest file, as synth lays them out. */
function output(stack: object, manifests: string): string {
  const root = path.join(tempDir(), 'out');
  fs.mkdirSync(path.join(root, 'terraform', 'stacks', 'changsha-gov'), { recursive: true });
  fs.writeFileSync(path.join(root, 'terraform', 'stacks', 'changsha-gov', 'cdk.tf.json'), JSON.stringify(stack));
  fs.mkdirSync(path.join(root, 'manifests', 'changsha', 'gov'), { recursive: true });
  fs.writeFileSync(path.join(root, 'manifests', 'changsha', 'gov', 'secrets.yaml'), manifests);
  return root;
}

const secret = (value: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: edu\ndata:\n  password: ${value}\n`;

describe('diffOutputs keeps secret values out of the diff', () => {
  it('redacts Secret data and sensitive attributes, but names what changed', () => {
    const before = output(
      { resource: { helm_release: { mq: { name: 'mq', set_sensitive: [{ name: 'auth.password', value: 'old-pass' }], version: '1.0.0' } } } },
      secret('b2xk'),
    );
    const after = output(
      { resource: { helm_release: { mq: { name: 'mq', set_sensitive: [{ name: 'auth.password', value: 'new-pass' }], version: '1.0.1' } } } },
      secret('bmV3'),
    );
    const diff = diffOutputs({ root: before, terraformFolder: 'terraform' }, { root: after, terraformFolder: 'terraform' }, ['changsha']);
    const text = formatDiff(diff, plain, before);
    expect(text).toContain('    ~ Secret edu/db\n        data.password (sensitive: redacted)\n');
    expect(text).toContain('    ~ helm_release.mq\n        set_sensitive[0].value (sensitive: redacted)\n        version: "1.0.0" -> "1.0.1"\n');
    for (const value of ['b2xk', 'bmV3', 'old-pass', 'new-pass']) expect(text).not.toContain(value);
    expect(diff.counts).toEqual({ added: 0, changed: 2, removed: 0 });
  });
});

describe("diffOutputs judges Terraform attributes by the providers' schemas", () => {
  /** The diff's text for one resource changed from `before` to `after` (no manifest changes). */
  function diffOf(type: string, before: object, after: object): string {
    const manifests = secret('c2FtZQ==');
    const previous = output({ resource: { [type]: { r: before } } }, manifests);
    const next = output({ resource: { [type]: { r: after } } }, manifests);
    return formatDiff(
      diffOutputs({ root: previous, terraformFolder: 'terraform' }, { root: next, terraformFolder: 'terraform' }, ['changsha']),
      plain,
      previous,
    );
  }

  it('redacts write-only attributes, whose names say nothing (set_wo, data_wo)', () => {
    const release = diffOf('helm_release', { set_wo: [{ name: 'config.dsn', value: 'old-dsn' }] }, { set_wo: [{ name: 'config.dsn', value: 'new-dsn' }] });
    expect(release).toContain('set_wo[0].value (sensitive: redacted)');
    const secretV1 = diffOf('kubernetes_secret_v1', { data_wo: { dsn: 'old-dsn' } }, { data_wo: { dsn: 'new-dsn' } });
    expect(secretV1).toContain('data_wo.dsn (sensitive: redacted)');
    for (const text of [release, secretV1]) for (const value of ['old-dsn', 'new-dsn']) expect(text).not.toContain(value);
  });

  it('redacts a secret block added whole (its values are inside)', () => {
    const text = diffOf('kubernetes_secret_v1', { metadata: { name: 'db' } }, { metadata: { name: 'db' }, binary_data: { key: 'bmV3' } });
    expect(text).toContain('binary_data (sensitive: redacted)');
    expect(text).not.toContain('bmV3');
  });

  it("shows attributes no schema marks, whatever their names say (a ConfigMap key, a volume's secret_name)", () => {
    const configMap = diffOf('kubernetes_config_map_v1', { data: { 'token-endpoint': 'https://a/t' } }, { data: { 'token-endpoint': 'https://b/t' } });
    expect(configMap).toContain('data.token-endpoint: "https://a/t" -> "https://b/t"');
    const volume = (name: string) => ({ spec: { template: { spec: { volume: [{ name: 'tls', secret: { secret_name: name } }] } } } });
    expect(diffOf('kubernetes_deployment_v1', volume('tls-a'), volume('tls-b'))).toContain(
      'spec.template.spec.volume[0].secret.secret_name: "tls-a" -> "tls-b"',
    );
  });

  it('still redacts the value of a { name, value } pair whose name says secret (an env variable, a Helm set entry)', () => {
    const env = (value: string) => ({ spec: { template: { spec: { container: [{ env: [{ name: 'DB_PASSWORD', value }] }] } } } });
    const deployment = diffOf('kubernetes_deployment_v1', env('old-pass'), env('new-pass'));
    expect(deployment).toContain('spec.template.spec.container[0].env[0].value (sensitive: redacted)');
    const set = (value: string) => ({ set: [{ name: 'auth.password', value }] });
    const release = diffOf('helm_release', set('old-pass'), set('new-pass'));
    expect(release).toContain('set[0].value (sensitive: redacted)');
    for (const text of [deployment, release]) for (const value of ['old-pass', 'new-pass']) expect(text).not.toContain(value);
  });

  it.each(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'OBS_API_KEY', 'TLS_PRIVATE_KEY'])('redacts an env variable named %s', (name) => {
    const env = (value: string) => ({ spec: { template: { spec: { container: [{ env: [{ name, value }] }] } } } });
    const deployment = diffOf('kubernetes_deployment_v1', env('old-value'), env('new-value'));
    expect(deployment).toContain('env[0].value (sensitive: redacted)');
    expect(deployment).not.toMatch(/old-value|new-value/);
  });
});

describe("diffOutputs compares a stack's other blocks and the kustomizations", () => {
  /** A stack as cdktf writes it: the given top-level blocks beside one unchanged resource. */
  const stack = (blocks: object) => ({ ...blocks, resource: { kubernetes_namespace_v1: { gov: { metadata: { name: 'gov' } } } } });
  const kustomization = (files: string[]) =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${files.map((f) => `  - ${f}\n`).join('')}`;

  /** The diff's text between two outputs, each a stack and its folder's kustomization.yaml. */
  function diffOf(
    before: object,
    after: object,
    kustomizations: [string, string] = [kustomization(['a.yaml']), kustomization(['a.yaml'])],
  ): { text: string; counts: object } {
    const previous = output(stack(before), secret('c2FtZQ=='));
    const next = output(stack(after), secret('c2FtZQ=='));
    fs.writeFileSync(path.join(previous, 'manifests', 'changsha', 'gov', 'kustomization.yaml'), kustomizations[0]);
    fs.writeFileSync(path.join(next, 'manifests', 'changsha', 'gov', 'kustomization.yaml'), kustomizations[1]);
    const diff = diffOutputs({ root: previous, terraformFolder: 'terraform' }, { root: next, terraformFolder: 'terraform' }, ['changsha']);
    return { text: formatDiff(diff, plain, previous), counts: diff.counts };
  }

  it('shows a changed backend path and provider version range (the terraform block)', () => {
    const terraform = (state: string, version: string) => ({
      terraform: { backend: { local: { path: state } }, required_providers: { kubernetes: { source: 'hashicorp/kubernetes', version } } },
    });
    const { text, counts } = diffOf(terraform('a.tfstate', '~> 2.35'), terraform('b.tfstate', '~> 2.36'));
    expect(text).toContain(
      '    ~ terraform\n        backend.local.path: "a.tfstate" -> "b.tfstate"\n        required_providers.kubernetes.version: "~> 2.35" -> "~> 2.36"\n',
    );
    expect(counts).toEqual({ added: 0, changed: 1, removed: 0 });
  });

  it('shows providers, variables, outputs and locals as their own entries, and any other block whole', () => {
    const { text, counts } = diffOf(
      { provider: { kubernetes: [{ config_path: '~/.kube/a' }] }, output: { endpoint: { value: 'a' } }, locals: { team: 'edu' }, moved: [{ from: 'a' }] },
      {
        provider: { kubernetes: [{ config_path: '~/.kube/b' }] },
        variable: { replicas: { type: 'number' } },
        locals: { team: 'health' },
        moved: [{ from: 'b' }],
      },
    );
    expect(text).toContain('    ~ provider.kubernetes\n        [0].config_path: "~/.kube/a" -> "~/.kube/b"\n');
    expect(text).toContain('    + variable.replicas (added)\n');
    expect(text).toContain('    - output.endpoint (removed)\n');
    expect(text).toContain('    ~ locals\n        team: "edu" -> "health"\n');
    expect(text).toContain('    ~ moved\n        [0].from: "a" -> "b"\n');
    expect(counts).toEqual({ added: 1, changed: 3, removed: 1 });
  });

  it("redacts a provider's credentials, a sensitive variable or output, and a block path whose name says secret", () => {
    const { text } = diffOf(
      {
        provider: { kubernetes: [{ token: 'old-token' }] },
        variable: { dsn: { sensitive: true, default: 'old-dsn' } },
        output: { kubeconfig: { sensitive: true, value: 'old-kubeconfig' } },
        terraform: { backend: { s3: { secret_key: 'old-key' } } },
      },
      {
        provider: { kubernetes: [{ token: 'new-token' }] },
        variable: { dsn: { sensitive: true, default: 'new-dsn' } },
        output: { kubeconfig: { sensitive: true, value: 'new-kubeconfig' } },
        terraform: { backend: { s3: { secret_key: 'new-key' } } },
      },
    );
    expect(text).toContain('[0].token (sensitive: redacted)');
    expect(text).toContain('variable.dsn\n        default (sensitive: redacted)');
    expect(text).toContain('output.kubeconfig\n        value (sensitive: redacted)');
    expect(text).toContain('backend.s3.secret_key (sensitive: redacted)');
    expect(text).not.toMatch(/old-|new-/);
  });

  it("shows a file dropped from a folder's kustomization.yaml", () => {
    const { text, counts } = diffOf({}, {}, [kustomization(['a.yaml', 'b.yaml']), kustomization(['a.yaml'])]);
    expect(text).toContain('  manifests/changsha/gov\n    ~ kustomization.yaml\n        resources[1]: "b.yaml" -> (none)\n');
    expect(text).toMatch(/\ndiff: 0 added, 1 changed, 0 removed in 1 region \(Terraform resources and blocks, Kubernetes objects and kustomizations\)$/);
    expect(counts).toEqual({ added: 0, changed: 1, removed: 0 });
  });

  it('finds no differences between equal outputs', () => {
    const blocks = { terraform: { backend: { local: { path: 'a.tfstate' } } }, provider: { helm: [{ kubernetes: { config_path: 'x' } }] } };
    expect(diffOf(blocks, blocks).text).toBe('diff: no differences');
  });
});

describe('nodeEntryOf (cdktf.json app)', () => {
  it.each([
    ['node app.js', 'app.js'],
    ['npm run --silent build && node dist/blueprints/main.js', 'dist/blueprints/main.js'],
    ['npx node --enable-source-maps main.cjs', 'main.cjs'],
    ['npx ts-node main.ts', undefined],
    ['node app.js && echo done', undefined],
  ])('%p -> %p', (command, entry) => {
    expect(nodeEntryOf(command)).toBe(entry);
  });
});

describe('colour', () => {
  /** Runs diff in-process on a terminal-like stdout (CI set: no progress display). */
  async function diffOutput(env: Record<string, string>, extra: string[] = []): Promise<string> {
    const chunks: string[] = [];
    const stdout = { isTTY: true, write: (text: string) => chunks.push(text) };
    const stderr = { isTTY: true, write: () => true };
    const build = () => {
      const fleet = new Fleet({ blueprint: minimalBlueprint() });
      fleet.addRegions({ changsha: {} });
      return fleet;
    };
    const code = await runCommandLine({
      argv: ['diff', '--out', path.join(tempDir(), 'none'), ...extra],
      env: { CI: '1', ...env },
      cwd: tempDir(),
      stdout,
      stderr,
      defaultApp: { name: 'test app', build },
      app: { name: 'test app', build },
    });
    expect(code).toBe(0);
    return chunks.join('');
  }

  it('colours the diff on a terminal', async () => {
    expect(await diffOutput({})).toMatch(ANSI);
  });

  it('is plain with NO_COLOR', async () => {
    const text = await diffOutput({ NO_COLOR: '1' });
    expect(text).toContain('+ Deployment education/enrolment (added)');
    expect(text).not.toMatch(ANSI);
  });

  it('is plain with --no-color', async () => {
    expect(await diffOutput({}, ['--no-color'])).not.toMatch(ANSI);
  });
});
