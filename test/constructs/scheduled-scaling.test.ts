import * as path from 'path';
import { Fleet } from '../../constructs/core/fleet';
import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { planSchedules } from '../../constructs/workload/schedule-plan';
import { cronLineProblem, timeZoneProblem } from '../../constructs/workload/schedule-spec';
import { blueprintSchema } from '../../constructs/blueprint-schema';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { minimalBlueprint, problemsOf, publicBurstCluster, synthesize, tempDir, enrolmentBurstLink } from '../support/fleet-fixtures';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');

const ENROLMENT_DAY = { name: 'enrolment-day', start: '30 7 1 7 *', end: '0 18 5 7 *', minReplicas: 6 };

/**
 * The minimal blueprint (gov: 3 nodes x 8 CPU, 32Gi; education quota 8 CPU, 16Gi) with enrolment
 * (250m, 256Mi) autoscaled 2-10 and held at 6 on enrolment day.
 */
function scheduledBlueprint(change: (b: any) => void = () => undefined): BlueprintSpec {
  const b: any = minimalBlueprint();
  b.services[0].autoscaling = { minReplicas: 2, maxReplicas: 10, schedule: [{ ...ENROLMENT_DAY }] };
  change(b);
  return b;
}

const regionProblems = (blueprint: BlueprintSpec, overrides?: any) =>
  problemsOf(() => new Fleet({ blueprint, outdir: tempDir() }).addRegions({ r: { overrides } }));
const resolved = (blueprint: BlueprintSpec) => new Fleet({ blueprint, outdir: tempDir() }).addRegions({ r: {} })[0].spec;

describe("a service's own scheduled events", () => {
  const out = synthesize(scheduledBlueprint(), { r: {} });

  it('pre-scales the service on its own gov cluster with a KEDA cron trigger (Asia/Shanghai by default), never an HPA beside it', () => {
    expect(out.manifests('r', 'gov').filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    const scaled = out.find('r', 'gov', 'ScaledObject', 'enrolment').spec;
    expect([scaled.minReplicaCount, scaled.maxReplicaCount]).toEqual([2, 10]);
    expect(scaled.triggers).toEqual([
      {
        type: 'cron',
        name: 'event-enrolment-day',
        metadata: { timezone: 'Asia/Shanghai', start: '30 7 1 7 *', end: '0 18 5 7 *', desiredReplicas: '6' },
      },
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
    ]);
    // The service's own scale-up defaults stay: a schedule is not a burst.
    expect(scaled.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies).toEqual([
      { type: 'Percent', value: 100, periodSeconds: 15 },
      { type: 'Pods', value: 4, periodSeconds: 15 },
    ]);
    expect(out.find('r', 'gov', 'Deployment', 'enrolment').spec.replicas).toBeUndefined();
  });

  it('installs KEDA on the cluster, so the ScaledObject has its operator', () => {
    const releases = Object.values(out.resources('r-gov', 'helm_release')).map((r: any) => r.chart);
    expect(releases).toContain('keda');
  });

  it('writes a ScaledObject that validates against the KEDA CRD', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(out.dir, 'manifests')))).toBe('');
  });

  it('keeps an HPA and no KEDA for a service without events', () => {
    const plain = synthesize(
      scheduledBlueprint((b) => delete b.services[0].autoscaling.schedule),
      { r: {} },
    );
    expect(plain.find('r', 'gov', 'HorizontalPodAutoscaler', 'enrolment').spec.minReplicas).toBe(2);
    expect(plain.manifests('r', 'gov').some((o) => o.kind === 'ScaledObject')).toBe(false);
    expect(Object.values(plain.resources('r-gov', 'helm_release')).map((r: any) => r.chart)).not.toContain('keda');
    expect(plain.read('reports/r.md')).not.toContain('## Scheduled scaling');
  });

  it("merges with a burst link's events on the gov side: one cron trigger each", () => {
    const both = synthesize(
      scheduledBlueprint((b) => {
        b.clusters.push(publicBurstCluster());
        b.departments[0].quota = { cpu: '16', memory: '32Gi' };
        b.services[0].dataClassification = 'internal';
        b.burst = [enrolmentBurstLink({ name: 'exam-results', events: [{ name: 'results-night', start: '0 20 25 6 *', end: '0 2 26 6 *' }] })];
      }),
      { r: {} },
    );
    const gov = both.find('r', 'gov', 'ScaledObject', 'enrolment').spec.triggers.filter((t: any) => t.type === 'cron');
    expect(gov.map((t: any) => [t.name, t.metadata.desiredReplicas])).toEqual([
      ['event-enrolment-day', '6'],
      ['event-results-night', '10'],
    ]);
    // The public copy follows the link only: the service's own event is inside the government cloud.
    const pub = both.find('r', 'burst', 'ScaledObject', 'enrolment').spec.triggers.filter((t: any) => t.type === 'cron');
    expect(pub.map((t: any) => t.name)).toEqual(['event-results-night']);
  });

  it('follows a region that overrides the event by name, and drops it with the autoscaling a region removes', () => {
    const zhuzhou = synthesize(scheduledBlueprint(), {
      r: { overrides: { services: [{ name: 'enrolment', autoscaling: { schedule: [{ name: 'enrolment-day', minReplicas: 8 }] } }] } },
    });
    expect(zhuzhou.find('r', 'gov', 'ScaledObject', 'enrolment').spec.triggers[0].metadata).toMatchObject({ start: '30 7 1 7 *', desiredReplicas: '8' });
    const fixed = synthesize(scheduledBlueprint(), { r: { overrides: { services: [{ name: 'enrolment', autoscaling: null, replicas: 3 }] } } });
    expect(fixed.manifests('r', 'gov').some((o) => o.kind === 'ScaledObject')).toBe(false);
    expect(fixed.find('r', 'gov', 'Deployment', 'enrolment').spec.replicas).toBe(3);
  });

  it('becomes a CronFederatedHPA rule in Karmada mode', () => {
    const karmada = synthesize(scheduledBlueprint(), { r: { overrides: { karmada: {} } } });
    const cron = karmada.find('r', 'karmada', 'CronFederatedHPA', 'enrolment').spec.rules;
    expect(cron.map((r: any) => [r.name, r.schedule, r.targetMinReplicas])).toEqual([
      ['event-enrolment-day-start', '30 7 1 7 *', 6],
      ['event-enrolment-day-end', '0 18 5 7 *', 2],
    ]);
  });
});

