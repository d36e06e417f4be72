import { Fleet } from '../../constructs/core/fleet';
import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { type SurgeRehearsal, rehearseSurge } from '../../constructs/burst/surge-rehearsal-plan';
import { rehearsalChart } from '../../constructs/burst/surge-rehearsal-report';
import { scaleUpSeconds } from '../../lib/capacity';
import { lineChart, niceTicks } from '../../lib/report/svg-chart';
import { minimalBlueprint, problemsOf, publicBurstCluster, synthesize, tempDir, enrolmentBurstLink } from '../support/fleet-fixtures';
import { descendants, parseXml } from '../support/xml';

/**
 * The hand-computed case. enrolment: HPA 2-4 on gov at a CPU target of 100% (so a replica's
 * capacity is exactly its 50 req/s), a public floor of 1; baseline 100 req/s, 4x surge = 400
 * req/s; scale-up 100% per 15 s, no stabilisation; pods serve 30 s after creation; 15 s steps.
 * The plan: 400 x 1.2 / 50 = 9.6 -> 10 replicas at peak, 4 on gov (its ceiling), 6 public.
 */
function rehearsalBlueprint(change: (b: any) => void = () => undefined): BlueprintSpec {
  const b: any = minimalBlueprint();
  b.clusters.push(publicBurstCluster());
  b.departments[0].quota = { cpu: '16', memory: '32Gi' };
  Object.assign(b.services[0], { dataClassification: 'internal', autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilization: 100 } });
  b.burst = [
    enrolmentBurstLink({
      surgeFactor: 4,
      scaleUp: { percent: 100, periodSeconds: 15 },
      rehearsal: { step: '15s', podStart: '30s', duration: '3m' },
    }),
  ];
  change(b);
  return b;
}

const withEvent = (lead: string, publicMinReplicas?: number) => (b: any) => {
  b.burst[0].events = [{ name: 'enrolment-opens', start: '0 8 1 9 *', end: '0 18 1 9 *' }];
  b.burst[0].rehearsal.preScaleLead = lead;
  if (publicMinReplicas !== undefined) b.burst[0].services[0].publicMinReplicas = publicMinReplicas;
};

function rehearse(blueprint: BlueprintSpec): SurgeRehearsal {
  const [region] = new Fleet({ blueprint, outdir: tempDir() }).addRegions({ r: {} });
  return rehearseSurge(region.spec, region.spec.burst![0]);
}

/** Per step: [t, gov replicas asked, gov ready, public asked, public ready, shortfall req/s]. */
const timeline = (r: SurgeRehearsal['load']) =>
  r.services[0].samples.map((s) => [s.t, s.gov.replicas, s.gov.ready, s.public.replicas, s.public.ready, Math.round(s.shortfallRps)]);

