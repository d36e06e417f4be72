import { childPath, type Problems, showValue } from '../errors';
import { type CheckMode, type Difference, isPlainObject, type JsonSchema, plainObjectFix, reservedKeyProblem, Schema } from './schema';

/** A map with free keys (labels, annotations): overrides merge key by key; `null` removes a key. */
export class RecordSchema<T> extends Schema<{ readonly [key: string]: T }> {
  constructor(
    readonly value: Schema<T>,
    description?: string,
  ) {
    super(description);
  }

  describe(): string {
    return `a map of ${this.value.describe()}`;
  }

  check(value: unknown, path: string, mode: CheckMode, problems: Problems): void {
    if (!isPlainObject(value)) {
      problems.add(path, `must be ${this.describe()}, got ${showValue(value)}${plainObjectFix(value)}`);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      // Rejected, not skipped: merging a "__proto__" key would replace the map's prototype and lose the entry.
      const reserved = reservedKeyProblem(key);
      if (reserved) {
        problems.add(childPath(path, key), `the key ${reserved}`);
        continue;
      }
      if (item === null && mode === 'override') continue;
      this.value.check(item, childPath(path, key), mode, problems);
    }
  }

  toJsonSchema(mode: CheckMode): JsonSchema {
    const item = this.value.toJsonSchema(mode);
    return this.withDescription({ type: 'object', additionalProperties: mode === 'override' ? { anyOf: [item, { type: 'null' }] } : item });
  }

  override merge(
    base: { readonly [key: string]: T } | undefined,
    override: unknown,
    path: string,
    problems: Problems,
  ): { readonly [key: string]: T } | undefined {
    if (override === undefined) return base;
    if (override === null) return undefined;
    const merged: Record<string, T> = { ...(base ?? {}) };
    for (const [key, item] of Object.entries(override as Record<string, unknown>)) {
      if (item === null) delete merged[key];
      else merged[key] = this.value.merge(merged[key], item, childPath(path, key), problems) as T;
    }
    return merged;
  }

  override diff(before: { readonly [key: string]: T } | undefined, after: { readonly [key: string]: T } | undefined, path: string, out: Difference[]): void {
    const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
    for (const key of keys) this.value.diff(before?.[key], after?.[key], childPath(path, key), out);
  }
}