describe('the capacity check of an event', () => {
  it('holds the event replicas against the cluster and the department quota, everything else at its floor', () => {
    const plan = planSchedules(resolved(scheduledBlueprint()));
    expect(plan.problems).toEqual([]);
    expect(plan.events).toHaveLength(1);
    const [event] = plan.events;
    expect(event).toMatchObject({ name: 'enrolment-day', cluster: 'gov', timezone: 'Asia/Shanghai' });
    expect(event.services).toEqual([{ name: 'enrolment', department: 'education', floor: 2, held: 6, ceiling: 10 }]);
    // 6 x 250m = 1.5 CPU and 6 x 256Mi = 1.5Gi held; 10 pods at the ceiling.
    expect(event.scopes).toEqual([
      {
        kind: 'cluster',
        name: 'gov',
        offered: { cpu: 24, memory: 96 * 2 ** 30 },
        held: { cpu: 1.5, memory: 1.5 * 2 ** 30 },
        ceiling: { cpu: 2.5, memory: 2.5 * 2 ** 30 },
        missing: { cpu: 0, memory: 0 },
      },
      {
        kind: 'department',
        name: 'education',
        offered: { cpu: 8, memory: 16 * 2 ** 30 },
        held: { cpu: 1.5, memory: 1.5 * 2 ** 30 },
        ceiling: { cpu: 2.5, memory: 2.5 * 2 ** 30 },
        missing: { cpu: 0, memory: 0 },
      },
    ]);
  });

  it('counts the other services of the department at their floor, and holds services sharing an event together', () => {
    const plan = planSchedules(
      resolved(
        scheduledBlueprint((b) => {
          const other = {
            ...b.services[0],
            name: 'kindergarten',
            autoscaling: { minReplicas: 2, maxReplicas: 12, schedule: [{ ...ENROLMENT_DAY, minReplicas: 8 }] },
          };
          const quiet = { ...b.services[0], name: 'records', autoscaling: undefined, replicas: 4 };
          b.services.push(other, quiet);
        }),
      ),
    );
    const [event] = plan.events;
    expect(event.services.map((s) => [s.name, s.held])).toEqual([
      ['enrolment', 6],
      ['kindergarten', 8],
    ]);
    // (6 + 8 + 4 at floor) x 250m = 4.5 CPU.
    expect(event.scopes.find((s) => s.kind === 'department')!.held.cpu).toBe(4.5);
  });

  it('fails a department quota the held replicas would exceed, with the path of the event and the fix', () => {
    const problems = regionProblems(
      scheduledBlueprint((b) => (b.services[0].autoscaling = { minReplicas: 2, maxReplicas: 40, schedule: [{ ...ENROLMENT_DAY, minReplicas: 36 }] })),
    );
    expect(problems).toEqual([
      'blueprint.services.enrolment.autoscaling.schedule.enrolment-day: event "enrolment-day" holds enrolment at 36 on cluster "gov": department "education" then requests 9 CPU and 9Gi, more than its quota (8 CPU, 16Gi), which would refuse the pre-scaled pods: short by 1 CPU; raise departments.education.quota cpu to "9", or lower the event\'s minReplicas',
    ]);
  });

  it('fails a cluster whose nodes cannot hold the held replicas, naming the nodes to add', () => {
    const problems = regionProblems(
      scheduledBlueprint((b) => {
        b.departments[0].quota = { cpu: '64', memory: '128Gi' };
        b.services[0].autoscaling = { minReplicas: 2, maxReplicas: 120, schedule: [{ ...ENROLMENT_DAY, minReplicas: 100 }] };
      }),
    );
    expect(problems).toEqual([
      'blueprint.services.enrolment.autoscaling.schedule.enrolment-day: event "enrolment-day" holds enrolment at 100 on cluster "gov": with everything else at its floor it needs 25 CPU and 25Gi of requests, its 3 nodes offer 24 CPU and 96Gi, so pre-scaled pods would stay pending: short by 1 CPU; raise clusters.gov.capacity.nodes to 4, or lower the event\'s minReplicas',
    ]);
  });

  it('fails in the region whose overrides make it not fit', () => {
    const problems = regionProblems(scheduledBlueprint(), { departments: [{ name: 'education', quota: { cpu: '1' } }] });
    expect(problems).toEqual([
      expect.stringContaining('regions.r.services.enrolment.autoscaling.schedule.enrolment-day: event "enrolment-day" holds enrolment at 6'),
    ]);
  });

  it('reports the event, its replicas, the headroom, and a ceiling that would stop early', () => {
    const out = synthesize(
      scheduledBlueprint((b) => (b.services[0].autoscaling = { minReplicas: 2, maxReplicas: 40, schedule: [{ ...ENROLMENT_DAY, minReplicas: 20 }] })),
      { r: {} },
    );
    const report = out.read('reports/r.md');
    expect(report).toContain('## Scheduled scaling');
    expect(report).toContain('**enrolment-day** on `gov`: from `30 7 1 7 *` to `0 18 5 7 *` (Asia/Shanghai). **Fits**.');
    expect(report).toContain('| enrolment | education | 2 | 20 | 40 |');
    expect(report).toContain('| cluster `gov` (nodes) | 24 CPU, 96Gi | 5 CPU, 5Gi | 19 CPU (79%), 91Gi (95%) | 10 CPU, 10Gi | fits |');
    expect(report).toContain(
      '| department `education` (quota) | 8 CPU, 16Gi | 5 CPU, 5Gi | 3 CPU (38%), 11Gi (69%) | 10 CPU, 10Gi | over by 2 CPU: autoscaling stops below the ceiling |',
    );
    expect(report).toContain('| enrolment | education | 1.0.0 | gov | gov: 2-40 (KEDA) |');
  });
});

