/**
 * Regular intervals a five-field cron line keeps exactly: minutes that divide an hour, hours
 * that divide a day, and a day. (A step of 7 minutes restarts at each hour, so its gaps are not
 * all 7 minutes.)
 */
const MINUTE_STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];
const HOUR_STEPS = [1, 2, 3, 4, 6, 8, 12];

export interface CronInterval {
  readonly seconds: number;
  /** Five-field cron line, e.g. every 15 minutes: "*\/15 * * * *". */
  readonly cron: string;
}

/** Every interval a cron line keeps exactly, shortest first. */
function cronIntervals(minuteOffset: number): CronInterval[] {
  return [
    ...MINUTE_STEPS.map((m) => ({ seconds: m * 60, cron: m === 1 ? '* * * * *' : `*/${m} * * * *` })),
    ...HOUR_STEPS.map((h) => ({ seconds: h * 3600, cron: h === 1 ? `${minuteOffset} * * * *` : `${minuteOffset} */${h} * * *` })),
    { seconds: 86400, cron: `${minuteOffset} 0 * * *` },
  ];
}

/**
 * The longest interval no longer than `maxSeconds` that a cron line keeps, or undefined when
 * even one minute is too long. Hourly and longer lines run at `minuteOffset` past the hour.
 */
export function longestCronIntervalWithin(maxSeconds: number, minuteOffset = 0): CronInterval | undefined {
  return cronIntervals(minuteOffset)
    .filter((i) => i.seconds <= maxSeconds)
    .pop();
}

/** The cron line keeping exactly `seconds` between runs, or undefined when no cron line does. */
export function cronForInterval(seconds: number, minuteOffset = 0): CronInterval | undefined {
  return cronIntervals(minuteOffset).find((i) => i.seconds === seconds);
}
