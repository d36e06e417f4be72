import { childPath, type Problems, showValue } from '../errors';
import { type CheckMode, deepEqual, type Difference, isPlainObject, type JsonSchema, Schema } from './schema';
import { ObjectSchema } from './object-schema';

/**
 * A plain list: an override replaces it whole. A list of plain values (cluster names, callers,
 * hosts, zones ...) holds each once: it is a set, where a repeat is a mistake that would otherwise
 * make the same object twice. Lists of maps (canary steps) have rules of their own about repeats.
 */
export class ListSchema<T> extends Schema<readonly T[]> {
  constructor(
    readonly item: Schema<T>,
    description?: string,
  ) {
    super(description);
  }

  describe(): string {
    return `a list of ${this.item.describe()}`;
  }

  check(value: unknown, path: string, mode: CheckMode, problems: Problems): void {
    if (!Array.isArray(value)) {
      problems.add(path, `must be ${this.describe()}, got ${showValue(value)}`);
      return;
    }
    // Items of a replaced list are complete values, so they are checked in full.
    value.forEach((item, i) => this.item.check(item, childPath(path, i), mode === 'override' ? 'full' : mode, problems));
    if (!this.holdsValues) return;
    const seen = new Map<unknown, number>();
    value.forEach((item, i) => {
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') return; // reported above
      const first = seen.get(item);
      if (first !== undefined)
        problems.add(childPath(path, i), `${showValue(item)} is listed twice (items ${first} and ${i}): each value may appear once; remove the repeat`);
      else seen.set(item, i);
    });
  }

  /** True when the items are plain values, not maps. */
  private get holdsValues(): boolean {
    return !(this.item instanceof ObjectSchema);
  }

  toJsonSchema(): JsonSchema {
    return this.withDescription({ type: 'array', items: this.item.toJsonSchema('full'), ...(this.holdsValues ? { uniqueItems: true } : {}) });
  }
}

/** Marks a named-list item in an override as removed: `{ name: tax-portal, $remove: true }`. */
export const REMOVE_KEY = '$remove';

export interface Named {
  readonly name: string;
}

export interface NamedListOptions {
  /** Fewest items the complete list may hold (checked on the merged spec, so a region cannot remove the last one). @default 0 */
  readonly minItems?: number;
}

/**
 * A list of named items (departments, services, clusters, ports ...). Names are unique; an
 * override merges item by item by name, appends new names, and removes an item only when told
 * to with `$remove: true`. Paths name the item, not its index: `services.citizen-app.replicas`.
 */
export class NamedListSchema<T extends Named> extends Schema<readonly T[]> {
  constructor(
    readonly item: ObjectSchema<T>,
    description?: string,
    private readonly options: NamedListOptions = {},
  ) {
    super(description);
  }

  describe(): string {
    return `a list of ${this.item.describe()} with unique names`;
  }

  check(value: unknown, path: string, mode: CheckMode, problems: Problems): void {
    if (!Array.isArray(value)) {
      problems.add(path, `must be ${this.describe()}, got ${showValue(value)}`);
      return;
    }
    const { minItems = 0 } = this.options;
    if (mode === 'full' && value.length < minItems) {
      problems.add(
        path,
        `must hold at least ${minItems} item${minItems === 1 ? '' : 's'} (${this.item.describe()}), got ${value.length}; add one, or keep the inherited one instead of removing it`,
      );
    }
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      const name = isPlainObject(item) && typeof item.name === 'string' ? item.name : undefined;
      const itemPath = name && /^[A-Za-z0-9_-]+$/.test(name) ? childPath(path, name) : childPath(path, i);
      if (name === undefined) {
        problems.add(childPath(path, i), `must be ${this.item.describe()} with a "name", got ${showValue(item)}`);
        return;
      }
      if (seen.has(name)) {
        problems.add(itemPath, `duplicate name "${name}" (items ${seen.get(name)} and ${i}): names in a list must be unique; rename or merge one of them`);
        return;
      }
      seen.set(name, i);
      if (mode === 'override' && isPlainObject(item) && REMOVE_KEY in item) {
        const extra = Object.keys(item).filter((k) => k !== 'name' && k !== REMOVE_KEY);
        if (item[REMOVE_KEY] !== true) problems.add(childPath(itemPath, REMOVE_KEY), `must be true, got ${showValue(item[REMOVE_KEY])}`);
        else if (extra.length > 0) problems.add(itemPath, `an item with ${REMOVE_KEY}: true may only carry "name", also got ${extra.join(', ')}`);
        return;
      }
      this.item.check(item, itemPath, mode, problems);
    });
  }

  toJsonSchema(mode: CheckMode): JsonSchema {
    const item = this.item.toJsonSchema(mode);
    const { minItems = 0 } = this.options;
    if (mode === 'full') return this.withDescription({ type: 'array', items: item, ...(minItems > 0 ? { minItems } : {}) });
    const removal: JsonSchema = {
      type: 'object',
      description: 'Removes the inherited item of this name.',
      properties: { name: this.item.field('name')!.toJsonSchema(mode), [REMOVE_KEY]: { const: true } },
      required: ['name', REMOVE_KEY],
      additionalProperties: false,
    };
    const partial: JsonSchema = { ...item, required: ['name'] };
    return this.withDescription({ type: 'array', items: { anyOf: [removal, partial] } });
  }

  override merge(base: readonly T[] | undefined, override: unknown, path: string, problems: Problems): readonly T[] | undefined {
    if (override === undefined) return base;
    if (override === null) return undefined;
    const merged = new Map<string, T>((base ?? []).map((item) => [item.name, item]));
    for (const entry of override as Array<Record<string, unknown>>) {
      const name = entry.name as string;
      const itemPath = childPath(path, name);
      if (entry[REMOVE_KEY] === true) {
        if (!merged.delete(name)) {
          problems.add(itemPath, `cannot remove "${name}": there is no such item to inherit (have: ${[...merged.keys()].join(', ') || 'none'})`);
        }
        continue;
      }
      merged.set(name, this.item.merge(merged.get(name), entry, itemPath, problems) as T);
    }
    return [...merged.values()];
  }

  override diff(before: readonly T[] | undefined, after: readonly T[] | undefined, path: string, out: Difference[]): void {
    const beforeByName = new Map((before ?? []).map((item) => [item.name, item]));
    const afterByName = new Map((after ?? []).map((item) => [item.name, item]));
    for (const [name, item] of beforeByName) {
      if (!afterByName.has(name)) out.push({ path: childPath(path, name), change: 'removed', before: item });
    }
    for (const [name, item] of afterByName) {
      const old = beforeByName.get(name);
      if (old === undefined) out.push({ path: childPath(path, name), change: 'added', after: item });
      else if (!deepEqual(old, item)) this.item.diff(old, item, childPath(path, name), out);
    }
  }
}
