import * as fs from 'fs';
import * as path from 'path';
import { type RunResult, run, runOk } from './run';
import { type Toolchain, sourceBuiltProviders } from './toolchain';

/** The parts of a synthesized cdk.tf.json the suite reads. */
export interface StackJson {
  readonly terraform: { readonly required_providers: Record<string, { source: string; version: string }> };
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly variable?: Record<string, { sensitive?: boolean; ephemeral?: boolean }>;
}

/** Written beside cdk.tf.json in source mode: asks for the exact source builds in the mirror. */
const PROVIDER_OVERRIDE_FILE = 'e2e_providers_override.tf.json';

/**
 * Terraform as the suite runs it: providers from the toolchain's filesystem mirror through the
 * suite's own CLI config (TF_CLI_CONFIG_FILE, for these child processes only), no prompts, no
 * update checks.
 */
export class Terraform {
  readonly env: Readonly<Record<string, string | undefined>>;

  /**
   * `env`: more variables for the terraform processes (and so for its providers). `terraformrc`:
   * another CLI config for the mirror (source mode), such as the one the README shows.
   */
  constructor(
    private readonly toolchain: Toolchain,
    env: Readonly<Record<string, string>> = {},
    terraformrc = toolchain.providers.terraformrc,
  ) {
    const fromSource = toolchain.providers.mode === 'source';
    this.env = {
      ...env,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      // Source mode: the mirror only. Registry mode: the user's own config, and one download per
      // provider version for all stacks.
      ...(fromSource ? { TF_CLI_CONFIG_FILE: terraformrc } : { TF_PLUGIN_CACHE_DIR: path.join(toolchain.cache, 'terraform-plugin-cache') }),
    };
    if (!fromSource) fs.mkdirSync(path.join(toolchain.cache, 'terraform-plugin-cache'), { recursive: true });
  }

  static readStack(stackDir: string): StackJson {
    return JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson;
  }

  /**
   * `terraform init`. Without `backend`, the stack's backend (S3, Kubernetes) is not contacted:
   * enough for validate. In source mode the mirror holds pre-release versions
   * (`3.2.1-src.<commit>`), which no range selects: an override file beside the stack's JSON asks
   * for exactly those; the synthesized file itself is never changed. In registry mode Terraform
   * resolves the stack's own range.
   */
  async init(stackDir: string, options: { backend: boolean }): Promise<RunResult> {
    const built = sourceBuiltProviders(this.toolchain);
    if (built.length > 0) {
      const required = Object.fromEntries(built.map((p) => [p.name, { source: `hashicorp/${p.name}`, version: p.installed }]));
      fs.writeFileSync(path.join(stackDir, PROVIDER_OVERRIDE_FILE), `${JSON.stringify({ terraform: { required_providers: required } }, null, 2)}\n`);
    }
    return this.ok(stackDir, ['init', '-input=false', '-no-color', `-backend=${options.backend}`]);
  }

  /** `terraform validate`; the result, so a test can assert a failure and its message. */
  validate(stackDir: string): Promise<RunResult> {
    return run('terraform', ['validate', '-no-color'], { cwd: stackDir, env: this.env });
  }

  apply(stackDir: string, args: readonly string[], variables: Record<string, string>): Promise<RunResult> {
    return this.ok(stackDir, ['apply', '-input=false', '-no-color', '-auto-approve', ...args], variables);
  }

  /** `terraform plan -detailed-exitcode`: exit 0 means no changes, 2 means changes, 1 an error. */
  plan(stackDir: string, args: readonly string[], variables: Record<string, string>): Promise<RunResult> {
    return run('terraform', ['plan', '-input=false', '-no-color', '-detailed-exitcode', ...args], {
      cwd: stackDir,
      env: { ...this.env, ...tfVars(variables) },
    });
  }

  private ok(stackDir: string, args: string[], variables: Record<string, string> = {}): Promise<RunResult> {
    return runOk('terraform', args, { cwd: stackDir, env: { ...this.env, ...tfVars(variables) } });
  }
}

function tfVars(variables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [`TF_VAR_${name}`, value]));
}

/** Every stack folder under `<output root>/terraform/stacks`. */
export function stackDirectories(outdir: string): string[] {
  const root = path.join(outdir, 'terraform', 'stacks');
  return fs
    .readdirSync(root)
    .filter((name) => fs.existsSync(path.join(root, name, 'cdk.tf.json')))
    .sort()
    .map((name) => path.join(root, name));
}

/** Addresses (`type.name`) of the stack's resources whose type matches. */
export function resourceAddresses(stack: StackJson, typeMatches: (type: string) => boolean): string[] {
  return Object.entries(stack.resource ?? {})
    .filter(([type]) => typeMatches(type))
    .flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`))
    .sort();
}

/**
 * A value for each of the stack's input variables. The sensitive ones are credentials the pipeline
 * sets (TF_VAR_...); a test API server has no use for real ones, and these are not secrets.
 */
export function dummyVariables(stack: StackJson): Record<string, string> {
  return Object.fromEntries(Object.keys(stack.variable ?? {}).map((name) => [name, `e2e-not-a-secret-${name.replace(/_/g, '-')}`]));
}
