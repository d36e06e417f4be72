import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { continuityFleet, hengyang } from '../../examples/continuity/continuity';
import { Fleet, citizenServices } from '../../index';
import { EXAMPLES } from '../../examples';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { SynthOutput, problemsOf, tempDir } from '../support/fleet-fixtures';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');
const DRILL = 'manifests/hengyang/gov-b/drills/citizen-continuity-restore.yaml';

describe('example: business continuity across two government clouds (white paper 4.4)', () => {
  const dir = path.join(tempDir(), 'out');
  continuityFleet(dir).synth();
  const out = new SynthOutput(dir);
  const report = out.read('reports/hengyang.md');
  const find = (cluster: string, kind: string, name: string) => out.find('hengyang', cluster, kind, name);

  it('is registered as an example', () => {
    expect(EXAMPLES.continuity).toBe(continuityFleet);
  });

  it('pairs the citizen app and the health code active-active across two government clouds in different failure domains', () => {
    expect(report).toContain(
      '**citizen-continuity**: `gov` (government cloud `hunan-gov-cloud`, failure domain `hunan-gov-cloud/hengyang-dc1`) -> `gov-b` (government cloud `tianyi-gov-cloud`, failure domain `tianyi-gov-cloud/hengyang-dc2`), active-active, RPO 15m, RTO 2m. **Objectives met**.',
    );
    expect(Object.keys(JSON.parse(out.read('terraform/manifest.json')).stacks)).toEqual(['hengyang-gov', 'hengyang-gov-b']);
  });

  it('keeps the pair on government clouds: the services are presumed to hold personal data', () => {
    const publicStandby = { ...hengyang, clusters: hengyang.clusters!.map((c) => (c.name === 'gov-b' ? { ...c, role: 'public' as const } : c)) };
    const problems = problemsOf(() => new Fleet({ blueprint: citizenServices, outdir: tempDir() }).addRegions({ hengyang: { overrides: publicStandby } }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'regions.hengyang.disasterRecovery.citizen-continuity.services[0]: service "citizen-app" may not stand by on public-cloud cluster "gov-b"',
        ),
      ]),
    );
  });

  it("runs both services on both clusters at the primary's floor", () => {
    for (const [service, department, floor] of [
      ['citizen-app', 'data-bureau', 3],
      ['health-code', 'health', 2],
    ] as const) {
      const primary = find('gov', 'HorizontalPodAutoscaler', service);
      const standby = find('gov-b', 'HorizontalPodAutoscaler', service);
      expect(primary.metadata.namespace).toBe(department);
      expect(standby.metadata.namespace).toBe(department);
      expect(primary.spec.minReplicas).toBe(floor);
      expect(standby.spec).toMatchObject({ minReplicas: floor, maxReplicas: primary.spec.maxReplicas });
    }
  });

  it('backs up off-site, outside both clouds: ReadWrite on gov, ReadOnly on gov-b, same bucket and prefix, every 15 minutes', () => {
    const primary = find('gov', 'BackupStorageLocation', 'dr-citizen-continuity');
    const standby = find('gov-b', 'BackupStorageLocation', 'dr-citizen-continuity');
    const common = {
      objectStorage: { bucket: 'hengyang-continuity', prefix: 'hengyang/gov' },
      config: { s3Url: 'https://archive.hunan.gov.example' },
    };
    expect(primary.spec).toMatchObject({ ...common, accessMode: 'ReadWrite' });
    expect(standby.spec).toMatchObject({ ...common, accessMode: 'ReadOnly' });
    expect(find('gov', 'Schedule', 'dr-citizen-continuity').spec).toMatchObject({
      schedule: '*/15 * * * *',
      template: { includedNamespaces: ['data-bureau', 'education', 'health', 'social-security', 'middleware'], storageLocation: 'dr-citizen-continuity' },
    });
  });

  it("writes the drill's Restore for gov-b: the Schedule's latest backup into separate drill namespaces, volumes included", () => {
    const [restore, ...rest] = [parseYaml(out.read(DRILL))];
    expect(rest).toEqual([]);
    expect(restore).toMatchObject({ apiVersion: 'velero.io/v1', kind: 'Restore', metadata: { name: 'dr-citizen-continuity-drill', namespace: 'velero' } });
    expect(restore.metadata.labels).toMatchObject({ 'govcloud.io/cluster': 'gov-b', 'govcloud.io/disaster-recovery-pair': 'citizen-continuity' });
    expect(restore.spec).toEqual({
      scheduleName: 'dr-citizen-continuity',
      includedNamespaces: ['data-bureau', 'education', 'health', 'social-security', 'middleware'],
      namespaceMapping: {
        'data-bureau': 'data-bureau-drill',
        education: 'education-drill',
        health: 'health-drill',
        'social-security': 'social-security-drill',
        middleware: 'middleware-drill',
      },
      restorePVs: true,
    });
    expect(out.files().filter((f) => f.includes('/drills/'))).toEqual([DRILL]);
  });

  it("leaves the drill out of gov-b's kustomization, and only the drill", () => {
    const folder = 'manifests/hengyang/gov-b';
    const resources: string[] = parseYaml(out.read(`${folder}/kustomization.yaml`)).resources;
    expect(resources).not.toContain('drills/citizen-continuity-restore.yaml');
    expect(resources.some((r) => r.includes('drill'))).toBe(false);
    const written = fs.readdirSync(path.join(dir, folder)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...resources].sort()).toEqual(written.sort());
  });

  it('validates every manifest, the drill file included, against the Kubernetes and CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(dir, 'manifests')))).toBe('');
    expect(validator.validateFile(path.join(dir, DRILL))).toEqual([]);
  });

  it('gives the copies on gov-b the replica of citizen-db, read-only until promoted, and no second PostgreSQL primary', () => {
    const standby = out.stack('hengyang-gov-b');
    const releases = Object.values(out.resources('hengyang-gov-b', 'helm_release')).map((r: any) => r.name);
    expect(releases).not.toContain('citizen-db');
    expect(releases).toEqual(expect.arrayContaining(['session-cache', 'event-bus', 'cnpg']));
    expect(Object.values(out.resources('hengyang-gov', 'helm_release')).map((r: any) => r.name)).toContain('citizen-db');
    for (const department of ['data-bureau', 'education', 'social-security']) {
      const connection = Object.values<any>(out.resources('hengyang-gov-b', 'kubernetes_config_map_v1')).find(
        (c) => c.metadata.name === 'citizen-db-connection' && c.metadata.namespace.includes(department),
      );
      expect(connection.data).toEqual({
        HOST: 'citizen-db-replica-rw.middleware.svc',
        READ_HOST: 'citizen-db-replica-ro.middleware.svc',
        PORT: '5432',
        DATABASE: 'citizen_db',
        USERNAME: 'app',
      });
    }
    const replica = find('gov-b', 'Cluster', 'citizen-db-replica');
    expect(replica.spec).toMatchObject({ instances: 3, replica: { enabled: true, source: 'citizen-db-primary' } });
    expect(replica.spec.externalClusters[0].connectionParameters.host).toBe('pg-citizen.hengyang-dc1.gov.hunan.example');
    expect(Object.keys(standby.variable)).toEqual(expect.arrayContaining(['middleware_citizen_db_password', 'middleware_citizen_db_replication_password']));
    expect(Object.keys(standby.variable)).not.toContain('middleware_citizen_db_postgres_password');
  });

  it('says in the report what is not replicated and how to promote the replica after a failover', () => {
    expect(report).toContain(
      "| not replicated | event-bus (kafka), session-cache (redis): the copies on gov-b use gov-b's own shelf instances, which hold none of gov's data",
    );
    expect(report).toContain(
      '- citizen-db: `kubectl -n middleware patch clusters.postgresql.cnpg.io citizen-db-replica --type merge -p \'{"spec":{"replica":{"enabled":false}}}\'`',
    );
  });

  it('shows the RTO budget per service within the RTO, and how to run, check, time and clean up the drill', () => {
    expect(report).toContain('Recovery time per service against the RTO of 2m (120s): every service within it.');
    // The users of citizen-db wait for its promotion; the health code uses no replicated database.
    expect(report).toContain('| citizen-app | 3 | 3 | 60s | 60s (citizen-db) | 0s | 0s | 120s | within RTO |');
    expect(report).toContain('| health-code | 2 | 2 | 60s | 0s | 0s | 0s | 60s | within RTO |');
    expect(report).toContain(
      `Recovery drill: \`${DRILL}\` holds a Velero Restore \`dr-citizen-continuity-drill\` for gov-b. It is left out of the folder's kustomization.yaml`,
    );
    expect(report).toContain(`- run: \`kubectl create -f ${DRILL}\` against gov-b;`);
    expect(report).toContain('data-bureau into data-bureau-drill, education into education-drill, health into health-drill,');
    expect(report).toContain('- check: `kubectl -n velero get restore dr-citizen-continuity-drill` reaches phase `Completed`');
    expect(report).toContain('counts against the RTO of 2m (120s) in the recovery-time table above');
    expect(report).toContain(
      '- clean up: `kubectl delete namespace data-bureau-drill education-drill health-drill social-security-drill middleware-drill` and `kubectl -n velero delete restore dr-citizen-continuity-drill`',
    );
  });
});
