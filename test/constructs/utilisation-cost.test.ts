import * as fs from 'fs';
import * as path from 'path';
import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { Fleet } from '../../constructs/core/fleet';
import { clusterFloorLoad, middlewareLoad } from '../../constructs/core/cluster-load-plan';
import { planCosts } from '../../constructs/operations/cost-plan';
import { planUtilisation } from '../../constructs/operations/utilisation-plan';
import { defaultFleet } from '../../blueprints/default-fleet';
import { cronSpanHours } from '../../lib/cron-span';
import { addResources } from '../../lib/capacity';
import { minimalBlueprint, problemsOf, publicBurstCluster, synthesize, tempDir } from '../support/fleet-fixtures';

const GiB = 2 ** 30;

/**
 * By hand. gov: 3 x (8 CPU, 32Gi) = 24 CPU, 96 GiB; burst: 2 x (8, 32Gi) = 16 CPU, 64 GiB.
 * education (quota 8 CPU, 16Gi) runs enrolment (250m, 256Mi; HPA 2-4) and portal (500m, 1Gi; 2 fixed).
 * The link: 100 req/s x 10 / 100 per replica = 10 replicas at peak: 4 on gov (its ceiling), 6 on
 * burst (floor 0: the event wakes it). The event runs 08:00-12:00 on 1 September: 4 hours.
 * Prices: gov 0.1 per vCPU-hour and 0.01 per GiB-hour, burst 0.2 and 0.02; a month of 700 hours.
 */
function costedBlueprint(change: (b: any) => void = () => undefined): BlueprintSpec {
  const b: any = minimalBlueprint();
  b.clusters.push(publicBurstCluster());
  Object.assign(b.services[0], { dataClassification: 'internal', autoscaling: { minReplicas: 2, maxReplicas: 4 } });
  b.services.push({ ...b.services[0], name: 'portal', autoscaling: undefined, replicas: 2, resources: { requests: { cpu: '500m', memory: '1Gi' } } });
  delete b.services[1].autoscaling;
  b.burst = [
    {
      name: 'enrolment-day',
      from: 'gov',
      to: 'burst',
      surgeFactor: 10,
      headroomPercent: 0,
      services: [{ name: 'enrolment', baselineRps: 100, rpsPerReplica: 100 }],
      events: [{ name: 'opening', start: '0 8 1 9 *', end: '0 12 1 9 *' }],
    },
  ];
  b.costs = {
    currency: 'CNY',
    hoursPerMonth: 700,
    prices: { 'test-gov-cloud': { vcpuHour: 0.1, gibHour: 0.01 }, 'test-public-cloud': { vcpuHour: 0.2, gibHour: 0.02 } },
  };
  change(b);
  return b;
}

function regionSpec(blueprint: BlueprintSpec, overrides?: any): BlueprintSpec {
  const fleet = new Fleet({ blueprint, outdir: tempDir() });
  const [region] = fleet.addRegions({ r: { overrides } });
  return region.spec;
}

const regionProblems = (blueprint: BlueprintSpec, overrides?: any) =>
  problemsOf(() => new Fleet({ blueprint, outdir: tempDir() }).addRegions({ r: { overrides } }));

describe('the utilisation plan', () => {
  const [gov, burst] = planUtilisation(regionSpec(costedBlueprint()));

  it('counts requests at rest and at the ceiling against quota and allocatable', () => {
    expect(gov.allocatable).toEqual({ cpu: 24, memory: 96 * GiB });
    expect(gov.departments).toEqual([
      {
        department: 'education',
        // enrolment 2 x 250m + portal 2 x 500m; 2 x 256Mi + 2 x 1Gi
        floor: { cpu: 1.5, memory: 2.5 * GiB },
        // enrolment 4 x 250m + portal 2 x 500m
        ceiling: { cpu: 2, memory: 3 * GiB },
        // a rollout at the ceiling: enrolment 4 + 1 surge pod, portal 2 + 1
        rollout: { cpu: 2.75, memory: 4.25 * GiB },
        // CPU limit twice the request, memory limit the request
        limits: { cpu: 4, memory: 3 * GiB },
        quota: { cpu: 8, memory: 16 * GiB },
        idle: { cpu: 6, memory: 13 * GiB },
      },
    ]);
    expect(gov.quotas).toEqual({ cpu: 8, memory: 16 * GiB });
  });

  it('counts the public copy from its floor (0: the event wakes it) to its ceiling', () => {
    expect(burst.departments[0]).toMatchObject({
      floor: { cpu: 0, memory: 0 },
      ceiling: { cpu: 1.5, memory: 1.5 * GiB },
      idle: { cpu: 6.5, memory: 14.5 * GiB },
    });
    expect(burst.floor).toEqual({ cpu: 0, memory: 0 });
  });

  it("agrees with the capacity plans' load at rest: the departments at their floor and the shelf", () => {
    const spec = regionSpec(minimalBlueprint(), {
      middleware: [{ name: 'cache', engine: 'redis', version: '8.2.1', size: 'small', grants: ['education'] }],
    });
    const [cluster] = planUtilisation(spec);
    expect(cluster.shelf.cpu).toBeGreaterThan(0);
    expect(cluster.shelf).toEqual(middlewareLoad(spec, spec.clusters[0]));
    expect(cluster.floor).toEqual(addResources(cluster.shelf, ...cluster.departments.map((d) => d.floor)));
    expect(cluster.floor).toEqual(clusterFloorLoad(spec, spec.clusters[0]));
  });
});

