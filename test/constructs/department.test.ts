import { minimalBlueprint, synthesize, type SynthOutput } from '../support/fleet-fixtures';

describe('Department (tenancy in the cluster stack)', () => {
  let out: SynthOutput;
  beforeAll(() => {
    out = synthesize(minimalBlueprint(), { changsha: {} });
  });
  const one = (type: string, path: string) => out.resources('changsha-gov', type)[path];

  it('creates the namespace with restricted Pod Security labels by default', () => {
    const ns = one('kubernetes_namespace_v1', 'changsha-gov/education/namespace');
    expect(ns.metadata.name).toBe('education');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'govcloud.io/department': 'education',
      'govcloud.io/region': 'changsha',
      'govcloud.io/cluster': 'gov',
    });
  });

  it('uses the level the department asks for', () => {
    const blueprint = minimalBlueprint();
    const baseline = synthesize({ ...blueprint, departments: [{ ...blueprint.departments[0], podSecurity: 'baseline' }] }, { changsha: {} });
    const ns = baseline.resources('changsha-gov', 'kubernetes_namespace_v1')['changsha-gov/education/namespace'];
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  it('puts every namespaced resource in the namespace by reference, so Terraform orders it after the namespace', () => {
    const quota = one('kubernetes_resource_quota_v1', 'changsha-gov/education/quota');
    expect(quota.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.education_namespace_[0-9A-F]+\.metadata\[0\]\.name\}$/);
  });

  it('sets the quota from the spec plus defaults for counts, storage and ephemeral storage', () => {
    expect(one('kubernetes_resource_quota_v1', 'changsha-gov/education/quota').spec.hard).toEqual({
      'requests.cpu': '8',
      'requests.memory': '16Gi',
      pods: '200',
      services: '50',
      persistentvolumeclaims: '20',
      'requests.storage': '500Gi',
      'requests.ephemeral-storage': '100Gi',
    });
  });

  it('gives containers default requests, limits and a ceiling, ephemeral storage included', () => {
    expect(one('kubernetes_limit_range_v1', 'changsha-gov/education/limits').spec.limit).toEqual([
      {
        type: 'Container',
        default_request: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '256Mi' },
        default: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '1Gi' },
        max: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '8Gi' },
      },
    ]);
  });

  it('binds the default admin and viewer groups to their roles', () => {
    const admin = one('kubernetes_role_binding_v1', 'changsha-gov/education/role-binding-admin');
    expect(admin.subject).toEqual([{ api_group: 'rbac.authorization.k8s.io', kind: 'Group', name: 'education-admins' }]);
    expect(admin.role_ref.kind).toBe('Role');
    const viewer = one('kubernetes_role_binding_v1', 'changsha-gov/education/role-binding-viewer');
    expect(viewer.subject[0].name).toBe('education-viewers');
  });

  it('lets admins manage workloads and secrets but only read quotas and network policies', () => {
    const rules: any[] = one('kubernetes_role_v1', 'changsha-gov/education/role-admin').rule;
    const verbsFor = (group: string, resource: string) =>
      rules.filter((r) => r.api_groups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs);
    expect(verbsFor('apps', 'deployments')).toContain('delete');
    expect(verbsFor('', 'secrets')).toContain('create');
    expect(verbsFor('', 'resourcequotas')).toEqual(['get', 'list', 'watch']);
    expect(verbsFor('networking.k8s.io', 'networkpolicies')).toEqual(['get', 'list', 'watch']);
  });

  it('never lets viewers read secrets or write anything', () => {
    const rules: any[] = one('kubernetes_role_v1', 'changsha-gov/education/role-viewer').rule;
    expect(rules.some((r) => r.resources.includes('secrets'))).toBe(false);
    expect(new Set(rules.flatMap((r) => r.verbs))).toEqual(new Set(['get', 'list', 'watch']));
  });

  it('denies all traffic by default, then allows the same namespace and DNS only, in one policy for every pod', () => {
    const policies = out.resources('changsha-gov', 'kubernetes_network_policy_v1');
    const deny = policies['changsha-gov/education/network-policy-deny-all'];
    expect(deny.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
    const baseline = policies['changsha-gov/education/network-policy-baseline-traffic'];
    expect(baseline.metadata.name).toBe('baseline-traffic');
    expect(baseline.spec).toEqual({
      pod_selector: {},
      policy_types: ['Ingress', 'Egress'],
      ingress: [{ from: [{ pod_selector: {} }] }],
      egress: [
        { to: [{ pod_selector: {} }] },
        {
          to: [
            {
              namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { port: '53', protocol: 'UDP' },
            { port: '53', protocol: 'TCP' },
          ],
        },
      ],
    });
    // Nothing else: the namespace's services call no one and are exposed to no one.
    expect(
      Object.keys(policies)
        .filter((p) => p.startsWith('changsha-gov/education/'))
        .sort(),
    ).toEqual(['changsha-gov/education/network-policy-baseline-traffic', 'changsha-gov/education/network-policy-deny-all']);
  });

  it('runs only on gov clusters unless the department lists its clusters', () => {
    const publicCluster = {
      name: 'burst',
      role: 'public' as const,
      cloud: 'public-cloud',
      connection: { endpoint: { host: 'https://burst.example' } },
      capacity: { nodes: 2, nodeCpu: '8', nodeMemory: '32Gi' },
      network: { podCidr: '172.16.0.0/16', serviceCidr: '172.17.0.0/16' },
    };
    const two = synthesize(minimalBlueprint(), { changsha: { overrides: { clusters: [publicCluster] } } });
    expect(two.stack('changsha-burst').resource).toBeUndefined();
    expect(two.read('manifests/changsha/burst/kustomization.yaml')).toContain('resources: []');
    const overrides = {
      clusters: [publicCluster],
      departments: [{ name: 'education', clusters: ['gov', 'burst'] }],
      services: [{ name: 'enrolment', dataClassification: 'internal' as const }],
    };
    const both = synthesize(minimalBlueprint(), { changsha: { overrides } });
    expect(Object.keys(both.resources('changsha-burst', 'kubernetes_namespace_v1'))).toEqual(['changsha-burst/education/namespace']);
    expect(both.find('changsha', 'burst', 'Deployment', 'enrolment').metadata.labels!['govcloud.io/cluster']).toBe('burst');
  });

  it('keeps Terraform addresses stable: they are derived from the construct path', () => {
    const addresses = Object.keys(out.stack('changsha-gov').resource.kubernetes_namespace_v1);
    expect(addresses).toEqual(['education_namespace_F8846ED0']);
  });
});
