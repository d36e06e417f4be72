import { parse as parseYaml } from 'yaml';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Fleet } from '../../constructs/core/fleet';
import { type BlueprintOverrides, type BlueprintSpec } from '../../constructs/blueprint-spec';
import { type MiddlewareSpec } from '../../constructs/middleware/middleware-spec';
import { CATALOGUE } from '../../constructs/middleware/catalogue';
import { imageReferences } from '../../lib/supply-chain';
import { minimalBlueprint, problemsOf, synthesize, type SynthOutput } from '../support/fleet-fixtures';

const MIRROR = 'registry.test.example';

/** The minimal blueprint with a second department, a shelf, and services that use it. */
function shelfBlueprint(middleware: MiddlewareSpec[], change: (b: any) => void = () => undefined): BlueprintSpec {
  const blueprint: any = minimalBlueprint();
  blueprint.departments.push({ name: 'health', quota: { cpu: '8', memory: '16Gi' } }, { name: 'tax', quota: { cpu: '8', memory: '16Gi' } });
  blueprint.middleware = middleware;
  change(blueprint);
  return blueprint;
}

const DB: MiddlewareSpec = { name: 'shared-db', engine: 'postgresql', version: '17.6.0', grants: ['education', 'health'] };
const CACHE: MiddlewareSpec = { name: 'cache', engine: 'redis', version: '8.2.1', grants: ['education'] };

function helmValues(out: SynthOutput, stack: string, instance: string): any {
  const release = out.resources(stack, 'helm_release')[`${stack}/middleware/${instance}/release`];
  return { release, values: parseYaml(release.values[0]) };
}

function networkPolicy(out: SynthOutput, stack: string, path: string): any {
  return out.resources(stack, 'kubernetes_network_policy_v1')[`${stack}/${path}`];
}

