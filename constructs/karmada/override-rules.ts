import { type JsonObject, type JsonPatchOperation, type JsonValue, isJsonObject, jsonDiff } from './json-diff';

/** `OverridePolicy.spec.overrideRules[].overriders`: only the kinds of overrider this library writes. */
export interface Overriders {
  readonly imageOverrider?: JsonObject[];
  readonly labelsOverrider?: JsonObject[];
  readonly plaintext?: JsonObject[];
}

/** One label of the object's own metadata, e.g. `/metadata/labels/govcloud.io~1cluster`. */
const OWN_LABEL = /^\/metadata\/labels\/([^/]+)$/;
/** A container image of a Pod spec, wherever the pod spec sits (Deployment template, Pod ...). */
const CONTAINER_IMAGE = /\/(containers|initContainers)\/\d+\/image$/;

/**
 * The overriders that turn the resource template `base` into `copy` (a cluster's own object), or
 * undefined when they are the same. A different registry host of a container image becomes an
 * `imageOverrider` (Registry replace, at that container's path), a different label of the
 * object's own metadata a `labelsOverrider`, and every other difference a `plaintext` JSON patch
 * operation. Karmada applies image and label overriders before plaintext; the three never touch
 * the same path, so their order does not matter.
 */
export function overridersFor(base: JsonObject, copy: JsonObject): Overriders | undefined {
  const operations = jsonDiff(base, copy);
  if (operations.length === 0) return undefined;
  const images: JsonObject[] = [];
  const labels: Record<'add' | 'replace' | 'remove', Record<string, string>> = { add: {}, replace: {}, remove: {} };
  const plaintext: JsonObject[] = [];
  for (const operation of operations) {
    const registry = operation.op === 'replace' ? registryChange(operation.path, valueAt(base, operation.path), operation.value) : undefined;
    const label = OWN_LABEL.exec(operation.path);
    if (registry) images.push({ component: 'Registry', operator: 'replace', value: registry, predicate: { path: operation.path } });
    else if (label && (operation.op === 'remove' || typeof operation.value === 'string'))
      labels[operation.op][unescapeToken(label[1])] = operation.op === 'remove' ? '' : (operation.value as string);
    else plaintext.push(plaintextOperation(operation));
  }
  const labelsOverrider = (['add', 'replace', 'remove'] as const)
    .filter((op) => Object.keys(labels[op]).length > 0)
    .map((op) => ({ operator: op, value: labels[op] }));
  return {
    ...(images.length > 0 ? { imageOverrider: images } : {}),
    ...(labelsOverrider.length > 0 ? { labelsOverrider } : {}),
    ...(plaintext.length > 0 ? { plaintext } : {}),
  };
}

/**
 * The new registry host when an image changes only in its host, as Karmada splits an image: the
 * host is everything before the first "/". A mirror with a path of its own (`swr.example/hunan`)
 * changes the repository too, so it stays a plaintext replacement. So does an image pinned by
 * digest: Karmada's image parser keeps a tag or a digest, never both, and would write
 * `<host>/<repository>:<tag>` without the digest.
 */
function registryChange(path: string, before: JsonValue | undefined, after: JsonValue): string | undefined {
  if (!CONTAINER_IMAGE.test(path) || typeof before !== 'string' || typeof after !== 'string' || after.includes('@')) return undefined;
  const [hostBefore, restBefore] = splitHost(before);
  const [hostAfter, restAfter] = splitHost(after);
  return hostBefore && hostAfter && restBefore === restAfter && hostBefore !== hostAfter ? hostAfter : undefined;
}

function splitHost(image: string): [string, string] {
  const slash = image.indexOf('/');
  return slash < 0 ? ['', image] : [image.slice(0, slash), image.slice(slash + 1)];
}

function plaintextOperation(operation: JsonPatchOperation): JsonObject {
  return operation.op === 'remove' ? { operator: 'remove', path: operation.path } : { operator: operation.op, path: operation.path, value: operation.value };
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The value at an RFC 6901 pointer, or undefined. */
export function valueAt(document: JsonValue, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = document;
  for (const token of path.split('/').slice(1).map(unescapeToken)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isJsonObject(current)) current = current[token];
    else return undefined;
  }
  return current;
}
