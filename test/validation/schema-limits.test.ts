import { Fleet } from '../../constructs/core/fleet';
import { type BlueprintOverrides, type BlueprintSpec } from '../../constructs/blueprint-spec';
import { backupSettingsSchema } from '../../constructs/middleware/middleware-spec';
import { drPairSchema } from '../../constructs/disaster-recovery/disaster-recovery-spec';
import { containerLimits } from '../../constructs/workload/limits-plan';
import { parseCidr } from '../../lib/cidr';
import { Problems } from '../../lib/errors';
import * as s from '../../lib/schema';
import { minimalBlueprint, problemsOf } from '../support/fleet-fixtures';

/** Problems of a region built from the minimal blueprint with these (untyped, as from YAML) overrides. */
function regionProblems(overrides: unknown): string[] {
  return problemsOf(() => new Fleet({ blueprint: minimalBlueprint() }).addRegions({ changsha: { overrides: overrides as BlueprintOverrides } }));
}

/** Problems of the minimal blueprint after `change`. */
function blueprintProblems(change: (b: any) => void): string[] {
  const blueprint = JSON.parse(JSON.stringify(minimalBlueprint()));
  change(blueprint);
  return problemsOf(() => new Fleet({ blueprint }));
}

/** Problems of one schema checking `value` at `path`. */
function schemaProblems(schema: s.Schema<any>, value: unknown, path = 'x', mode: 'full' | 'override' = 'full'): string[] {
  const problems = new Problems();
  schema.check(value, path, mode, problems);
  return problems.list.map((p) => `${p.path}: ${p.message}`);
}

const enrolment = 'regions.changsha.services.enrolment';

