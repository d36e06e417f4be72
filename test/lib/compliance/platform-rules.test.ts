import { PLATFORM_RULES, inClusterEndpoint, isTerraformReference, longestCronGap, looksLikeCredential } from '../../../lib/compliance/rules/platform-rules';
import type { Rule, Violation } from '../../../lib/compliance/compliance-rule';
import { type FixtureObjects, fixtureOutput, fixtureProblems } from '../../support/compliance-fixtures';
import {
  DEPARTMENT,
  NAMESPACE_REF,
  PLATFORM_FIXTURES,
  backupLocation,
  departmentSchedule,
  deployment,
  helmRelease,
  manifest,
  networkPolicy,
  records,
  shelfInstance,
  tf,
  tfDenyAll,
  tfNamespace,
  veleroSchedule,
} from './platform-fixtures';

function rule(id: string): Rule {
  const found = PLATFORM_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

const check = (id: string, objects: FixtureObjects): Violation[] => rule(id).check(fixtureOutput(objects));

describe('the platform rules', () => {
  it('hold on their passing fixtures and break on their failing ones', () => {
    expect(fixtureProblems(PLATFORM_RULES, PLATFORM_FIXTURES)).toEqual([]);
  });

  it('have unique ids in the platform areas, a rationale, a fix and controls', () => {
    const ids = PLATFORM_RULES.map((r) => r.id);
    expect(PLATFORM_RULES.length).toBeGreaterThanOrEqual(14);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of PLATFORM_RULES) {
      expect(r.id).toMatch(/^GCB-(NET|TEN|RBAC|SEC|AVL|TLS|DATA|BAK|RET)-\d{2}$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.rationale.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(10);
      expect(r.controls.length).toBeGreaterThan(0);
      expect(['error', 'warning']).toContain(r.severity);
    }
  });

  it("say MLPS clauses are our reading, never the standard's own mapping", () => {
    const mlps = PLATFORM_RULES.flatMap((r) => r.controls).filter((c) => c.framework === 'MLPS 2.0 L3');
    expect(mlps.length).toBeGreaterThan(0);
    for (const control of mlps) expect(control).toMatchObject({ certain: false, id: expect.stringMatching(/^8\.\d(\.\d+)*( [a-z]\))?$/) });
  });

  it('cover every area the issue names', () => {
    const areas = new Set(PLATFORM_RULES.map((r) => r.id.split('-')[1]));
    expect([...areas].sort()).toEqual(['AVL', 'BAK', 'DATA', 'NET', 'RBAC', 'RET', 'SEC', 'TEN', 'TLS']);
  });
});

