import type { Json, Rule } from '../../../lib/compliance/compliance-rule';
import { WORKLOAD_RULES } from '../../../lib/compliance/rules/workload-rules';
import { FIXTURE_REGISTRY, type FixtureObjects, fixtureOutput, fixtureProblems } from '../../support/compliance-fixtures';
import { WORKLOAD_ALSO_BROKEN, WORKLOAD_FIXTURES, compliantContainer, cronJob, deployment, serviceAccount } from './workload-fixtures';

const rule = (id: string): Rule => {
  const found = WORKLOAD_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};
const run = (id: string, objects: FixtureObjects) => rule(id).check(fixtureOutput(objects));
const brokenRules = (objects: FixtureObjects) => WORKLOAD_RULES.filter((r) => r.check(fixtureOutput(objects)).length > 0).map((r) => r.id);

describe('workload rules', () => {
  it('pass their passing fixtures and flag their failing ones', () => {
    expect(fixtureProblems(WORKLOAD_RULES, WORKLOAD_FIXTURES)).toEqual([]);
  });

  it('are at least 16, with unique ids of the form GCB-<AREA>-NN', () => {
    expect(WORKLOAD_RULES.length).toBeGreaterThanOrEqual(16);
    for (const r of WORKLOAD_RULES) expect(r.id).toMatch(/^GCB-(POD|RES|IMG|PRB|PRI)-\d{2}$/);
    expect(new Set(WORKLOAD_RULES.map((r) => r.id)).size).toBe(WORKLOAD_RULES.length);
  });

  it.each(WORKLOAD_RULES.map((r) => [r.id, r] as const))('%s has a title, rationale, fix and at least one control', (_, r) => {
    expect(r.title.trim()).not.toBe('');
    expect(r.rationale.trim()).not.toBe('');
    expect(r.fix.trim()).not.toBe('');
    expect(r.controls.length).toBeGreaterThan(0);
  });

  it('mark every MLPS 2.0 mapping as our reading, not the standard’s own text', () => {
    const mlps = WORKLOAD_RULES.flatMap((r) => r.controls).filter((c) => c.framework === 'MLPS 2.0 L3');
    expect(mlps.length).toBeGreaterThan(0);
    for (const control of mlps) expect(control.certain).toBe(false);
  });

  it('map the pod security rules to the CIS 5.2.x recommendations', () => {
    const cisOf = (id: string) =>
      rule(id)
        .controls.filter((c) => c.framework === 'CIS Kubernetes')
        .map((c) => c.id);
    expect(cisOf('GCB-POD-01')).toContain('5.2.2');
    expect(cisOf('GCB-POD-02')).toEqual(['5.2.5']);
    expect(cisOf('GCB-POD-03')).toEqual(['5.2.3']);
    expect(cisOf('GCB-POD-04')).toEqual(['5.2.4']);
    expect(cisOf('GCB-POD-05')).toEqual(['5.2.13']);
    expect(cisOf('GCB-POD-06')).toEqual(['5.2.12']);
    expect(cisOf('GCB-POD-07')).toEqual(['5.2.7']);
    expect(cisOf('GCB-POD-08')).toEqual(['5.2.6']);
    expect(cisOf('GCB-POD-10')).toEqual(['5.2.9', '5.2.8']);
    expect(cisOf('GCB-POD-11')).toEqual(['5.7.2']);
  });

  it('make advice and what the library does not do yet warnings', () => {
    const warnings = WORKLOAD_RULES.filter((r) => r.severity === 'warning').map((r) => r.id);
    expect(warnings).toEqual(['GCB-POD-13', 'GCB-PRB-01', 'GCB-PRB-02']);
  });

  it('give admission checks to error rules only, each message naming its rule', () => {
    for (const r of WORKLOAD_RULES) {
      if (r.severity === 'warning') expect(r.admission).toBeUndefined();
      for (const validation of r.admission?.validations ?? []) {
        expect(validation.message.startsWith(`${r.id}: `)).toBe(true);
        expect(validation.expression).toMatch(/variables\.(podSpec|containers)/);
        // A cheap syntax guard; the e2e suite proves the expressions in a real API server.
        let depth = 0;
        for (const char of validation.expression.replace(/'[^']*'/g, "''")) {
          depth += char === '(' || char === '[' ? 1 : char === ')' || char === ']' ? -1 : 0;
          expect(depth).toBeGreaterThanOrEqual(0);
        }
        expect(depth).toBe(0);
        expect((validation.expression.match(/'/g) ?? []).length % 2).toBe(0);
      }
    }
    // The registry is per cluster, which the object cannot tell; the API server itself rejects a request above its limit.
    expect(rule('GCB-IMG-01').admission).toBeUndefined();
    expect(rule('GCB-RES-02').admission).toBeUndefined();
  });

  it('find nothing on the compliant workloads of every passing fixture', () => {
    for (const fixture of WORKLOAD_FIXTURES) expect([fixture.rule, brokenRules(fixture.passing)]).toEqual([fixture.rule, []]);
  });

  it('find only the fixture’s own rule broken by each failing fixture, where a valid object allows', () => {
    for (const fixture of WORKLOAD_FIXTURES) {
      const expected = [fixture.rule, ...(WORKLOAD_ALSO_BROKEN[fixture.rule] ?? [])].sort();
      expect([fixture.rule, brokenRules(fixture.failing).sort()]).toEqual([fixture.rule, expected]);
    }
  });
});

describe('where the rules look', () => {
  it('find a privileged container of a CronJob at its job template path', () => {
    const job = cronJob({ container: (c) => (c.securityContext.privileged = true) });
    expect(run('GCB-POD-01', { manifests: [job] })).toEqual([
      {
        object: { layer: 'manifest', name: 'CronJob education/nightly-report', file: 'manifests/city/gov/fixture.yaml', department: 'education' },
        field: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged',
        message: 'container "enrolment" is privileged (privileged: true); allowed: false or unset',
      },
    ]);
  });

  it('check init containers, with their own field path, but ask no probes of them', () => {
    const init: Json = { ...compliantContainer('migrate'), securityContext: { ...compliantContainer().securityContext, readOnlyRootFilesystem: false } };
    delete init.livenessProbe;
    delete init.readinessProbe;
    delete init.ports;
    const objects = { manifests: [deployment({ pod: (p) => (p.initContainers = [init]) }), serviceAccount(false)] };
    expect(run('GCB-POD-12', objects).map((v) => [v.field, v.message])).toEqual([
      [
        'spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem',
        'init container "migrate" has readOnlyRootFilesystem false; allowed: true',
      ],
    ]);
    expect(brokenRules(objects)).toEqual(['GCB-POD-12']);
  });

  it('leave the root file system of ephemeral (debug) containers writable, but hold them to the rest', () => {
    const debug: Json = {
      name: 'debugger',
      image: `${FIXTURE_REGISTRY}/tools/busybox:1.36`,
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    };
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'enrolment-debug', namespace: 'education' },
      spec: { ...deployment().spec.template.spec, ephemeralContainers: [debug] },
    };
    expect(brokenRules({ manifests: [pod, serviceAccount(false)] })).toEqual([]);
    debug.securityContext.allowPrivilegeEscalation = true;
    expect(run('GCB-POD-08', { manifests: [pod] }).map((v) => v.field)).toEqual(['spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation']);
  });

  it('find a runAsNonRoot left unset on a container only when the pod does not set it true', () => {
    const unsetOnContainer = (c: Json) => delete c.securityContext.runAsNonRoot;
    expect(run('GCB-POD-07', { manifests: [deployment({ container: unsetOnContainer })] })).toEqual([]);
    const neither = deployment({ container: unsetOnContainer, pod: (p) => delete p.securityContext.runAsNonRoot });
    expect(run('GCB-POD-07', { manifests: [neither] }).map((v) => v.field)).toEqual(['spec.template.spec.containers[0].securityContext.runAsNonRoot']);
    const rootUser = deployment({ container: (c) => (c.securityContext.runAsUser = 0) });
    expect(run('GCB-POD-07', { manifests: [rootUser] }).map((v) => v.message)).toEqual([
      'container "enrolment" runs as root (runAsUser: 0); allowed: a non-zero UID',
    ]);
  });

  it('flag a request above its limit with both values', () => {
    const over = deployment({ container: (c) => (c.resources.requests.memory = '1Gi') });
    expect(run('GCB-RES-02', { manifests: [over] })).toEqual([
      expect.objectContaining({
        field: 'spec.template.spec.containers[0].resources.requests.memory',
        message: 'container "enrolment" requests 1Gi memory, above its limit 512Mi; the request must not exceed the limit',
      }),
    ]);
    // Equal quantities in different units are fine.
    expect(run('GCB-RES-02', { manifests: [deployment({ container: (c) => (c.resources.requests.cpu = '1000m') })] })).toEqual([]);
  });

  it('report each missing request and limit at its own field', () => {
    const bare = deployment({ container: (c) => delete c.resources });
    expect(run('GCB-RES-01', { manifests: [bare] }).map((v) => v.field)).toEqual([
      'spec.template.spec.containers[0].resources.requests.cpu',
      'spec.template.spec.containers[0].resources.requests.memory',
      'spec.template.spec.containers[0].resources.limits.cpu',
      'spec.template.spec.containers[0].resources.limits.memory',
    ]);
  });
});

describe('images', () => {
  const withImage = (image: string) => ({ manifests: [deployment({ container: (c) => (c.image = image) })], cluster: { registry: 'registry.example/mirror' } });

  it('pass an image pinned by digest, with or without a tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    for (const image of [`registry.example/mirror/app@${digest}`, `registry.example/mirror/app:1.2@${digest}`]) {
      expect(run('GCB-IMG-01', withImage(image))).toEqual([]);
      expect(run('GCB-IMG-02', withImage(image))).toEqual([]);
    }
  });

  it('take the registry as a path prefix: a sibling path with the same start is not below it', () => {
    expect(run('GCB-IMG-01', withImage('registry.example/mirror/x:1.0'))).toEqual([]);
    expect(run('GCB-IMG-01', withImage('registry.example/mirror-other/x:1.0')).map((v) => v.message)).toEqual([
      'container "enrolment" pulls registry.example/mirror-other/x:1.0, which is not below the cluster\'s registry registry.example/mirror/',
    ]);
    expect(run('GCB-IMG-01', withImage('registry.example/x:1.0'))).toHaveLength(1);
    expect(run('GCB-IMG-01', withImage('docker.io/registry.example/mirror/x:1.0'))).toHaveLength(1);
  });

  it('tell a registry port from a tag', () => {
    const onPort = (image: string) => ({
      manifests: [deployment({ container: (c) => (c.image = image) })],
      cluster: { registry: 'registry.example:5000/mirror' },
    });
    expect(run('GCB-IMG-02', onPort('registry.example:5000/mirror/x')).map((v) => v.message)).toEqual([
      'container "enrolment" pulls registry.example:5000/mirror/x without a tag (latest by default); pin a version tag or a digest',
    ]);
    expect(run('GCB-IMG-02', onPort('registry.example:5000/mirror/x:2.1.0'))).toEqual([]);
    expect(run('GCB-IMG-01', onPort('registry.example:5000/mirror/x:2.1.0'))).toEqual([]);
  });
});

