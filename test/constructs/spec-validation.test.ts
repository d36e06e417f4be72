import { Fleet } from '../../constructs/core/fleet';
import { type BlueprintOverrides, type BlueprintSpec } from '../../constructs/blueprint-spec';
import { minimalBlueprint, problemsOf } from '../support/fleet-fixtures';

/** Problems of a region built from the minimal blueprint with these (untyped, as from YAML) overrides. */
function regionProblems(overrides: unknown, blueprint: BlueprintSpec = minimalBlueprint()): string[] {
  return problemsOf(() => new Fleet({ blueprint }).addRegions({ changsha: { overrides: overrides as BlueprintOverrides } }));
}

function blueprintProblems(change: (b: any) => void): string[] {
  const blueprint = JSON.parse(JSON.stringify(minimalBlueprint()));
  change(blueprint);
  return problemsOf(() => new Fleet({ blueprint }));
}

describe('override keys and types', () => {
  it('rejects an unknown key with a did-you-mean and the allowed keys', () => {
    const [problem] = regionProblems({ services: [{ name: 'enrolment', replcas: 3 }] });
    expect(problem).toMatch(/^regions\.changsha\.services\.enrolment\.replcas: unknown key; did you mean "replicas"\? Allowed keys: name, department/);
  });

  it('rejects a wrong type with the value and what is allowed', () => {
    expect(regionProblems({ services: [{ name: 'enrolment', replicas: 'three' }] })).toEqual([
      'regions.changsha.services.enrolment.replicas: must be an integer >= 1, got "three"',
    ]);
  });

  it('lists every problem of a region together', () => {
    const problems = regionProblems({
      clusters: [{ name: 'gov', capacity: { nodes: 0 } }],
      departments: [{ name: 'education', quota: { cpu: 'lots' } }],
      services: [{ name: 'enrolment', version: 'latest!' }],
    });
    expect(problems).toHaveLength(3);
  });

  it('lists problems of several regions together', () => {
    const fleet = new Fleet({ blueprint: minimalBlueprint() });
    const problems = problemsOf(() =>
      fleet.addRegions({
        changsha: { overrides: { services: [{ name: 'enrolment', replicas: 0 }] } },
        zhuzhou: { overrides: { departments: [{ name: 'education', quota: { memory: '16 GB' } }] } },
      }),
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'regions.changsha.services.enrolment.replicas',
      'regions.zhuzhou.departments.education.quota.memory',
    ]);
  });
});

describe('names', () => {
  it.each([
    ['Education', '"education"'],
    ['tax_bureau', '"tax-bureau"'],
  ])('rejects the DNS-1123-invalid department name %s and suggests %s', (name, suggestion) => {
    const problems = regionProblems({ departments: [{ name, quota: { cpu: '1', memory: '1Gi' } }] });
    expect(problems[0]).toContain(`must be a DNS-1123 label`);
    expect(problems[0]).toContain(`try ${suggestion}`);
  });

  it('rejects a region name that is not a DNS-1123 label', () => {
    expect(problemsOf(() => new Fleet({ blueprint: minimalBlueprint() }).addRegions({ ChangSha: {} }))[0]).toMatch(
      /^regions\.ChangSha: region name "ChangSha" must be a DNS-1123 label/,
    );
  });

  it('rejects duplicate service names', () => {
    const problems = blueprintProblems((b) => b.services.push({ ...b.services[0] }));
    expect(problems).toEqual([expect.stringMatching(/^blueprint\.services\.enrolment: duplicate name "enrolment" \(items 0 and 1\)/)]);
  });

  it('rejects duplicate department names', () => {
    const problems = blueprintProblems((b) => b.departments.push({ ...b.departments[0] }));
    expect(problems[0]).toMatch(/^blueprint\.departments\.education: duplicate name "education"/);
  });
});

