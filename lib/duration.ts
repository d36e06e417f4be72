/** Go-style durations ("250ms", "30s", "5m", "1h30m"), as Kubernetes, Istio and Velero write them. */

const DURATION = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms))+$/;
const PART = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
const SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** Seconds in a duration, or undefined if it does not parse. */
export function parseDuration(duration: string): number | undefined {
  if (!DURATION.test(duration)) return undefined;
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(PART)) total += Number(amount) * SECONDS[unit];
  return total;
}

export const DURATION_HELP = 'a duration such as "500ms", "30s", "5m" or "1h30m"';

// Prometheus durations add days, weeks and years ("30d", "2w", "1y"; a year is 365 days) and are
// written largest unit first, each unit at most once.
const PROMETHEUS_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const PROMETHEUS_UNITS: readonly [string, number][] = [
  ['y', 365 * 86400],
  ['w', 7 * 86400],
  ['d', 86400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
  ['ms', 0.001],
];

export const PROMETHEUS_DURATION_HELP = 'a Prometheus duration such as "5m", "1h", "30d" or "2w"';

/** Seconds in a Prometheus duration ("30d", "1h30m"), or undefined if it does not parse. */
export function parsePrometheusDuration(duration: string): number | undefined {
  const match = PROMETHEUS_DURATION.exec(duration);
  if (!match || duration === '') return undefined;
  return PROMETHEUS_UNITS.reduce((total, [, seconds], i) => total + Number(match[i + 1] ?? 0) * seconds, 0);
}

/** A whole number of seconds as Prometheus writes it, largest units first: 2592000 -> "30d", 5400 -> "1h30m". */
export function formatPrometheusDuration(seconds: number): string {
  let rest = Math.round(seconds * 1000);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of PROMETHEUS_UNITS) {
    const ms = Math.round(size * 1000);
    if (rest >= ms) {
      out += `${Math.floor(rest / ms)}${unit}`;
      rest %= ms;
    }
  }
  return out;
}

/**
 * A duration the way Go's `time.Duration.String()` prints it ("168h0m0s", "1m30s", "500ms"):
 * the form an API server stores `metav1.Duration` fields in, so applied objects do not drift.
 */
export function formatGoDuration(seconds: number): string {
  // Whole nanoseconds, like Go, so sub-millisecond parts survive and 59.9999s never rounds to "60s".
  const ns = Math.round(seconds * 1e9);
  if (ns === 0) return '0s';
  if (ns < 0) return `-${formatGoDuration(-seconds)}`;
  const decimal = (value: number, digits: number): string => {
    const unit = 10 ** digits;
    const fraction = String(value % unit)
      .padStart(digits, '0')
      .replace(/0+$/, '');
    return fraction ? `${Math.floor(value / unit)}.${fraction}` : `${Math.floor(value / unit)}`;
  };
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${decimal(ns, 3)}µs`;
  if (ns < 1e9) return `${decimal(ns, 6)}ms`;
  const hours = Math.floor(ns / 3.6e12);
  const minutes = Math.floor((ns % 3.6e12) / 6e10);
  const rest = `${decimal(ns % 6e10, 9)}s`;
  if (hours > 0) return `${hours}h${minutes}m${rest}`;
  if (minutes > 0) return `${minutes}m${rest}`;
  return rest;
}

/**
 * A duration as protobuf's JSON mapping writes `google.protobuf.Duration`: seconds with up to
 * nine decimals and an "s" suffix ("60s", "0.5s"). Raw Envoy configuration (EnvoyFilter patches)
 * accepts only this form: "1m" or "500ms" there fail when the proxy loads the filter.
 */
export function formatProtoDuration(seconds: number): string {
  const ns = Math.round(seconds * 1e9);
  const whole = Math.trunc(ns / 1e9);
  const fraction = String(Math.abs(ns % 1e9))
    .padStart(9, '0')
    .replace(/0+$/, '');
  return `${ns < 0 && whole === 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}s`;
}
