import * as fs from 'fs';
import { parseDocument } from 'yaml';
import { Problems } from './errors';

/**
 * Reads one YAML document (a region's overrides, say) as plain data. Syntax errors and
 * duplicate keys are reported as problems with line and column; the data itself is validated by
 * the same schema as the TypeScript form afterwards.
 */
export function readYamlFile(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  const document = parseDocument(text, { uniqueKeys: true });
  const problems = new Problems();
  for (const error of document.errors) {
    const at = error.linePos?.[0];
    problems.add(at ? `${file}:${at.line}:${at.col}` : file, error.message.split('\n')[0]);
  }
  problems.throwIfAny(`${file} is not valid YAML`);
  return document.toJS() ?? {};
}
