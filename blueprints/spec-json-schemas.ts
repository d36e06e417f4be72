import * as path from 'path';
import { jsonSchemaDocument, type JsonSchema } from '../lib/schema';
import { blueprintSchema } from '../constructs/blueprint-schema';
import { packageRoot } from '../lib/package-root';

/** Folder of the published JSON Schemas (committed, so editors can point at them). */
export const SCHEMA_DIRECTORY = path.join(packageRoot(__dirname), 'blueprints', 'schema');

/** The JSON Schemas of a blueprint file and of a region's overrides file, by file name. */
export function specJsonSchemas(): Record<string, JsonSchema> {
  return {
    'blueprint.schema.json': jsonSchemaDocument(
      blueprintSchema,
      'full',
      'https://govcloud-blueprint.dev/schema/blueprint.schema.json',
      'govcloud-blueprint blueprint',
    ),
    'region-overrides.schema.json': jsonSchemaDocument(
      blueprintSchema,
      'override',
      'https://govcloud-blueprint.dev/schema/region-overrides.schema.json',
      'govcloud-blueprint region overrides: a deep-partial of the blueprint; named lists merge by name, { name, $remove: true } removes an item, null removes an optional field',
    ),
  };
}
