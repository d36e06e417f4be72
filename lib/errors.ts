/**
 * One place where problems are worded. A problem names where it is (a spec path such as
 * `regions.changsha.services.citizen-app.replicas`, or a construct path), what was received,
 * what is allowed, and the fix.
 */
export interface Problem {
  /** Spec path or construct path the problem is about. */
  readonly path: string;
  /** What is wrong, the value received, what is allowed and how to fix it. */
  readonly message: string;
  /** `file:line:column` of the value in the file it was read from (a YAML override file), if any. */
  readonly location?: string;
}

export function formatProblem(problem: Problem): string {
  const text = problem.path ? `${problem.path}: ${problem.message}` : problem.message;
  return problem.location ? `${problem.location}: ${text}` : text;
}

/** Thrown when one or more problems were found; lists all of them, not the first only. */
export class ValidationError extends Error {
  readonly problems: readonly Problem[];

  constructor(title: string, problems: readonly Problem[]) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(`${title} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

/** Collects problems; `throwIfAny` raises them together. */
export class Problems {
  private readonly items: Problem[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  addAll(problems: readonly Problem[]): void {
    this.items.push(...problems);
  }

  get list(): readonly Problem[] {
    return this.items;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  throwIfAny(title: string): void {
    if (this.items.length > 0) throw new ValidationError(title, this.items);
  }
}

/** Longest rendering of a value in a message; longer ones end in "...". */
const SHOWN_LENGTH = 60;

/**
 * A short, quoted rendering of a received value for messages: JSON, cut after 60 characters. It
 * writes only as much as it shows, so a huge, deeply nested or circular value costs no more than a
 * small one; a Map, a function or a class instance is named for what it is, which JSON would hide.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const kind = nonDataKind(value);
  if (kind) return kind;
  const text = jsonPrefix(value, SHOWN_LENGTH + 1);
  return text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH - 3)}...` : text;
}

/** "a Map", "a function", "an instance of Foo": what JSON cannot show; undefined for plain data. */
export function nonDataKind(value: unknown): string | undefined {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return String(value);
  if (typeof value === 'bigint') return String(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  if (prototype === null || prototype === Object.prototype) return undefined;
  const name = typeof prototype.constructor?.name === 'string' && prototype.constructor.name ? prototype.constructor.name : undefined;
  if (value instanceof Map) return `a Map with ${value.size} entr${value.size === 1 ? 'y' : 'ies'}`;
  if (value instanceof Set) return `a Set with ${value.size} item${value.size === 1 ? '' : 's'}`;
  if (value instanceof Date) return `a Date (${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  return name ? `an instance of ${name}` : 'an object with a prototype of its own';
}

/** The first `room` (or a few more) characters of JSON.stringify(value), never walking further than that. */
function jsonPrefix(value: unknown, room: number): string {
  if (typeof value === 'string') return value.length > room ? JSON.stringify(value.slice(0, room)) : JSON.stringify(value);
  if (typeof value === 'bigint') return String(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  const array = Array.isArray(value);
  let text = array ? '[' : '{';
  const entries: Iterable<[string, unknown]> = array ? indexed(value as unknown[]) : Object.entries(value);
  let first = true;
  for (const [key, item] of entries) {
    if (text.length > room) return text;
    const skipped = item === undefined || typeof item === 'function' || typeof item === 'symbol';
    if (skipped && !array) continue;
    text += `${first ? '' : ','}${array ? '' : `${JSON.stringify(key.length > room ? key.slice(0, room) : key)}:`}`;
    text += skipped ? 'null' : jsonPrefix(item instanceof Date ? item.toJSON() : item, room - text.length);
    first = false;
  }
  return `${text}${array ? ']' : '}'}`;
}

/** An array's items with their indices, made one at a time: showing a long array reads only its start. */
function* indexed(items: readonly unknown[]): Generator<[string, unknown]> {
  for (let i = 0; i < items.length; i++) yield [String(i), items[i]];
}

/** Longest key written whole into a path; a longer one (an unknown key of a megabyte) is cut short. */
const PATH_KEY_LENGTH = 256;

/** Joins a path and a key: `a.b` + `c` -> `a.b.c`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const shown = key.length > PATH_KEY_LENGTH ? `${key.slice(0, 40)}...(${key.length} characters)` : key;
  return path ? `${path}.${shown}` : shown;
}
