/**
 * The escape hatches refuse a literal secret and the report hides secret values wherever the
 * providers' schemas mark an attribute sensitive or write-only (lib/terraform/sensitive-attributes.ts).
 * That list is checked here against the schemas themselves (`terraform providers schema -json`
 * with the providers the suite installs), so a provider release that marks a new attribute fails
 * this test instead of leaking its value.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runOk } from './support/run';
import { removeDirectory, temporaryDirectory } from './support/synth';
import { Terraform } from './support/terraform';
import { loadToolchain } from './support/toolchain';
import { PROVIDER_VERSIONS } from '../../constructs/core/cluster-stack';
import { type TerraformElementKind, secretValuesOfOverride } from '../../lib/terraform/sensitive-attributes';

interface SchemaBlock {
  readonly attributes?: Record<string, { sensitive?: boolean; write_only?: boolean; optional?: boolean; required?: boolean; nested_type?: SchemaBlock }>;
  readonly block_types?: Record<string, { block: SchemaBlock }>;
}
interface ProviderSchema {
  readonly provider: { block: SchemaBlock };
  readonly resource_schemas?: Record<string, { block: SchemaBlock }>;
  readonly data_source_schemas?: Record<string, { block: SchemaBlock }>;
}

/** Dotted paths of the attributes a configuration can set that the schema marks sensitive or write-only. */
function secretAttributePaths(block: SchemaBlock, prefix: string[] = []): string[] {
  const found: string[] = [];
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const settable = attribute.optional === true || attribute.required === true;
    if (settable && (attribute.sensitive === true || attribute.write_only === true)) found.push([...prefix, name].join('.'));
    if (attribute.nested_type) found.push(...secretAttributePaths(attribute.nested_type, [...prefix, name]));
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) found.push(...secretAttributePaths(nested.block, [...prefix, name]));
  return found;
}

/**
 * Write-only because their whole block is, not because they hold a secret: a `set_wo` entry's
 * `name` is the chart's values key and `type` the value's type, written as literals by design.
 */
const NO_SECRET = ['resource helm_release: set_wo.name', 'resource helm_release: set_wo.type'];

describe('the secret attribute list follows the provider schemas', () => {
  const toolchain = loadToolchain();
  const terraform = new Terraform(toolchain);
  let work: string;
  let schemas: Record<string, ProviderSchema>;

  beforeAll(async () => {
    work = temporaryDirectory('sensitive');
    const versions = toolchain.providers.mode === 'source' ? toolchain.providers.installed : PROVIDER_VERSIONS;
    const required = {
      kubernetes: { source: 'hashicorp/kubernetes', version: versions.kubernetes },
      helm: { source: 'hashicorp/helm', version: versions.helm },
    };
    fs.writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: required } }));
    await terraform.init(work, { backend: false });
    const { stdout } = await runOk('terraform', ['providers', 'schema', '-json'], { cwd: work, env: terraform.env });
    schemas = (JSON.parse(stdout) as { provider_schemas: Record<string, ProviderSchema> }).provider_schemas;
  });
  afterAll(() => {
    if (work) removeDirectory(work);
  });

  it('covers every settable sensitive or write-only attribute of the helm and kubernetes providers', () => {
    const missed: string[] = [];
    let checked = 0;
    for (const [source, schema] of Object.entries(schemas)) {
      const provider = source.split('/').pop()!;
      const elements: Array<[TerraformElementKind, string, SchemaBlock]> = [
        ['provider', provider, schema.provider.block],
        ...Object.entries(schema.resource_schemas ?? {}).map(([type, s]): [TerraformElementKind, string, SchemaBlock] => ['resource', type, s.block]),
        ...Object.entries(schema.data_source_schemas ?? {}).map(([type, s]): [TerraformElementKind, string, SchemaBlock] => ['data', type, s.block]),
      ];
      for (const [kind, type, block] of elements) {
        for (const attribute of secretAttributePaths(block)) {
          checked++;
          if (secretValuesOfOverride({ kind, type }, attribute, 'probe').length === 0 && !NO_SECRET.includes(`${kind} ${type}: ${attribute}`))
            missed.push(`${kind} ${type}: ${attribute}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(missed).toEqual([]);
  });
});
