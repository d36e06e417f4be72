import { childPath, type Problems, showValue } from '../errors';

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

  /**
   * The entry point of a walk over input: checks the shape of the whole value first (see
   * `inputShapeProblems`), then, when it holds, the value against this schema.
   */
  validate(value: unknown, path: string, mode: CheckMode, problems: Problems): void {
    const before = problems.list.length;
    addInputShapeProblems(value, path, problems);
    if (problems.list.length === before) this.check(value, path, mode, problems);
  }

  /** Adds a problem for each way `value` fails this schema; a step of `validate`'s walk. */
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

/**
 * A map as a spec holds it: an object literal, or what JSON and YAML parse. A Map, a Date or a class
 * instance is not one: their entries are not own keys, and reading them as a map would drop them.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The fix for a map given as something else, appended to "must be a map ..., got <value>". */
export function plainObjectFix(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
  return value instanceof Map
    ? '; write the entries as a plain object ({ key: value }, or Object.fromEntries(map)): a Map is not read'
    : '; write it as a plain object ({ key: value }): a class instance is not read';
}

/**
 * Keys every JavaScript object already has (`constructor`, `toString`, `__proto__` ...) and
 * `prototype`. Used as a name or a map key they would be read as the built-in (a construct id
 * "constructor" collides with one that exists; a `__proto__` key replaces the map's prototype), so
 * they are rejected wherever a spec names a key.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Why `key` cannot be used as a name or a map key, or undefined. */
export function reservedKeyProblem(key: string): string | undefined {
  if (!RESERVED_KEYS.has(key)) return undefined;
  return `${showValue(key)} is reserved: every JavaScript object has a "${key}" already, so it would be read as that built-in instead of your entry; choose another name (any but the built-ins such as constructor, prototype, toString and __proto__)`;
}

/** Deepest nesting of maps and lists an input may have; the spec's own deepest field is far above it. */
export const MAX_NESTING = 32;

/**
 * cdktf's token markers (cdktf/lib/tokens/private/encoding): a string, list or map token as text.
 * A spec string holding one would be resolved by cdktf as a live reference, not written as text.
 */
const CDKTF_TOKEN_MARKER = /[$#&]\{TfToken\[/;

/** True for a number that is one of cdktf's encoded number or list tokens (a NaN-adjacent double). */
function isCdktfNumberToken(value: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const top = view.getUint16(0);
  return top === 0xfdff || top === 0xfbff;
}

function tokenProblem(text: string): string {
  const marker = CDKTF_TOKEN_MARKER.exec(text)![0];
  return `${showValue(text)} contains "${marker}", the marker cdktf uses for a reference made in code: it would be resolved as one instead of written as text. Spec values are plain text; remove the marker (a live Terraform reference belongs in an escape hatch, not the spec)`;
}

/**
 * Adds a problem for each part of an input no schema can read safely, before any schema reads it:
 * nesting deeper than MAX_NESTING, a value that contains itself (both would overflow any walk over
 * it), and a string, key or number that cdktf would take for one of its tokens. The walk keeps its
 * own stack, so the input cannot overflow it either. An object shared by two fields is fine; only
 * an object inside itself is circular.
 */
export function addInputShapeProblems(input: unknown, path: string, problems: Problems): void {
  type Frame = { readonly value: unknown; readonly path: string; readonly depth: number } | { readonly leave: object };
  const stack: Frame[] = [{ value: input, path, depth: 0 }];
  const open = new Map<object, string>();
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ('leave' in frame) {
      open.delete(frame.leave);
      continue;
    }
    const { value, path: at, depth } = frame;
    if (typeof value === 'string') {
      if (CDKTF_TOKEN_MARKER.test(value)) problems.add(at, tokenProblem(value));
      continue;
    }
    if (typeof value === 'number') {
      if (isCdktfNumberToken(value)) problems.add(at, `${value} is a number cdktf encodes its references as, not a value; write the number itself`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const outer = open.get(value);
    if (outer !== undefined) {
      problems.add(
        at,
        `is nested too deep: it contains itself (it is the same object as ${outer || 'the whole input'}), a circular value that never ends; give each field a value of its own`,
      );
      continue;
    }
    if (depth >= MAX_NESTING) {
      problems.add(at, `is nested too deep: more than ${MAX_NESTING} levels of maps and lists, deeper than any field of the spec; remove the extra nesting`);
      continue;
    }
    open.set(value, at);
    stack.push({ leave: value });
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i];
      const itemPath = childPath(at, key);
      if (typeof key === 'string' && CDKTF_TOKEN_MARKER.test(key)) problems.add(itemPath, `the key ${tokenProblem(key)}`);
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
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
