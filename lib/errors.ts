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

/** A short, quoted rendering of a received value for messages. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Joins a path and a key: `a.b` + `c` -> `a.b.c`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}
