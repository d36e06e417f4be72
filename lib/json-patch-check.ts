/**
 * Whether a JSON patch operation (RFC 6902) applies to a document. cdk8s applies patches without
 * this check: a `remove` or `replace` of a path that does not exist is silently dropped or writes
 * a new field, a missing parent fails deep inside serialization. Checking first turns each of these
 * into an error that says which step of the path is missing.
 */

import { showValue } from './errors';

const OPERATIONS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `/spec/a~1b` -> `['spec', 'a/b']`; undefined when it is not a JSON pointer. */
function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const pointerOf = (tokens: readonly string[]) =>
  tokens.length === 0 ? '(the object)' : `/${tokens.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** An array index token: `0`, `12`, never `01` or `-1`. */
const isIndex = (token: string) => /^(0|[1-9]\d*)$/.test(token);

/** What is at `tokens`, or the first step that is missing, described for a message. */
function resolve(document: unknown, tokens: readonly string[]): { found: true; value: unknown } | { found: false; missing: string } {
  let node = document;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const at = pointerOf(tokens.slice(0, i));
    if (Array.isArray(node)) {
      if (!isIndex(token) || Number(token) >= node.length) {
        return { found: false, missing: `${at} is a list of ${node.length} item(s), which has no item ${JSON.stringify(token)}` };
      }
      node = node[Number(token)];
    } else if (isObject(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, token)) {
        const keys = Object.keys(node);
        const shown = keys.length > 8 ? `${keys.slice(0, 8).join(', ')} ...` : keys.join(', ');
        return { found: false, missing: `${at} has no field ${JSON.stringify(token)} (it has: ${shown || 'nothing'})` };
      }
      node = node[token];
    } else {
      return { found: false, missing: `${at} is ${JSON.stringify(node)}, not an object or a list` };
    }
  }
  return { found: true, value: node };
}

function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
  }
  return a === b;
}

/** Where an `add` (or the target of a `move`/`copy`) would write: its parent must exist. */
function addProblem(document: unknown, tokens: readonly string[], pointer: string): string | undefined {
  if (tokens.length === 0) return undefined; // replaces the whole document, as RFC 6902 allows
  const parent = resolve(document, tokens.slice(0, -1));
  const parentPointer = pointerOf(tokens.slice(0, -1));
  if (!parent.found)
    return `the parent ${parentPointer} of ${pointer} does not exist: ${parent.missing}; add the parent first (an add of ${parentPointer} with the whole value), or fix the path`;
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent.value)) {
    if (last !== '-' && !(isIndex(last) && Number(last) <= parent.value.length)) {
      return `${parentPointer} is a list of ${parent.value.length} item(s): an add goes at an index from 0 to ${parent.value.length}, or "-" to append, got ${JSON.stringify(last)}`;
    }
  } else if (!isObject(parent.value)) {
    return `the parent ${parentPointer} of ${pointer} is ${JSON.stringify(parent.value)}, not an object or a list; fix the path`;
  }
  return undefined;
}

/**
 * What is wrong with applying `operation` to `document`, or undefined when it applies: the
 * operation's shape (op, path, from, value), then every path it reads must exist (`remove`,
 * `replace`, `test`, the `from` of `move` and `copy`), every path it writes must have a parent
 * (`add`, `move`, `copy`), and a `test` must hold.
 */
export function jsonPatchProblem(document: unknown, operation: unknown): string | undefined {
  if (!isObject(operation)) return `must be a JSON patch operation ({ op, path, ... }), got ${showValue(operation)}`;
  const { op, path } = operation;
  if (typeof op !== 'string' || !(OPERATIONS as readonly string[]).includes(op)) return `op must be one of ${OPERATIONS.join(', ')}, got ${JSON.stringify(op)}`;
  const tokens = typeof path === 'string' ? parsePointer(path) : undefined;
  if (tokens === undefined) return `path must be a JSON pointer such as "/spec/replicas" (starting with "/"), got ${JSON.stringify(path)}`;
  if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in operation))
    return `${op === 'replace' || op === 'test' ? 'a' : 'an'} ${op} needs a value`;
  const pointer = pointerOf(tokens);
  if (op === 'move' || op === 'copy') {
    const from = typeof operation.from === 'string' ? parsePointer(operation.from) : undefined;
    if (from === undefined) return `from must be a JSON pointer such as "/spec/replicas", got ${JSON.stringify(operation.from)}`;
    const source = resolve(document, from);
    if (!source.found) return `from ${pointerOf(from)} does not exist: ${source.missing}; fix the path, or use an add with the value instead`;
    if (op === 'move' && from.length < tokens.length && from.every((t, i) => t === tokens[i])) return `cannot move ${pointerOf(from)} into itself (${pointer})`;
    return addProblem(document, tokens, pointer);
  }
  if (op === 'add') return addProblem(document, tokens, pointer);
  if (op === 'remove' && tokens.length === 0) return 'cannot remove the whole object; leave the object out of the spec instead';
  const target = resolve(document, tokens);
  if (!target.found) {
    const fix =
      op === 'replace'
        ? 'use an add to create it, or fix the path'
        : op === 'remove'
          ? 'there is nothing to remove: drop the patch, or fix the path'
          : 'fix the path';
    return `${pointer} does not exist: ${target.missing}; ${fix}`;
  }
  if (op === 'test' && !sameJson(target.value, operation.value)) {
    return `the test fails: ${pointer} is ${showValue(target.value)}, not ${showValue(operation.value)}; the object is not what the patch expects, so check it before patching`;
  }
  return undefined;
}
