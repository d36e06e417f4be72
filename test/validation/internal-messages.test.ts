/**
 * Issue 13, item 4: no internal message reaches a user. Each bad input below used to surface as a
 * construct-library error ("There is already a Construct"), a TypeError ("Cannot read properties
 * of undefined"), a stack overflow, a 40-second hang or nothing at all; each is now a
 * ValidationError naming the spec path, the value, what is allowed and the fix.
 */
import { Lazy, Token } from '../../lib/cdktf';
import { Fleet } from '../../constructs/core/fleet';
import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { defaultFleet } from '../../blueprints/default-fleet';
import { citizenServices } from '../../blueprints/citizen-services';
import { didYouMean } from '../../lib/did-you-mean';
import { Problems, showValue, ValidationError } from '../../lib/errors';
import * as s from '../../lib/schema';
import { parseRegionList } from '../../lib/cli/options';
import { UsageError } from '../../lib/cli/run-cli';
import { minimalBlueprint, problemsOf, publicBurstCluster } from '../support/fleet-fixtures';

/** The minimal blueprint with a public cluster and a burst link of its service. */
function burstBlueprint(): BlueprintSpec {
  const b: any = minimalBlueprint();
  b.clusters.push(publicBurstCluster());
  b.departments[0].quota = { cpu: '16', memory: '32Gi' };
  Object.assign(b.services[0], { dataClassification: 'internal', autoscaling: { minReplicas: 2, maxReplicas: 10 } });
  b.burst = [{ name: 'enrolment-day', from: 'gov', to: 'burst', surgeFactor: 10, services: [{ name: 'enrolment', baselineRps: 100, rpsPerReplica: 50 }] }];
  return b;
}

/** Problems of region "changsha" with these (untyped, as from YAML) overrides. */
function regionProblems(overrides: unknown, blueprint: BlueprintSpec = minimalBlueprint()): string[] {
  return problemsOf(() => new Fleet({ blueprint }).addRegions({ changsha: { overrides: overrides as never } }));
}

/** Problems of the minimal blueprint after `change`. */
function blueprintProblems(change: (b: any) => void): string[] {
  const blueprint: any = minimalBlueprint();
  change(blueprint);
  return problemsOf(() => new Fleet({ blueprint }));
}

function schemaProblems(schema: s.Schema<any>, value: unknown, mode: s.CheckMode = 'full'): string[] {
  const problems = new Problems();
  schema.validate(value, 'x', mode, problems);
  return problems.list.map((p) => `${p.path}: ${p.message}`);
}

const enrolment = 'regions.changsha.services.enrolment';

describe('a value listed twice is a spec error at its index', () => {
  it.each([
    [{ services: [{ name: 'enrolment', clusters: ['gov', 'gov'] }] }, `${enrolment}.clusters[1]: "gov" is listed twice (items 0 and 1)`],
    [
      { services: [{ name: 'enrolment', callers: ['enrolment', 'portal', 'enrolment'] }] },
      `${enrolment}.callers[2]: "enrolment" is listed twice (items 0 and 2)`,
    ],
    [{ departments: [{ name: 'education', clusters: ['gov', 'gov'] }] }, 'regions.changsha.departments.education.clusters[1]: "gov" is listed twice'],
    [{ clusters: [{ name: 'gov', zones: ['a', 'b', 'a'] }] }, 'regions.changsha.clusters.gov.zones[2]: "a" is listed twice (items 0 and 2)'],
  ])('%j', (overrides, expected) => {
    const problems = regionProblems(overrides);
    expect(problems).toContainEqual(expect.stringContaining(expected));
    expect(problems.find((p) => p.startsWith(expected))).toContain('each value may appear once; remove the repeat');
  });

  it('a list of maps keeps its own rules about repeats', () => {
    const failover = s.list(s.object<{ from: string; to: string }>({ from: s.string(), to: s.string() }));
    expect(
      schemaProblems(failover, [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'b' },
      ]),
    ).toEqual([]);
    expect(failover.toJsonSchema('full')).not.toHaveProperty('uniqueItems');
    expect(schemaProblems(s.list(s.string()), ['1', '2'])).toEqual([]);
    expect(schemaProblems(s.list(s.integer()), [1, 2, 1])).toEqual(['x[2]: 1 is listed twice (items 0 and 2): each value may appear once; remove the repeat']);
  });

  it('a cluster named twice, in the blueprint or in overrides', () => {
    expect(blueprintProblems((b) => b.clusters.push({ ...b.clusters[0] }))).toEqual([
      'blueprint.clusters.gov: duplicate name "gov" (items 0 and 1): names in a list must be unique; rename or merge one of them',
    ]);
    expect(regionProblems({ clusters: [{ name: 'gov' }, { name: 'gov' }] })).toEqual([
      'regions.changsha.clusters.gov: duplicate name "gov" (items 0 and 1): names in a list must be unique; rename or merge one of them',
    ]);
  });

  it('a region added twice', () => {
    const fleet = new Fleet({ blueprint: minimalBlueprint() });
    fleet.addRegions({ changsha: {} });
    expect(problemsOf(() => fleet.addRegions({ changsha: {} }))).toEqual([
      'regions.changsha: the fleet has a region "changsha" already: each region is added once; rename one or merge their overrides',
    ]);
  });

  it('says so in the JSON schema', () => {
    expect(s.list(s.name()).toJsonSchema('full')).toMatchObject({ type: 'array', uniqueItems: true });
  });
});

