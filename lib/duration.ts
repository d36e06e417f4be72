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

/**
 * A duration the way Go's `time.Duration.String()` prints it ("168h0m0s", "1m30s", "500ms"):
 * the form an API server stores `metav1.Duration` fields in, so applied objects do not drift.
 */
export function formatGoDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = Math.round((seconds % 60) * 1000) / 1000;
  if (hours > 0) return `${hours}h${minutes}m${rest}s`;
  if (minutes > 0) return `${minutes}m${rest}s`;
  return `${rest}s`;
}