describe('quantities', () => {
  it.each(['12 cores', '1.5.5Gi', '-4', ''])('rejects the quota cpu %j', (cpu) => {
    const [problem] = regionProblems({ departments: [{ name: 'education', quota: { cpu } }] });
    expect(problem).toContain('regions.changsha.departments.education.quota.cpu: must be a Kubernetes quantity');
  });

  it('rejects container defaults above the container maximum', () => {
    const [problem] = regionProblems({ departments: [{ name: 'education', limits: { defaultLimit: { cpu: '8', memory: '1Gi' } } }] });
    expect(problem).toBe('regions.changsha.departments.education.limits.defaultLimit.cpu: "8" is more than max.cpu ("4"); lower it or raise max.cpu');
  });

  it('rejects a limit below the request', () => {
    const [problem] = regionProblems({ services: [{ name: 'enrolment', resources: { limits: { memory: '128Mi' } } }] });
    expect(problem).toContain('services.enrolment.resources.limits.memory: "128Mi" is below the request ("256Mi")');
  });

  it('rejects an ephemeral-storage limit below its request, above the LimitRange maximum, or not a quantity', () => {
    const disk = (ephemeralStorage: object) => regionProblems({ services: [{ name: 'enrolment', resources: { ephemeralStorage } }] }).join('\n');
    expect(disk({ request: '2Gi', limit: '1Gi' })).toContain(
      'services.enrolment.resources.ephemeralStorage.limit: "1Gi" is below the request ("2Gi"); raise the limit or lower the request',
    );
    expect(disk({ limit: '20Gi' })).toContain(
      'services.enrolment.resources.ephemeralStorage.limit: "20Gi" is above the 8Gi every department\'s LimitRange allows a container, which would refuse the pods; keep files this large in a volume',
    );
    expect(disk({ request: 'lots' })).toContain('services.enrolment.resources.ephemeralStorage.request: must be a Kubernetes quantity');
  });
});

describe('references', () => {
  it('rejects a service of a department that does not exist, with a hint', () => {
    const [problem] = regionProblems({ services: [{ name: 'enrolment', department: 'educaton' }] });
    expect(problem).toBe(
      'regions.changsha.services.enrolment.department: no department named "educaton"; did you mean "education"? Known: education; add the department or fix the name',
    );
  });

  it('rejects a department on a cluster that does not exist', () => {
    const [problem] = regionProblems({ departments: [{ name: 'education', clusters: ['burst'] }] });
    expect(problem).toMatch(/^regions\.changsha\.departments\.education\.clusters\[0\]: no cluster named "burst"/);
  });

  it('rejects a service on a cluster its department does not run on', () => {
    const problems = regionProblems({
      clusters: [
        {
          name: 'public',
          role: 'public',
          cloud: 'pc',
          connection: { endpoint: { host: 'https://pc.example' } },
          capacity: { nodes: 1, nodeCpu: 4, nodeMemory: '8Gi' },
          network: { podCidr: '172.16.0.0/16', serviceCidr: '172.17.0.0/16' },
        },
      ],
      // Marked, so the data-classification rule (tested on its own) stays out of this case.
      services: [{ name: 'enrolment', clusters: ['public'], dataClassification: 'internal' }],
    });
    expect(problems).toEqual([expect.stringContaining('services.enrolment.clusters[0]: department "education" does not run on cluster "public"')]);
  });

  it('rejects a region with no gov cluster', () => {
    const problems = regionProblems({
      clusters: [
        { name: 'gov', $remove: true },
        {
          name: 'public',
          role: 'public',
          cloud: 'pc',
          connection: { endpoint: { host: 'https://pc.example' } },
          capacity: { nodes: 1, nodeCpu: 4, nodeMemory: '8Gi' },
          network: { podCidr: '172.16.0.0/16', serviceCidr: '172.17.0.0/16' },
        },
      ],
    });
    expect(problems[0]).toMatch(/^regions\.changsha\.clusters: needs at least one cluster with role "gov".*got only public/);
  });

  it('rejects removing an item the blueprint does not have', () => {
    expect(regionProblems({ services: [{ name: 'tax-portal', $remove: true }] })).toEqual([
      'regions.changsha.services.tax-portal: cannot remove "tax-portal": there is no such item to inherit (have: enrolment)',
    ]);
  });

  it('rejects a new service that misses required fields, naming each', () => {
    const problems = regionProblems({ services: [{ name: 'extra', department: 'education' }] });
    expect(problems).toEqual([
      'regions.changsha.services.extra.image: is required: set it to an image repository such as "registry.example/team/app"',
      'regions.changsha.services.extra.version: is required: set it to an image tag such as "2.4.1"',
      'regions.changsha.services.extra.ports: is required: set it to a list of a port with unique names',
      'regions.changsha.services.extra.resources: is required: set it to container resources',
    ]);
  });
});

