/**
 * Memoizes `compute(owner, key)` per owner object and key, holding the owner weakly. For values
 * derived from immutable specs (a region's resolved spec never changes), computed once however
 * often constructs, checks and reports ask.
 */
export function cachePerObject<Owner extends object, Key, Value>(
  compute: (owner: Owner, key: Key) => Value,
  keyOf: (key: Key) => string,
): (owner: Owner, key: Key) => Value {
  const cache = new WeakMap<Owner, Map<string, Value>>();
  return (owner, key) => {
    let values = cache.get(owner);
    if (!values) cache.set(owner, (values = new Map<string, Value>()));
    const id = keyOf(key);
    if (!values.has(id)) values.set(id, compute(owner, key));
    return values.get(id)!;
  };
}