describe('the cost plan', () => {
  const plan = planCosts(regionSpec(costedBlueprint()))!;

  it('prices each cluster at rest and its allocatable for the month', () => {
    // gov: (1.5 x 0.1 + 2.5 x 0.01) x 700; (24 x 0.1 + 96 x 0.01) x 700
    expect(plan.clusters[0].floorMonthly).toBeCloseTo(122.5, 9);
    expect(plan.clusters[0].allocatableMonthly).toBeCloseTo(2352, 9);
    // burst: nothing at rest; (16 x 0.2 + 64 x 0.02) x 700
    expect(plan.clusters[1].floorMonthly).toBe(0);
    expect(plan.clusters[1].allocatableMonthly).toBeCloseTo(3136, 9);
  });

  it('prices the event: the public replicas above the floor for its hours', () => {
    const [link] = plan.links;
    // 6 replicas x (250m, 256Mi) for 4 hours at (0.2, 0.02): (0.3 + 0.03) x 4
    expect(link.publicExtra).toEqual({ cpu: 1.5, memory: 1.5 * GiB });
    expect(link.events).toEqual([{ name: 'opening', start: '0 8 1 9 *', end: '0 12 1 9 *', hours: 4, cost: expect.closeTo(1.32, 9) }]);
    expect(link).toMatchObject({ peakHours: 4, peakHoursSource: 'events' });
  });

  it('compares provisioning the government cloud for the peak with bursting', () => {
    const c = plan.links[0].comparison!;
    // for the peak: portal (1 CPU, 2 GiB) + 10 enrolment replicas (2.5, 2.5) = (3.5, 4.5) on gov all month: 0.395 x 700
    expect(c.provisionForPeak).toBeCloseTo(276.5, 9);
    // burst: gov's share of the peak, portal + 4 replicas = (2, 3) all month: 0.23 x 700; the public side only for the event
    expect(c.burstGov).toBeCloseTo(161, 9);
    expect(c.burstPublic).toBeCloseTo(1.32, 9);
    // (276.5 - 162.32) / 276.5
    expect(c.savingPercent).toBeCloseTo(41.29, 2);
  });

  it('holds the public floor all month when the link has one', () => {
    const spec = regionSpec(costedBlueprint((b) => (b.burst[0].services[0].publicMinReplicas = 2)));
    const link = planCosts(spec)!.links[0];
    // 2 replicas at rest all month (0.5 CPU, 0.5 GiB: 0.11 x 700 = 77), 4 more for the event (0.22 x 4)
    expect(link.publicFloor).toEqual({ cpu: 0.5, memory: 0.5 * GiB });
    expect(link.comparison!.burstPublic).toBeCloseTo(77 + 0.88, 9);
  });

  it('takes a declared time at peak over the events, and needs one when the cron lines give none', () => {
    const declared = planCosts(regionSpec(costedBlueprint((b) => (b.costs.burstDurations = { 'enrolment-day': '1h30m' }))))!.links[0];
    expect(declared).toMatchObject({ peakHours: 1.5, peakHoursSource: 'declared' });
    expect(declared.comparison!.burstPublic).toBeCloseTo(0.33 * 1.5, 9);
    const weekly = planCosts(regionSpec(costedBlueprint((b) => (b.burst[0].events[0] = { name: 'opening', start: '0 8 * * 1', end: '0 12 * * 1' }))))!.links[0];
    expect(weekly).toMatchObject({ peakHoursSource: 'unknown', comparison: undefined });
    expect(weekly.events[0].hours).toBeUndefined();
  });

  it('leaves a cluster of an unpriced cloud unpriced, and the link uncompared', () => {
    const spec = regionSpec(costedBlueprint((b) => delete b.costs.prices['test-public-cloud']));
    const costs = planCosts(spec)!;
    expect(costs.clusters[1].price).toBeUndefined();
    expect(costs.links[0].comparison).toBeUndefined();
  });

  it('is absent without a price table', () => {
    expect(planCosts(regionSpec(minimalBlueprint()))).toBeUndefined();
  });
});

