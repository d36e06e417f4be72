import { type Problems } from '../errors';

/**
 * `full` checks a complete spec (required fields present, cross-field rules run).
 * `override` checks a region's deep-partial overrides: fields may be absent, `null` removes an
 * optional field, and named-list items may be partial or `{ name, $remove: true }`.
 */
export type CheckMode = 'full' | 'override';

/** A JSON Schema (draft 2020-12) node, as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** One difference between a blueprint value and a region's effective value, for reports. */
export interface Difference {
  readonly path: string;
  readonly change: 'changed' | 'added' | 'removed';
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * A node of the spec schema. Each node knows how to check a value (reporting every problem with
 * its full path), merge an override into a base value, list differences, and describe itself as
 * JSON Schema, so the four never disagree about the shape of the spec.
 */
export abstract class Schema<T> {
  /** Phantom type, invariant in T, so a schema and the interface it describes cannot drift apart. */
  declare readonly __type: (value: T) => T;

  constructor(readonly description?: string) {}

  /** True for `optional(...)`: the value may be absent. */
  get isOptional(): boolean {
    return false;
  }

  /** What a valid value looks like, for messages: "an integer >= 1". */
  abstract describe(): string;

  /** Adds a problem for each way `value` fails this schema. */
  abstract check(value: unknown, path: string, mode: CheckMode, problems: Problems): void;

  /** JSON Schema of this node for the given mode. */
  abstract toJsonSchema(mode: CheckMode): JsonSchema;

  /** `base` with `override` applied; the override was checked in `override` mode before. */
  merge(base: T | undefined, override: unknown, _path: string, _problems: Problems): T | undefined {
    if (override === undefined) return base;
    if (override === null) return undefined;
    return override as T;
  }

  /** Appends the differences between `before` and `after` below `path`. */
  diff(before: T | undefined, after: T | undefined, path: string, out: Difference[]): void {
    if (before === undefined && after === undefined) return;
    if (before === undefined) out.push({ path, change: 'added', after });
    else if (after === undefined) out.push({ path, change: 'removed', before });
    else if (!deepEqual(before, after)) out.push({ path, change: 'changed', before, after });
  }

  /** This schema, but the value may be absent. */
  optional(): Schema<T | undefined> {
    return new OptionalSchema(this);
  }

  protected withDescription(schema: JsonSchema): JsonSchema {
    return this.description ? { description: this.description, ...schema } : schema;
  }
}

/** Wraps a schema whose value may be absent (and removed with `null` in overrides). */
export class OptionalSchema<T> extends Schema<T | undefined> {
  constructor(readonly inner: Schema<T>) {
    super(inner.description);
  }

  override get isOptional(): boolean {
    return true;
  }

  describe(): string {
    return this.inner.describe();
  }

  check(value: unknown, path: string, mode: CheckMode, problems: Problems): void {
    if (value === undefined) return;
    this.inner.check(value, path, mode, problems);
  }

  toJsonSchema(mode: CheckMode): JsonSchema {
    const inner = this.inner.toJsonSchema(mode);
    return mode === 'override' ? { anyOf: [inner, { type: 'null', description: 'null removes the inherited value' }] } : inner;
  }

  override merge(base: T | undefined, override: unknown, path: string, problems: Problems): T | undefined {
    if (override === null) return undefined;
    return this.inner.merge(base, override, path, problems);
  }

  override diff(before: T | undefined, after: T | undefined, path: string, out: Difference[]): void {
    this.inner.diff(before, after, path, out);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const otherKeys = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === otherKeys.length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
