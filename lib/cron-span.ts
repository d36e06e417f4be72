/**
 * Hours from a start cron line to an end cron line when the two name one dated window: a plain
 * minute and hour each, the same plain day of month and month, any weekday ("*"), and the end
 * later that day. "30 19 15 1 *" to "0 23 15 1 *" is 3.5 hours. Anything else (ranges, steps,
 * lists, a window over midnight, a daily or weekly line) is undefined: the caller asks for a
 * declared duration instead of guessing how often the window recurs.
 */
export function cronSpanHours(start: string, end: string): number | undefined {
  const from = datedTime(start);
  const to = datedTime(end);
  if (!from || !to || from.day !== to.day || from.month !== to.month) return undefined;
  const minutes = to.minutes - from.minutes;
  return minutes > 0 ? minutes / 60 : undefined;
}

function datedTime(line: string): { minutes: number; day: number; month: number } | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields.length !== 5 || fields[4] !== '*' || !fields.slice(0, 4).every((f) => /^\d+$/.test(f))) return undefined;
  const [minute, hour, day, month] = fields.slice(0, 4).map(Number);
  if (minute > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12) return undefined;
  return { minutes: hour * 60 + minute, day, month };
}