describe('the duration of an event from its cron lines', () => {
  it.each([
    ['30 19 15 1 *', '0 23 15 1 *', 3.5],
    ['0 8 1 9 *', '0 12 1 9 *', 4],
    ['0 8 1 9 *', '0 12 2 9 *', undefined], // over two days: not one dated window
    ['0 22 1 9 *', '0 2 1 9 *', undefined], // ends before it starts
    ['0 8 * * *', '0 12 * * *', undefined], // daily: how often is unknown
    ['*/5 8 1 9 *', '0 12 1 9 *', undefined],
    ['0 8 1 9 1', '0 12 1 9 1', undefined],
    ['0 24 1 9 *', '0 12 1 9 *', undefined],
  ])('%s to %s is %s hours', (start, end, hours) => {
    expect(cronSpanHours(start, end)).toBe(hours);
  });
});

describe('bad price tables', () => {
  it('fails a price for a cloud no cluster runs on, with the clouds there and the fix', () => {
    expect(regionProblems(costedBlueprint((b) => (b.costs.prices['test-publik-cloud'] = { vcpuHour: 0.1, gibHour: 0.01 })))).toEqual([
      'blueprint.costs.prices.test-publik-cloud: no cluster runs on a cloud named "test-publik-cloud"; did you mean "test-public-cloud"? Known: test-gov-cloud, test-public-cloud; price only the clouds of the clusters (a region adds the price of a cloud it adds)',
    ]);
  });

  it('fails a region pricing a cloud it does not use', () => {
    expect(regionProblems(minimalBlueprint(), { costs: { currency: 'CNY', prices: { 'huawei-cloud': { vcpuHour: 0.3, gibHour: 0.04 } } } })).toEqual([
      'regions.r.costs.prices.huawei-cloud: no cluster runs on a cloud named "huawei-cloud" Known: test-gov-cloud; price only the clouds of the clusters (a region adds the price of a cloud it adds)',
    ]);
  });

  it("drops a blueprint price for a cloud a region has left, so the region's spec is a valid blueprint of its own", () => {
    const moved = { clusters: [{ name: 'gov', cloud: 'other-gov-cloud' }], costs: { prices: { 'other-gov-cloud': { vcpuHour: 0.3, gibHour: 0.04 } } } };
    const fleet = new Fleet({ blueprint: costedBlueprint(), outdir: tempDir() });
    const [region] = fleet.addRegions({ r: { overrides: moved } });
    expect(Object.keys(region.spec.costs!.prices)).toEqual(['test-public-cloud', 'other-gov-cloud']);
    // What the e2e suite does to synthesize one region alone: its effective spec as the blueprint.
    expect(() => new Fleet({ blueprint: region.spec, outdir: tempDir() }).addRegions({ r: {} })).not.toThrow();
  });

  it('fails negative prices', () => {
    expect(regionProblems(costedBlueprint((b) => (b.costs.prices['test-gov-cloud'] = { vcpuHour: -0.1, gibHour: -1 })))).toEqual([
      'blueprint.costs.prices.test-gov-cloud.vcpuHour: must be a number >= 0, got -0.1',
      'blueprint.costs.prices.test-gov-cloud.gibHour: must be a number >= 0, got -1',
    ]);
  });

  it('fails a currency that is not an ISO 4217 code', () => {
    expect(regionProblems(costedBlueprint((b) => (b.costs.currency = 'yuan')))).toEqual([
      expect.stringMatching(/^blueprint\.costs\.currency: .*ISO 4217 code such as "CNY"/),
    ]);
  });

  it('fails a month of no hours or of more than 31 days', () => {
    expect(regionProblems(costedBlueprint((b) => (b.costs.hoursPerMonth = 0)))).toEqual([
      expect.stringMatching(/^blueprint\.costs\.hoursPerMonth: must be .*more than 0 and at most 744, got 0/),
    ]);
    expect(regionProblems(costedBlueprint((b) => (b.costs.hoursPerMonth = 800)))).toEqual([
      expect.stringMatching(/^blueprint\.costs\.hoursPerMonth: .*got 800/),
    ]);
  });

  it('fails a burst duration that is not a duration, is zero, or names no burst link', () => {
    expect(regionProblems(costedBlueprint((b) => (b.costs.burstDurations = { 'enrolment-day': '4 hours' })))).toEqual([
      expect.stringMatching(/^blueprint\.costs\.burstDurations\.enrolment-day: .*"4 hours"/),
    ]);
    expect(regionProblems(costedBlueprint((b) => (b.costs.burstDurations = { 'enrolment-day': '0h' })))).toEqual([
      'blueprint.costs.burstDurations.enrolment-day: "0h" is no time at peak; give how long the link runs at its peak in the month, e.g. "4h", or remove it',
    ]);
    expect(regionProblems(costedBlueprint((b) => (b.costs.burstDurations = { 'enrolment-dya': '4h' })))).toEqual([
      'blueprint.costs.burstDurations.enrolment-dya: no burst link named "enrolment-dya"; did you mean "enrolment-day"? Known: enrolment-day; key each duration by the name of a burst link',
    ]);
  });
});

