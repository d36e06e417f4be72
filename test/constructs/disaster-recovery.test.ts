import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Fleet } from '../../constructs/core/fleet';
import type { BlueprintSpec } from '../../constructs/blueprint-spec';
import type { RegionProps } from '../../constructs/core/region';
import { addDisasterRecovery } from '../../constructs/disaster-recovery/dr-pair';
import { disasterRecoverySection } from '../../constructs/disaster-recovery/disaster-recovery-report';
import { POD_START_SECONDS } from '../../constructs/disaster-recovery/disaster-recovery-plan';
import { imageReferences } from '../../lib/supply-chain';
import { toYaml } from '../../lib/output/canonical-yaml';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { SynthOutput, listFiles, minimalBlueprint, problemsOf, tempDir } from '../support/fleet-fixtures';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');
const MIRROR = 'registry.test.example';
const CHARTS = `oci://${MIRROR}/charts`;
const PUBLIC_MIRROR = 'registry.public.example';

/**
 * The minimal blueprint plus a public-cloud standby in another cloud, the service marked as
 * allowed there, a shelf PostgreSQL instance on the gov cluster, and one hot-standby pair.
 */
function drBlueprint(change: (b: any) => void = () => undefined): BlueprintSpec {
  const blueprint: any = minimalBlueprint();
  blueprint.clusters.push({
    name: 'standby',
    role: 'public',
    cloud: 'test-public-cloud',
    registry: PUBLIC_MIRROR,
    connection: { kubeconfig: { path: '~/.kube/config', context: 'standby' } },
    capacity: { nodes: 4, nodeCpu: '8', nodeMemory: '32Gi' },
    network: { podCidr: '10.8.0.0/16', serviceCidr: '10.9.0.0/16' },
  });
  Object.assign(blueprint.services[0], { dataClassification: 'internal', autoscaling: { minReplicas: 2, maxReplicas: 10 } });
  blueprint.middleware = [
    { name: 'citizen-db', engine: 'postgresql', version: '17.6.0', dataClassification: 'internal', clusters: ['gov'], grants: ['education'] },
  ];
  blueprint.disasterRecovery = [
    {
      name: 'citizen',
      primary: 'gov',
      standby: 'standby',
      mode: 'hot-standby',
      rpo: '15m',
      rto: '5m',
      services: ['enrolment'],
      databases: [{ name: 'citizen-db', primaryHost: 'pg.gov.test.example:15432' }],
      backup: {
        endpoint: 'https://obs.test.example',
        bucket: 'dr-backups',
        region: 'cn-central',
        credentialsSecret: { name: 'dr-object-store', key: 'cloud' },
      },
    },
  ];
  change(blueprint);
  return blueprint;
}

/** The DR pair without its database, for the checks about services and capacity. */
const withoutDatabases = (b: any) => delete b.disasterRecovery[0].databases;

/**
 * Builds and synthesizes like `synthesize`, making sure each region's DR pairs exist (a no-op
 * where the Region constructor already added them).
 */
function build(blueprint: BlueprintSpec, regions: Record<string, RegionProps> = { changsha: {} }) {
  const dir = path.join(tempDir(), 'out');
  const fleet = new Fleet({ blueprint, outdir: dir });
  const added = fleet.addRegions(regions);
  for (const region of added) addDisasterRecovery(region);
  return { fleet, regions: added, dir, out: new SynthOutput(dir) };
}

function synthesizeDr(blueprint: BlueprintSpec, regions?: Record<string, RegionProps>): SynthOutput {
  const built = build(blueprint, regions);
  built.fleet.synth();
  return built.out;
}

function release(out: SynthOutput, stack: string, id: string): { release: any; values: any } {
  const found = out.resources(stack, 'helm_release')[`${stack}/${id}/release`];
  if (!found) throw new Error(`no helm_release ${stack}/${id}/release`);
  return { release: found, values: parseYaml(found.values[0]) };
}

function policy(out: SynthOutput, stack: string, id: string): any {
  const found = out.resources(stack, 'kubernetes_network_policy_v1')[`${stack}/disaster-recovery/citizen/citizen-db/${id}`];
  if (!found) throw new Error(`no network policy ${id} in ${stack}`);
  return found;
}

