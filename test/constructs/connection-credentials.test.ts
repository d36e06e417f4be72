import * as path from 'path';
import type { BlueprintSpec } from '../../constructs/blueprint-spec';
import type { MiddlewareSpec, MiddlewareUseSpec } from '../../constructs/middleware/middleware-spec';
import { credentialsVolumeName } from '../../constructs/workload/connection-mounts';
import { PLATFORM_RULES } from '../../lib/compliance/rules/platform-rules';
import { fixtureOutput } from '../support/compliance-fixtures';
import { type K8sObject, type SynthOutput, minimalBlueprint, synthesize, publicBurstCluster } from '../support/fleet-fixtures';

const DB: MiddlewareSpec = { name: 'shared-db', engine: 'postgresql', version: '17.6.0', grants: ['education'] };
// Two client keys (access-key, secret-key); one server is enough for the test cluster.
const DOCUMENTS: MiddlewareSpec = {
  name: 'documents',
  engine: 'object-storage',
  version: '2025.6.13',
  grants: ['education'],
  highAvailability: { enabled: false, reason: 'a three-node test cluster' },
};

/** The minimal blueprint whose enrolment service uses the database and the object store as `uses` says. */
function shelfBlueprint(uses: MiddlewareUseSpec[], change: (b: any) => void = () => undefined): BlueprintSpec {
  const blueprint: any = minimalBlueprint();
  blueprint.middleware = [DB, DOCUMENTS];
  blueprint.services[0].middleware = uses;
  change(blueprint);
  return blueprint;
}

const deploymentOf = (out: SynthOutput, name = 'enrolment', cluster = 'gov'): K8sObject => out.find('city', cluster, 'Deployment', name);
const podOf = (deployment: K8sObject): any => deployment.spec.template.spec;
const envOf = (deployment: K8sObject): any[] => podOf(deployment).containers[0].env;
const sec06 = PLATFORM_RULES.find((r) => r.id === 'GCB-SEC-06')!;

describe('middleware credentials as files (the default)', () => {
  const out = synthesize(
    shelfBlueprint([
      { name: 'shared-db', envPrefix: 'DB' },
      { name: 'documents', envPrefix: 'S3' },
    ]),
    { city: {} },
  );
  const deployment = deploymentOf(out);
  const pod = podOf(deployment);
  const container = pod.containers[0];

  it('mounts each connection’s Secret read-only, owner-read only, with exactly the client keys', () => {
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'credentials-shared-db', secret: { secretName: 'shared-db-credentials', defaultMode: 0o400, items: [{ key: 'password', path: 'password' }] } },
      {
        name: 'credentials-documents',
        secret: {
          secretName: 'documents-credentials',
          defaultMode: 256,
          items: [
            { key: 'access-key', path: 'access-key' },
            { key: 'secret-key', path: 'secret-key' },
          ],
        },
      },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'credentials-shared-db', mountPath: '/var/run/secrets/govcloud.io/shared-db', readOnly: true },
      { name: 'credentials-documents', mountPath: '/var/run/secrets/govcloud.io/documents', readOnly: true },
    ]);
    // The group read the kubelet adds for fsGroup is what lets the container's user read mode 0400 files.
    expect(pod.securityContext).toMatchObject({ runAsGroup: 10001, fsGroup: 10001 });
  });

  it('mounts only keys the grant’s Secret in the namespace holds (a missing key would keep the pod from starting)', () => {
    const secrets = out.resources('city-gov', 'kubernetes_secret_v1');
    for (const volume of pod.volumes.filter((v: any) => v.secret)) {
      const instance = volume.secret.secretName.replace(/-credentials$/, '');
      const granted = secrets[`city-gov/middleware/${instance}/grant-education/credentials`];
      expect(granted.metadata.name).toBe(volume.secret.secretName);
      expect(volume.secret.items.map((i: any) => i.key).sort()).toEqual(Object.keys(granted.data_wo).sort());
    }
  });

  it('names each credential file in <PREFIX>_<KEY>_FILE, a path into a mounted item, and passes no credential as env', () => {
    const files = envOf(deployment).filter((e) => e.name.endsWith('_FILE'));
    expect(files).toEqual([
      { name: 'DB_PASSWORD_FILE', value: '/var/run/secrets/govcloud.io/shared-db/password' },
      { name: 'S3_ACCESS_KEY_FILE', value: '/var/run/secrets/govcloud.io/documents/access-key' },
      { name: 'S3_SECRET_KEY_FILE', value: '/var/run/secrets/govcloud.io/documents/secret-key' },
    ]);
    for (const file of files) {
      const mount = container.volumeMounts.find((m: any) => m.mountPath === path.posix.dirname(file.value));
      expect(mount).toBeDefined();
      const volume = pod.volumes.find((v: any) => v.name === mount.name);
      expect(volume.secret.items.map((i: any) => i.path)).toContain(path.posix.basename(file.value));
    }
    expect(JSON.stringify(container.env)).not.toContain('secretKeyRef');
    expect(envOf(deployment).map((e) => e.name)).not.toContain('DB_PASSWORD');
    // Settings stay env references to the connection ConfigMap.
    expect(envOf(deployment)).toContainEqual({ name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'shared-db-connection', key: 'HOST' } } });
  });

  it('keeps two connections of one pod apart: own volume, own directory, own env names', () => {
    const names = pod.volumes.map((v: any) => v.name);
    const directories = container.volumeMounts.map((m: any) => m.mountPath);
    const env = envOf(deployment).map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(directories).size).toBe(directories.length);
    expect(new Set(env).size).toBe(env.length);
  });

  it('gives every instance name a volume name that is a DNS-1123 label and its own', () => {
    const long = 'a'.repeat(52);
    const [first, second] = [`${long}-first-instance`, `${long}-other-instance`].map(credentialsVolumeName);
    for (const name of [first, second]) expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(first).not.toBe(second);
    // The same input, the same name: the output is deterministic.
    expect(credentialsVolumeName(`${long}-first-instance`)).toBe(first);
    expect(credentialsVolumeName('shared-db')).toBe('credentials-shared-db');
  });

  it('gives GCB-SEC-06 nothing to warn about', () => {
    expect(sec06.check(fixtureOutput({ manifests: [deployment] }))).toEqual([]);
    const report = out.read('reports/city.md');
    expect(report).toContain('GCB-SEC-06: pass');
    expect(report).not.toContain('| GCB-SEC-06 Credentials');
  });
});

