import { Document } from 'yaml';

/**
 * A YAML writer for plain data (maps, lists, strings, numbers, booleans, null) that prints the
 * same bytes as the `yaml` package's `stringify` with {@link PLAIN_YAML_OPTIONS}, at a fraction of
 * its cost: it builds no document tree. It covers the shapes synth writes; for anything else it
 * returns `undefined` and the caller asks `yaml` (see `toYaml` in `canonical-yaml.ts`).
 * test/lib/plain-yaml.test.ts holds it to `yaml`'s output on every document synth writes and on
 * random data.
 */

/**
 * YAML 1.1 rules with the `core` (1.2) schema as compatibility: a string that either would read
 * as something else (`on`, `y`, `1:20`, `0o12`, `~`) is quoted, so every reader sees a string.
 */
export const PLAIN_YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1', compat: 'core' } as const;

const STRING_TAG = 'tag:yaml.org,2002:str';

/** The patterns of every non-string scalar either schema resolves, taken from `yaml` itself. */
const NON_STRING_PATTERNS: readonly RegExp[] = (() => {
  const { schema } = new Document(null, PLAIN_YAML_OPTIONS);
  return [...schema.tags, ...(schema.compat ?? [])].flatMap((tag) => {
    const test = (tag as { test?: RegExp }).test;
    return tag.default && tag.tag !== STRING_TAG && test ? [test] : [];
  });
})();

/** What `yaml` escapes or quotes in any string: control characters and unpaired surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const FORCES_DOUBLE_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** Where a plain scalar cannot be plain: leading indicators, `: `, ` #`, trailing space or colon. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Lines a YAML 1.1 reader takes for a directive or a document marker. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const MERGE_KEY = '<<';
/** Keys longer than this `yaml` writes as explicit (`? key`). */
const IMPLICIT_KEY_MAX_LENGTH = 1024;

/** Thrown inside the writer when a value is outside what it covers; never leaves this module. */
class NotPlain extends Error {}
const notPlain = new NotPlain();

/**
 * The order a map's keys are written in: the map's own (`Object.keys`) unless told otherwise;
 * undefined when the map is not to be written here (the caller then asks `yaml`).
 */
export type KeyOrder = (map: Readonly<Record<string, unknown>>, depth: number) => readonly string[] | undefined;

const OWN_ORDER: KeyOrder = (map) => Object.keys(map);

/**
 * `value` as `yaml` would stringify it with {@link PLAIN_YAML_OPTIONS}, or `undefined` when the
 * writer does not cover it. With `order`, each map is written as the copy of it with its keys in
 * that order would be (depth 0 is the document's top map).
 */
export function plainYaml(value: unknown, order: KeyOrder = OWN_ORDER): string | undefined {
  if (!isCollection(value)) return undefined; // a scalar document: `yaml` has rules of its own for those
  try {
    return `${collection(value, '', order, 0)}\n`;
  } catch (error) {
    if (error === notPlain) return undefined;
    throw error;
  }
}

type PlainMap = Record<string, unknown>;

function isPlainMap(value: unknown): value is PlainMap {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isCollection(value: unknown): value is PlainMap | unknown[] {
  return Array.isArray(value) || isPlainMap(value);
}

/** A non-empty block collection whose items start at `indent` (its first line unindented), or `{}` / `[]`. */
function collection(value: PlainMap | unknown[], indent: string, order: KeyOrder, depth: number): string {
  const lines: string[] = [];
  if (Array.isArray(value)) {
    const itemIndent = `${indent}  `;
    for (const item of value) lines.push(`- ${node(item === undefined ? null : item, itemIndent, order, depth + 1)}`);
    if (lines.length === 0) return '[]';
  } else {
    const valueIndent = `${indent}  `;
    const keys = order(value, depth);
    if (!keys) throw notPlain;
    for (const key of keys) {
      const item = value[key];
      if (item === undefined) continue;
      const keyText = scalarString(key, valueIndent, true);
      if (keyText.length > IMPLICIT_KEY_MAX_LENGTH) throw notPlain;
      if (isCollection(item)) {
        const body = collection(item, valueIndent, order, depth + 1);
        lines.push(body === '{}' || body === '[]' ? `${keyText}: ${body}` : `${keyText}:\n${valueIndent}${body}`);
      } else {
        lines.push(`${keyText}: ${scalar(item, valueIndent)}`);
      }
    }
    if (lines.length === 0) return '{}';
  }
  return lines.join(`\n${indent}`);
}

/** A list item or map value written at `indent`. */
function node(value: unknown, indent: string, order: KeyOrder, depth: number): string {
  return isCollection(value) ? collection(value, indent, order, depth) : scalar(value, indent);
}

function scalar(value: unknown, indent: string): string {
  if (typeof value === 'string') return scalarString(value, indent, false);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value < 0 ? '-.inf' : '.inf';
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  throw notPlain; // bigint, symbol, function, Date, Map, class instances: `yaml` decides
}

/**
 * A string as `yaml`'s `stringifyString` writes it with no comments, folding or flow context:
 * plain when nothing reads it as something else, a literal block for several lines, quoted
 * otherwise. The shapes whose quoting needs `yaml`'s line folding are left to it.
 */
function scalarString(value: string, indent: string, implicitKey: boolean): string {
  // `yaml` takes this string for its YAML 1.1 merge key and writes it bare, as key and as value.
  if (value === MERGE_KEY) return value;
  if (FORCES_DOUBLE_QUOTES.test(value)) throw notPlain;
  const multiLine = value.includes('\n');
  if (multiLine) {
    // Keys with a line break and strings ending in a whitespace-only line are quoted and folded by `yaml`.
    if (implicitKey || /\n[\t ]+$/.test(value)) throw notPlain;
    return literalBlock(value, indent);
  }
  if (NOT_PLAIN.test(value)) return quoted(value);
  if (DOCUMENT_MARKER.test(value)) throw notPlain; // `yaml` quotes these at the first level only
  for (const pattern of NON_STRING_PATTERNS) if (pattern.test(value)) return quoted(value);
  return value;
}

/** A one-line string in quotes: single when it holds only double quotes, else double (JSON's escapes). */
function quoted(value: string): string {
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

/** `yaml`'s literal block scalar (`|`, `|-`, `|+`, with an indentation indicator for leading spaces). */
function literalBlock(text: string, indent: string): string {
  let value = text;
  let endStart = value.length;
  while (endStart > 0) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
    endStart--;
  }
  let end = value.substring(endStart);
  const endNewline = end.indexOf('\n');
  const chomp = endNewline === -1 ? '-' : value === end || endNewline !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(/(^|(?<!\n))\n+(?!\n|$)/g, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNewline = -1;
  for (; startEnd < value.length; startEnd++) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNewline = startEnd;
    else break;
  }
  let start = value.substring(0, startNewline < startEnd ? startNewline + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}