describe('GCB-NET-01 default deny', () => {
  it('counts a default-deny policy written as a manifest for a namespace made in Terraform', () => {
    const policy = networkPolicy('deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(check('GCB-NET-01', { terraform: [tfNamespace()], manifests: [policy] })).toEqual([]);
  });

  it('counts two policies, one per direction', () => {
    expect(
      check('GCB-NET-01', {
        terraform: [tfNamespace(), tfDenyAll(['Ingress'])],
        manifests: [networkPolicy('deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
      }),
    ).toEqual([]);
  });

  it('reads a policy without policyTypes as ingress only, as the API server does', () => {
    const [found] = check('GCB-NET-01', { terraform: [tfNamespace()], manifests: [networkPolicy('deny-all', { podSelector: {} })] });
    expect(found.message).toContain('for egress');
  });

  it('does not count a policy that selects some pods, or one with rules', () => {
    const narrow = tf('network_policy', 'deny-some', { spec: { pod_selector: { match_labels: { app: 'x' } }, policy_types: ['Ingress', 'Egress'] } });
    const withRule = networkPolicy('not-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }] });
    expect(check('GCB-NET-01', { terraform: [tfNamespace(), narrow], manifests: [withRule] })).toHaveLength(1);
  });

  it('reports a missing policy on the Namespace, with an empty field, in the department', () => {
    const [found] = check('GCB-NET-01', { terraform: [tfNamespace()] });
    expect(found).toMatchObject({
      field: '',
      object: {
        layer: 'terraform',
        name: 'kubernetes_namespace_v1.education_namespace_F8846ED0',
        department: DEPARTMENT,
        file: 'terraform/stacks/city-gov/cdk.tf.json',
      },
    });
  });

  it('reports on a manifest Namespace when that is where the namespace is made', () => {
    const [found] = check('GCB-NET-01', { manifests: [manifest('v1', 'Namespace', DEPARTMENT, {}, null)] });
    expect(found.object).toMatchObject({ layer: 'manifest', name: `Namespace ${DEPARTMENT}`, department: DEPARTMENT });
  });

  it("leaves a Karmada API server's own namespaces to the member clusters' outputs", () => {
    const karmadaOnly = manifest(
      'v1',
      'Namespace',
      DEPARTMENT,
      { metadata: { name: DEPARTMENT, labels: { 'namespace.karmada.io/skip-auto-propagation': 'true' } } },
      null,
    );
    expect(check('GCB-NET-01', { manifests: [karmadaOnly] })).toEqual([]);
  });

  it('does not read an Istio or Gateway API object of a core kind name as one', () => {
    const notAPolicy = manifest('example.io/v1', 'NetworkPolicy', 'deny-all', { spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    expect(check('GCB-NET-01', { terraform: [tfNamespace()], manifests: [notAPolicy] })).toHaveLength(1);
  });
});

describe('GCB-NET-02 open rules', () => {
  it('flags 0.0.0.0/0 and every namespace without ports, and names the rule', () => {
    const found = check('GCB-NET-02', {
      manifests: [
        networkPolicy('to-world', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
        networkPolicy('from-cluster', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] }),
      ],
    });
    expect(found.map((v) => [v.object.name, v.field])).toEqual([
      ['NetworkPolicy education/to-world', 'spec.egress[0]'],
      ['NetworkPolicy education/from-cluster', 'spec.ingress[0]'],
    ]);
  });

  it('leaves policies outside department namespaces alone', () => {
    const open = manifest('networking.k8s.io/v1', 'NetworkPolicy', 'kubernetes-api', { spec: { podSelector: {}, egress: [{}] } }, 'middleware');
    expect(check('GCB-NET-02', { manifests: [open] })).toEqual([]);
  });
});

describe('GCB-TEN rules', () => {
  it('name the field of a quota that leaves memory unbounded', () => {
    const quota = tf('resource_quota', 'department-quota', { spec: { hard: { 'requests.cpu': '32', pods: '400' } } });
    expect(check('GCB-TEN-01', { terraform: [tfNamespace(), quota] })).toEqual([
      expect.objectContaining({ field: 'spec.hard', message: expect.stringContaining('but not memory') }),
    ]);
  });

  it('name the Pod Security label by its key', () => {
    const [found] = check('GCB-TEN-03', { terraform: [tfNamespace({})] });
    expect(found.field).toBe('metadata.labels["pod-security.kubernetes.io/enforce"]');
    expect(found.message).toContain('the label is missing');
  });
});

describe('GCB-RBAC rules', () => {
  it('follow a Terraform RoleBinding to its Role through references', () => {
    const wildRole = {
      type: 'kubernetes_role_v1',
      name: 'education_role-admin',
      body: { metadata: { name: 'education-admin', namespace: NAMESPACE_REF }, rule: [{ api_groups: ['*'], resources: ['pods'], verbs: ['get'] }] },
    };
    const binding = tf('role_binding', 'education-admin', {
      role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'Role', name: '${kubernetes_role_v1.education_role-admin.metadata[0].name}' },
      subject: [{ kind: 'Group', name: 'education-admins' }],
    });
    const found = check('GCB-RBAC-01', { terraform: [tfNamespace(), wildRole, binding] });
    expect(found).toEqual([expect.objectContaining({ field: 'rule[0].api_groups', object: expect.objectContaining({ department: DEPARTMENT }) })]);
  });

  it('count system-wide groups as every department', () => {
    const binding = manifest(
      'rbac.authorization.k8s.io/v1',
      'ClusterRoleBinding',
      'everyone-admin',
      { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
      null,
    );
    expect(check('GCB-RBAC-02', { manifests: [binding] })[0].message).toContain('every department');
  });

  it('leave platform bindings alone', () => {
    const binding = manifest(
      'rbac.authorization.k8s.io/v1',
      'ClusterRoleBinding',
      'sre',
      { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'platform-sre' }] },
      null,
    );
    expect(check('GCB-RBAC-02', { manifests: [binding] })).toEqual([]);
  });
});

describe('GCB-SEC secrets', () => {
  it('pass a Secret written only with data_wo from variables', () => {
    const secret = tf('secret', 'citizen-db-credentials', {
      data_wo: { password: '${var.middleware_citizen_db_password}', 'tls.key': '${var.key}' },
      data_wo_revision: 1,
      type: 'Opaque',
    });
    for (const id of ['GCB-SEC-01', 'GCB-SEC-02']) expect(check(id, { terraform: [secret] })).toEqual([]);
  });

  it('pass ${var.x} references in data (for GCB-SEC-01), which GCB-SEC-02 then flags for the state', () => {
    const secret = tf('secret', 'legacy', { data: { password: '${var.db_password}', token: '${base64decode(var.token_b64)}' } });
    expect(check('GCB-SEC-01', { terraform: [secret] })).toEqual([]);
    expect(check('GCB-SEC-02', { terraform: [secret] })).toEqual([
      expect.objectContaining({ field: 'data', message: expect.stringContaining('password, token') }),
    ]);
  });

  it('never repeat the secret it found', () => {
    const value = 'correct-horse-battery-staple';
    const objects: FixtureObjects = {
      terraform: [
        tf('secret', 'a', { data: { password: value } }),
        tf('config_map', 'b', { data: { DB_PASSWORD: value } }),
        helmRelease('c', 'redis', [`auth:\n  password: ${value}\n`], 'middleware', { set_sensitive: [{ name: 'auth.password', value }] }),
      ],
      manifests: [
        manifest('v1', 'Secret', 'd', { stringData: { password: value } }),
        deployment({}, { containers: [{ name: 'x', image: 'y', env: [{ name: 'API_TOKEN', value }] }] }),
      ],
    };
    const found = PLATFORM_RULES.flatMap((r) => r.check(fixtureOutput(objects)));
    expect(found.filter((v) => v.message.includes('not shown') || v.message.includes('holds values')).length).toBeGreaterThanOrEqual(5);
    for (const v of found) expect(`${v.field} ${v.message}`).not.toContain(value);
  });

  it('tell references from literals', () => {
    expect(
      ['${var.x}', '${var.middleware_citizen_db_password}', '${base64encode(var.x)}', '${random_password.p.result}', 'user:${var.x}'].map(isTerraformReference),
    ).toEqual([true, true, true, true, true]);
    expect(['hunter2', '${"hunter2"}', '${1234}', '$${var.x}x', ''].map(isTerraformReference)).toEqual([false, false, false, false, false]);
  });

  it('tell credential names from names that point at one', () => {
    const credentials = [
      'DB_PASSWORD',
      'password',
      'adminPassword',
      'redis-password',
      'API_KEY',
      'apiKey',
      'SECRET_KEY',
      'secretKey',
      'ACCESS_KEY',
      'client_secret',
      'authToken',
      'erlang-cookie',
    ];
    const pointers = [
      'DB_PASSWORD_FILE',
      'existingSecret',
      'passwordKey',
      'existingSecretPasswordKey',
      'rootPasswordSecretKey',
      'TOKEN_URL',
      'SECRET_NAME',
      'usePasswordFiles',
      'DB_USERNAME',
      'host',
    ];
    expect(credentials.filter((n) => !looksLikeCredential(n))).toEqual([]);
    expect(pointers.filter(looksLikeCredential)).toEqual([]);
  });

  it('carry an admission check for literal credentials in env', () => {
    const validations = rule('GCB-SEC-04').admission?.validations ?? [];
    expect(validations).toHaveLength(1);
    expect(validations[0].expression).toContain('has(e.valueFrom)');
    expect(validations[0].message).toMatch(/^GCB-SEC-04: /);
  });
});

describe('GCB-AVL rules', () => {
  it('read the ceiling of a KEDA ScaledObject', () => {
    const scaled = manifest('keda.sh/v1alpha1', 'ScaledObject', 'enrolment', {
      spec: { scaleTargetRef: { name: 'enrolment' }, minReplicaCount: 0, maxReplicaCount: 30 },
    });
    expect(check('GCB-AVL-01', { manifests: [deployment(), scaled] })[0].message).toContain('up to 30 replicas');
  });

  it('count a PodDisruptionBudget written in Terraform', () => {
    const budget = tf('pod_disruption_budget', 'enrolment', {
      spec: { max_unavailable: '1', selector: { match_labels: { 'app.kubernetes.io/name': 'enrolment' } } },
    });
    expect(check('GCB-AVL-01', { manifests: [deployment({ replicas: 2 })], terraform: [tfNamespace(), budget] })).toEqual([]);
  });
});

describe('GCB-TLS rules', () => {
  it("pass the mesh's east-west AUTO_PASSTHROUGH server and flag a TCP one", () => {
    const gatewayOf = (server: object) =>
      manifest('networking.istio.io/v1', 'Gateway', 'cross-network-gateway', { spec: { servers: [server] } }, 'istio-system');
    const passthrough = { hosts: ['*.local'], port: { name: 'tls', number: 15443, protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' } };
    expect(check('GCB-TLS-01', { manifests: [gatewayOf(passthrough)] })).toEqual([]);
    const tcp = { hosts: ['*'], port: { name: 'tcp', number: 5432, protocol: 'TCP' } };
    expect(check('GCB-TLS-01', { manifests: [gatewayOf(tcp)] })).toEqual([expect.objectContaining({ field: 'spec.servers[0].port.protocol' })]);
  });

  it('flag an HTTPS server without a certificate', () => {
    const server = { hosts: ['a.example'], port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE' } };
    expect(check('GCB-TLS-01', { manifests: [manifest('networking.istio.io/v1', 'Gateway', 'g', { spec: { servers: [server] } })] })[0].field).toBe(
      'spec.servers[0].tls.credentialName',
    );
  });

  it('ask nothing of a cluster without Istio', () => {
    expect(check('GCB-TLS-03', { terraform: [tfNamespace()] })).toEqual([]);
  });

  it('accept STRICT per department namespace instead of mesh-wide', () => {
    const strict = manifest('security.istio.io/v1', 'PeerAuthentication', 'default', { spec: { mtls: { mode: 'STRICT' } } });
    expect(check('GCB-TLS-03', { terraform: [tfNamespace(), helmRelease('istiod', 'istiod', [], 'istio-system')], manifests: [strict] })).toEqual([]);
  });

  it('flag a DestinationRule that switches mTLS off', () => {
    const rule = manifest('networking.istio.io/v1', 'DestinationRule', 'legacy', {
      spec: { host: 'legacy', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'DISABLE' } }] } },
    });
    expect(check('GCB-TLS-04', { manifests: [rule] })[0].field).toBe('spec.trafficPolicy.portLevelSettings[0].tls.mode');
  });
});

describe('GCB-BAK rules', () => {
  it('take a Schedule of the whole namespace as covering a shelf instance', () => {
    const schedule = manifest(
      'velero.io/v1',
      'Schedule',
      'dr-pair',
      { spec: { schedule: '*/5 * * * *', template: { includedNamespaces: ['data-bureau', 'middleware'] } } },
      'velero',
    );
    expect(check('GCB-BAK-02', { terraform: shelfInstance(), manifests: [schedule] })).toEqual([]);
  });

  it('skip a shelf instance its objects mark as not personal', () => {
    const [namespace, release, secret] = shelfInstance('campaign-cache');
    const marked = {
      ...secret,
      body: {
        ...secret.body,
        metadata: {
          ...(secret.body.metadata as object),
          labels: { 'govcloud.io/middleware': 'campaign-cache', 'govcloud.io/data-classification': 'internal' },
        },
      },
    };
    expect(check('GCB-BAK-02', { terraform: [namespace, release, marked] })).toEqual([]);
  });

  it('do not count a paused Schedule', () => {
    const paused = veleroSchedule('0 18 * * *');
    paused.spec.paused = true;
    expect(check('GCB-BAK-02', { terraform: shelfInstance(), manifests: [paused] })).toHaveLength(1);
    expect(check('GCB-BAK-04', { manifests: [paused] })[0].field).toBe('spec.paused');
  });

  it('skip department volumes marked as not personal, and flag claims', () => {
    expect(check('GCB-BAK-01', { manifests: [records({ 'govcloud.io/data-classification': 'public' })] })).toEqual([]);
    const claim = manifest('v1', 'PersistentVolumeClaim', 'uploads', { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    expect(check('GCB-BAK-01', { manifests: [claim] })[0].message).toContain('PersistentVolumeClaim education/uploads');
  });

  it("count a Karmada control plane's StatefulSet as backed up by its members' Schedules", () => {
    const controlPlane = fixtureOutput({ manifests: [records()], cluster: { cluster: 'karmada' } });
    expect(rule('GCB-BAK-01').check(controlPlane)).toHaveLength(1);
    const members = [{ file: 'manifests/city/gov/service-backups.yaml', object: departmentSchedule() }];
    expect(rule('GCB-BAK-01').check({ ...controlPlane, memberSchedules: members })).toEqual([]);
    // Only Schedules count: a member's other objects do not back anything up.
    expect(rule('GCB-BAK-01').check({ ...controlPlane, memberSchedules: [{ file: members[0].file, object: records() }] })).toHaveLength(1);
  });

  it('use the default location when a Schedule names none, and warn when the output has none', () => {
    expect(check('GCB-BAK-03', { manifests: [veleroSchedule('0 18 * * *'), backupLocation('https://obs.example.com')] })).toEqual([]);
    expect(check('GCB-BAK-03', { manifests: [veleroSchedule('0 18 * * *')] })[0].message).toContain('configured by hand');
    expect(
      check('GCB-BAK-03', { manifests: [veleroSchedule('0 18 * * *'), backupLocation('https://obs.example.com', { accessMode: 'ReadOnly' })] })[0].message,
    ).toContain('ReadOnly');
  });

  it('read cron lines as Velero does', () => {
    expect(['0 18 * * *', '*/5 * * * *', '0 */6 * * *', '0 2,14 * * *', '@every 1h', '@daily', 'CRON_TZ=Asia/Shanghai 0 2 * * *'].map(longestCronGap)).toEqual([
      86400, 300, 21600, 43200, 3600, 86400, 86400,
    ]);
    expect(longestCronGap('0 18 * * 0')).toBe(Infinity);
    expect(longestCronGap('@weekly')).toBeGreaterThan(86400);
    expect(['0 25 * * *', 'every day', '* * * *'].map(longestCronGap)).toEqual([undefined, undefined, undefined]);
  });

  it('tell in-cluster endpoints from off-site ones', () => {
    expect(
      ['http://minio.middleware.svc:9000', 'http://documents:9000', 'http://localhost:9000', 'https://x.middleware.svc.cluster.local'].map(inClusterEndpoint),
    ).toEqual([true, true, true, true]);
    expect(['https://obs.cn-central-221.example', 'https://oss-cn-hangzhou.aliyuncs.example/bucket'].map(inClusterEndpoint)).toEqual([false, false]);
  });
});

describe('GCB-RET rules', () => {
  it('count forever (0d) as enough, and only raw data when downsampling is off', () => {
    const release = (values: string) => helmRelease('thanos', 'thanos', [`compactor:\n  enabled: true\n${values}`]);
    expect(check('GCB-RET-01', { terraform: [release('  retentionResolutionRaw: 0d\n  retentionResolution5m: 30d\n  retentionResolution1h: 30d\n')] })).toEqual(
      [],
    );
    const off = release(
      '  retentionResolutionRaw: 30d\n  retentionResolution5m: 1y\n  retentionResolution1h: 2y\n  extraFlags:\n    - --downsampling.disable\n',
    );
    expect(check('GCB-RET-01', { terraform: [off] })).toEqual([
      expect.objectContaining({ field: 'values[0].compactor.retentionResolutionRaw', message: expect.stringContaining('downsampling disabled') }),
    ]);
  });

  it("take a set entry over the values, and the chart's defaults for what is left out", () => {
    const release = helmRelease('thanos', 'thanos', ['compactor:\n  enabled: true\n'], 'monitoring', {
      set: [{ name: 'compactor.retentionResolution1h', value: '60d' }],
    });
    expect(check('GCB-RET-01', { terraform: [release] })).toEqual([expect.objectContaining({ field: 'set[0].value' })]);
    // Left out entirely, the chart keeps 1h-resolution data ten years.
    expect(check('GCB-RET-01', { terraform: [helmRelease('thanos', 'thanos', ['compactor:\n  enabled: true\n'])] })).toEqual([]);
  });

  it('ask nothing of a Thanos without compactor (the tenants query)', () => {
    expect(check('GCB-RET-01', { terraform: [helmRelease('thanos-tenants', 'thanos', ['query:\n  enabled: true\n'])] })).toEqual([]);
  });
});
