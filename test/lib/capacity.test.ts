import { addResources, formatCpu, formatMemory, replicasFor, scaleUpSeconds, shortfall } from '../../lib/capacity';
import { cronForInterval, longestCronIntervalWithin } from '../../lib/cron-interval';

describe('capacity arithmetic', () => {
  it('rounds replicas up, without floating-point noise', () => {
    expect(replicasFor(2000, 100, 20)).toBe(24); // 2000 x 1.2 / 100 = 24.000000000000004 in floating point
    expect(replicasFor(1000, 300, 0)).toBe(4);
    expect(replicasFor(20000, 200, 20)).toBe(120);
  });

  it('sums and compares resources', () => {
    expect(addResources({ cpu: 0.5, memory: 1 }, { cpu: 1.5, memory: 2 })).toEqual({ cpu: 2, memory: 3 });
    expect(shortfall({ cpu: 10, memory: 4 }, { cpu: 8, memory: 8 })).toEqual({ cpu: 2, memory: 0 });
    expect([formatCpu(3.456), formatMemory(3.5 * 2 ** 30)]).toEqual(['3.46', '3.5Gi']);
  });

  it('times an HPA scale-up period by period, the larger step winning', () => {
    // 900% per 15s: 1 -> 10 -> 100.
    expect(scaleUpSeconds(1, 10, { percent: 900, periodSeconds: 15 })).toBe(15);
    expect(scaleUpSeconds(1, 11, { percent: 900, periodSeconds: 15 })).toBe(30);
    // 100% or 4 pods per 60s: 2 -> 6 -> 12 -> 24.
    expect(scaleUpSeconds(2, 24, { percent: 100, pods: 4, periodSeconds: 60 })).toBe(180);
    // From zero the first evaluation only wakes one replica; a stabilization window waits first.
    expect(scaleUpSeconds(0, 10, { percent: 900, periodSeconds: 15, stabilizationWindowSeconds: 30 })).toBe(60);
    expect(scaleUpSeconds(5, 5, { percent: 900, periodSeconds: 15 })).toBe(0);
  });
});

describe('backup intervals a cron line keeps', () => {
  it('takes the longest interval within the RPO', () => {
    expect(longestCronIntervalWithin(5 * 60)).toEqual({ seconds: 300, cron: '*/5 * * * *' });
    expect(longestCronIntervalWithin(7 * 60)).toEqual({ seconds: 360, cron: '*/6 * * * *' });
    expect(longestCronIntervalWithin(5 * 3600)).toEqual({ seconds: 4 * 3600, cron: '0 */4 * * *' });
    expect(longestCronIntervalWithin(3 * 86400)).toEqual({ seconds: 86400, cron: '0 0 * * *' });
    expect(longestCronIntervalWithin(30)).toBeUndefined();
  });

  it('knows which exact intervals a cron line keeps', () => {
    expect(cronForInterval(15 * 60)?.cron).toBe('*/15 * * * *');
    expect(cronForInterval(3600)?.cron).toBe('0 * * * *');
    expect(cronForInterval(7 * 60)).toBeUndefined();
  });
});