describe('a shelf instance', () => {
  const out = synthesize(
    shelfBlueprint([DB, CACHE], (b) => {
      b.services[0].middleware = [{ name: 'shared-db', envPrefix: 'DB' }, { name: 'cache' }];
    }),
    { prod: {}, dev: { overrides: { clusters: [{ name: 'gov', production: false }] } } },
  );

  it('installs the pinned chart version from the chart mirror, in the platform namespace', () => {
    const { release } = helmValues(out, 'prod-gov', 'shared-db');
    expect(release).toMatchObject({
      name: 'shared-db',
      chart: 'postgresql',
      version: '16.7.27',
      repository: `oci://${MIRROR}/charts`,
      atomic: true,
      wait: true,
    });
    expect(release.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.middleware_namespace_[A-Z0-9]+\.metadata\[0\]\.name\}$/);
  });

  it('pulls every image from the mirror under its bitnamilegacy path, pinned by tag', () => {
    const { values } = helmValues(out, 'prod-gov', 'shared-db');
    expect(values.global).toMatchObject({ imageRegistry: MIRROR, security: { allowInsecureImages: true } });
    expect(values.image).toEqual({ registry: MIRROR, repository: 'bitnamilegacy/postgresql', tag: '17.6.0-debian-12-r4', pullPolicy: 'IfNotPresent' });
    expect(values.metrics.image).toMatchObject({ registry: MIRROR, repository: 'bitnamilegacy/postgres-exporter', tag: '0.17.1-debian-12-r16' });
    for (const image of imageReferences(values)) expect(image.registry).toBe(MIRROR);
  });

  it('is highly available on a production cluster: synchronous replication, hard anti-affinity, zone spread, PDB', () => {
    const { values } = helmValues(out, 'prod-gov', 'shared-db');
    expect(values.architecture).toBe('replication');
    expect(values.readReplicas.replicaCount).toBe(2);
    expect(values.replication).toEqual({ synchronousCommit: 'on', numSynchronousReplicas: 1 });
    for (const component of [values.primary, values.readReplicas]) {
      expect(component.podAntiAffinityPreset).toBe('hard');
      expect(component.pdb).toEqual({ create: true, maxUnavailable: 1 });
      expect(component.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    }
  });

  it('is a single standalone server on a non-production cluster', () => {
    const { values } = helmValues(out, 'dev-gov', 'shared-db');
    expect(values.architecture).toBe('standalone');
    expect(values.readReplicas).toBeUndefined();
    expect(values.primary.pdb).toEqual({ create: false });
  });

  it('enables metrics and persistence with the size preset, and switches the chart’s allow-all network policies off', () => {
    const { values } = helmValues(out, 'prod-gov', 'shared-db');
    expect(values.metrics.enabled).toBe(true);
    expect(values.primary.persistence).toEqual({ enabled: true, size: '20Gi' });
    expect(values.primary.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    // Chart 16.7 has network policies per component only (a top-level key would be ignored).
    expect(values.networkPolicy).toBeUndefined();
    expect(values.primary.networkPolicy).toEqual({ enabled: false });
    expect(values.readReplicas.networkPolicy).toEqual({ enabled: false });
    expect(helmValues(out, 'prod-gov', 'cache').values.networkPolicy).toEqual({ enabled: false });
  });

  it('runs Redis with Sentinel when highly available', () => {
    const { values } = helmValues(out, 'prod-gov', 'cache');
    expect(values).toMatchObject({
      architecture: 'replication',
      replica: { replicaCount: 3, podAntiAffinityPreset: 'hard' },
      sentinel: { enabled: true, quorum: 2, masterSet: 'mymaster' },
    });
    expect(values.auth).toEqual({ enabled: true, sentinel: true, existingSecret: 'cache-credentials', existingSecretPasswordKey: 'redis-password' });
  });

  it('takes credentials from sensitive, ephemeral variables through write-only attributes', () => {
    const stack = out.stack('prod-gov');
    expect(stack.variable.middleware_shared_db_password).toMatchObject({ type: 'string', sensitive: true, ephemeral: true, nullable: false });
    const secret = out.resources('prod-gov', 'kubernetes_secret_v1')['prod-gov/middleware/shared-db/credentials'];
    expect(secret.data).toBeUndefined();
    expect(secret.data_wo).toEqual({
      'postgres-password': '${var.middleware_shared_db_postgres_password}',
      password: '${var.middleware_shared_db_password}',
      'replication-password': '${var.middleware_shared_db_replication_password}',
    });
    expect(stack.terraform.required_version).toBe('>= 1.11.0');
    expect(helmValues(out, 'prod-gov', 'shared-db').values.auth.existingSecret).toBe('shared-db-credentials');
  });

  it('opens ingress on the client port from each granted department’s namespace only', () => {
    const policy = networkPolicy(out, 'prod-gov', 'middleware/network-policy-traffic-shared-db-servers');
    expect(policy.metadata.name).toBe('traffic-shared-db-servers');
    const spec = policy.spec;
    expect(spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/instance': 'shared-db', 'app.kubernetes.io/name': 'postgresql' });
    expect(spec.policy_types).toEqual(['Ingress']);
    // One rule: every granted namespace on the client port (a rule allows each of its peers on each of its ports).
    expect(spec.ingress).toHaveLength(1);
    expect(spec.ingress[0].ports).toEqual([{ port: '5432', protocol: 'TCP' }]);
    const namespaces = spec.ingress[0].from.map((peer: any) => peer.namespace_selector.match_labels['kubernetes.io/metadata.name']);
    expect(namespaces).toEqual([
      expect.stringMatching(/^\$\{kubernetes_namespace_v1\.education_namespace_/),
      expect.stringMatching(/^\$\{kubernetes_namespace_v1\.health_namespace_/),
    ]);
    expect(spec.ingress[0].from.every((peer: any) => Object.keys(peer).join() === 'namespace_selector')).toBe(true);
  });

  it('lets the granted namespace send to the instance, and nowhere else in the shelf', () => {
    const policy = networkPolicy(out, 'prod-gov', 'education/network-policy-baseline-traffic');
    expect(policy.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.education_namespace_/);
    const toShelf = policy.spec.egress.filter((rule: any) => JSON.stringify(rule.to ?? []).includes('shared-db'));
    expect(toShelf).toEqual([
      {
        to: [
          {
            namespace_selector: {
              match_labels: { 'kubernetes.io/metadata.name': expect.stringMatching(/^\$\{kubernetes_namespace_v1\.middleware_namespace_/) },
            },
            pod_selector: { match_labels: { 'app.kubernetes.io/instance': 'shared-db', 'app.kubernetes.io/name': 'postgresql' } },
          },
        ],
        ports: [{ port: '5432', protocol: 'TCP' }],
      },
    ]);
  });

  it('closes the shelf namespace by default', () => {
    const denyAll = networkPolicy(out, 'prod-gov', 'middleware/network-policy-deny-all');
    expect(denyAll.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
  });

  it('gives a granted department the connection settings and client credentials, and its services references to them (credentials as files)', () => {
    const configMap = out.resources('prod-gov', 'kubernetes_config_map_v1')['prod-gov/middleware/shared-db/grant-education/connection'];
    expect(configMap.metadata.name).toBe('shared-db-connection');
    expect(configMap.data).toEqual({
      HOST: 'shared-db-primary.middleware.svc',
      READ_HOST: 'shared-db-read.middleware.svc',
      PORT: '5432',
      DATABASE: 'shared_db',
      USERNAME: 'app',
    });
    const credentials = out.resources('prod-gov', 'kubernetes_secret_v1')['prod-gov/middleware/shared-db/grant-education/credentials'];
    expect(credentials.data_wo).toEqual({ password: '${var.middleware_shared_db_password}' });

    const env = out.find('prod', 'gov', 'Deployment', 'enrolment').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'shared-db-connection', key: 'HOST' } } });
    expect(env).toContainEqual({ name: 'DB_PASSWORD_FILE', value: '/var/run/secrets/govcloud.io/shared-db/password' });
    expect(env).toContainEqual({ name: 'CACHE_SENTINEL_MASTER_SET', valueFrom: { configMapKeyRef: { name: 'cache-connection', key: 'SENTINEL_MASTER_SET' } } });
    // The only plain values are the paths of the credential files.
    expect(env.filter((e: any) => e.value !== undefined).map((e: any) => e.name)).toEqual(['DB_PASSWORD_FILE', 'CACHE_PASSWORD_FILE']);
  });

  it('connects to the standalone service names when not highly available', () => {
    const configMap = out.resources('dev-gov', 'kubernetes_config_map_v1')['dev-gov/middleware/cache/grant-education/connection'];
    expect(configMap.data).toEqual({ HOST: 'cache-master.middleware.svc', PORT: '6379' });
    const env = out.find('dev', 'gov', 'Deployment', 'enrolment').spec.template.spec.containers[0].env;
    expect(env.map((e: any) => e.name)).toEqual([
      'DB_HOST',
      'DB_READ_HOST',
      'DB_PORT',
      'DB_DATABASE',
      'DB_USERNAME',
      'DB_PASSWORD_FILE',
      'CACHE_HOST',
      'CACHE_PORT',
      'CACHE_PASSWORD_FILE',
    ]);
  });

  it('schedules a daily Velero backup of the instance’s volumes, moved off the cluster', () => {
    const schedule = out.find('prod', 'gov', 'Schedule', 'middleware-shared-db');
    expect(schedule.metadata.namespace).toBe('velero');
    expect(schedule.spec).toEqual({
      schedule: '0 18 * * *',
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: ['middleware'],
        labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'shared-db' } },
        ttl: '168h0m0s',
        snapshotVolumes: true,
        snapshotMoveData: true,
      },
    });
  });

  it('reports instances, versions, sizes, grants and the variables to set', () => {
    const report = out.read('reports/prod.md');
    expect(report).toContain(
      '| shared-db | PostgreSQL | 17.6.0 | postgresql 16.7.27 | gov | small: 500m CPU, 1Gi, 20Gi | 3 | on | cluster default | on | 0 18 * * * UTC, kept 168h | education, health |',
    );
    expect(report).toContain('`middleware_cache_redis_password`');
    expect(out.read('reports/dev.md')).toContain('| cache | Redis | 8.2.1 | redis 22.0.5 | gov | small: 250m CPU, 1Gi, 8Gi | 1 | off |');
  });
});

