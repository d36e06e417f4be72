import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { SCHEMA_DIRECTORY, specJsonSchemas } from '../blueprints/spec-json-schemas';
import { citizenServices } from '../blueprints/citizen-services';
import { changsha } from '../blueprints/regions/changsha';
import { zhuzhou } from '../blueprints/regions/zhuzhou';

describe('published JSON Schemas (blueprints/schema/)', () => {
  const generated = specJsonSchemas();
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const overrides = ajv.compile(generated['region-overrides.schema.json']);
  const blueprint = ajv.compile(generated['blueprint.schema.json']);

  it.each(Object.keys(generated))('%s is committed and up to date (run `npm run schema`)', (file) => {
    expect(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIRECTORY, file), 'utf8'))).toEqual(generated[file]);
  });

  it('accepts the default blueprint and every region file', () => {
    expect(blueprint(citizenServices)).toBe(true);
    for (const region of [changsha, zhuzhou, parse(fs.readFileSync(path.resolve(__dirname, '../blueprints/regions/xiangtan.yaml'), 'utf8'))]) {
      expect(overrides(region) ? [] : overrides.errors).toEqual([]);
    }
  });

  it('rejects what the library rejects: unknown keys, wrong types, partial removals', () => {
    expect(overrides({ services: [{ name: 'citizen-app', replcas: 3 }] })).toBe(false);
    expect(overrides({ services: [{ name: 'citizen-app', replicas: 'three' }] })).toBe(false);
    expect(overrides({ services: [{ name: 'citizen-app', $remove: true, replicas: 3 }] })).toBe(false);
    expect(overrides({ services: [{ name: 'citizen-app', autoscaling: null, replicas: 3 }] })).toBe(true);
    expect(blueprint({ ...citizenServices, clusters: undefined })).toBe(false);
  });
});
