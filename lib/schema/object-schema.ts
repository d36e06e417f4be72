import { childPath, type Problems, showValue } from '../errors';
import { didYouMean } from '../did-you-mean';
import { type CheckMode, type Difference, isPlainObject, type JsonSchema, plainObjectFix, Schema } from './schema';

/** One schema per property of T; an optional property needs an `optional()` schema. */
export type FieldsOf<T> = { readonly [K in keyof T]-?: Schema<T[K]> };

/** A cross-field rule, run in `full` mode once every field of the object is individually valid. */
export type Rule<T> = (value: T, path: string, problems: Problems) => void;

export interface ObjectOptions<T> {
  readonly description?: string;
  /** What the object is, for messages ("a service"). */
  readonly title?: string;
  readonly rules?: readonly Rule<T>[];
}

/** A closed object: unknown keys are errors (with a "did you mean"), like a strict API server. */
export class ObjectSchema<T> extends Schema<T> {
  constructor(
    readonly fields: FieldsOf<T>,
    private readonly options: ObjectOptions<T> = {},
  ) {
    super(options.description);
  }

  get keys(): string[] {
    return Object.keys(this.fields);
  }

  field(key: string): Schema<unknown> | undefined {
    return Object.prototype.hasOwnProperty.call(this.fields, key) ? (this.fields as Record<string, Schema<unknown>>)[key] : undefined;
  }

  describe(): string {
    return this.options.title ?? 'an object';
  }

  check(value: unknown, path: string, mode: CheckMode, problems: Problems): void {
    if (!isPlainObject(value)) {
      problems.add(path, `must be ${this.describe()} (a map with keys ${this.keys.join(', ')}), got ${showValue(value)}${plainObjectFix(value)}`);
      return;
    }
    const before = problems.list.length;
    for (const key of Object.keys(value)) {
      if (this.field(key)) continue;
      const hint = didYouMean(key, this.keys);
      problems.add(childPath(path, key), `unknown key${hint ? `; did you mean "${hint}"?` : '.'} Allowed keys: ${this.keys.join(', ')}`);
    }
    for (const key of this.keys) {
      const schema = this.field(key)!;
      const fieldValue = value[key];
      const fieldPath = childPath(path, key);
      if (fieldValue === undefined) {
        if (mode === 'full' && !schema.isOptional) problems.add(fieldPath, `is required: set it to ${schema.describe()}`);
      } else if (fieldValue === null) {
        if (mode === 'full') problems.add(fieldPath, `must be ${schema.describe()}, got null`);
        else if (!schema.isOptional) problems.add(fieldPath, `is required and cannot be removed with null; set it to ${schema.describe()}`);
      } else {
        schema.check(fieldValue, fieldPath, mode, problems);
      }
    }
    if (mode === 'full' && problems.list.length === before) {
      for (const rule of this.options.rules ?? []) rule(value as T, path, problems);
    }
  }

  toJsonSchema(mode: CheckMode): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const key of this.keys) properties[key] = this.field(key)!.toJsonSchema(mode);
    const required = mode === 'full' ? this.keys.filter((k) => !this.field(k)!.isOptional) : [];
    return this.withDescription({
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
    });
  }

  override merge(base: T | undefined, override: unknown, path: string, problems: Problems): T | undefined {
    if (override === undefined) return base;
    if (override === null) return undefined;
    if (!isPlainObject(override)) return override as T;
    // A new object is merged into nothing, field by field, so nulls and removals inside it resolve too.
    const inherited = (base ?? {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = {};
    for (const key of this.keys) {
      const value = this.field(key)!.merge(inherited[key], override[key], childPath(path, key), problems);
      if (value !== undefined) merged[key] = value;
    }
    return merged as T;
  }

  override diff(before: T | undefined, after: T | undefined, path: string, out: Difference[]): void {
    if (before === undefined || after === undefined) {
      super.diff(before, after, path, out);
      return;
    }
    for (const key of this.keys) {
      this.field(key)!.diff((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], childPath(path, key), out);
    }
  }
}