describe('every catalogue entry', () => {
  const entries = Object.values(CATALOGUE);
  const out = synthesize(
    shelfBlueprint(
      entries.map((engine) => ({
        name: `${engine.name}-x`,
        engine: engine.name,
        version: engine.releases[engine.releases.length - 1].version,
        grants: ['education'],
      })),
      (b) => (b.clusters[0].capacity.nodes = 4),
    ),
    { prod: {}, dev: { overrides: { clusters: [{ name: 'gov', production: false }] } } },
  );

  it.each(entries.map((e) => [e.name, e] as const))('%s: pins its images on the mirror, with metrics and persistence, in both modes', (name, engine) => {
    for (const region of ['prod', 'dev']) {
      const { release, values } = helmValues(out, `${region}-gov`, `${name}-x`);
      const pinned = engine.releases[engine.releases.length - 1];
      expect(release).toMatchObject({ chart: engine.chart, version: pinned.chartVersion, repository: `oci://${MIRROR}/charts` });
      expect(values.fullnameOverride).toBe(`${name}-x`);
      const found = imageReferences(values);
      expect([...new Set(found.map((i) => i.repository))].sort()).toEqual(
        Object.values(pinned.images)
          .map((i) => i.repository)
          .sort(),
      );
      expect(found.every((i) => i.registry === MIRROR)).toBe(true);
      expect(name === 'kafka' ? values.metrics.jmx.enabled : values.metrics.enabled).toBe(true);
      expect(JSON.stringify(values)).toMatch(/"persistence":\{"enabled":true,"size":"\d+[GT]i"\}/);
    }
  });

  it.each(entries.map((e) => [e.name, e] as const))('%s: replicas follow high availability', (name, engine) => {
    const prod = out
      .read('reports/prod.md')
      .split('\n')
      .find((l) => l.startsWith(`| ${name}-x |`))!;
    const dev = out
      .read('reports/dev.md')
      .split('\n')
      .find((l) => l.startsWith(`| ${name}-x |`))!;
    expect(prod.split(' | ')[6]).toBe(String(engine.highAvailability.replicas));
    expect(dev.split(' | ')[6]).toBe('1');
  });

  it('runs Kafka with replicated internal topics only when highly available', () => {
    expect(helmValues(out, 'prod-gov', 'kafka-x').values.extraConfigYaml).toMatchObject({
      'default.replication.factor': 3,
      'min.insync.replicas': 2,
      'offsets.topic.replication.factor': 3,
    });
    expect(helmValues(out, 'dev-gov', 'kafka-x').values.extraConfigYaml).toMatchObject({
      'default.replication.factor': 1,
      'offsets.topic.replication.factor': 1,
    });
  });

  it('runs Kafka as combined controller+broker nodes, their PodDisruptionBudget the only one', () => {
    const prod = helmValues(out, 'prod-gov', 'kafka-x').values;
    expect(prod.controller).toMatchObject({ replicaCount: 3, controllerOnly: false, pdb: { create: true, maxUnavailable: 1 } });
    // The broker-only StatefulSet has no pods: a PDB for it would select nothing.
    expect(prod.broker).toEqual({ replicaCount: 0, pdb: { create: false } });
    const dev = helmValues(out, 'dev-gov', 'kafka-x').values;
    expect(dev.controller.pdb).toEqual({ create: false });
    expect(dev.broker).toEqual({ replicaCount: 0, pdb: { create: false } });
  });

  it('runs MinIO distributed over four servers when highly available, with its bucket provisioned', () => {
    const { values } = helmValues(out, 'prod-gov', 'object-storage-x');
    expect(values).toMatchObject({
      mode: 'distributed',
      statefulset: { replicaCount: 4 },
      provisioning: { enabled: true, buckets: [{ name: 'object-storage-x' }] },
      console: { enabled: false },
    });
    // The chart reads no pull policy for the client image (the provisioning job uses image.pullPolicy).
    expect(values.clientImage).toEqual({ registry: MIRROR, repository: 'bitnamilegacy/minio-client', tag: '2025.5.21-debian-12-r7' });
  });

  it('opens the Kubernetes API to RabbitMQ only (peer discovery)', () => {
    const apiPorts = (rule: any) => JSON.stringify(rule) === JSON.stringify({ ports: ['443', '6443', '8443'].map((port) => ({ port, protocol: 'TCP' })) });
    const policies = Object.entries(out.resources('prod-gov', 'kubernetes_network_policy_v1'))
      .filter(([, p]: [string, any]) => (p.spec.egress ?? []).some(apiPorts))
      .map(([address]) => address);
    expect(policies).toEqual(['prod-gov/middleware/network-policy-traffic-rabbitmq-x']);
  });
});

