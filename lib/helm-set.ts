/**
 * Helm's `--set` syntax, as the helm provider passes each `set`, `set_list`, `set_sensitive` and
 * `set_wo` entry of a `helm_release` to Helm (`strvals.ParseInto("<name>=<value>")`): so a checker
 * sees the values the chart is installed with, not only the values documents.
 *
 * `a.b=v` sets a nested key, `a\.b` is one key holding a dot, `list[0].c` an item of a list,
 * `\,` a literal comma, `{x,y}` a list; a comma outside braces starts another assignment, so one
 * entry can set several paths (`image.repository=x,global.imageRegistry=y`).
 */

/** One step of a values path: a map key or a list index. */
export type HelmPathStep = string | number;

/** One assignment of a `--set` expression: where, and the value (typed unless `asString`). */
export interface HelmAssignment {
  readonly path: readonly HelmPathStep[];
  readonly value: unknown;
}

/** Splits `text` at `separator` where it is neither escaped (`\`) nor inside `{...}`. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && i + 1 < text.length) {
      current += char + text[i + 1];
      i++;
    } else if (char === '{') {
      depth++;
      current += char;
    } else if (char === '}') {
      depth = Math.max(0, depth - 1);
      current += char;
    } else if (char === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** `a.b\.c[0]` -> `['a', 'b.c', 0]`. */
export function helmPath(name: string): HelmPathStep[] {
  const steps: HelmPathStep[] = [];
  for (const segment of splitTopLevel(name, '.')) {
    const match = /^(.*?)((?:\[\d+\])*)$/.exec(segment)!;
    steps.push(unescape(match[1]));
    for (const index of match[2].match(/\d+/g) ?? []) steps.push(Number(index));
  }
  // `list[0]` alone: the key is `list`; an empty leading key comes from a name starting with `[`.
  return steps.filter((step, i) => !(step === '' && typeof steps[i + 1] === 'number'));
}

const unescape = (text: string) => text.replace(/\\(.)/g, '$1');

/** strvals' typing of an unquoted value: booleans, null and integers; everything else a string. */
function typed(text: string, asString: boolean): unknown {
  if (asString) return text;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  // strvals keeps a leading zero ("0123") as text.
  if (/^-?(0|[1-9]\d*)$/.test(text)) return Number(text);
  return text;
}

/** The assignments of one `--set` expression (`<name>=<value>[,<name>=<value>...]`). */
export function parseHelmSet(expression: string, asString = false): HelmAssignment[] {
  const assignments: HelmAssignment[] = [];
  for (const part of splitTopLevel(expression, ',')) {
    const equals = indexOfUnescaped(part, '=');
    if (equals < 0) continue; // strvals rejects a key without a value; so does Helm, at apply
    const raw = part.slice(equals + 1);
    const items = raw.startsWith('{') && raw.endsWith('}') ? splitTopLevel(raw.slice(1, -1), ',') : undefined;
    // `{}` is an empty list, not a list of one empty string.
    const value = items ? (items.length === 1 && items[0] === '' ? [] : items.map((item) => typed(unescape(item), asString))) : typed(unescape(raw), asString);
    assignments.push({ path: helmPath(part.slice(0, equals)), value });
  }
  return assignments;
}

function indexOfUnescaped(text: string, char: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `values` with `value` at `path`, creating the maps and lists on the way, as Helm does. */
export function setHelmValue(values: Json, path: readonly HelmPathStep[], value: unknown): Json {
  const put = (node: unknown, i: number): unknown => {
    if (i === path.length) return value;
    const step = path[i];
    if (typeof step === 'number') {
      const list = Array.isArray(node) ? [...(node as unknown[])] : [];
      while (list.length <= step) list.push(null);
      list[step] = put(list[step], i + 1);
      return list;
    }
    const map = isObject(node) ? { ...node } : {};
    map[step] = put(map[step], i + 1);
    return map;
  };
  return path.length === 0 ? values : (put(values, 0) as Json);
}
