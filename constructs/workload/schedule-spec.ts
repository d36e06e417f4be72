import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { didYouMean } from '../../lib/did-you-mean';

/**
 * A known event (enrolment day, a red-packet draw, Double-11), written as KEDA's cron scaler and
 * Karmada's CronFederatedHPA take it: pre-scaling holds from `start` to `end`.
 */
export interface ScheduledEventSpec {
  readonly name: string;
  /** Cron line (five fields) when pre-scaling starts, e.g. "30 19 10 2 *" (19:30 on 10 February). */
  readonly start: string;
  /** Cron line when the pre-scaled floor is released and the workloads scale back on load. */
  readonly end: string;
  /** IANA time zone of the cron lines. @default "Asia/Shanghai" */
  readonly timezone?: string;
}

/**
 * A service's own event on the clusters it is declared on (white paper 4.1, scenario 1: school
 * enrolment): from `start` to `end` the workload runs at least `minReplicas` on each of them,
 * and scales on load above that up to `autoscaling.maxReplicas`.
 */
export interface ScheduledScalingSpec extends ScheduledEventSpec {
  /** Replicas held on each cluster during the event: above `autoscaling.minReplicas`, at most `autoscaling.maxReplicas`. */
  readonly minReplicas: number;
}

export const DEFAULT_EVENT_TIMEZONE = 'Asia/Shanghai';

/** Five cron fields, as KEDA's cron scaler and Karmada's CronFederatedHPA take them. */
export const CRON_LINE = { regex: /^(\S+\s+){4}\S+$/, meaning: 'a cron line with five fields such as "30 19 10 2 *"' };

const IANA_TIME_ZONE = { regex: /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/, meaning: 'an IANA time zone such as "Asia/Shanghai"' };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The five fields of the standard cron parser KEDA and Karmada use (robfig/cron): weekdays run 0-6. */
const CRON_FIELDS: readonly {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly any?: boolean;
}[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, any: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, names: WEEKDAYS, any: true },
];

/** Days in each month, February in a leap year: a date past them never comes. */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** What is wrong with one cron field (`*`, `?`, values, ranges, lists and steps), or undefined. */
function cronFieldProblem(text: string, field: (typeof CRON_FIELDS)[number]): string | undefined {
  const value = (v: string): number | undefined => {
    const named = field.names?.indexOf(v.toUpperCase()) ?? -1;
    if (named >= 0) return named + field.min;
    return /^\d+$/.test(v) ? Number(v) : undefined;
  };
  for (const item of text.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step)))
      return `the ${field.name} field "${text}" has a step that is not a positive number`;
    if (range === '*' || (range === '?' && field.any)) continue;
    const bounds = range.split('-');
    const values = bounds.map(value);
    if (bounds.length > 2 || values.some((v) => v === undefined))
      return `the ${field.name} field "${text}" is not a value, a range a-b, a list or "*"${field.names ? ` (names such as ${field.names[0]} are allowed)` : ''}`;
    const outside = values.find((v) => v! < field.min || v! > field.max);
    if (outside !== undefined) return `the ${field.name} field "${text}" has ${outside}, outside ${field.min}-${field.max}`;
    if (values.length === 2 && values[0]! > values[1]!) return `the ${field.name} field "${text}" has a range that runs backwards`;
  }
  return undefined;
}

/** What is wrong with a five-field cron line (its shape already holds), or undefined. */
export function cronLineProblem(line: string): string | undefined {
  const fields = line.trim().split(/\s+/);
  for (const [i, field] of CRON_FIELDS.entries()) {
    const problem = cronFieldProblem(fields[i], field);
    if (problem) return problem;
  }
  const [, , day, month] = fields;
  if (/^\d+$/.test(day) && /^(\d+|[A-Za-z]{3})$/.test(month)) {
    const m = /^\d+$/.test(month) ? Number(month) : MONTHS.indexOf(month.toUpperCase()) + 1;
    if (Number(day) > MONTH_DAYS[m - 1]) return `day ${day} of month ${month} never comes, so it would never fire`;
  }
  return undefined;
}

/**
 * What is wrong with a time zone name and the fix, or undefined. KEDA loads it from the IANA database, where
 * names are case-sensitive: a zone Node does not know, or a known one misspelt in case, fails.
 */
export function timeZoneProblem(zone: string): string | undefined {
  const zones = Intl.supportedValuesOf('timeZone');
  if (zones.includes(zone)) return undefined;
  const sameLetters = zones.find((z) => z.toLowerCase() === zone.toLowerCase());
  if (sameLetters) return `the IANA database spells it "${sameLetters}" (names are case-sensitive)`;
  try {
    // Aliases the canonical list leaves out ("UTC", "Asia/Chongqing") are still zones.
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    const hint = didYouMean(zone, zones);
    return `no IANA time zone is named "${zone}"; ${hint ? `did you mean "${hint}"?` : `use a zone such as "${DEFAULT_EVENT_TIMEZONE}"`}`;
  }
}

/** The message for a cron line whose fields do not hold, or undefined: for every cron field of the specs. */
export function cronLineMessage(line: string): string | undefined {
  const problem = cronLineProblem(line);
  return problem ? `${JSON.stringify(line)}: ${problem}; write a cron line such as "30 7 1 7 *" (07:30 on 1 July)` : undefined;
}

/** A five-field cron line whose fields are in range, as KEDA, Karmada and Velero parse it. */
export const cronLine = (description?: string) => s.string({ description, pattern: CRON_LINE, validate: cronLineMessage });

/** An IANA time zone Node's database knows (the one KEDA and Karmada load), spelt in its case. */
export const ianaTimeZone = (description?: string) => s.string({ description, pattern: IANA_TIME_ZONE, validate: timeZoneProblem });

/** A start that is not the end (the schema checked the cron lines and the time zone). */
export function checkScheduledEvent(event: ScheduledEventSpec, path: string, problems: Problems): void {
  if (event.start.trim().split(/\s+/).join(' ') === event.end.trim().split(/\s+/).join(' ')) {
    problems.add(`${path}.end`, `is the same time as start (${JSON.stringify(event.start)}), so the event never holds; end it later`);
  }
}

/** The fields every scheduled event has, for the schemas that embed one. */
export const scheduledEventFields = {
  name: s.name('Event name.'),
  start: cronLine('Cron line when pre-scaling starts.'),
  end: cronLine('Cron line when pre-scaling ends.'),
  timezone: ianaTimeZone('IANA time zone of the cron lines.').optional(),
};

export const scheduledScalingSchema = s.object<ScheduledScalingSpec>(
  {
    ...scheduledEventFields,
    minReplicas: s.integer({ min: 1, description: 'Replicas held on each cluster during the event.' }),
  },
  { title: 'a scheduled event', rules: [checkScheduledEvent] },
);