describe('regional overrides of the shelf', () => {
  const blueprint = shelfBlueprint([DB]);
  const out = synthesize(blueprint, {
    city: {
      overrides: {
        clusters: [{ name: 'gov', storageClass: 'csi-ssd' }],
        middleware: [
          { name: 'shared-db', size: 'large', storage: { size: '1Ti' }, version: '17.5.0', versionChangeReason: 'audit window' },
          { name: 'queue', engine: 'rabbitmq', version: '4.1.3', grants: ['tax'] },
        ],
      },
    },
  });

  it('resizes an instance and changes its storage class', () => {
    const { values } = helmValues(out, 'city-gov', 'shared-db');
    expect(values.primary.resources.requests).toEqual({ cpu: '4', memory: '16Gi' });
    expect(values.primary.persistence).toEqual({ enabled: true, size: '1Ti', storageClass: 'csi-ssd' });
    expect(values.global.defaultStorageClass).toBe('csi-ssd');
  });

  it('changes a pinned version only with a reason, and reports it', () => {
    expect(helmValues(out, 'city-gov', 'shared-db').release.version).toBe('16.7.25');
    const report = out.read('reports/city.md');
    expect(report).toContain('| middleware.shared-db.version | changed | "17.6.0" | "17.5.0" |');
    expect(report).toContain('| shared-db | 17.6.0 | 17.5.0 | audit window |');
  });

  it('adds an instance', () => {
    expect(helmValues(out, 'city-gov', 'queue').release.chart).toBe('rabbitmq');
    expect(out.read('reports/city.md')).toContain('| queue | RabbitMQ | 4.1.3 |');
  });
});

