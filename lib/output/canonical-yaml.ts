import { parse, stringify } from 'yaml';
import { PLAIN_YAML_OPTIONS, plainYaml } from './plain-yaml';

const LEADING_KEYS = ['apiVersion', 'kind', 'metadata'];

/**
 * Kubernetes, Helm and kubectl read YAML with YAML 1.1 rules, where `on`, `yes`, `n` or `1:20`
 * are not strings. Writing with 1.1 rules quotes such strings so every reader sees a string; the
 * `core` (YAML 1.2) compatibility also quotes `0o12`, which Go's YAML readers take for an octal number.
 */
const STRINGIFY_OPTIONS = PLAIN_YAML_OPTIONS;

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

/** The `yaml` package's bytes for `value`, from the plain-data writer where it covers the value. */
function write(value: unknown): string {
  return plainYaml(value) ?? stringify(value, STRINGIFY_OPTIONS);
}

/** A multi-document YAML stream of Kubernetes objects, byte-stable for the same input. */
export function toYamlDocuments(objects: readonly Record<string, unknown>[]): string {
  // Written straight from each object in canonical order: no sorted copy is made unless the
  // plain-data writer does not cover the object, and then the bytes are those of the copy.
  return objects.map((o) => plainYaml(o, canonicalKeyOrder) ?? write(canonicalObject(o))).join('---\n');
}

const INHERITED: Readonly<Record<string, unknown>> = {};

/** An array index as a property key: objects enumerate these first, in numeric order, however they were added. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;
const MAX_ARRAY_INDEX = 2 ** 32 - 2;
const isArrayIndex = (key: string): boolean => ARRAY_INDEX.test(key) && Number(key) <= MAX_ARRAY_INDEX;

/**
 * The keys of a map in the order `canonicalObject`'s copy enumerates them (depth 0: the object
 * itself; deeper: a `sortKeysDeep` copy): array indices first in numeric order, as every object
 * enumerates them (they are already first in `Object.keys`), then, at the top, apiVersion, kind
 * and metadata, then the other keys sorted.
 */
function canonicalKeyOrder(map: Readonly<Record<string, unknown>>, depth: number): string[] | undefined {
  const keys = Object.keys(map);
  // The copy would set its prototype, not a key: leave such a map to that copy.
  if (keys.includes('__proto__')) return undefined;
  let indices = 0;
  while (indices < keys.length && isArrayIndex(keys[indices])) indices++;
  const named = keys.slice(indices).sort();
  if (depth > 0) return indices === 0 ? named : [...keys.slice(0, indices), ...named];
  const leading = LEADING_KEYS.filter((key) => named.includes(key));
  // The copy leaves out a top-level key an empty object already has (`toString`, `constructor`): see canonicalObject.
  const rest = named.filter((key) => !LEADING_KEYS.includes(key) && !(key in INHERITED));
  return [...keys.slice(0, indices).filter((key) => !(key in INHERITED)), ...leading, ...rest];
}

/** One YAML document with sorted keys (for kustomization files and Helm values). */
export function toYaml(value: unknown): string {
  const sorted = sortKeysDeep(value);
  const text = plainYaml(sorted);
  if (text === undefined) return stringify(sorted, STRINGIFY_OPTIONS);
  remember(text, sorted);
  return text;
}

/**
 * Documents `toYaml` wrote lately and the data each reads back as, so that the checks reading
 * Helm values out of the written stacks skip parsing what the library itself wrote. A document
 * changed after it was written (an escape hatch) is not found here and is parsed. Bounded, and
 * emptied by {@link forgetWrittenYaml}: nothing outlives a synth.
 */
const written = new Map<string, unknown>();
const WRITTEN_MAX_ENTRIES = 2048;

function remember(text: string, value: unknown): void {
  if (written.has(text)) return;
  if (written.size >= WRITTEN_MAX_ENTRIES) written.delete(written.keys().next().value as string);
  written.set(text, readBack(value));
}

/**
 * What `yaml`'s `parse` returns for `plainYaml(value)`: the same data with `undefined` map entries
 * left out and `undefined` list items as null, deep-frozen because every reader shares it.
 */
function readBack(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map((item) => (item === undefined ? null : readBack(item))));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) copy[key] = readBack(item);
  return Object.freeze(copy);
}

/**
 * The data of a YAML document, as `yaml`'s `parse` reads it (throws as it does). For a document
 * `toYaml` wrote, the data it was written from, shared and frozen: treat it as read-only.
 */
export function readYaml(text: string): unknown {
  return written.has(text) ? written.get(text) : parse(text);
}

/** Empties the memory of written documents (the Fleet calls it when a synth ends). */
export function forgetWrittenYaml(): void {
  written.clear();
}
