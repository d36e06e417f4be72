import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { type KubeObject, objectKey } from './kubectl';

/** The objects of a kustomize folder as written, in the order of its `resources` list. */
export function readKustomization(folder: string): KubeObject[] {
  const kustomization = parse(fs.readFileSync(path.join(folder, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  return (kustomization.resources ?? []).flatMap((file) =>
    parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf8'))
      .map((doc) => doc.toJS() as KubeObject | null)
      .filter((o): o is KubeObject => o !== null),
  );
}

/** The namespaces a set of objects lives in. */
export function namespacesOf(objects: readonly KubeObject[]): string[] {
  return [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))].sort();
}

export interface FieldComparison {
  /** Fields the server dropped or rewrote: `<object> <path>: applied X, stored Y`. */
  readonly changed: string[];
  /**
   * Zero values (0, false, "") that came back absent: Kubernetes' Go types omit empty values when
   * they serialize, so "0" and "unset" are one stored state. Harmless, but noise in the output.
   */
  readonly zeroValuesOmitted: string[];
}

/**
 * Where a stored object differs from what was applied: every field that was applied must come back
 * with the same value (the server may add defaults, never drop or rewrite what we sent). A field
 * the server drops (pruned as unknown) or rewrites (canonicalized) makes a GitOps tool see a diff
 * forever.
 */
export function compareAppliedFields(applied: KubeObject, stored: KubeObject | undefined): FieldComparison {
  const key = objectKey(applied);
  if (!stored) return { changed: [`${key}: not found on the server after apply`], zeroValuesOmitted: [] };
  const differences: string[] = [];
  const zeroValuesOmitted: string[] = [];
  const walk = (want: unknown, have: unknown, at: string) => {
    if (want !== null && typeof want === 'object') {
      if (Array.isArray(want)) {
        if (!Array.isArray(have) || have.length !== want.length) {
          differences.push(`${key} ${at}: applied ${JSON.stringify(want)}, stored ${JSON.stringify(have)}`);
          return;
        }
        want.forEach((item, i) => walk(item, have[i], `${at}[${i}]`));
        return;
      }
      if (have === null || typeof have !== 'object' || Array.isArray(have)) {
        differences.push(`${key} ${at}: applied ${JSON.stringify(want)}, stored ${JSON.stringify(have)}`);
        return;
      }
      for (const [field, value] of Object.entries(want)) walk(value, (have as Record<string, unknown>)[field], at ? `${at}.${field}` : field);
      return;
    }
    if (have === undefined && (want === 0 || want === false || want === '')) zeroValuesOmitted.push(`${key} ${at}: ${JSON.stringify(want)}`);
    else if (want !== have) differences.push(`${key} ${at}: applied ${JSON.stringify(want)}, stored ${JSON.stringify(have)}`);
  };
  walk(applied, stored, '');
  return { changed: differences, zeroValuesOmitted };
}
