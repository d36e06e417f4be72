import { type Problems, showValue } from '../errors';
import { didYouMean } from '../did-you-mean';
import { dns1123LabelProblem, toDns1123Label } from '../names';
import { parseQuantity, QUANTITY_HELP } from '../quantity';
import { parseDuration, parsePrometheusDuration, DURATION_HELP, PROMETHEUS_DURATION_HELP } from '../duration';
import { type CheckMode, type JsonSchema, reservedKeyProblem, Schema } from './schema';

export interface StringOptions {
  readonly description?: string;
  /**
   * A regular expression the value must match, with a phrase saying what it means; `explain`, when
   * given, says what is wrong with a value that does not match (appended after "; ").
   */
  readonly pattern?: { readonly regex: RegExp; readonly meaning: string; readonly explain?: (value: string) => string | undefined };
  readonly minLength?: number;
  /** At most this many characters (Kubernetes and registry limits). */
  readonly maxLength?: number;
  /**
   * A further check once the pattern holds: what is wrong with the value and the fix, as the whole
   * message after the path, or undefined (cron lines, time zones, CIDRs).
   */
  readonly validate?: (value: string) => string | undefined;
}

export class StringSchema extends Schema<string> {
  constructor(private readonly options: StringOptions = {}) {
    super(options.description);
  }

  describe(): string {
    return this.options.pattern ? this.options.pattern.meaning : 'a string';
  }

  check(value: unknown, path: string, _mode: CheckMode, problems: Problems): void {
    if (typeof value !== 'string') {
      problems.add(path, `must be ${this.describe()}, got ${showValue(value)}`);
      return;
    }
    const { minLength = 1, maxLength } = this.options;
    if (value.length < minLength) problems.add(path, `must not be empty: expected ${this.describe()}`);
    else if (maxLength !== undefined && value.length > maxLength)
      problems.add(path, `must be at most ${maxLength} characters, got ${value.length} (${showValue(value)}); shorten it`);
    else if (this.options.pattern && !this.options.pattern.regex.test(value)) {
      const why = this.options.pattern.explain?.(value);
      problems.add(path, `must be ${this.options.pattern.meaning}, got ${showValue(value)}${why ? `; ${why}` : ''}`);
    } else {
      const problem = this.options.validate?.(value);
      if (problem) problems.add(path, problem);
    }
  }

  toJsonSchema(): JsonSchema {
    return this.withDescription({
      type: 'string',
      minLength: this.options.minLength ?? 1,
      ...(this.options.maxLength !== undefined ? { maxLength: this.options.maxLength } : {}),
      ...(this.options.pattern ? { pattern: this.options.pattern.regex.source } : {}),
    });
  }
}

/** A DNS-1123 label: the name of anything that becomes a Kubernetes name or a stack name. */
export class NameSchema extends Schema<string> {
  describe(): string {
    return 'a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)';
  }

  check(value: unknown, path: string, _mode: CheckMode, problems: Problems): void {
    if (typeof value !== 'string') {
      problems.add(path, `must be ${this.describe()}, got ${showValue(value)}`);
      return;
    }
    const reason = dns1123LabelProblem(value);
    if (reason) problems.add(path, `${showValue(value)} ${reason}; try ${showValue(toDns1123Label(value))}`);
    // A name is a construct id and a map key of the code that builds it: "constructor" is taken.
    else if (reservedKeyProblem(value)) problems.add(path, reservedKeyProblem(value)!);
  }