describe('the surge rehearsal, against a hand-computed case', () => {
  it('on load alone: capacity meets the 4x surge after 105 s, with 15,000 requests above capacity', () => {
    // Before: gov 2, public 1 (all ready), demand 100 split 2:1. At t = 0 demand is 400, capacity 150.
    // t=0   sync sees the 15 s before the surge (baseline): no change.             short 250
    // t=15  sync sees [0,15): gov 266.7 req/s -> ceil(5.33) = 6, 100% policy allows 4 (ceiling 4);
    //       public 133.3 -> 3, the policy allows 2. New pods serve at 45.          short 250
    // t=30  gov at its ceiling; public 2 asked, 133.3 over 2 -> 3 (the period starting at 15 is
    //       over, so up to 4). Serves at 60.                                        short 250
    // t=45  ready 4 + 2 = 300 req/s. Public's window [30,45) saw 133.3 with 3 asked: 0.89, no change.
    //                                                                              short 100
    // t=60  ready 4 + 3 = 350. Window [45,60): public 400 x 2/6 = 133.3 over 3: no change. short 50
    // t=75  window [60,75): public 400 x 3/7 = 171.4 over 3 = 1.14 > 1.1 -> ceil(3.43) = 4, serves at 105.
    // t=105 ready 4 + 4 = 400: demand met, and it stays met.
    // Requests above capacity: 250 x 45 + 100 x 15 + 50 x 45 = 11,250 + 1,500 + 2,250 = 15,000.
    const { load, preScaled } = rehearse(rehearsalBlueprint());
    expect(timeline(load)).toEqual([
      [0, 2, 2, 1, 1, 250],
      [15, 4, 2, 2, 1, 250],
      [30, 4, 2, 3, 1, 250],
      [45, 4, 4, 3, 2, 100],
      [60, 4, 4, 3, 3, 50],
      [75, 4, 4, 4, 3, 50],
      [90, 4, 4, 4, 3, 50],
      [105, 4, 4, 4, 4, 0],
      [120, 4, 4, 4, 4, 0],
      [135, 4, 4, 4, 4, 0],
      [150, 4, 4, 4, 4, 0],
      [165, 4, 4, 4, 4, 0],
    ]);
    expect(load).toMatchObject({ meetsAfterSeconds: 105, requestsAboveCapacity: 15000, peakShortfallRps: 250 });
    expect(preScaled).toBeUndefined();
  });

  it("with the event's pre-scale a minute ahead: both sides warm at the surge, no request above capacity", () => {
    // The cron trigger asks gov for 4 and public for 6 from t = -60 (syncs at -60, -45, -30 ...):
    // gov 2 -> 4 at -60 (serving at -30); public 1 -> 2 at -60, 2 -> 4 at -45, 4 -> 6 at -30
    // (100% per 15 s), the last pods serving at 0. At the surge: 4 + 6 = 500 req/s >= 400.
    const r = rehearse(rehearsalBlueprint(withEvent('60s', 1)));
    expect(timeline(r.preScaled!).slice(0, 6)).toEqual([
      [-60, 4, 2, 2, 1, 0],
      [-45, 4, 2, 4, 1, 0],
      [-30, 4, 4, 6, 2, 0],
      [-15, 4, 4, 6, 4, 0],
      [0, 4, 4, 6, 6, 0],
      [15, 4, 4, 6, 6, 0],
    ]);
    expect(r.preScaled).toMatchObject({ meetsAfterSeconds: 0, requestsAboveCapacity: 0, peakShortfallRps: 0 });
    // The same surge unannounced is the hand-computed case above.
    expect(r.load).toMatchObject({ meetsAfterSeconds: 105, requestsAboveCapacity: 15000 });
  });

  it('agrees with the scale-up estimate the DR plan uses: the last pre-scale step is one sync before scaleUpSeconds', () => {
    // scaleUpSeconds charges a period before each step, the first included; the cron trigger is
    // seen at the event's first sync, so the rehearsal decides its first step one period earlier.
    const r = rehearse(rehearsalBlueprint(withEvent('60s', 1)));
    const samples = r.preScaled!.services[0].samples;
    const reached = samples.find((s) => s.public.replicas === 6)!.t;
    expect(reached - -60).toBe(scaleUpSeconds(1, 6, { percent: 100, periodSeconds: 15 }) - 15);
  });

  it('a public side at zero never wakes on load: only the cron trigger wakes it', () => {
    // Without the event the public copy stays at 0; gov tops out at 4 x 50 = 200 req/s.
    // Short: 300 req/s for 45 s, then 200 req/s for the remaining 135 s = 13,500 + 27,000.
    const r = rehearse(rehearsalBlueprint(withEvent('60s')));
    expect(r.load.services[0].samples.every((s) => s.public.replicas === 0)).toBe(true);
    expect(r.load).toMatchObject({ meetsAfterSeconds: undefined, requestsAboveCapacity: 40500, peakShortfallRps: 300 });
    // KEDA wakes it at -60 (one replica, serving at -30); the HPA steps 1 -> 2 -> 4 -> 6 from -45.
    expect(timeline(r.preScaled!).slice(0, 5)).toEqual([
      [-60, 4, 2, 1, 0, 0],
      [-45, 4, 2, 2, 0, 0],
      [-30, 4, 4, 4, 1, 0],
      [-15, 4, 4, 6, 2, 0],
      [0, 4, 4, 6, 4, 0],
    ]);
    expect(r.preScaled!.requestsAboveCapacity).toBe(0);
  });

  it('a pre-scale started too late does not avoid the shortfall, and says by how much', () => {
    // From -30: gov 2 -> 4 (serving at 0); public woken to 1 (serving at 0), 2 at -15, 4 at 0, 6 at 15.
    // t=0: 4 + 1 ready = 250 (short 150); t=15: 4 + 2 = 300 (short 100); t=30: 4 + 4 = 400.
    const r = rehearse(rehearsalBlueprint(withEvent('30s')));
    expect(r.preScaled).toMatchObject({ meetsAfterSeconds: 30, requestsAboveCapacity: 150 * 15 + 100 * 15, peakShortfallRps: 150 });
  });

  it('holds a scale-up within the stabilisation window at its lowest recommendation, and follows a ramp', () => {
    // A 30 s window: at t=15 the 15 s-old baseline recommendation (2) still counts, so gov waits;
    // at t=30 it is gone and gov steps to 4. One sync later than without the window.
    const held = rehearse(rehearsalBlueprint((b) => (b.burst[0].scaleUp = { percent: 100, periodSeconds: 15, stabilizationWindowSeconds: 30 })));
    expect(held.load.services[0].samples.find((s) => s.gov.replicas === 4)!.t).toBe(30);
    // A 60 s ramp: demand over each 15 s step is its middle value, 100 + 300 x (t + 7.5) / 60.
    const ramp = rehearse(rehearsalBlueprint((b) => (b.burst[0].rehearsal.ramp = '60s')));
    expect(ramp.load.services[0].samples.slice(0, 5).map((s) => s.demandRps)).toEqual([137.5, 212.5, 287.5, 362.5, 400]);
  });

  it('makes a declared node provisioning time delay the public side only', () => {
    const r = rehearse(rehearsalBlueprint((b) => (b.burst[0].rehearsal.nodeProvisioning = '1m')));
    expect(r.services[0].gov.readySeconds).toBe(30);
    expect(r.services[0].public.readySeconds).toBe(90);
    expect(r.load.requestsAboveCapacity).toBeGreaterThan(15000);
  });

  it('counts the pod-start allowance as the DR plan does when none is declared: 30 s, the readiness delay and one period', () => {
    const r = rehearse(
      rehearsalBlueprint((b) => {
        delete b.burst[0].rehearsal.podStart;
        b.burst[0].rehearsal.step = '5s';
        b.services[0].probes = { readiness: { initialDelaySeconds: 5, periodSeconds: 5 } };
      }),
    );
    expect(r.services[0].gov.readySeconds).toBe(40);
    // Rounded up to whole steps: in 15 s steps the pod serves from the step at 45 s.
    expect(rehearse(rehearsalBlueprint((b) => (b.burst[0].rehearsal.podStart = '40s'))).services[0].gov.readySeconds).toBe(45);
  });

  it('counts capacity at the full CPU request: a 50% target doubles what a ready replica serves', () => {
    const r = rehearse(rehearsalBlueprint((b) => (b.services[0].autoscaling.targetCpuUtilization = 50)));
    expect(r.services[0].replicaCapacityRps).toBe(100);
    // Before any new pod serves: 3 replicas x 100 = 300 against 400.
    expect(r.load.services[0].samples[0].shortfallRps).toBe(100);
  });
});