describe('integers land in int32 fields', () => {
  it.each([
    [{ replicas: 2147483648 }, `${enrolment}.replicas`],
    [{ runAsUser: 1e12 }, `${enrolment}.runAsUser`],
    [{ autoscaling: { minReplicas: 2, maxReplicas: 3e9 } }, `${enrolment}.autoscaling.maxReplicas`],
    [{ probes: { liveness: { initialDelaySeconds: 2 ** 40 } } }, `${enrolment}.probes.liveness.initialDelaySeconds`],
  ])('rejects %j at its path, naming the bound', (change, path) => {
    const [problem, ...rest] = regionProblems({ services: [{ name: 'enrolment', ...change }] });
    expect(rest).toEqual([]);
    expect(problem).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}: must be at most 2147483647 in size, the limit of the 32-bit integer field`));
    expect(problem).toContain('use a smaller number');
  });

  it('keeps the largest int32 and an explicit max', () => {
    expect(schemaProblems(s.integer({ min: 1 }), 2147483647)).toEqual([]);
    expect(schemaProblems(s.integer({ min: 1, max: 65535 }), 70000)).toEqual(['x: must be an integer from 1 to 65535, got 70000']);
  });

  it('says so in the JSON schema', () => {
    expect(s.integer({ min: 1 }).toJsonSchema('full')).toEqual({ type: 'integer', minimum: 1, maximum: 2147483647 });
  });
});

describe('quantities are finite', () => {
  it.each([
    [{ resources: { requests: { cpu: '1e999' } } }, `${enrolment}.resources.requests.cpu`, '"1e999"'],
    [{ resources: { requests: { memory: '2e308' } } }, `${enrolment}.resources.requests.memory`, '"2e308"'],
    [{ resources: { limits: { memory: '1E999' } } }, `${enrolment}.resources.limits.memory`, '"1E999"'],
  ])('rejects %j', (change, path, shown) => {
    expect(regionProblems({ services: [{ name: 'enrolment', ...change }] })).toEqual([
      `${path}: must be a finite Kubernetes quantity such as "500m", "2", "512Mi" or "8Gi", got ${shown}, which is too large to be a number; write the amount with a suffix, such as "64" or "512Gi"`,
    ]);
  });

  it('rejects an infinite capacity on a cluster', () => {
    const [problem] = regionProblems({ clusters: [{ name: 'gov', capacity: { nodeCpu: '1e400' } }] });
    expect(problem).toMatch(/^regions\.changsha\.clusters\.gov\.capacity\.nodeCpu: must be a finite Kubernetes quantity/);
  });
});

describe('names follow the rule of the object they become', () => {
  it.each(['9lives', '0-day', '42'])('rejects the Service name %s, which must start with a letter', (name) => {
    const [problem] = blueprintProblems((b) => (b.services[0].name = name));
    expect(problem).toBe(
      `blueprint.services.${name}.name: "${name}" must start with a letter: it names a Kubernetes Service, which must be a DNS-1035 label; try "s-${name}"`,
    );
  });

  it('rejects a middleware instance name that starts with a digit (its Services carry it)', () => {
    expect(schemaProblems(s.serviceName(), '1db')[0]).toContain('must start with a letter');
    expect(schemaProblems(s.serviceName(), 'db-1')).toEqual([]);
  });

  it.each([
    ['h--p', '"--" is not allowed; try "h-p"'],
    ['http-', 'must be an IANA service name'],
    ['80', 'must be an IANA service name'],
    ['Http', 'must be an IANA service name'],
  ])('rejects the port name %s', (name, words) => {
    const [problem] = regionProblems({ services: [{ name: 'enrolment', ports: [{ name, port: 81 }] }] });
    expect(problem).toMatch(new RegExp(`^${enrolment.replace(/\./g, '\\.')}\\.ports\\.${name}\\.name: must be an IANA service name`));
    expect(problem).toContain(words);
    expect(problem).toContain(`got "${name}"`);
  });
});

describe('label values, annotations, images and host names within Kubernetes limits', () => {
  it.each([
    ['1.0.0-', 'starts and ends with a letter or digit'],
    ['_build', 'starts and ends with a letter or digit'],
    ['v'.repeat(64), 'at most 63 characters'],
  ])('rejects the version %s, which is also a label value', (version, words) => {
    const [problem] = regionProblems({ services: [{ name: 'enrolment', version }] });
    expect(problem).toMatch(new RegExp(`^${enrolment.replace(/\./g, '\\.')}\\.version: must be an image tag such as "2\\.4\\.1", got "`));
    expect(problem).toContain('it is also the app.kubernetes.io/version label');
    expect(problem).toContain(words);
  });

  it.each([
    ['registry.test.example/edu//enrolment', '"" is not a path component'],
    ['registry.test.example/edu/enrolment.', '"enrolment." is not a path component'],
    ['registry.test.example/edu/en--_rolment', '"en--_rolment" is not a path component'],
    ['registry..example/edu/enrolment', '"registry..example" is not a registry host[:port]'],
  ])('rejects the malformed image %s', (image, words) => {
    const [problem] = regionProblems({ services: [{ name: 'enrolment', image }] });
    expect(problem).toMatch(
      new RegExp(`^${enrolment.replace(/\./g, '\\.')}\\.image: ${JSON.stringify(image).replace(/[./]/g, '\\$&')} is not a well-formed image repository: `),
    );
    expect(problem).toContain(words);
    expect(problem).toMatch(/; write it as "registry\.example\/team\/app"$/);
  });

  it('rejects an image reference longer than 255 characters', () => {
    const image = `registry.test.example/${'a'.repeat(240)}`;
    expect(regionProblems({ services: [{ name: 'enrolment', image }] })[0]).toMatch(
      /^regions\.changsha\.services\.enrolment\.image: must be at most 255 characters, got 262 \(.*\); shorten it$/,
    );
  });

  it('keeps registry ports and nested paths', () => {
    expect(problemsOrNone({ services: [{ name: 'enrolment', image: 'registry.test.example/edu/sub_team/enrol-ment.v2' }] })).toEqual([]);
  });

  it('rejects a host name longer than 253 characters', () => {
    const host = `${'a.'.repeat(130)}example`;
    const [problem] = regionProblems({ services: [{ name: 'enrolment', traffic: { expose: { hosts: [host] } } }] });
    expect(problem).toMatch(/^regions\.changsha\.services\.enrolment\.traffic\.expose\.hosts\[0\]: must be at most 253 characters, got 267/);
  });

  it('rejects a DR primary host longer than a host name and its port', () => {
    const primaryHost = `${'p.'.repeat(130)}example:5432`;
    const [problem] = schemaProblems(drPairSchema, { databases: [{ name: 'db', primaryHost }] }, 'dr.citizen', 'override');
    expect(problem).toMatch(/^dr\.citizen\.databases\.db\.primaryHost: must be at most 259 characters, got 272 .*; shorten it$/);
  });

  it('rejects annotations over 256 KiB in total on the gateway Service', () => {
    const [problem] = blueprintProblems((b) => {
      b.mesh = { version: '1.30.3', ingressGateway: { serviceAnnotations: { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(100 * 1024) } } };
    });
    expect(problem).toBe(
      'blueprint.mesh.ingressGateway.serviceAnnotations: are 307202 bytes in total, more than the 262144 (256 KiB) Kubernetes allows on one object; keep large data in a ConfigMap',
    );
  });
});

