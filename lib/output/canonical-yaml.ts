import { stringify } from 'yaml';

const LEADING_KEYS = ['apiVersion', 'kind', 'metadata'];

/**
 * Kubernetes, Helm and kubectl read YAML with YAML 1.1 rules, where `on`, `yes`, `n` or `1:20`
 * are not strings. Writing with 1.1 rules quotes such strings so every reader sees a string; the
 * `core` (YAML 1.2) compatibility also quotes `0o12`, which Go's YAML readers take for an octal number.
 */
const STRINGIFY_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1', compat: 'core' } as const;

/** Sorts keys recursively so the same object always prints the same bytes. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
  return sorted;
}

/** A Kubernetes object with apiVersion, kind and metadata first and every other key sorted. */
export function canonicalObject(object: Record<string, unknown>): Record<string, unknown> {
  const sorted = sortKeysDeep(object) as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const key of [...LEADING_KEYS, ...Object.keys(sorted)]) if (key in sorted && !(key in result)) result[key] = sorted[key];
  return result;
}

/** A multi-document YAML stream of Kubernetes objects, byte-stable for the same input. */
export function toYamlDocuments(objects: readonly Record<string, unknown>[]): string {
  return objects.map((o) => stringify(canonicalObject(o), STRINGIFY_OPTIONS)).join('---\n');
}

/** One YAML document with sorted keys (for kustomization files and the like). */
export function toYaml(value: unknown): string {
  return stringify(sortKeysDeep(value), STRINGIFY_OPTIONS);
}