describe('service rules', () => {
  it.each([
    [{ image: 'registry.test.example/edu/enrolment:1.0.0' }, 'services.enrolment.image: "registry.test.example/edu/enrolment:1.0.0" carries a tag or digest'],
    [{ version: 'latest' }, 'services.enrolment.version: "latest" is not a release version'],
    [{ replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 4 } }, 'services.enrolment.replicas: set either replicas or autoscaling'],
    [{ autoscaling: { minReplicas: 4, maxReplicas: 2 } }, 'services.enrolment.autoscaling.maxReplicas: must be >= minReplicas (4), got 2'],
    [{ autoscaling: { minReplicas: 1, maxReplicas: 2, scaleUp: { periodSeconds: 15 } } }, 'services.enrolment.autoscaling.scaleUp: set percent, pods or both'],
    [{ probes: { readiness: { port: 'grpc' } } }, 'services.enrolment.probes.readiness.port: "grpc" is not one of the service\'s ports (http)'],
    [{ disruptionBudget: { minAvailable: 2 } }, 'services.enrolment.disruptionBudget.minAvailable: 2 >= the minimum replica count (2) blocks every node drain'],
    [{ disruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, 'services.enrolment.disruptionBudget: set exactly one of maxUnavailable or minAvailable'],
    [{ disruptionBudget: { maxUnavailable: '150' } }, 'services.enrolment.disruptionBudget.maxUnavailable: must be a count (integer >= 0) or a percentage'],
    [
      { env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] },
      'services.enrolment.env.DB_PASSWORD.value: "DB_PASSWORD" looks like a credential: reference an existing Secret',
    ],
    [{ env: [{ name: 'DB_HOST' }] }, 'services.enrolment.env.DB_HOST: set exactly one of value or secret'],
    [{ ports: [{ name: 'http-port-too-long', port: 80 }] }, 'services.enrolment.ports.http-port-too-long.name: must be an IANA service name'],
    [{ ports: [{ name: 'http', port: 70000 }] }, 'services.enrolment.ports.http.port: must be an integer from 1 to 65535, got 70000'],
  ])('rejects %j', (change, message) => {
    const problems = regionProblems({ services: [{ name: 'enrolment', ...change }] });
    expect(problems).toEqual([expect.stringContaining(`regions.changsha.${message}`)]);
  });
});

describe('cluster rules', () => {
  it('rejects both kubeconfig and endpoint', () => {
    expect(regionProblems({ clusters: [{ name: 'gov', connection: { endpoint: { host: 'https://k8s.example' } } }] })).toEqual([
      'regions.changsha.clusters.gov.connection: set exactly one of kubeconfig or endpoint, got both (null removes an inherited one)',
    ]);
  });

  it('rejects an endpoint that is not https', () => {
    const [problem] = regionProblems({ clusters: [{ name: 'gov', connection: { kubeconfig: null, endpoint: { host: 'http://k8s.example' } } }] });
    expect(problem).toBe('regions.changsha.clusters.gov.connection.endpoint.host: must be an https URL of the API server, got "http://k8s.example"');
  });

  it('rejects overlapping pod and service CIDRs', () => {
    expect(regionProblems({ clusters: [{ name: 'gov', network: { serviceCidr: '10.0.128.0/20' } }] })).toEqual([
      'regions.changsha.clusters.gov.network: podCidr 10.0.0.0/16 overlaps serviceCidr 10.0.128.0/20; choose disjoint ranges',
    ]);
  });

  it('rejects a CIDR with host bits and suggests the network address', () => {
    expect(regionProblems({ clusters: [{ name: 'gov', network: { podCidr: '10.0.1.0/16' } }] })).toEqual([
      'regions.changsha.clusters.gov.network.podCidr: "10.0.1.0/16" has host bits set; did you mean "10.0.0.0/16"?',
    ]);
  });

  it('rejects an unknown role with a hint', () => {
    expect(regionProblems({ clusters: [{ name: 'gov', role: 'pubic' }] })[0]).toBe(
      'regions.changsha.clusters.gov.role: must be one of "gov", "public", got "pubic"; did you mean "public"?',
    );
  });

  it('rejects two backends at once', () => {
    expect(regionProblems({ backend: { s3: { bucket: 'b' }, kubernetes: {} } })).toEqual([
      'regions.changsha.backend: choose one backend, got s3 and kubernetes; remove the others (null removes an inherited one)',
    ]);
  });
});

describe('the blueprint itself', () => {
  it('is checked before any region, with the blueprint path', () => {
    expect(blueprintProblems((b) => (b.departments[0].quota.memory = '16 GB'))).toEqual([
      'blueprint.departments.education.quota.memory: must be a Kubernetes quantity such as "500m", "2", "512Mi" or "8Gi", got "16 GB"',
    ]);
  });
});
