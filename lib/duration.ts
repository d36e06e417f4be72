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
