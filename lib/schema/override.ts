import { type Problems } from '../errors';
import { type CheckMode, type Difference, type JsonSchema, type Schema } from './schema';
import { type REMOVE_KEY } from './list-schema';

type NamedItemOverride<I> = ({ readonly name: string } & Override<Omit<I, 'name'>>) | { readonly name: string; readonly [REMOVE_KEY]: true };

/**
 * A region's overrides of a spec T: every field optional, `null` removes an optional field,
 * lists of named items merge by name (a new name adds an item; `$remove: true` removes one),
 * other lists replace the inherited list whole.
 */
export type Override<T> = T extends readonly (infer I)[]
  ? I extends { readonly name: string }
    ? readonly NamedItemOverride<I>[]
    : T
  : T extends object
    ? { readonly [K in keyof T]?: Override<NonNullable<T[K]>> | (undefined extends T[K] ? null : never) }
    : T;

/** The outcome of applying one region's overrides to a base spec. */
export interface Resolved<T> {
  /** The effective spec: base merged with the overrides, checked in full. */
  readonly effective: T;
  /** What the overrides changed, added and removed, path by path. */
  readonly differences: readonly Difference[];
}

/**
 * Checks `overrides` (in override mode), merges them into `base`, checks the result in full, and
 * reports every problem of all three steps together. `base` must itself be valid.
 */
export function resolveOverrides<T>(schema: Schema<T>, base: T, overrides: unknown, path: string, problems: Problems): Resolved<T> | undefined {
  const before = problems.list.length;
  schema.validate(overrides ?? {}, path, 'override', problems);
  if (problems.list.length > before) return undefined;
  const effective = schema.merge(base, overrides ?? {}, path, problems) as T;
  schema.check(effective, path, 'full', problems);
  if (problems.list.length > before) return undefined;
  const differences: Difference[] = [];
  schema.diff(base, effective, '', differences);
  return { effective, differences };
}

/** JSON Schema document for a spec (`full`) or for its override files (`override`). */
export function jsonSchemaDocument<T>(schema: Schema<T>, mode: CheckMode, id: string, title: string): JsonSchema {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: id, title, ...schema.toJsonSchema(mode) };
}