/** Problems of the region, or none when it builds. */
function problemsOrNone(overrides: unknown): string[] {
  try {
    return regionProblems(overrides);
  } catch (error) {
    if ((error as Error).message.startsWith('expected a ValidationError')) return [];
    throw error;
  }
}

describe("CIDRs by Go's rules", () => {
  it.each([
    ['172.020.0.0/16', 'has "020" with a leading zero, which Go\'s parser refuses; write "20"'],
    ['10.0.0.0/08', 'has "08" with a leading zero, which Go\'s parser refuses; write "8"'],
    ['10.0.0.0/33', 'must be an IPv4 CIDR: octets 0-255, prefix 0-32'],
    ['10.0.0.1/16', 'has host bits set; did you mean "10.0.0.0/16"?'],
  ])('rejects the pod CIDR %s', (cidr, words) => {
    expect(regionProblems({ clusters: [{ name: 'gov', network: { podCidr: cidr } }] })).toEqual([
      `regions.changsha.clusters.gov.network.podCidr: ${JSON.stringify(cidr)} ${words}`,
    ]);
  });

  it.each(['172.020.0.0/16', '100.64.0.0/33', '256.0.0.0/8'])('rejects the replication source CIDR %s of a DR database', (cidr) => {
    const [problem] = schemaProblems(drPairSchema, { databases: [{ name: 'db', replicationSourceCidrs: ['100.64.0.0/16', cidr] }] }, 'dr.citizen', 'override');
    expect(problem).toMatch(
      new RegExp(`^dr\\.citizen\\.databases\\.db\\.replicationSourceCidrs\\[1\\]: ${JSON.stringify(cidr).replace(/[./]/g, '\\$&')} (has|must)`),
    );
  });

  it('still parses a valid block', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ text: '10.0.0.0/8', start: 10 * 2 ** 24, end: 11 * 2 ** 24 - 1 });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ start: 0 });
  });
});

describe('percentages up to 100%', () => {
  it.each(['250%', '101%', '999%'])('rejects a disruption budget of %s', (value) => {
    expect(regionProblems({ services: [{ name: 'enrolment', disruptionBudget: { maxUnavailable: value } }] })).toEqual([
      `${enrolment}.disruptionBudget.maxUnavailable: must be a percentage of at most 100%, got "${value}"; a budget counts pods, so write "100%" or less`,
    ]);
  });

  it('keeps 0% to 100% and counts', () => {
    for (const value of ['0%', '25%', '100%', 1]) expect(schemaProblems(s.intOrPercent(), value)).toEqual([]);
  });
});