describe('the rehearsal in the report', () => {
  const out = synthesize(rehearsalBlueprint(withEvent('60s', 1)), { r: {} });

  it('writes the chart beside the region report and links it, with the key numbers in a table', () => {
    expect(out.files()).toContain('reports/r/enrolment-day-rehearsal.svg');
    const report = out.read('reports/r.md');
    expect(report).toContain('![Surge rehearsal of enrolment-day: load and capacity of each side over time](r/enrolment-day-rehearsal.svg)');
    expect(report).toContain(
      '**on load alone, 15,000 requests above capacity** (peak shortfall 250 req/s), capacity meets demand after 1m45s; **the pre-scale of `enrolment-opens` (starting 1m before the surge) avoids the shortfall**.',
    );
    expect(report).toContain('| enrolment | on load alone | after 1m45s | 15,000 | 250 | 4 + 4 |');
    expect(report).toContain('| enrolment | pre-scaled by the event | from the start | 0 | 0 | 4 + 6 |');
  });

  it('draws well-formed SVG: one panel per scenario, demand, load and capacity of both sides', () => {
    const svg = parseXml(out.read('reports/r/enrolment-day-rehearsal.svg'));
    expect(svg.name).toBe('svg');
    expect(svg.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    const panels = descendants(svg).filter((e) => e.attributes.class === 'panel');
    expect(panels).toHaveLength(2);
    for (const panel of panels) {
      expect(
        descendants(panel)
          .filter((e) => e.name === 'polyline')
          .map((e) => e.attributes['data-name']),
      ).toEqual(['demand', 'load on gov', 'capacity of gov', 'load on burst', 'capacity of burst']);
    }
    const titles = panels.map((p) => p.children.find((e) => e.name === 'text')!.text);
    expect(titles).toEqual(['on load alone: 15,000 requests above capacity', 'pre-scaled by the event: no requests above capacity']);
  });

  it('draws each series as the step function simulated: capacity of gov rises from 100 to 200 req/s at 45 s', () => {
    const r = rehearse(rehearsalBlueprint());
    const chart = rehearsalChart(r);
    const again = rehearsalChart(rehearse(rehearsalBlueprint()));
    expect(again).toBe(chart);
    const svg = parseXml(chart);
    const capacity = descendants(svg).find((e) => e.attributes['data-name'] === 'capacity of gov')!;
    // Four points in pixels: the start (100 req/s), the corner at 45 s, the step to 200, the end
    // at 180 s. The axes run to round ticks: 0-200 s over x 72-736, 0-400 req/s over y 268-76.
    expect(capacity.attributes.points).toBe('72,220 221.4,220 221.4,172 669.6,172');
  });

  it('gives the same bytes on every synth', () => {
    const again = synthesize(rehearsalBlueprint(withEvent('60s', 1)), { r: {} });
    expect(again.read('reports/r/enrolment-day-rehearsal.svg')).toBe(out.read('reports/r/enrolment-day-rehearsal.svg'));
    expect(again.read('reports/r.md')).toBe(out.read('reports/r.md'));
  });
});

describe('the line chart', () => {
  it('escapes text and keeps round ticks', () => {
    const svg = lineChart({
      title: 'a < b & "c"',
      xLabel: 'x',
      yLabel: 'y',
      panels: [
        {
          title: 'p',
          series: [
            {
              name: 's&t',
              color: '#000',
              points: [
                [0, 0],
                [10, 37],
              ],
            },
          ],
        },
      ],
    });
    const root = parseXml(svg);
    expect(root.children.find((e) => e.name === 'title')!.text).toBe('a &lt; b &amp; &quot;c&quot;');
    expect(niceTicks(0, 37)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(-300, 600)).toEqual([-400, -200, 0, 200, 400, 600]);
  });

  it('the XML reader used here rejects what is not well-formed', () => {
    expect(() => parseXml('<svg><g></svg></g>')).toThrow(/closing svg while g is open/);
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow(/raw "&"/);
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow(/duplicate attribute/);
  });
});

describe('bad rehearsal input', () => {
  const problems = (rehearsal: any, change: (b: any) => void = () => undefined) =>
    problemsOf(
      () =>
        new Fleet({
          blueprint: rehearsalBlueprint((b) => {
            b.burst[0].rehearsal = rehearsal;
            change(b);
          }),
          outdir: tempDir(),
        }),
    );

  it('rejects a step, ramp, duration, pod start, node provisioning or lead that is not a duration', () => {
    expect(problems({ step: '15', ramp: 'fast', duration: 10, podStart: '30 s', nodeProvisioning: '3min', preScaleLead: '-5m' })).toEqual([
      'blueprint.burst.enrolment-day.rehearsal.step: must be a duration such as "500ms", "30s", "5m" or "1h30m", got "15"',
      'blueprint.burst.enrolment-day.rehearsal.ramp: must be a duration such as "500ms", "30s", "5m" or "1h30m", got "fast"',
      'blueprint.burst.enrolment-day.rehearsal.duration: must be a duration such as "500ms", "30s", "5m" or "1h30m", got 10',
      'blueprint.burst.enrolment-day.rehearsal.podStart: must be a duration such as "500ms", "30s", "5m" or "1h30m", got "30 s"',
      'blueprint.burst.enrolment-day.rehearsal.nodeProvisioning: must be a duration such as "500ms", "30s", "5m" or "1h30m", got "3min"',
      'blueprint.burst.enrolment-day.rehearsal.preScaleLead: must be a duration such as "500ms", "30s", "5m" or "1h30m", got "-5m"',
    ]);
  });

  it('rejects a step that misses the HPA syncs, a duration out of range, a ramp longer than the rehearsal', () => {
    expect(problems({ step: '10s', duration: '3h', ramp: '4h' })).toEqual([
      'blueprint.burst.enrolment-day.rehearsal.step: must be "1s", "3s", "5s" or "15s" so every HPA sync (each 15s) falls on a step, got "10s"; use "5s" (the default) or "15s"',
      'blueprint.burst.enrolment-day.rehearsal.duration: must be from "15s" to "2h", got "3h"; the default is "10m"',
      'blueprint.burst.enrolment-day.rehearsal.ramp: "4h" is longer than the rehearsal (3h): the demand would never reach the peak; shorten it or raise rehearsal.duration',
    ]);
    expect(problems({ step: '500ms' })[0]).toContain('rehearsal.step: must be "1s", "3s", "5s" or "15s"');
  });

  it('rejects a pre-scale lead on a link without events, and one over two hours', () => {
    expect(problems({ preScaleLead: '5m' })).toEqual([
      'blueprint.burst.enrolment-day.rehearsal.preScaleLead: the link has no events to pre-scale for; remove preScaleLead, or add events: [{ name, start, end }] to the link',
    ]);
    expect(problems({ preScaleLead: '3h' }, withEvent('3h'))).toEqual([
      'blueprint.burst.enrolment-day.rehearsal.preScaleLead: must be at most "2h", got "3h"; the default is "5m"',
    ]);
  });

  it('rejects an unknown rehearsal key with a suggestion', () => {
    expect(problems({ steps: '5s' })[0]).toMatch(/^blueprint\.burst\.enrolment-day\.rehearsal\.steps: unknown key; did you mean "step"\?/);
  });
});