describe('names and keys every JavaScript object has are rejected', () => {
  const reserved = 'is reserved: every JavaScript object has a';

  it.each([
    ['cluster', (b: any) => (b.clusters[0].name = 'constructor'), 'blueprint.clusters.constructor.name'],
    ['department', (b: any) => (b.departments[0].name = 'constructor'), 'blueprint.departments.constructor.name'],
    ['service', (b: any) => (b.services[0].name = 'constructor'), 'blueprint.services.constructor.name'],
    ['middleware instance', (b: any) => (b.middleware = [{ name: 'constructor', engine: 'redis', version: '7.2' }]), 'blueprint.middleware.constructor.name'],
  ])('a %s named "constructor"', (_kind, change, path) => {
    expect(blueprintProblems(change)).toContainEqual(
      expect.stringMatching(new RegExp(`^${path.replace(/\./g, '\\.')}: "constructor" ${reserved} "constructor" already`)),
    );
  });

  it.each(['toString', 'constructor'])('a cloud named %s, which keys the price table', (cloud) => {
    expect(blueprintProblems((b) => (b.clusters[0].cloud = cloud))).toEqual([
      `blueprint.clusters.gov.cloud: "${cloud}" ${reserved} "${cloud}" already, so it would be read as that built-in instead of your entry; choose another name (any but the built-ins such as constructor, prototype, toString and __proto__)`,
    ]);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('a region named %s', (name) => {
    const regions = JSON.parse(`{"${name}": {}}`) as Record<string, object>;
    const [problem, ...rest] = problemsOf(() => new Fleet({ blueprint: minimalBlueprint() }).addRegions(regions));
    expect(rest).toEqual([]);
    expect(problem).toBe(
      `regions.${name}: region name "${name}" ${reserved} "${name}" already, so it would be read as that built-in instead of your entry; choose another name (any but the built-ins such as constructor, prototype, toString and __proto__)`,
    );
  });

  it.each(['constructor', '__proto__', 'toString', 'prototype'])('a record key %s is rejected, never dropped', (key) => {
    const overrides = JSON.parse(`{"costs": {"currency": "CNY", "prices": {"${key}": {"vcpuHour": 1, "gibHour": 1}}}}`);
    expect(Object.keys(overrides.costs.prices)).toEqual([key]); // an own key, as YAML and JSON make it
    expect(regionProblems(overrides)).toEqual([
      `regions.changsha.costs.prices.${key}: the key "${key}" ${reserved} "${key}" already, so it would be read as that built-in instead of your entry; choose another name (any but the built-ins such as constructor, prototype, toString and __proto__)`,
    ]);
  });

  it('in every record schema', () => {
    const labels = s.record(s.string());
    expect(schemaProblems(labels, JSON.parse('{"__proto__": "x", "team": "edu"}'), 'override')).toEqual([
      expect.stringMatching(/^x\.__proto__: the key "__proto__" is reserved/),
    ]);
    expect(schemaProblems(labels, { hasOwnProperty: 'x' })).toEqual([expect.stringMatching(/^x\.hasOwnProperty: the key "hasOwnProperty" is reserved/)]);
    expect(schemaProblems(labels, { team: 'edu' })).toEqual([]);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('--region %s names no region', (name) => {
    let error: unknown;
    try {
      defaultFleet({ regions: parseRegionList(name) });
    } catch (e) {
      error = e;
    }
    if (error instanceof UsageError)
      expect(error.message).toBe(
        `--region: region name "${name}" must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit`,
      );
    else {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).problems).toEqual([
        { path: '--region', message: `no region "${name}" in the default blueprint; choose from changsha, zhuzhou, xiangtan` },
      ]);
    }
  });
});

describe('region names and --region', () => {
  it('an empty region name', () => {
    expect(problemsOf(() => new Fleet({ blueprint: minimalBlueprint() }).addRegions({ '': {} }))).toEqual([
      'regions: a region needs a name (a DNS-1123 label such as "changsha"), got ""; name the region',
    ]);
  });

  it.each([',', ',,'])('--region %j names no region (it used to mean every region)', (list) => {
    expect(() => parseRegionList(list)).toThrow(
      `--region ${JSON.stringify(list)} names no region; write names separated by commas, e.g. --region changsha,zhuzhou`,
    );
  });

  it('--region with a typo says which regions exist', () => {
    expect(problemsOf(() => defaultFleet({ regions: parseRegionList('changsah') }))).toEqual([
      '--region: no region "changsah" in the default blueprint; did you mean "changsha"? Choose from changsha, zhuzhou, xiangtan',
    ]);
  });

  it('--region takes a list of names', () => {
    expect(parseRegionList('changsha,zhuzhou')).toEqual(['changsha', 'zhuzhou']);
  });
});

describe('a list that must not end up empty', () => {
  it("an override removing a service's only port", () => {
    expect(regionProblems({ services: [{ name: 'enrolment', ports: [{ name: 'http', $remove: true }] }] })).toEqual([
      `${enrolment}.ports: must hold at least 1 item (a port), got 0; add one, or keep the inherited one instead of removing it`,
    ]);
  });

  it('a blueprint service without ports', () => {
    expect(blueprintProblems((b) => (b.services[0].ports = []))).toEqual([
      'blueprint.services.enrolment.ports: must hold at least 1 item (a port), got 0; add one, or keep the inherited one instead of removing it',
    ]);
  });

  it("an override removing a burst link's only service", () => {
    expect(regionProblems({ burst: [{ name: 'enrolment-day', services: [{ name: 'enrolment', $remove: true }] }] }, burstBlueprint())).toEqual([
      'regions.changsha.burst.enrolment-day.services: must hold at least 1 item (a burst service), got 0; add one, or keep the inherited one instead of removing it',
    ]);
  });

  it('a burst link to an unknown service', () => {
    expect(
      regionProblems({ burst: [{ name: 'enrolment-day', services: [{ name: 'enrolmnet', baselineRps: 1, rpsPerReplica: 1 }] }] }, burstBlueprint()),
    ).toEqual(['regions.changsha.burst.enrolment-day.services.enrolmnet.name: no service named "enrolmnet"; did you mean "enrolment"? Known: enrolment']);
  });
});

describe('props and overrides of the wrong kind', () => {
  it.each([
    [undefined, 'got nothing'],
    [null, 'got null'],
    ['citizen-services', 'got "citizen-services"'],
  ])('new Fleet(%j)', (props, got) => {
    expect(problemsOf(() => new Fleet(props as never))).toEqual([
      `props: must be the fleet's props { blueprint, outdir? }, ${got}; write new Fleet({ blueprint })`,
    ]);
  });

  it('new Fleet({}) names the missing blueprint', () => {
    expect(() => new Fleet({} as never)).toThrow('blueprint without a name is invalid');
    expect(problemsOf(() => new Fleet({} as never))).toEqual([
      expect.stringMatching(/^blueprint: must be a blueprint \(a map with keys name, .*\), got nothing$/),
    ]);
  });

  it.each([
    [null, 'got null'],
    [undefined, 'got nothing'],
    [
      new Map([['changsha', {}]]),
      'got a Map with 1 entry; write the entries as a plain object ({ key: value }, or Object.fromEntries(map)): a Map is not read',
    ],
  ])('addRegions(%p)', (regions, got) => {
    expect(problemsOf(() => new Fleet({ blueprint: minimalBlueprint() }).addRegions(regions as never))).toEqual([
      `regions: must be a map of region name to its props ({ changsha: { overrides } }), ${got}; pass one entry per region`,
    ]);
  });

  it('region props that are null, or a source that is no string', () => {
    expect(problemsOf(() => new Fleet({ blueprint: minimalBlueprint() }).addRegions({ changsha: null as never }))).toEqual([
      "regions.changsha: must be the region's props { overrides?, source? }, got null; write { overrides: { ... } }, or {} for the blueprint as is",
    ]);
    expect(problemsOf(() => new Fleet({ blueprint: minimalBlueprint() }).addRegions({ changsha: { source: 42 as never } }))).toEqual([
      'regions.changsha.source: must be a string naming where the overrides come from (a file path), got 42',
    ]);
  });

  it('overrides given as a Map are rejected, not read as empty', () => {
    const [problem] = regionProblems(new Map([['services', []]]));
    expect(problem).toMatch(/^regions\.changsha: must be a blueprint \(a map with keys .*\), got a Map with 1 entry; write the entries as a plain object/);
  });

  it('a Map or a class instance deeper down', () => {
    class Quota {
      cpu = '8';
    }
    expect(regionProblems({ departments: [{ name: 'education', quota: new Quota() }] })).toEqual([
      expect.stringMatching(
        /^regions\.changsha\.departments\.education\.quota: must be a resource quota .*, got an instance of Quota; write it as a plain object \(\{ key: value \}\): a class instance is not read$/,
      ),
    ]);
    expect(regionProblems({ costs: { currency: 'CNY', prices: new Map() } })).toEqual([
      'regions.changsha.costs.prices: must be a map of a cloud price, got a Map with 0 entries; write the entries as a plain object ({ key: value }, or Object.fromEntries(map)): a Map is not read',
    ]);
  });
});

describe('deep and circular input', () => {
  it('deep nesting in an object is "nested too deep" at its path', () => {
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 100_000; i++) at = at.services = {};
    const [problem, ...rest] = regionProblems(deep);
    expect(rest).toEqual([]);
    expect(problem).toBe(
      `regions.changsha${'.services'.repeat(32)}: is nested too deep: more than 32 levels of maps and lists, deeper than any field of the spec; remove the extra nesting`,
    );
  });

  it('deep nesting in a list, where the message used to overflow the stack', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(regionProblems({ services: [{ name: 'enrolment', callers: deep }] })).toEqual([
      `regions.changsha.services[0].callers${'[0]'.repeat(29)}: is nested too deep: more than 32 levels of maps and lists, deeper than any field of the spec; remove the extra nesting`,
    ]);
  });

  it('a circular value', () => {
    const service: Record<string, unknown> = { name: 'enrolment' };
    service.traffic = { retries: service };
    expect(regionProblems({ services: [service] })).toEqual([
      'regions.changsha.services[0].traffic.retries: is nested too deep: it contains itself (it is the same object as regions.changsha.services[0]), a circular value that never ends; give each field a value of its own',
    ]);
    const blueprint: any = minimalBlueprint();
    blueprint.clusters[0].capacity.self = blueprint;
    expect(problemsOf(() => new Fleet({ blueprint }))).toEqual([
      'blueprint.clusters[0].capacity.self: is nested too deep: it contains itself (it is the same object as blueprint), a circular value that never ends; give each field a value of its own',
    ]);
  });

  it('an object used twice is not circular', () => {
    const blueprint: any = minimalBlueprint();
    const quota = { cpu: '8', memory: '16Gi' };
    blueprint.departments = [
      { name: 'education', quota },
      { name: 'tax', quota },
    ];
    expect(() => new Fleet({ blueprint }).addRegions({ changsha: { overrides: { departments: [{ name: 'health', quota }] } } })).not.toThrow();
  });

  it('showValue shows the start of any value without walking all of it', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(showValue(deep)).toBe(`${'['.repeat(57)}...`);
    expect(showValue('x'.repeat(1 << 20))).toBe(`"${'x'.repeat(56)}...`);
    expect(showValue({ a: [1, 'b', null], c: undefined, d: true })).toBe(JSON.stringify({ a: [1, 'b', null], c: undefined, d: true }));
    expect(showValue(new Set([1]))).toBe('a Set with 1 item');
    expect(showValue(() => 1)).toBe('a function');
  });
});