describe('cron lines and time zones in every spec field', () => {
  it.each([
    ['99 99 99 99 99', 'the minute field "99" has 99, outside 0-59'],
    ['0 25 * * *', 'the hour field "25" has 25, outside 0-23'],
    ['0 18 31 2 *', 'day 31 of month 2 never comes'],
  ])('rejects the backup schedule %s', (schedule, words) => {
    expect(schemaProblems(backupSettingsSchema, { schedule }, 'middleware.db.backup')).toEqual([
      `middleware.db.backup.schedule: ${JSON.stringify(schedule)}: ${words}${words.endsWith('comes') ? ', so it would never fire' : ''}; write a cron line such as "30 7 1 7 *" (07:30 on 1 July)`,
    ]);
  });

  it('keeps a valid backup schedule and Velero descriptors', () => {
    for (const schedule of ['0 18 * * *', '@daily', '@every 6h']) expect(schemaProblems(backupSettingsSchema, { schedule })).toEqual([]);
  });

  it('checks a region override of a service event, not only the blueprint', () => {
    const problems = regionProblems({
      services: [
        {
          name: 'enrolment',
          autoscaling: {
            minReplicas: 2,
            maxReplicas: 6,
            schedule: [{ name: 'day', start: '99 99 99 99 99', end: '0 8 1 9 *', timezone: 'Mars/Olympus', minReplicas: 4 }],
          },
        },
      ],
    });
    expect(problems).toEqual([
      `${enrolment}.autoscaling.schedule.day.start: "99 99 99 99 99": the minute field "99" has 99, outside 0-59; write a cron line such as "30 7 1 7 *" (07:30 on 1 July)`,
      `${enrolment}.autoscaling.schedule.day.timezone: no IANA time zone is named "Mars/Olympus"; use a zone such as "Asia/Shanghai"`,
    ]);
  });
});

describe('duplicate ports', () => {
  it.each([
    [
      [
        { name: 'http', port: 80 },
        { name: 'web', port: 80 },
      ],
      'web',
      '80/TCP is also port "http"',
    ],
    [
      [
        { name: 'http', port: 80 },
        { name: 'metrics', port: 9090 },
        { name: 'prom', port: 9090, protocol: 'TCP' },
      ],
      'prom',
      '9090/TCP is also port "metrics"',
    ],
    [
      [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns2', port: 53, protocol: 'UDP' },
      ],
      'dns2',
      '53/UDP is also port "dns"',
    ],
  ])('rejects %j', (ports, name, words) => {
    const [problem] = blueprintProblems((b) => (b.services[0].ports = ports));
    expect(problem).toBe(
      `blueprint.services.enrolment.ports.${name}.port: ${words}; a Service cannot expose one port twice, so give it another number or remove one`,
    );
  });

  it('keeps one number on TCP and UDP', () => {
    const blueprint: BlueprintSpec = minimalBlueprint();
    (blueprint.services[0] as any).ports = [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53 },
    ];
    expect(() => new Fleet({ blueprint })).not.toThrow();
  });
});

describe('request <= limit in every generated container', () => {
  it.each([
    ['cpu', '64', '"64" is more than the container maximum of department "education" ("4")'],
    ['memory', '16Gi', '"16Gi" is more than the container maximum of department "education" ("8Gi")'],
  ])('rejects a %s request above the department maximum, where the default limit would be capped below it', (resource, value, words) => {
    const problems = blueprintProblems((b) => {
      b.departments[0].quota = { cpu: '200', memory: '400Gi' };
      b.services[0].resources.requests[resource] = value;
    });
    expect(problems).toEqual([
      `blueprint.services.enrolment.resources.requests.${resource}: ${words}, which its LimitRange enforces, so its pods would be refused; lower it, or raise departments.education.limits.max.${resource}`,
    ]);
  });

  it('rejects an explicit limit above the maximum the department sets', () => {
    const problems = blueprintProblems((b) => {
      b.departments[0].limits = { max: { cpu: '2', memory: '8Gi' } };
      b.services[0].resources.limits = { cpu: '3' };
    });
    expect(problems).toEqual([
      'blueprint.services.enrolment.resources.limits.cpu: "3" is more than the container maximum of department "education" ("2"), which its LimitRange enforces, so its pods would be refused; lower it, or raise departments.education.limits.max.cpu',
    ]);
  });

  it('never writes a default CPU limit below the request once the request fits', () => {
    const blueprint = minimalBlueprint();
    for (const cpu of ['100m', '2', '3', '4']) {
      const service = { ...blueprint.services[0], resources: { requests: { cpu, memory: '1Gi' } } };
      const limits = containerLimits(service, blueprint.departments[0]);
      expect(Number(String(limits.cpu).replace(/m$/, 'e-3'))).toBeGreaterThanOrEqual(Number(cpu.replace(/m$/, 'e-3')));
    }
  });
});