describe('the report', () => {
  const report = synthesize(costedBlueprint(), { r: {} }).read('reports/r.md');

  it('shows utilisation per cluster and department, idle quota and overcommit', () => {
    expect(report).toContain('## Utilisation');
    expect(report).toContain('| gov | 1.5 | 2 | 24 | 2.5 | 3 | 96 | CPU 6%, memory 3% | CPU 8%, memory 3% |');
    expect(report).toContain(
      '| gov | education | 1.5 | 2 | 8 | 2.5 | 3 | 16 | CPU 6 (75%), memory 13 GiB (81%) | more than half the CPU and memory quota is idle: a rollout at the ceiling needs 2.75 CPU and 4.3 GiB |',
    );
    expect(report).toContain('| gov | CPU 8 of 24 (33%), memory 16 of 96 GiB (17%) | CPU 4 (17%), memory 3 GiB (3%) | none |');
  });

  it('shows the costs, the event and the saving', () => {
    expect(report).toContain('Prices in CNY per vCPU-hour and per GiB-hour of requests; a month is 700 hours.');
    expect(report).toContain('| gov | test-gov-cloud | 0.1 / 0.01 | 122.50 | 2,352.00 |');
    expect(report).toContain('| opening | 0 8 1 9 * to 0 12 1 9 * | 4 | 1.32 |');
    expect(report).toContain('| provision the government cloud for the peak | 276.50 | 0.00 | 276.50 |');
    expect(report).toContain('| burst | 161.00 | 1.32 | 162.32 |');
    expect(report).toContain('**Bursting saves 41%** against provisioning for the peak.');
  });

  it('says how to add a price table when there is none, and what a link lacks', () => {
    const plain = synthesize(minimalBlueprint(), { r: {} }).read('reports/r.md');
    expect(plain).toContain('## Cost\n\nNo price table. Add `costs: { currency: "CNY", prices: { "<cloud>": { vcpuHour, gibHour } } }`');
    expect(plain).toContain('(clouds here: `test-gov-cloud`)');
    const noEvents = synthesize(
      costedBlueprint((b) => delete b.burst[0].events),
      { r: {} },
    ).read('reports/r.md');
    expect(noEvents).toContain('Hours at peak unknown: the link has no events; declare them as `costs.burstDurations.enrolment-day`');
  });

  it('sums each region in the fleet report', () => {
    const fleet = synthesize(costedBlueprint(), { r: {} }).read('reports/fleet.md');
    expect(fleet).toContain('## Utilisation and cost');
    expect(fleet).toContain('| r | 2 | 1.5 / 3.5 / 40 | 2.5 / 4.5 / 160 | CPU 12.5, memory 27.5 GiB | 122.50 CNY | enrolment-day: 41% |');
  });
});

describe('the default blueprint', () => {
  const dir = tempDir();
  defaultFleet({ outdir: dir, regions: ['changsha'] }).synth();
  const report = fs.readFileSync(path.join(dir, 'reports', 'changsha.md'), 'utf8');

  it('reports utilisation and cost, with its illustrative prices for both clouds', () => {
    expect(report).toContain('## Utilisation');
    expect(report).toContain('## Cost\n\nPrices in CNY per vCPU-hour and per GiB-hour of requests (illustrative prices, not a quote)');
    expect(report).toMatch(/\| gov \| hunan-gov-cloud \| 0\.22 \/ 0\.03 \| [\d,.]+ \|/);
    expect(report).toMatch(/\| burst \| huawei-cloud \| 0\.34 \/ 0\.045 \| [\d,.]+ \|/);
    expect(fs.readFileSync(path.join(dir, 'reports', 'fleet.md'), 'utf8')).toMatch(/\| changsha \| 2 \| .* CNY \|/);
  });
});