describe('bad shelf input', () => {
  function regionProblems(overrides: unknown, blueprint: BlueprintSpec = shelfBlueprint([DB])): string[] {
    return problemsOf(() => new Fleet({ blueprint }).addRegions({ city: { overrides: overrides as BlueprintOverrides } }));
  }

  it('fails a grant to a department that does not exist in the region', () => {
    expect(regionProblems({ departments: [{ name: 'health', $remove: true }] })).toEqual([
      'regions.city.middleware.shared-db.grants[1]: no department named "health" Known: education, tax; grant an existing department, or add "health" to this region',
    ]);
  });

  it('fails a grant to a department that does not run where the instance is installed', () => {
    const blueprint = shelfBlueprint([{ ...DB, clusters: ['gov'] }], (b) => {
      b.clusters.push({ ...b.clusters[0], name: 'gov2', network: { podCidr: '10.2.0.0/16', serviceCidr: '10.3.0.0/16' } });
      b.departments[1].clusters = ['gov2'];
    });
    expect(problemsOf(() => new Fleet({ blueprint }))).toEqual([
      'blueprint.middleware.shared-db.grants[1]: department "health" does not run on cluster gov where the instance is installed, so it cannot reach it there; add the cluster to the department or limit the instance\'s clusters',
    ]);
  });

  it('fails an unknown size preset', () => {
    expect(regionProblems({ middleware: [{ name: 'shared-db', size: 'huge' }] })).toEqual([
      'regions.city.middleware.shared-db.size: must be one of "small", "medium", "large", got "huge"',
    ]);
  });

  it('fails a version that is not in the catalogue, naming the vetted ones and where to add one', () => {
    const [problem] = regionProblems({ middleware: [{ name: 'shared-db', version: '18.0.0', versionChangeReason: 'try it' }] });
    expect(problem).toBe(
      'regions.city.middleware.shared-db.version: "18.0.0" is not in the catalogue for PostgreSQL; vetted versions: 17.5.0, 17.6.0. Pick one, or add the version to the catalogue entry (constructs/middleware/engines/postgresql.ts)',
    );
  });

  it('fails a region that changes the pinned version without a reason', () => {
    expect(regionProblems({ middleware: [{ name: 'shared-db', version: '17.5.0' }] })).toEqual([
      'regions.city.middleware.shared-db.version: "17.5.0" differs from the blueprint\'s pinned postgresql "17.6.0"; a region changes a pinned version only with versionChangeReason: "..." (shown in the report), or keep the blueprint\'s version',
    ]);
  });

  it('fails a version change reason where nothing changes', () => {
    expect(regionProblems({ middleware: [{ name: 'shared-db', versionChangeReason: 'because' }] })).toEqual([
      'regions.city.middleware.shared-db.versionChangeReason: the version is the blueprint\'s ("17.6.0"), so there is no change to explain; remove versionChangeReason',
    ]);
  });

  it('fails a version change reason on an instance the region adds', () => {
    expect(regionProblems({ middleware: [{ name: 'queue', engine: 'rabbitmq', version: '4.1.3', versionChangeReason: 'newer' }] })).toEqual([
      'regions.city.middleware.queue.versionChangeReason: the instance is new in this region, not inherited, so there is no change to explain; remove versionChangeReason',
    ]);
  });

  it('fails high availability switched off on a production cluster without a reason, and accepts it with one', () => {
    expect(regionProblems({ middleware: [{ name: 'shared-db', highAvailability: { enabled: false } }] })).toEqual([
      'regions.city.middleware.shared-db.highAvailability: switches high availability off on production cluster "gov" without a reason; add reason: "..." (shown in the region report) or keep it on',
    ]);
    const [region] = new Fleet({ blueprint: shelfBlueprint([DB]) }).addRegions({
      city: { overrides: { middleware: [{ name: 'shared-db', highAvailability: { enabled: false, reason: 'pilot' } }] } },
    });
    expect(region.cluster('gov').middleware().instance('shared-db')!.plan).toMatchObject({ highAvailability: false, replicas: 1 });
  });

  it('fails backups switched off on a production cluster without a reason', () => {
    expect(regionProblems({ middleware: [{ name: 'shared-db', backup: { enabled: false } }] })).toEqual([
      'regions.city.middleware.shared-db.backup: switches backups off on production cluster "gov" without a reason; add reason: "..." (shown in the region report) or keep them on',
    ]);
  });

  it('fails two instances with the same name', () => {
    const problems = problemsOf(() => new Fleet({ blueprint: shelfBlueprint([DB, { ...CACHE, name: 'shared-db' }]) }));
    expect(problems).toEqual([
      'blueprint.middleware.shared-db: duplicate name "shared-db" (items 0 and 1): names in a list must be unique; rename or merge one of them',
    ]);
  });

  it('fails a storage size that is not a quantity', () => {
    const [problem] = regionProblems({ middleware: [{ name: 'shared-db', storage: { size: 'lots' } }] });
    expect(problem).toMatch(/^regions\.city\.middleware\.shared-db\.storage\.size: must be a Kubernetes quantity/);
  });

  it('fails more HA replicas than nodes for anti-affinity, and too few for HA', () => {
    expect(regionProblems({ middleware: [{ name: 'shared-db', replicas: 4 }] })).toEqual([
      'regions.city.middleware.shared-db.replicas: 4 replicas need 4 nodes for node anti-affinity, but cluster "gov" has 3; lower replicas or add nodes to the cluster',
    ]);
    expect(regionProblems({ middleware: [{ name: 'shared-db', replicas: 1 }] })).toEqual([
      'regions.city.middleware.shared-db.replicas: 1 is too few for high availability of PostgreSQL on cluster "gov" (a primary and synchronous streaming replicas on separate nodes); use at least 2, or switch high availability off with a reason',
    ]);
  });

  it('fails an odd number of distributed MinIO servers', () => {
    const blueprint = shelfBlueprint(
      [{ name: 'files', engine: 'object-storage', version: '2025.6.13', replicas: 5 }],
      (b) => (b.clusters[0].capacity.nodes = 6),
    );
    expect(problemsOf(() => new Fleet({ blueprint }))).toEqual([
      'blueprint.middleware.files.replicas: distributed MinIO needs an even number of servers, got 5 on cluster "gov"; change replicas',
    ]);
  });

  it('fails a service that uses an instance its department has no grant on, or that does not exist', () => {
    const problems = regionProblems({ services: [{ name: 'enrolment', department: 'tax', middleware: [{ name: 'shared-db' }, { name: 'shared-dbb' }] }] });
    expect(problems).toEqual([
      'regions.city.services.enrolment.middleware[0]: department "tax" has no grant on middleware "shared-db"; add "tax" to regions.city.middleware.shared-db.grants',
      'regions.city.services.enrolment.middleware[1].name: no middleware instance named "shared-dbb"; did you mean "shared-db"? Known: shared-db; add the instance to the shelf or fix the name',
    ]);
  });

  it('fails connection env names that collide with the service’s own env', () => {
    const problems = regionProblems({
      services: [{ name: 'enrolment', env: [{ name: 'DB_HOST', value: 'x' }], middleware: [{ name: 'shared-db', envPrefix: 'DB' }] }],
    });
    expect(problems).toEqual(['regions.city.services.enrolment.middleware[0].envPrefix: DB_HOST is already set by the service env; choose another envPrefix']);
  });

  it('checks collisions with the env names a connection really sets: <PREFIX>_PASSWORD_FILE by default, <PREFIX>_PASSWORD when credentials are env', () => {
    const uses = (credentials?: 'env') => ({
      services: [
        {
          name: 'enrolment',
          env: [
            { name: 'DB_PASSWORD', secret: { name: 'legacy-db', key: 'password' } },
            { name: 'DB_PASSWORD_FILE', secret: { name: 'legacy-db', key: 'password-file' } },
          ],
          middleware: [{ name: 'shared-db', envPrefix: 'DB', ...(credentials ? { credentials } : {}) }],
        },
      ],
    });
    expect(regionProblems(uses())).toEqual([
      'regions.city.services.enrolment.middleware[0].envPrefix: DB_PASSWORD_FILE is already set by the service env; choose another envPrefix',
    ]);
    expect(regionProblems(uses('env'))).toEqual([
      'regions.city.services.enrolment.middleware[0].envPrefix: DB_PASSWORD is already set by the service env; choose another envPrefix',
    ]);
  });

  it('fails an unknown way of passing credentials', () => {
    expect(regionProblems({ services: [{ name: 'enrolment', middleware: [{ name: 'shared-db', credentials: 'envs' }] }] })).toEqual([
      'regions.city.services.enrolment.middleware.shared-db.credentials: must be one of "file", "env", got "envs"; did you mean "env"?',
    ]);
  });

  it('fails a service image that is not on the registry mirror', () => {
    expect(regionProblems({ services: [{ name: 'enrolment', image: 'docker.io/library/nginx' }] })).toEqual([
      'regions.city.services.enrolment.image: "docker.io/library/nginx" is not served by the blueprint\'s registry mirror "registry.test.example"; mirror the image there and name it as "registry.test.example/..."',
    ]);
  });

  it('fails a synth whose release chart or image was moved off the mirror by an escape hatch', () => {
    const fleet = new Fleet({ blueprint: shelfBlueprint([DB, CACHE]) });
    const [region] = fleet.addRegions({ city: {} });
    const releases = region
      .cluster('gov')
      .stack.node.findAll()
      .filter((c): c is Release => c instanceof Release);
    region.escapeHatches.overrideTerraform(releases[0], 'repository', 'https://charts.bitnami.com/bitnami', 'test');
    region.escapeHatches.overrideTerraform(releases[1], 'values', ['global:\n  imageRegistry: docker.io\n'], 'test');
    // In the order of the stack as written (by logical id): the cache's images, then the database's chart.
    const problems = problemsOf(() => fleet.synth());
    expect(problems[problems.length - 1]).toBe(
      'city-gov: helm_release city-gov/middleware/shared-db/release: chart "postgresql" would come from "https://charts.bitnami.com/bitnami", not the blueprint\'s chart repository "oci://registry.test.example/charts"; mirror the chart there',
    );
    // global.imageRegistry wins over each block's registry in Bitnami charts: every image of the release moves.
    expect(problems.slice(0, -1)).toHaveLength(6);
    for (const problem of problems.slice(0, -1)) {
      expect(problem).toMatch(
        /^city-gov: helm_release city-gov\/middleware\/cache\/release values\.\S*image: image "bitnamilegacy\/[a-z-]+" would be pulled from "docker.io", not the blueprint's registry mirror "registry.test.example"/,
      );
    }
  });
});

describe('the README catalogue table', () => {
  const readme = require('fs').readFileSync(require('path').join(__dirname, '../../README.md'), 'utf8') as string;

  it.each(Object.values(CATALOGUE).map((e) => [e.name, e] as const))('lists %s with every vetted version and its chart version', (name, engine) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row).toBeDefined();
    for (const release of engine.releases) expect(row).toContain(`${release.version} (${release.chartVersion})`);
  });
});