describe('a hot-standby DR pair across clouds', () => {
  const out = synthesizeDr(drBlueprint());
  const gov = (kind: string, name: string) => out.find('changsha', 'gov', kind, name);
  const standby = (kind: string, name: string) => out.find('changsha', 'standby', kind, name);

  it('installs Velero on both clusters: the pinned chart from the chart mirror, images from each cluster’s registry mirror', () => {
    for (const [stack, registry] of [
      ['changsha-gov', MIRROR],
      ['changsha-standby', PUBLIC_MIRROR],
    ]) {
      const { release: r, values } = release(out, stack, 'velero');
      expect(r).toMatchObject({ name: 'velero', chart: 'velero', version: '11.3.2', repository: CHARTS, atomic: true, wait: true });
      expect(values.image).toEqual({ repository: `${registry}/velero/velero`, tag: 'v1.17.2', pullPolicy: 'IfNotPresent' });
      expect(values.initContainers).toEqual([
        {
          name: 'velero-plugin-for-aws',
          image: `${registry}/velero/velero-plugin-for-aws:v1.13.2`,
          imagePullPolicy: 'IfNotPresent',
          volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        },
      ]);
      expect(values.kubectl.image).toEqual({ repository: `${registry}/rancher/kubectl`, tag: 'v1.35.0' });
      for (const image of imageReferences(values)) expect(`${image.registry}/${image.repository}`.startsWith(`${registry}/`)).toBe(true);
    }
  });

  it('takes every chart of both stacks from the chart mirror and every image from the cluster’s registry mirror', () => {
    for (const [stack, registry] of [
      ['changsha-gov', MIRROR],
      ['changsha-standby', PUBLIC_MIRROR],
    ]) {
      const releases = Object.values(out.resources(stack, 'helm_release'));
      expect(releases.length).toBeGreaterThan(0);
      for (const r of releases) {
        expect(r.repository).toBe(CHARTS);
        for (const image of imageReferences(parseYaml(r.values[0]))) expect(`${image.registry}/${image.repository}`.startsWith(`${registry}/`)).toBe(true);
      }
    }
  });

  it('configures Velero for CSI snapshot data movement, with the existing credentials Secret and no location of the chart’s own', () => {
    const { values } = release(out, 'changsha-gov', 'velero');
    expect(values).toMatchObject({
      credentials: { useSecret: true, existingSecret: 'dr-object-store' },
      backupsEnabled: false,
      snapshotsEnabled: false,
      deployNodeAgent: true,
      configuration: { backupStorageLocation: [], volumeSnapshotLocation: [], features: 'EnableCSI', uploaderType: 'kopia' },
    });
    expect(values.credentials.secretContents).toBeUndefined();
  });

  it("turns the chart's CRD-upgrade hook off (it needs a shell the pinned kubectl image lacks) and confines the server container", () => {
    const { values } = release(out, 'changsha-gov', 'velero');
    expect(values.upgradeCRDs).toBe(false);
    expect(values.containerSecurityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('gives the server and the node agent explicit resources (the chart sets none)', () => {
    const { values } = release(out, 'changsha-gov', 'velero');
    expect(values.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(values.nodeAgent.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } });
  });

  it('creates the velero namespace, privileged for the node agent’s host mounts, and installs the release into it', () => {
    const namespace = out.resources('changsha-gov', 'kubernetes_namespace_v1')['changsha-gov/velero/namespace'];
    expect(namespace.metadata.name).toBe('velero');
    expect(namespace.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/audit': 'baseline' });
    expect(release(out, 'changsha-gov', 'velero').release.namespace).toMatch(
      /^\$\{kubernetes_namespace_v1\.velero_namespace_[A-Z0-9]+\.metadata\[0\]\.name\}$/,
    );
  });

  it('writes the off-site location on both clusters: ReadWrite on the primary, ReadOnly on the standby, same bucket and prefix', () => {
    const primaryLocation = gov('BackupStorageLocation', 'dr-citizen');
    const standbyLocation = standby('BackupStorageLocation', 'dr-citizen');
    const common = {
      provider: 'aws',
      objectStorage: { bucket: 'dr-backups', prefix: 'changsha/gov' },
      config: { region: 'cn-central', s3ForcePathStyle: 'true', s3Url: 'https://obs.test.example' },
      credential: { name: 'dr-object-store', key: 'cloud' },
    };
    expect(primaryLocation.metadata.namespace).toBe('velero');
    expect(primaryLocation.spec).toEqual({ ...common, accessMode: 'ReadWrite', default: true });
    expect(standbyLocation.metadata.namespace).toBe('velero');
    expect(standbyLocation.spec).toEqual({ ...common, accessMode: 'ReadOnly', default: false });
    expect(primaryLocation.metadata.labels).toMatchObject({ 'govcloud.io/disaster-recovery-pair': 'citizen', 'govcloud.io/cluster': 'gov' });
  });

  it('schedules backups on the primary at the interval derived from the RPO, into the off-site location', () => {
    expect(gov('Schedule', 'dr-citizen').spec).toEqual({
      schedule: '*/15 * * * *',
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: ['education', 'middleware'],
        storageLocation: 'dr-citizen',
        ttl: '168h0m0s',
        snapshotVolumes: true,
        snapshotMoveData: true,
      },
    });
    expect(() => standby('Schedule', 'dr-citizen')).toThrow('no Schedule/dr-citizen');
  });

  it('installs the CloudNativePG operator on the standby only, pinned from the mirror', () => {
    const { release: r, values } = release(out, 'changsha-standby', 'cloudnative-pg');
    expect(r).toMatchObject({ name: 'cnpg', chart: 'cloudnative-pg', version: '0.29.0', repository: CHARTS });
    expect(values.image).toEqual({ repository: `${PUBLIC_MIRROR}/cloudnative-pg/cloudnative-pg`, tag: '1.30.0', pullPolicy: 'IfNotPresent' });
    expect(values.crds).toEqual({ create: true });
    expect(out.resources('changsha-standby', 'kubernetes_namespace_v1')['changsha-standby/cloudnative-pg/namespace'].metadata.name).toBe('cnpg-system');
    expect(out.resources('changsha-gov', 'helm_release')['changsha-gov/cloudnative-pg/release']).toBeUndefined();
  });

  it('runs a CloudNativePG replica cluster on the standby that clones and follows the Bitnami primary', () => {
    const replica = standby('Cluster', 'citizen-db-replica');
    expect(replica.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(replica.metadata.namespace).toBe('middleware');
    const spec = replica.spec;
    expect(spec.instances).toBe(3);
    expect(spec.imageName).toBe(`${PUBLIC_MIRROR}/cloudnative-pg/postgresql:17.6-standard-trixie`);
    expect(spec.bootstrap).toEqual({ pg_basebackup: { source: 'citizen-db-primary' } });
    expect(spec.replica).toEqual({ enabled: true, source: 'citizen-db-primary' });
    expect(spec.externalClusters).toEqual([
      {
        name: 'citizen-db-primary',
        connectionParameters: { host: 'pg.gov.test.example', port: '15432', user: 'repl_user', dbname: 'postgres', sslmode: 'prefer' },
        password: { name: 'citizen-db-replication', key: 'password' },
      },
    ]);
    // The shelf's plan for the instance on the standby: the small preset, HA on a production cluster.
    expect(spec.storage).toEqual({ size: '20Gi' });
    expect(spec.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(spec.affinity).toEqual({ enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' });
    expect(spec.postgresql.parameters).toEqual({ max_wal_senders: '16' });
  });

  it('writes the replication password on the standby from the same sensitive, ephemeral variable as the primary’s credential', () => {
    const secret = out.resources('changsha-standby', 'kubernetes_secret_v1')['changsha-standby/disaster-recovery/citizen/citizen-db/replication-credentials'];
    expect(secret.metadata.name).toBe('citizen-db-replication');
    expect(secret.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.middleware_namespace_/);
    expect(secret.data).toBeUndefined();
    expect(secret.data_wo).toEqual({ password: '${var.middleware_citizen_db_replication_password}' });
    expect(out.stack('changsha-standby').variable.middleware_citizen_db_replication_password).toMatchObject({
      type: 'string',
      sensitive: true,
      ephemeral: true,
      nullable: false,
    });
    expect(out.stack('changsha-gov').variable.middleware_citizen_db_replication_password).toBeDefined();
  });

  it('opens the primary’s PostgreSQL to the standby’s pod CIDR on 5432, and nothing else', () => {
    const ingress = policy(out, 'changsha-gov', 'network-policy-replication-ingress');
    expect(ingress.metadata.name).toBe('citizen-db-replication-citizen');
    expect(ingress.spec.pod_selector.match_labels).toEqual({
      'app.kubernetes.io/instance': 'citizen-db',
      'app.kubernetes.io/name': 'postgresql',
      'app.kubernetes.io/component': 'primary',
    });
    expect(ingress.spec.policy_types).toEqual(['Ingress']);
    expect(ingress.spec.ingress).toEqual([{ from: [{ ip_block: { cidr: '10.8.0.0/16' } }], ports: [{ port: '5432', protocol: 'TCP' }] }]);
  });

  it('lets the replica pods reach the primary’s port and the Kubernetes API, each other, and be polled by the operator', () => {
    const replicaPods = { 'cnpg.io/cluster': 'citizen-db-replica' };
    const replica = out.resources('changsha-standby', 'kubernetes_network_policy_v1')['changsha-standby/middleware/network-policy-traffic-citizen-db-replica'];
    expect(replica.metadata.name).toBe('traffic-citizen-db-replica');
    expect(replica.spec.pod_selector).toEqual({ match_labels: replicaPods });
    expect(replica.spec.policy_types).toEqual(['Ingress', 'Egress']);
    expect(replica.spec.egress).toEqual([
      { to: [{ pod_selector: { match_labels: replicaPods } }] },
      { ports: [{ port: '15432', protocol: 'TCP' }] },
      { ports: ['443', '6443', '8443'].map((port) => ({ port, protocol: 'TCP' })) },
    ]);
    expect(replica.spec.ingress[0]).toEqual({ from: [{ pod_selector: { match_labels: replicaPods } }] });
    const operator = replica.spec.ingress.find((rule: any) => rule.ports?.some((p: any) => p.port === '8000'));
    expect(operator.ports).toEqual([{ port: '8000', protocol: 'TCP' }]);
    expect(operator.from).toHaveLength(1);
    expect(operator.from[0].namespace_selector.match_labels['kubernetes.io/metadata.name']).toMatch(/^\$\{kubernetes_namespace_v1\.cloudnative-pg_namespace_/);
  });

  it('validates every Velero and CloudNativePG object against the CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(out.dir, 'manifests')))).toBe('');
    const kinds = ['gov', 'standby'].flatMap((c) => out.manifests('changsha', c)).map((o) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(['BackupStorageLocation', 'Schedule', 'Cluster']));
  });

  it('puts no secret value in any file: credentials are existing Secrets or write-only variables', () => {
    for (const stack of ['changsha-gov', 'changsha-standby']) {
      for (const secret of Object.values(out.resources(stack, 'kubernetes_secret_v1'))) {
        expect(secret.data).toBeUndefined();
        expect(secret.binary_data).toBeUndefined();
        for (const value of Object.values(secret.data_wo as Record<string, string>)) expect(value).toMatch(/^\$\{var\.[a-z0-9_]+\}$/);
      }
      for (const variable of Object.values(out.stack(stack).variable as Record<string, any>)) expect(variable.sensitive).toBe(true);
    }
    for (const object of ['gov', 'standby'].flatMap((c) => out.manifests('changsha', c))) expect(object.kind).not.toBe('Secret');
    const text = listFiles(out.dir)
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    expect(text).not.toMatch(/aws_secret_access_key|aws_access_key_id|secretContents/);
  });

  it('runs the protected service warm on the standby at standbyReplicas, scaling up to the primary’s ceiling', () => {
    expect(standby('HorizontalPodAutoscaler', 'enrolment').spec).toMatchObject({ minReplicas: 1, maxReplicas: 10 });
    expect(gov('HorizontalPodAutoscaler', 'enrolment').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(standby('Deployment', 'enrolment').spec.template.spec.containers[0].image).toBe(`${PUBLIC_MIRROR}/edu/enrolment:1.0.0`);
  });
});

describe('Velero and CloudNativePG once per cluster', () => {
  const blueprint = drBlueprint((b) => {
    b.clusters.push({
      name: 'archive',
      role: 'gov',
      cloud: 'test-gov-cloud',
      location: 'other-city',
      connection: { kubeconfig: { path: '~/.kube/config', context: 'archive' } },
      capacity: { nodes: 3, nodeCpu: '8', nodeMemory: '32Gi' },
      network: { podCidr: '10.16.0.0/16', serviceCidr: '10.17.0.0/16' },
    });
    b.departments[0].clusters = ['gov'];
    b.middleware.push({ name: 'ledger-db', engine: 'postgresql', version: '17.5.0', dataClassification: 'internal', clusters: ['gov'] });
    b.disasterRecovery.push({
      name: 'ledger',
      primary: 'gov',
      standby: 'standby',
      mode: 'active-active',
      rpo: '1h',
      rto: '10m',
      services: ['enrolment'],
      databases: [{ name: 'ledger-db', primaryHost: 'ledger.gov.test.example', replicationSourceCidrs: ['100.64.0.0/16', '100.65.0.0/16'] }],
      backup: { endpoint: 'https://obs.test.example', bucket: 'dr-backups', credentialsSecret: { name: 'other-store', key: 'credentials' } },
    });
    b.disasterRecovery.push({
      name: 'archive',
      primary: 'gov',
      standby: 'archive',
      mode: 'hot-standby',
      rpo: '24h',
      rto: '15m',
      services: [],
      backup: { endpoint: 'https://s3.archive.test.example', bucket: 'archive', credentialsSecret: { name: 'archive-store', key: 'cloud' } },
    });
  });
  const built = build(blueprint);
  built.fleet.synth();
  const out = built.out;
  const charts = (stack: string) => Object.values(out.resources(stack, 'helm_release')).map((r: any) => r.chart);

  it('installs one Velero per cluster whatever the number of pairs, next to the shelf’s own backups', () => {
    expect(charts('changsha-gov').filter((c) => c === 'velero')).toHaveLength(1);
    expect(charts('changsha-standby').filter((c) => c === 'velero')).toHaveLength(1);
    expect(charts('changsha-archive').filter((c) => c === 'velero')).toHaveLength(1);
    expect(charts('changsha-standby').filter((c) => c === 'cloudnative-pg')).toHaveLength(1);
    expect(charts('changsha-archive')).not.toContain('cloudnative-pg');
    // The first pair's Secret is the chart's default; each location names its own.
    expect(release(out, 'changsha-gov', 'velero').values.credentials.existingSecret).toBe('dr-object-store');
    expect(out.find('changsha', 'gov', 'BackupStorageLocation', 'dr-ledger').spec.credential).toEqual({ name: 'other-store', key: 'credentials' });
    expect(out.find('changsha', 'gov', 'Schedule', 'middleware-citizen-db').metadata.namespace).toBe('velero');
  });

  it('makes only the first pair’s location the primary’s default, and defaults the S3 region', () => {
    expect(out.find('changsha', 'gov', 'BackupStorageLocation', 'dr-citizen').spec.default).toBe(true);
    expect(out.find('changsha', 'gov', 'BackupStorageLocation', 'dr-ledger').spec).toMatchObject({ default: false, config: { region: 'us-east-1' } });
    expect(out.find('changsha', 'gov', 'BackupStorageLocation', 'dr-archive').spec.default).toBe(false);
    expect(out.find('changsha', 'archive', 'BackupStorageLocation', 'dr-archive').spec).toMatchObject({
      accessMode: 'ReadOnly',
      objectStorage: { bucket: 'archive', prefix: 'changsha/gov' },
    });
  });

  it('writes no Schedule for a pair that protects nothing (an empty namespace list would back up every namespace)', () => {
    expect(() => out.find('changsha', 'gov', 'Schedule', 'dr-archive')).toThrow('no Schedule/dr-archive');
    expect(out.find('changsha', 'gov', 'Schedule', 'dr-ledger').spec).toMatchObject({
      schedule: '0 * * * *',
      template: { includedNamespaces: ['education', 'middleware'] },
    });
    expect(disasterRecoverySection(built.regions[0])).toContain('| backed up | nothing: the pair protects no service or database, so no Schedule is written |');
  });

  it('admits replication from the declared source CIDRs and streams from the default PostgreSQL port', () => {
    const ingress = out.resources('changsha-gov', 'kubernetes_network_policy_v1')[
      'changsha-gov/disaster-recovery/ledger/ledger-db/network-policy-replication-ingress'
    ];
    expect(ingress.spec.ingress[0].from).toEqual([{ ip_block: { cidr: '100.64.0.0/16' } }, { ip_block: { cidr: '100.65.0.0/16' } }]);
    const replica = out.find('changsha', 'standby', 'Cluster', 'ledger-db-replica');
    expect(replica.spec.externalClusters[0].connectionParameters).toMatchObject({ host: 'ledger.gov.test.example', port: '5432' });
    expect(replica.spec.imageName).toBe(`${PUBLIC_MIRROR}/cloudnative-pg/postgresql:17.6-standard-trixie`);
  });

  it('runs an active-active copy like the primary', () => {
    // enrolment is in a hot-standby pair and an active-active pair to the same standby: the larger floor wins.
    expect(out.find('changsha', 'standby', 'HorizontalPodAutoscaler', 'enrolment').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });

  it('validates against the CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(out.dir, 'manifests')))).toBe('');
  });
});

describe('an active-active pair', () => {
  const active = (b: any) => {
    withoutDatabases(b);
    Object.assign(b.disasterRecovery[0], { mode: 'active-active' });
  };

  it('scales the standby copy like the primary', () => {
    const out = synthesizeDr(drBlueprint(active));
    expect(out.find('changsha', 'standby', 'HorizontalPodAutoscaler', 'enrolment').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });

  it("fails synth on a standby too small for its copies: in active-active mode they run at the primary's floor all the time", () => {
    // The DR plan's failed-over load is the standby's floor here, so the cluster floor check
    // (services, shelf and Velero at rest) is what refuses it, hot standby or not.
    const tiny = (b: any) => {
      active(b);
      b.clusters[1].capacity = { nodes: 1, nodeCpu: '0.4', nodeMemory: '1Gi' };
    };
    expect(problemsOf(() => build(drBlueprint(tiny)))).toEqual([
      expect.stringMatching(
        /^regions\.changsha\.clusters\.standby\.capacity: cluster "standby" cannot hold what it runs at rest: 1\.5 CPU and 2Gi of requests \(services at their floor 0\.5 CPU and 0\.5Gi, middleware shelf 0 CPU and 0Gi, platform pods 1 CPU and 1\.5Gi \(Velero\)\)/,
      ),
    ]);
  });
});

describe('the supply chain of the DR releases', () => {
  it('fails synth when a Velero image is overridden to come from outside the mirror', () => {
    const { fleet, regions } = build(drBlueprint(withoutDatabases));
    const velero = regions[0]
      .cluster('gov')
      .stack.node.findAll()
      .find((c): c is Release => c instanceof Release && c.node.path.endsWith('velero/release'))!;
    regions[0].escapeHatches.overrideTerraform(
      velero,
      'values',
      [toYaml({ image: { repository: 'velero/velero', tag: 'v1.17.2' } })],
      'test: an image from Docker Hub',
    );
    const problems = problemsOf(() => fleet.synth());
    expect(problems.join('\n')).toContain(
      'image "velero/velero" would be pulled from "docker.io", not the blueprint\'s registry mirror "registry.test.example"',
    );
  });
});

/**
 * A standby on another government cloud, where the shelf installs its instances by default, and
 * the protected service using the replicated database.
 */
const govStandbyUsingTheDatabase = (b: any) => {
  Object.assign(b.clusters[1], { role: 'gov' });
  delete b.middleware[0].clusters;
  Object.assign(b.services[0], { clusters: ['gov'], middleware: [{ name: 'citizen-db', envPrefix: 'DB' }] });
};

describe('the services of a standby reach the replica database', () => {
  const out = synthesizeDr(drBlueprint(govStandbyUsingTheDatabase));
  const releases = (stack: string) => Object.values(out.resources(stack, 'helm_release')).map((r: any) => r.name);
  const grant = (type: string, id: string) => {
    const found = out.resources('changsha-standby', type)[`changsha-standby/middleware/citizen-db/grant-education/${id}`];
    if (!found) throw new Error(`no ${type} grant-education/${id} on the standby`);
    return found;
  };

  it('installs no second PostgreSQL primary on the standby: the shelf release stays on the primary', () => {
    expect(releases('changsha-gov')).toContain('citizen-db');
    expect(releases('changsha-standby')).not.toContain('citizen-db');
    expect(releases('changsha-standby')).toContain('cnpg');
    expect(out.find('changsha', 'standby', 'Cluster', 'citizen-db-replica').spec.replica).toEqual({ enabled: true, source: 'citizen-db-primary' });
  });

  it("points the service's connection settings on the standby at the replica's -rw service, which survives promotion", () => {
    const env: any[] = out.find('changsha', 'standby', 'Deployment', 'enrolment').spec.template.spec.containers[0].env;
    const fromConfigMap = (name: string) => env.find((e) => e.name === name)?.valueFrom?.configMapKeyRef;
    expect(fromConfigMap('DB_HOST')).toEqual({ name: 'citizen-db-connection', key: 'HOST' });
    expect(fromConfigMap('DB_READ_HOST')).toEqual({ name: 'citizen-db-connection', key: 'READ_HOST' });
    const connection = grant('kubernetes_config_map_v1', 'connection');
    expect(connection.metadata.name).toBe('citizen-db-connection');
    expect(connection.metadata.namespace).toContain('kubernetes_namespace_v1.education_namespace');
    // Three instances: -ro reaches the two that are not the designated primary.
    expect(connection.data).toEqual({
      HOST: 'citizen-db-replica-rw.middleware.svc',
      READ_HOST: 'citizen-db-replica-ro.middleware.svc',
      PORT: '5432',
      DATABASE: 'citizen_db',
      USERNAME: 'app',
    });
    // On the primary the same names hold the shelf primary's settings.
    const onPrimary = out.resources('changsha-gov', 'kubernetes_config_map_v1')['changsha-gov/middleware/citizen-db/grant-education/connection'];
    expect(onPrimary.data.HOST).toBe('citizen-db-primary.middleware.svc');
  });

  it('reads a single-instance replica through -r, which reaches the designated primary', () => {
    const single = synthesizeDr(
      drBlueprint((b) => {
        govStandbyUsingTheDatabase(b);
        b.clusters[1].production = false;
      }),
    );
    const connection = single.resources('changsha-standby', 'kubernetes_config_map_v1')['changsha-standby/middleware/citizen-db/grant-education/connection'];
    expect(connection.data).toMatchObject({ HOST: 'citizen-db-replica-rw.middleware.svc', READ_HOST: 'citizen-db-replica-r.middleware.svc' });
  });

  it("gives the service the application user's password from the standby's variable, to be set like the primary's", () => {
    const secret = grant('kubernetes_secret_v1', 'credentials');
    expect(secret.metadata.name).toBe('citizen-db-credentials');
    expect(secret.data_wo).toEqual({ password: '${var.middleware_citizen_db_password}' });
    expect(out.stack('changsha-standby').variable.middleware_citizen_db_password).toMatchObject({ sensitive: true, ephemeral: true });
    expect(Object.keys(out.stack('changsha-standby').variable)).not.toContain('middleware_citizen_db_postgres_password');
  });

  it("opens the replica's pods to the department on 5432, and the department's egress to them", () => {
    const replicaPods = { 'cnpg.io/cluster': 'citizen-db-replica' };
    const policies = out.resources('changsha-standby', 'kubernetes_network_policy_v1');
    const ingress = policies['changsha-standby/middleware/network-policy-traffic-citizen-db-replica'].spec.ingress;
    expect(ingress).toContainEqual({
      from: [
        {
          namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': expect.stringMatching(/^\$\{kubernetes_namespace_v1\.education_namespace_/) } },
        },
      ],
      ports: [{ port: '5432', protocol: 'TCP' }],
    });
    const egress = policies['changsha-standby/education/network-policy-baseline-traffic'].spec.egress;
    expect(egress.filter((rule: any) => JSON.stringify(rule).includes('citizen-db-replica'))).toEqual([
      {
        to: [
          {
            namespace_selector: {
              match_labels: { 'kubernetes.io/metadata.name': expect.stringMatching(/^\$\{kubernetes_namespace_v1\.middleware_namespace_/) },
            },
            pod_selector: { match_labels: replicaPods },
          },
        ],
        ports: [{ port: '5432', protocol: 'TCP' }],
      },
    ]);
  });

  it('lists the promotion in the report and counts it in the recovery time', () => {
    const { regions } = build(drBlueprint(govStandbyUsingTheDatabase));
    const report = disasterRecoverySection(regions[0]);
    const start = POD_START_SECONDS + 10;
    expect(report).toContain('| service | replicas on standby at rest | replicas needed | detection | database promotion | scale-up |');
    expect(report).toContain(`| enrolment | 1 | 2 | 60s | 60s (citizen-db) | 15s | ${start}s | ${60 + 60 + 15 + start}s | within RTO |`);
    expect(report).toContain('the copies of enrolment on standby connect to it (HOST citizen-db-replica-rw.middleware.svc');
    expect(report).toContain(
      '- citizen-db: `kubectl -n middleware patch clusters.postgresql.cnpg.io citizen-db-replica --type merge -p \'{"spec":{"replica":{"enabled":false}}}\'`',
    );
    expect(report).toContain(
      'set `TF_VAR_middleware_citizen_db_replication_password` and `TF_VAR_middleware_citizen_db_password` for stack changsha-standby to the same values',
    );
  });

  it('fails the RTO when the promotion makes a service too slow, naming failover.promotionSeconds', () => {
    const text = problemsOf(() =>
      synthesizeDr(
        drBlueprint((b) => {
          govStandbyUsingTheDatabase(b);
          Object.assign(b.disasterRecovery[0], { rto: '2m', failover: { promotionSeconds: 300 } });
        }),
      ),
    ).join('\n');
    expect(text).toMatch(
      /disasterRecovery\.citizen\.rto: service "enrolment" would take about \d+s to recover \(detection 60s \+ promotion of citizen-db 300s \+ scale-up/,
    );
    expect(text).toContain('lower failover.tolerationSeconds or failover.promotionSeconds, or relax the RTO');
  });

  it('rejects an instance that names the standby in its clusters: a second, empty primary', () => {
    const text = problemsOf(() =>
      synthesizeDr(
        drBlueprint((b) => {
          govStandbyUsingTheDatabase(b);
          b.middleware[0].clusters = ['gov', 'standby'];
        }),
      ),
    ).join('\n');
    expect(text).toContain(
      'blueprint.middleware.citizen-db.clusters[1]: names "standby", the standby where disaster-recovery pair "citizen" keeps the CloudNativePG replica of "citizen-db"; a shelf primary there would be a second, empty database',
    );
  });

  it('rejects a service declared on the standby that uses the replicated database: it would find it read-only', () => {
    const text = problemsOf(() =>
      synthesizeDr(
        drBlueprint((b) => {
          govStandbyUsingTheDatabase(b);
          b.services.push({ ...b.services[0], name: 'enrolment-admin', clusters: ['standby'] });
        }),
      ),
    ).join('\n');
    expect(text).toContain(
      'blueprint.disasterRecovery.citizen.databases.citizen-db: service "enrolment-admin" uses "citizen-db" and runs on the standby "standby" other than as a failover copy',
    );
    expect(text).not.toContain('service "enrolment" uses');
  });
});

describe('the DR section of the region report', () => {
  const { regions } = build(drBlueprint());
  const report = disasterRecoverySection(regions[0]);

  it('states the pair, its failure domains, mode and objectives', () => {
    expect(report).toContain(
      '**citizen**: `gov` (government cloud `test-gov-cloud`, failure domain `test-gov-cloud`) -> `standby` (public cloud `test-public-cloud`, failure domain `test-public-cloud`), hot-standby, RPO 15m, RTO 5m. **Objectives met**.',
    );
    expect(report).toContain('hot-standby: the standby runs each protected service warm at 1 replica and scales up');
  });

  it('compares the backup interval with the RPO and shows the off-site location and retention', () => {
    expect(report).toContain('backups every 15m (`*/15 * * * *`, UTC as Velero evaluates it, derived from the RPO');
    expect(report).toContain('against the RPO of 15m: within it');
    expect(report).toContain('| retention | 168h per backup |');
    expect(report).toContain(
      '`dr-citizen` in namespace velero: bucket `dr-backups`, prefix `changsha/gov/` at https://obs.test.example (region cn-central); ReadWrite on gov, ReadOnly on standby',
    );
  });

  it('lists the replicated databases and the failed-over load against the standby’s capacity', () => {
    expect(report).toContain(
      'citizen-db -> CloudNativePG replica cluster `citizen-db-replica` (3 instances, 500m CPU / 1Gi and 20Gi each, PostgreSQL 17.6-standard-trixie) streaming from pg.gov.test.example:15432 as `repl_user`; the primary admits it from 10.8.0.0/16',
    );
    expect(report).toContain('Standby capacity for the failed-over load (fits)');
    expect(report).toContain("| protected services at the primary's floor | 0.5 | 0.5Gi |");
    expect(report).toContain('| offered by 4 nodes of standby | 32 | 128Gi |');
  });

  it('breaks the recovery time down per service against the RTO, with its assumptions', () => {
    // Detection 60s, 1 -> 2 replicas in one 15s HPA step, then pod start and one readiness period (10s).
    const start = POD_START_SECONDS + 10;
    expect(report).toContain(`| enrolment | 1 | 2 | 60s | 15s | ${start}s | ${60 + 15 + start}s | within RTO |`);
    expect(report).toContain(`${POD_START_SECONDS}s per new pod for the image pull from the cluster's mirror and process start`);
    expect(report).toContain('enrolment 900% per 15s');
  });

  it('tells the operator what to provide: the credentials Secret and the replication password', () => {
    expect(report).toContain('create the Secret `dr-object-store` (key `cloud`');
    expect(report).toContain(
      "set `TF_VAR_middleware_citizen_db_replication_password` for stack changsha-standby to the same value as for the primary's stack (changsha-gov)",
    );
  });

  it('says when there are no pairs', () => {
    const { regions: none } = build(minimalBlueprint());
    expect(disasterRecoverySection(none[0])).toBe('No disaster-recovery pairs.\n');
  });
});

describe('DR checks', () => {
  const problems = (change: (b: any) => void) => problemsOf(() => synthesizeDr(drBlueprint(change))).join('\n');
  const PAIR = 'blueprint.disasterRecovery.citizen';

  it('rejects a standby in the primary’s failure domain', () => {
    expect(problems((b) => (b.clusters[1].cloud = 'test-gov-cloud'))).toContain(
      `${PAIR}.standby: clusters "gov" and "standby" share the failure domain "test-gov-cloud" (cloud), so one outage takes both`,
    );
  });

  it('rejects a backup interval longer than the RPO', () => {
    expect(problems((b) => (b.disasterRecovery[0].backup.interval = '30m'))).toContain(`${PAIR}.backup.interval: "30m" is longer than the RPO "15m"`);
  });

  it('rejects an RPO under a minute', () => {
    expect(problems((b) => (b.disasterRecovery[0].rpo = '30s'))).toContain(
      `${PAIR}.rpo: "30s" is shorter than the shortest backup interval (1m); backups cannot meet it`,
    );
  });

  it('rejects a hot standby too small for the failed-over load, by how much and what to raise', () => {
    const text = problems((b) => {
      withoutDatabases(b);
      b.clusters[1].capacity = { nodes: 1, nodeCpu: '0.4', nodeMemory: '1Gi' };
    });
    expect(text).toContain(`${PAIR}.standby: standby cluster "standby" is too small for the failed-over load`);
    expect(text).toContain('short by 0.1 CPU; raise clusters.standby.capacity.nodes to 2, or protect fewer services');
  });

  it('rejects an RTO too short for the standby to scale up', () => {
    const text = problems((b) => {
      b.services[0].autoscaling = { minReplicas: 20, maxReplicas: 40 };
      Object.assign(b.disasterRecovery[0], { rto: '1m', failover: { tolerationSeconds: 10 } });
    });
    expect(text).toMatch(
      new RegExp(`${PAIR}\\.rto: service "enrolment" would take about \\d+s to recover \\(detection 10s \\+ scale-up from 1 to 20 replicas \\d+s`),
    );
    expect(text).toContain('raise standbyReplicas to 20 so no scale-up is needed');
  });

  it('rejects an RPO or RTO that is not a duration', () => {
    const text = problems((b) => Object.assign(b.disasterRecovery[0], { rpo: 'fifteen minutes', rto: 5 }));
    expect(text).toContain(`${PAIR}.rpo: must be a duration such as "500ms", "30s", "5m" or "1h30m", got "fifteen minutes"`);
    expect(text).toContain(`${PAIR}.rto: must be a duration such as "500ms", "30s", "5m" or "1h30m", got 5`);
  });

  it('names unknown clusters, services and databases, with the closest known name', () => {
    expect(problems((b) => (b.disasterRecovery[0].primary = 'gvo'))).toContain(
      `${PAIR}.primary: no cluster named "gvo"; did you mean "gov"? Known: gov, standby`,
    );
    expect(problems((b) => (b.disasterRecovery[0].standby = 'stanby'))).toContain(`${PAIR}.standby: no cluster named "stanby"; did you mean "standby"?`);
    expect(problems((b) => (b.disasterRecovery[0].services = ['enrolmnt']))).toContain(
      `${PAIR}.services[0]: no service named "enrolmnt"; did you mean "enrolment"?`,
    );
    expect(problems((b) => (b.disasterRecovery[0].databases[0].name = 'citizen-dbb'))).toContain(
      `${PAIR}.databases.citizen-dbb.name: no middleware instance named "citizen-dbb"; did you mean "citizen-db"?`,
    );
  });

  it('rejects a database that is not PostgreSQL', () => {
    const text = problems((b) => {
      b.middleware.push({ name: 'cache', engine: 'redis', version: '8.2.1', dataClassification: 'internal', clusters: ['gov'] });
      b.disasterRecovery[0].databases.push({ name: 'cache', primaryHost: 'cache.gov.test.example' });
    });
    expect(text).toContain(
      `${PAIR}.databases.cache: instance "cache" is redis; cross-cloud replication is for postgresql instances (CloudNativePG replica clusters)`,
    );
  });

  it('rejects a database that is not installed on the primary', () => {
    expect(problems((b) => (b.middleware[0].clusters = ['standby']))).toContain(
      `${PAIR}.databases.citizen-db: instance "citizen-db" is not installed on the primary "gov"`,
    );
  });

  it('keeps a personal-data service or database off a public standby', () => {
    expect(problems((b) => delete b.services[0].dataClassification)).toContain(
      `${PAIR}.services[0]: service "enrolment" may not stand by on public-cloud cluster "standby": it holds citizen personal data (dataClassification "personal", the default for an unmarked workload)`,
    );
    expect(problems((b) => (b.middleware[0].dataClassification = 'personal'))).toContain(
      `${PAIR}.databases.citizen-db: may not be replicated to public-cloud cluster "standby": instance "citizen-db" holds citizen personal data (dataClassification "personal")`,
    );
  });

  it('rejects overlapping CIDRs between the pair’s clusters', () => {
    expect(problems((b) => (b.clusters[1].network = { podCidr: '10.0.128.0/17', serviceCidr: '10.9.0.0/16' }))).toContain(
      `${PAIR}.standby: clusters "gov" and "standby" must reach each other for disaster-recovery pair "citizen", but gov's pod CIDR 10.0.0.0/16 overlaps standby's pod CIDR 10.0.128.0/17`,
    );
  });

  it('rejects replicating an instance that runs standalone on the primary: Bitnami creates no replication user', () => {
    const text = problems((b) => (b.middleware[0].highAvailability = { enabled: false, reason: 'test' }));
    expect(text).toContain(
      'regions.changsha.disasterRecovery.citizen.databases.citizen-db: instance "citizen-db" runs standalone on the primary "gov" (highAvailability off), and the Bitnami chart creates the replication user "repl_user" only in replication architecture',
    );
  });

  it('rejects a replica with more instances than the standby has nodes', () => {
    const text = problems((b) => (b.clusters[1].capacity.nodes = 2));
    expect(text).toContain(
      'regions.changsha.disasterRecovery.citizen.databases.citizen-db: the replica "citizen-db-replica" runs 3 instances, one per node, but standby cluster "standby" has 2 nodes',
    );
  });

  it('rejects two pairs replicating one instance to one standby', () => {
    const text = problems((b) => b.disasterRecovery.push({ ...b.disasterRecovery[0], name: 'citizen-again' }));
    expect(text).toContain(
      'regions.changsha.disasterRecovery.citizen-again.databases.citizen-db: instance "citizen-db" is already replicated to standby "standby" by pair "citizen"',
    );
  });
});

describe('a recovery drill', () => {
  const DRILL = 'manifests/changsha/standby/drills/citizen-restore.yaml';
  const withDrill = (drill: object) => (b: any) => (b.disasterRecovery[0].drill = drill);
  const built = build(drBlueprint(withDrill({})));
  built.fleet.synth();
  const out = built.out;

  it("writes a Restore of the Schedule's latest backup on the standby, each backed-up namespace into its drill namespace", () => {
    const restore = parseYaml(out.read(DRILL));
    expect(restore).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: {
        name: 'dr-citizen-drill',
        namespace: 'velero',
        labels: expect.objectContaining({ 'govcloud.io/disaster-recovery-pair': 'citizen', 'govcloud.io/cluster': 'standby' }),
      },
      spec: {
        scheduleName: 'dr-citizen',
        includedNamespaces: ['education', 'middleware'],
        namespaceMapping: { education: 'education-drill', middleware: 'middleware-drill' },
        restorePVs: true,
      },
    });
    // The Restore names the primary's Schedule, which backs up exactly those namespaces.
    expect(out.find('changsha', 'gov', 'Schedule', restore.spec.scheduleName).spec.template.includedNamespaces).toEqual(restore.spec.includedNamespaces);
    expect(out.files().filter((f) => f.includes('drills'))).toEqual([DRILL]);
  });

  it("leaves the drill file out of the standby's kustomization, which still lists every other file", () => {
    const folder = path.join(out.dir, 'manifests/changsha/standby');
    const resources: string[] = parseYaml(out.read('manifests/changsha/standby/kustomization.yaml')).resources;
    const written = fs.readdirSync(folder).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect(resources).toContain('disaster-recovery.yaml');
    expect([...resources].sort()).toEqual(written.sort());
    expect(resources.join()).not.toContain('drill');
  });

  it('validates against the Restore CRD', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(validator.validateFile(path.join(out.dir, DRILL))).toEqual([]);
  });

  it('tells in the report how to run, check, time and clean up the drill', () => {
    const section = disasterRecoverySection(built.regions[0]);
    expect(section).toContain(`- run: \`kubectl create -f ${DRILL}\` against standby;`);
    expect(section).toContain('education into education-drill, middleware into middleware-drill, so the live namespaces on standby are not touched;');
    expect(section).toContain('counts against the RTO of 5m (300s)');
    expect(section).toContain('- clean up: `kubectl delete namespace education-drill middleware-drill`');
  });

  it('names the drill namespaces with the declared suffix', () => {
    const custom = synthesizeDr(drBlueprint(withDrill({ namespaceSuffix: '-rehearsal' })));
    expect(parseYaml(custom.read(DRILL)).spec.namespaceMapping).toEqual({ education: 'education-rehearsal', middleware: 'middleware-rehearsal' });
  });

  it('writes no drill file without a drill', () => {
    expect(
      synthesizeDr(drBlueprint())
        .files()
        .filter((f) => f.includes('drills')),
    ).toEqual([]);
  });

  it('keeps the drill in the standby’s folder in Karmada mode', () => {
    const karmada = synthesizeDr(
      drBlueprint((b) => {
        withDrill({})(b);
        b.karmada = {};
      }),
    );
    expect(parseYaml(karmada.read(DRILL)).kind).toBe('Restore');
    expect(parseYaml(karmada.read('manifests/changsha/standby/kustomization.yaml')).resources.join()).not.toContain('drill');
  });

  describe('checks', () => {
    const problems = (change: (b: any) => void) => problemsOf(() => synthesizeDr(drBlueprint(change))).join('\n');
    const PAIR = 'blueprint.disasterRecovery.citizen';

    it('rejects a drill on a pair that backs up nothing', () => {
      expect(
        problems((b) => {
          withoutDatabases(b);
          Object.assign(b.disasterRecovery[0], { services: [], drill: {} });
        }),
      ).toContain(
        `${PAIR}.drill: pair "citizen" backs up nothing (it protects no service or database), so a drill has no backup to restore; protect a service or database in the pair, or remove drill`,
      );
    });

    it('rejects a drill namespace name over 63 characters, with the longest suffix that fits every namespace', () => {
      // "middleware" (10 characters) is the longest backed-up namespace: 53 characters of suffix fit.
      const suffix = `-${'x'.repeat(53)}`;
      expect(problems(withDrill({ namespaceSuffix: suffix }))).toBe(
        `${PAIR}.drill.namespaceSuffix: the drill namespace "middleware${suffix}" (namespace "middleware" + suffix "${suffix}") has 64 characters, more than the 63 a namespace name may have; set a shorter drill.namespaceSuffix (at most 53 characters, to fit every backed-up namespace)`,
      );
      expect(() => synthesizeDr(drBlueprint(withDrill({ namespaceSuffix: suffix.slice(0, -1) })))).not.toThrow();
    });

    it('rejects a too-long drill namespace from a long department name at the drill', () => {
      const long = `d${'e'.repeat(58)}`;
      const text = problems((b) => {
        b.departments[0].name = long;
        for (const s of b.services) s.department = long;
        b.middleware[0].grants = [long];
        withDrill({})(b);
      });
      expect(text).toContain(
        `${PAIR}.drill: the drill namespace "${long}-drill" (namespace "${long}" + suffix "-drill") has 65 characters, more than the 63 a namespace name may have; set a shorter drill.namespaceSuffix (at most 4 characters, to fit every backed-up namespace), or shorten the name of department "${long}"`,
      );
    });

    it('rejects a suffix that would not make a namespace name', () => {
      expect(problems(withDrill({ namespaceSuffix: 'drill' }))).toContain(
        `${PAIR}.drill.namespaceSuffix: must be a "-" followed by lower-case letters, digits and "-", such as "-drill", got "drill"`,
      );
    });
  });
});