describe('bad scheduled events', () => {
  const withEvent = (event: object, autoscaling: object = { minReplicas: 2, maxReplicas: 10 }) =>
    regionProblems(scheduledBlueprint((b) => (b.services[0].autoscaling = { ...autoscaling, schedule: [{ ...ENROLMENT_DAY, ...event }] })));
  const at = 'blueprint.services.enrolment.autoscaling.schedule.enrolment-day';

  it('rejects replicas above the ceiling, which KEDA never reaches', () => {
    expect(withEvent({ minReplicas: 12 })).toEqual([
      `${at}.minReplicas: 12 is above autoscaling.maxReplicas (10), which caps every trigger; raise maxReplicas to at least 12, or lower the event's minReplicas`,
    ]);
  });

  it('rejects replicas at or below the floor, which change nothing', () => {
    expect(withEvent({ minReplicas: 2 })).toEqual([
      `${at}.minReplicas: 2 is not above autoscaling.minReplicas (2): the service runs that many anyway, so the event changes nothing; raise it to the replicas the event needs, or remove the event`,
    ]);
  });

  it('rejects cron lines that are not, field by field, and a date that never comes', () => {
    expect(withEvent({ start: 'at seven', end: '0 25 5 7 *' })).toEqual([
      `${at}.start: must be a cron line with five fields such as "30 19 10 2 *", got "at seven"`,
      `${at}.end: "0 25 5 7 *": the hour field "25" has 25, outside 0-23; write a cron line such as "30 7 1 7 *" (07:30 on 1 July)`,
    ]);
    expect(withEvent({ start: '61 7 1 7 *', end: '0 18 31 2 *' })).toEqual([
      `${at}.start: "61 7 1 7 *": the minute field "61" has 61, outside 0-59; write a cron line such as "30 7 1 7 *" (07:30 on 1 July)`,
      `${at}.end: "0 18 31 2 *": day 31 of month 2 never comes, so it would never fire; write a cron line such as "30 7 1 7 *" (07:30 on 1 July)`,
    ]);
  });

  it('rejects an end that is the start: the event would never hold', () => {
    expect(withEvent({ end: '30  7 1 7 *' })).toEqual([`${at}.end: is the same time as start ("30 7 1 7 *"), so the event never holds; end it later`]);
  });

  it('rejects a time zone the IANA database does not know, with a hint', () => {
    expect(withEvent({ timezone: 'Asia/Shangai' })).toEqual([`${at}.timezone: no IANA time zone is named "Asia/Shangai"; did you mean "Asia/Shanghai"?`]);
    expect(withEvent({ timezone: 'asia/shanghai' })).toEqual([`${at}.timezone: the IANA database spells it "Asia/Shanghai" (names are case-sensitive)`]);
  });

  it('rejects two events of one name', () => {
    const problems = regionProblems(
      scheduledBlueprint((b) => b.services[0].autoscaling.schedule.push({ ...ENROLMENT_DAY, start: '0 8 1 9 *', end: '0 18 1 9 *' })),
    );
    expect(problems).toEqual([
      'blueprint.services.enrolment.autoscaling.schedule.enrolment-day: duplicate name "enrolment-day" (items 0 and 1): names in a list must be unique; rename or merge one of them',
    ]);
  });

  it("rejects an event named like its burst link's, which would be a second cron trigger of the same name", () => {
    const problems = regionProblems(
      scheduledBlueprint((b) => {
        b.clusters.push(publicBurstCluster());
        b.services[0].dataClassification = 'internal';
        b.burst = [enrolmentBurstLink({ name: 'enrolment', events: [{ name: 'enrolment-day', start: '0 8 1 9 *', end: '0 20 1 9 *' }] })];
      }),
    );
    expect(problems).toEqual([
      `${at}.name: burst link "enrolment" has an event of the same name, and both become cron triggers of one ScaledObject on cluster "gov", where KEDA needs distinct names; rename one (the link already holds the service at its planned peak during its own event)`,
    ]);
  });

  it('rejects events sharing a name at different times: they are checked as one', () => {
    const problems = regionProblems(
      scheduledBlueprint((b) =>
        b.services.push({
          ...b.services[0],
          name: 'kindergarten',
          autoscaling: { minReplicas: 1, maxReplicas: 4, schedule: [{ ...ENROLMENT_DAY, minReplicas: 3, end: '0 18 6 7 *' }] },
        }),
      ),
    );
    expect(problems).toEqual([
      'blueprint.services.kindergarten.autoscaling.schedule.enrolment-day: runs 30 7 1 7 * to 0 18 6 7 * (Asia/Shanghai), but services.enrolment has event "enrolment-day" at 30 7 1 7 * to 0 18 5 7 * (Asia/Shanghai); events sharing a name are one event, whose capacity is checked with all its services held together: give them the same start, end and timezone, or different names',
    ]);
  });

  it('has no schedule without autoscaling: the ScaledObject needs a floor and a ceiling, so the schedule lives inside autoscaling', () => {
    const problems = regionProblems(
      scheduledBlueprint((b) => {
        b.services[0].autoscaling = undefined;
        b.services[0].schedule = [ENROLMENT_DAY];
      }),
    );
    expect(problems).toEqual([expect.stringMatching(/^blueprint\.services\.enrolment\.schedule: unknown key/)]);
  });

  it("applies the same cron and time-zone checks to a burst link's events", () => {
    const problems = regionProblems(
      scheduledBlueprint((b) => {
        delete b.services[0].autoscaling.schedule;
        b.clusters.push(publicBurstCluster());
        b.services[0].dataClassification = 'internal';
        b.burst = [
          {
            name: 'enrolment',
            from: 'gov',
            to: 'burst',
            surgeFactor: 10,
            services: [{ name: 'enrolment', baselineRps: 100, rpsPerReplica: 50 }],
            events: [{ name: 'e', start: '0 24 1 9 *', end: '0 20 1 9 *', timezone: 'Europe/Atlantis' }],
          },
        ];
      }),
    );
    expect(problems).toEqual([
      'blueprint.burst.enrolment.events.e.start: "0 24 1 9 *": the hour field "24" has 24, outside 0-23; write a cron line such as "30 7 1 7 *" (07:30 on 1 July)',
      'blueprint.burst.enrolment.events.e.timezone: no IANA time zone is named "Europe/Atlantis"; use a zone such as "Asia/Shanghai"',
    ]);
  });
});

