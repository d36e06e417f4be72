/** A JSON value as synthesized objects hold it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One RFC 6902 operation; Karmada's `plaintext` overrider takes the same three. */
export type JsonPatchOperation =
  { readonly op: 'add' | 'replace'; readonly path: string; readonly value: JsonValue } | { readonly op: 'remove'; readonly path: string };

/** An RFC 6901 reference token: label keys such as `govcloud.io/cluster` contain "/". */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${escapePointerToken(String(t))}`).join('');
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The operations that turn `from` into `to`, smallest first: objects are compared key by key
 * (sorted, so the result does not depend on key order), arrays element by element when their
 * lengths match and replaced whole otherwise (index-wise adds and removes would shift the
 * indices of later operations), anything else replaced.
 */
export function jsonDiff(from: JsonValue, to: JsonValue, tokens: readonly (string | number)[] = []): JsonPatchOperation[] {
  if (jsonEqual(from, to)) return [];
  if (isJsonObject(from) && isJsonObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((key): JsonPatchOperation[] => {
      const path = [...tokens, key];
      if (!(key in to)) return [{ op: 'remove', path: pointer(path) }];
      if (!(key in from)) return [{ op: 'add', path: pointer(path), value: to[key] }];
      return jsonDiff(from[key], to[key], path);
    });
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    return from.flatMap((item, i) => jsonDiff(item, to[i], [...tokens, i]));
  }
  return [{ op: 'replace', path: pointer(tokens), value: to }];
}

/** A deep copy, so folded objects never share structure with the constructs' own JSON. */
export function cloneJson<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