  toJsonSchema(): JsonSchema {
    return this.withDescription({ type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' });
  }
}

/**
 * A DNS-1035 label: the name of a Kubernetes Service, which must start with a letter ("9lives" is a
 * valid DNS-1123 label but not a Service name).
 */
export class Dns1035NameSchema extends NameSchema {
  override describe(): string {
    return 'a DNS-1035 label (lower-case letters, digits and "-", starting with a letter, at most 63 characters)';
  }

  override check(value: unknown, path: string, mode: CheckMode, problems: Problems): void {
    const before = problems.list.length;
    super.check(value, path, mode, problems);
    if (problems.list.length > before || typeof value !== 'string' || /^[a-z]/.test(value)) return;
    problems.add(
      path,
      `${showValue(value)} must start with a letter: it names a Kubernetes Service, which must be a DNS-1035 label; try ${showValue(`s-${value}`.slice(0, 63))}`,
    );
  }

  override toJsonSchema(): JsonSchema {
    return this.withDescription({ type: 'string', maxLength: 63, pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$' });
  }
}

/** The largest value of a Kubernetes int32 field (replicas, ports, seconds, user ids): integers without a `max` stop here. */
export const INT32_MAX = 2147483647;

export interface NumberOptions {
  readonly description?: string;
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound: the value must be more than this. */
  readonly above?: number;
  /** Exclusive upper bound: the value must be less than this. */
  readonly below?: number;
  /** Integers only. @default true */
  readonly integer?: boolean;
}

export class NumberSchema extends Schema<number> {
  constructor(private readonly options: NumberOptions = {}) {
    super(options.description);
  }

  describe(): string {
    const { min, max, above, below } = this.options;
    const kind = this.options.integer === false ? 'a number' : 'an integer';
    if (above !== undefined && below !== undefined) return `${kind} strictly between ${above} and ${below}`;
    if (above !== undefined) return `${kind} more than ${above}${max !== undefined ? ` and at most ${max}` : ''}`;
    if (below !== undefined) return `${kind} less than ${below}${min !== undefined ? ` and at least ${min}` : ''}`;
    if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
    if (min !== undefined) return `${kind} >= ${min}`;
    if (max !== undefined) return `${kind} <= ${max}`;
    return kind;
  }

  check(value: unknown, path: string, _mode: CheckMode, problems: Problems): void {
    const integer = this.options.integer !== false;
    const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value));
    const { min, max, above, below } = this.options;
    const low = (min !== undefined && (value as number) < min) || (above !== undefined && (value as number) <= above);
    const high = (max !== undefined && (value as number) > max) || (below !== undefined && (value as number) >= below);
    if (!ok || low || high) {
      problems.add(path, `must be ${this.describe()}, got ${showValue(value)}`);
    } else if (integer && Math.abs(value) > INT32_MAX) {
      problems.add(
        path,
        `must be at most ${INT32_MAX} in size, the limit of the 32-bit integer field it lands in, got ${showValue(value)}; use a smaller number`,
      );
    }
  }

  toJsonSchema(): JsonSchema {
    const { min, max, above } = this.options;
    const integer = this.options.integer !== false;
    return this.withDescription({
      type: integer ? 'integer' : 'number',
      ...(min === undefined && above === undefined && integer ? { minimum: -INT32_MAX - 1 } : {}),
      ...(min !== undefined ? { minimum: min } : {}),
      ...(above !== undefined ? { exclusiveMinimum: above } : {}),
      ...(max !== undefined ? { maximum: max } : {}),
      ...(max === undefined && this.options.below === undefined && integer ? { maximum: INT32_MAX } : {}),
      ...(this.options.below !== undefined ? { exclusiveMaximum: this.options.below } : {}),
    });
  }
}

export class BooleanSchema extends Schema<boolean> {
  describe(): string {
    return 'true or false';
  }

  check(value: unknown, path: string, _mode: CheckMode, problems: Problems): void {
    if (typeof value !== 'boolean') problems.add(path, `must be ${this.describe()}, got ${showValue(value)}`);
  }

  toJsonSchema(): JsonSchema {
    return this.withDescription({ type: 'boolean' });
  }
}

export class EnumSchema<T extends string> extends Schema<T> {
  constructor(
    readonly values: readonly T[],
    description?: string,
  ) {
    super(description);
  }

  describe(): string {
    return `one of ${this.values.map((v) => `"${v}"`).join(', ')}`;
  }

  check(value: unknown, path: string, _mode: CheckMode, problems: Problems): void {
    if (typeof value === 'string' && (this.values as readonly string[]).includes(value)) return;
    const hint = typeof value === 'string' ? didYouMean(value, this.values) : undefined;
    problems.add(path, `must be ${this.describe()}, got ${showValue(value)}${hint ? `; did you mean "${hint}"?` : ''}`);
  }

  toJsonSchema(): JsonSchema {
    return this.withDescription({ type: 'string', enum: [...this.values] });
  }
}

/** A Kubernetes resource quantity ("500m", "4Gi"); numbers are accepted and kept as written. */
export class QuantitySchema extends Schema<string | number> {
  describe(): string {
    return QUANTITY_HELP;
  }

  check(value: unknown, path: string, _mode: CheckMode, problems: Problems): void {
    const parsed = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
    const negative = parsed === undefined || parsed < 0 || (typeof value === 'string' && value.startsWith('-'));
    if (parsed === Infinity)
      problems.add(
        path,
        `must be a finite ${QUANTITY_HELP.slice(2)}, got ${showValue(value)}, which is too large to be a number; write the amount with a suffix, such as "64" or "512Gi"`,
      );
    else if (negative) problems.add(path, `must be ${QUANTITY_HELP}, got ${showValue(value)}`);
  }

  toJsonSchema(): JsonSchema {
    return this.withDescription({
      anyOf: [
        { type: 'string', pattern: '^\\+?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\\d+)?$' },
        { type: 'number', minimum: 0 },
      ],
    });
  }
}

/** A Go-style duration ("30s", "5m", "1h30m"), the form Kubernetes and Istio APIs take. */
export class DurationSchema extends Schema<string> {
  describe(): string {
    return DURATION_HELP;
  }

  check(value: unknown, path: string, _mode: CheckMode, problems: Problems): void {
    if (typeof value !== 'string' || parseDuration(value) === undefined) problems.add(path, `must be ${DURATION_HELP}, got ${showValue(value)}`);
  }

  toJsonSchema(): JsonSchema {
    return this.withDescription({ type: 'string', pattern: '^(\\d+(\\.\\d+)?(h|m|s|ms))+$' });
  }
}

/** A Prometheus duration ("5m", "30d", "2w"): SLO windows and retention, which run to days and years. */
export class PrometheusDurationSchema extends Schema<string> {
  describe(): string {
    return PROMETHEUS_DURATION_HELP;
  }

  check(value: unknown, path: string, _mode: CheckMode, problems: Problems): void {
    const seconds = typeof value === 'string' ? parsePrometheusDuration(value) : undefined;
    if (seconds === undefined || seconds <= 0) problems.add(path, `must be ${PROMETHEUS_DURATION_HELP} (more than zero), got ${showValue(value)}`);
  }

  toJsonSchema(): JsonSchema {
    return this.withDescription({ type: 'string', pattern: '^([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$', minLength: 2 });
  }
}

/** Kubernetes IntOrString as budgets use it: a count (integer >= 0) or a percentage ("25%"). */
export class IntOrPercentSchema extends Schema<number | string> {
  describe(): string {
    return 'a count (integer >= 0) or a percentage such as "25%"';
  }

  check(value: unknown, path: string, _mode: CheckMode, problems: Problems): void {
    const count = typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX;
    const percent = typeof value === 'string' && /^\d{1,3}%$/.test(value);
    if (percent && Number(value.slice(0, -1)) > 100)
      problems.add(path, `must be a percentage of at most 100%, got ${showValue(value)}; a budget counts pods, so write "100%" or less`);
    else if (!count && !percent) problems.add(path, `must be ${this.describe()}, got ${showValue(value)}`);
  }

  toJsonSchema(): JsonSchema {
    return this.withDescription({
      anyOf: [
        { type: 'integer', minimum: 0, maximum: INT32_MAX },
        { type: 'string', pattern: '^(100|0?\\d?\\d)%$' },
      ],
    });
  }
}