describe('did-you-mean is bounded', () => {
  it('a 1 MiB unknown key gets the usual message, with the key cut short in the path', () => {
    const key = 'x'.repeat(1 << 20);
    const [problem, ...rest] = regionProblems({ [key]: 1 });
    expect(rest).toEqual([]);
    expect(problem).toBe(
      `regions.changsha.${'x'.repeat(40)}...(1048576 characters): unknown key. Allowed keys: name, description, backend, supplyChain, clusters, departments, services, middleware, mesh, burst, disasterRecovery, karmada, observability, compliance, costs, gitops`,
    );
  });

  it('a 1 MiB value of an enum, and of a reference', () => {
    expect(regionProblems({ clusters: [{ name: 'gov', role: 'g'.repeat(1 << 20) }] })).toEqual([
      `regions.changsha.clusters.gov.role: must be one of "gov", "public", got "${'g'.repeat(56)}...`,
    ]);
    expect(regionProblems({ services: [{ name: 'enrolment', department: 'e'.repeat(1 << 20) }] })).toEqual([
      expect.stringMatching(/^regions\.changsha\.services\.enrolment\.department: .*"e{20,}\.\.\./),
    ]);
  });

  it('still suggests a typo, and nothing for a far longer or shorter word', () => {
    expect(didYouMean('replcas', ['replicas', 'ports'])).toBe('replicas');
    expect(didYouMean('gvo', ['gov', 'public'])).toBe('gov');
    expect(didYouMean('replicasreplicas', ['replicas'])).toBeUndefined();
    expect(didYouMean('r'.repeat(1 << 20), ['r'.repeat(1 << 20)])).toBeUndefined();
  });
});

describe("cdktf's token markers in a spec are rejected", () => {
  const why = 'the marker cdktf uses for a reference made in code: it would be resolved as one instead of written as text';

  it('a string token in a string field', () => {
    const token = Token.asString(Lazy.stringValue({ produce: () => 'x' }));
    expect(token).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(regionProblems({ services: [{ name: 'enrolment', displayName: `Enrolment ${token}` }] })).toEqual([
      `regions.changsha.services[0].displayName: "Enrolment ${token}" contains "\${TfToken[", ${why}. Spec values are plain text; remove the marker (a live Terraform reference belongs in an escape hatch, not the spec)`,
    ]);
  });

  it('the text of a token typed by hand, in the blueprint', () => {
    expect(blueprintProblems((b) => (b.description = 'x ${TfToken[TOKEN.12]} y'))).toEqual([
      expect.stringMatching(/^blueprint\.description: "x \$\{TfToken\[TOKEN\.12\]\} y" contains "\$\{TfToken\["/),
    ]);
  });

  it('a list token, a map token and a token as a key', () => {
    const list = Token.asList(Lazy.listValue({ produce: () => ['a'] }));
    expect(list[0]).toMatch(/^#\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(regionProblems({ clusters: [{ name: 'gov', zones: list }] })).toEqual([
      expect.stringMatching(/^regions\.changsha\.clusters\[0\]\.zones\[0\]: "#\{TfToken\[TOKEN\.\d+\]\}" contains "#\{TfToken\["/),
    ]);
    expect(regionProblems({ costs: { currency: 'CNY', prices: { '&{TfToken[TOKEN.3]}': { vcpuHour: 1, gibHour: 1 } } } })).toContainEqual(
      expect.stringMatching(/^regions\.changsha\.costs\.prices\.&\{TfToken\[TOKEN\.3\]\}: the key "&\{TfToken\[TOKEN\.3\]\}" contains "&\{TfToken\["/),
    );
  });

  it('a number token', () => {
    const number = Token.asNumber(Lazy.numberValue({ produce: () => 3 }));
    expect(regionProblems({ services: [{ name: 'enrolment', replicas: number }] })).toEqual([
      `regions.changsha.services[0].replicas: ${number} is a number cdktf encodes its references as, not a value; write the number itself`,
    ]);
  });

  it('plain "${...}" text is still text (it is escaped for Terraform, not refused)', () => {
    expect(() => new Fleet({ blueprint: { ...minimalBlueprint(), description: 'Edu ${var.x} %{if}' } })).not.toThrow();
  });
});

describe('the default blueprint', () => {
  it('still builds, every region', () => {
    expect(() => defaultFleet()).not.toThrow();
    expect(() => new Fleet({ blueprint: citizenServices })).not.toThrow();
  });
});
