/** `npm run schema`: regenerates blueprints/schema/*.json from the spec schema. */
import * as fs from 'fs';
import * as path from 'path';
import { SCHEMA_DIRECTORY, specJsonSchemas } from './spec-json-schemas';

fs.mkdirSync(SCHEMA_DIRECTORY, { recursive: true });
for (const [file, schema] of Object.entries(specJsonSchemas())) {
  fs.writeFileSync(path.join(SCHEMA_DIRECTORY, file), `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote blueprints/schema/${file}\n`);
}