describe('service account tokens and priority', () => {
  it('read the ServiceAccount when the pod leaves the token setting unset', () => {
    const unset = deployment({ pod: (p) => delete p.automountServiceAccountToken });
    expect(run('GCB-POD-13', { manifests: [unset, serviceAccount(false)] })).toEqual([]);
    expect(run('GCB-POD-13', { manifests: [unset, serviceAccount(undefined)] }).map((v) => v.message)).toEqual([
      'automountServiceAccountToken is unset on the pod and its ServiceAccount "enrolment" does not disable it (unset), so the token is mounted; set false on the pod or the ServiceAccount',
    ]);
    expect(run('GCB-POD-13', { manifests: [unset] })[0].message).toContain('is not in this output');
    // The pod's own false wins over a ServiceAccount that mounts.
    expect(run('GCB-POD-13', { manifests: [deployment(), serviceAccount(true)] })).toEqual([]);
  });

  it('ask a priority class of department workloads only', () => {
    const none = (namespace: string) => ({ ...deployment({ pod: (p) => delete p.priorityClassName }), metadata: { name: 'x', namespace } });
    expect(run('GCB-PRI-01', { manifests: [none('education')] })).toHaveLength(1);
    expect(run('GCB-PRI-01', { manifests: [none('monitoring')] })).toEqual([]);
  });
});