describe('middleware credentials as env (opted in)', () => {
  const out = synthesize(
    shelfBlueprint([
      { name: 'shared-db', envPrefix: 'DB', credentials: 'env' },
      { name: 'documents', envPrefix: 'S3' },
    ]),
    { city: {} },
  );
  const deployment = deploymentOf(out);

  it('references the Secret key in <PREFIX>_<KEY>, as before, and mounts nothing for that connection', () => {
    const env = envOf(deployment);
    expect(env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shared-db-credentials', key: 'password' } } });
    expect(env.map((e) => e.name)).not.toContain('DB_PASSWORD_FILE');
    expect(podOf(deployment).volumes.map((v: any) => v.name)).toEqual(['tmp', 'credentials-documents']);
    expect(podOf(deployment).containers[0].volumeMounts.map((m: any) => m.name)).toEqual(['tmp', 'credentials-documents']);
    // The other connection keeps its files.
    expect(env).toContainEqual({ name: 'S3_SECRET_KEY_FILE', value: '/var/run/secrets/govcloud.io/documents/secret-key' });
  });

  it('is what GCB-SEC-06 warns about, naming the variable', () => {
    const violations = sec06.check(fixtureOutput({ manifests: [deployment] }));
    expect(violations.map((v) => v.message)).toEqual(['container enrolment takes DB_PASSWORD from Secrets as environment variables; advised: a Secret volume']);
  });

  it('leaves a service’s own Secret env to GCB-SEC-06 as well', () => {
    const own = deploymentOf(
      synthesize(
        shelfBlueprint(
          [{ name: 'shared-db', envPrefix: 'DB' }],
          (b) => (b.services[0].env = [{ name: 'GATEWAY_TOKEN', secret: { name: 'gateway', key: 'token' } }]),
        ),
        { city: {} },
      ),
    );
    expect(sec06.check(fixtureOutput({ manifests: [own] })).map((v) => v.message)).toEqual([
      'container enrolment takes GATEWAY_TOKEN from Secrets as environment variables; advised: a Secret volume',
    ]);
  });
});

describe('copies of a service carry its credential files', () => {
  /** The mounts, volumes and env of a pod template: what must be the same on every copy. */
  const credentialsOf = (deployment: K8sObject) => {
    const pod = podOf(deployment);
    return { volumes: pod.volumes, volumeMounts: pod.containers[0].volumeMounts, env: pod.containers[0].env };
  };

  it('on a canary Deployment', () => {
    const out = synthesize(
      shelfBlueprint([{ name: 'shared-db', envPrefix: 'DB' }], (b) => {
        b.mesh = { version: '1.30.3' };
        b.services[0].traffic = { canary: { weights: { '1.0.0': 90, '1.1.0': 10 } } };
      }),
      { city: {} },
    );
    const stable = credentialsOf(deploymentOf(out));
    expect(stable.volumes.map((v: any) => v.name)).toContain('credentials-shared-db');
    expect(credentialsOf(deploymentOf(out, 'enrolment-v1-1-0'))).toEqual(stable);
  });

  it('on the public side of a burst link', () => {
    const out = synthesize(
      shelfBlueprint([{ name: 'shared-db', envPrefix: 'DB' }], (b) => {
        b.clusters.push(publicBurstCluster(3));
        b.departments[0].quota = { cpu: '16', memory: '32Gi' };
        b.middleware = [{ ...DB, clusters: ['gov', 'burst'], dataClassification: 'internal' }];
        Object.assign(b.services[0], { dataClassification: 'internal', autoscaling: { minReplicas: 2, maxReplicas: 10 } });
        b.burst = [
          { name: 'enrolment-day', from: 'gov', to: 'burst', surgeFactor: 10, services: [{ name: 'enrolment', baselineRps: 100, rpsPerReplica: 50 }] },
        ];
      }),
      { city: {} },
    );
    const gov = credentialsOf(deploymentOf(out));
    expect(gov.volumeMounts).toContainEqual({ name: 'credentials-shared-db', mountPath: '/var/run/secrets/govcloud.io/shared-db', readOnly: true });
    expect(credentialsOf(deploymentOf(out, 'enrolment', 'burst'))).toEqual(gov);
  });
});