describe('cron lines and time zones', () => {
  it.each([
    ['30 7 1 7 *', undefined],
    ['*/15 8-18 * JUL mon-fri', undefined],
    ['0 0 29 2 *', undefined],
    ['0 0 ? * 0,6', undefined],
    ['0 0 * * 7', 'the day-of-week field "7" has 7, outside 0-6'],
    ['0 0 * 13 *', 'the month field "13" has 13, outside 1-12'],
    ['0 18-8 * * *', 'the hour field "18-8" has a range that runs backwards'],
    ['*/0 * * * *', 'the minute field "*/0" has a step that is not a positive number'],
    ['0 x * * *', 'the hour field "x" is not a value, a range a-b, a list or "*"'],
    ['0 0 31 APR *', 'day 31 of month APR never comes, so it would never fire'],
  ])('%s', (line, problem) => {
    expect(cronLineProblem(line)).toBe(problem);
  });

  it('knows IANA zones and their aliases', () => {
    expect(timeZoneProblem('Asia/Shanghai')).toBeUndefined();
    expect(timeZoneProblem('UTC')).toBeUndefined();
    expect(timeZoneProblem('Asia/Chongqing')).toBeUndefined();
    expect(timeZoneProblem('Mars/Olympus_Mons')).toBe('no IANA time zone is named "Mars/Olympus_Mons"; use a zone such as "Asia/Shanghai"');
  });

  it('publishes the schedule in the JSON Schema of the blueprint', () => {
    const autoscaling = (blueprintSchema.toJsonSchema('full') as any).properties.services.items.properties.autoscaling;
    expect(autoscaling.properties.schedule.items.required).toEqual(['name', 'start', 'end', 'minReplicas']);
  });
});
