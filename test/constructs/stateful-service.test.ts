import { Fleet } from '../../constructs/core/fleet';
import type { BlueprintSpec } from '../../constructs/blueprint-spec';
import type { ServiceSpec } from '../../constructs/workload/service-spec';
import { type K8sObject, minimalBlueprint, problemsOf, synthesize } from '../support/fleet-fixtures';

/** The minimal blueprint with its service made stateful, with one volume; `change` edits the copy. */
function statefulBlueprint(change: (b: any) => void = () => undefined, service: Partial<ServiceSpec> = {}): BlueprintSpec {
  const blueprint: any = minimalBlueprint();
  Object.assign(blueprint.services[0], {
    stateful: true,
    statefulSet: { volumes: [{ name: 'data', mountPath: '/var/lib/enrolment', size: '10Gi' }] },
    ...service,
  });
  change(blueprint);
  return blueprint;
}

const blueprintProblems = (blueprint: BlueprintSpec) => problemsOf(() => new Fleet({ blueprint }));

/** A second government cluster in another data centre, and a hot-standby pair from gov to it protecting the service. */
function withDrPair(b: any): void {
  b.clusters[0].location = 'dc-1';
  b.clusters.push({
    ...b.clusters[0],
    name: 'gov-b',
    location: 'dc-2',
    connection: { kubeconfig: { path: '~/.kube/config', context: 'gov-b' } },
    network: { podCidr: '10.8.0.0/16', serviceCidr: '10.9.0.0/16' },
  });
  b.services[0].clusters = ['gov'];
  b.disasterRecovery = [
    {
      name: 'records',
      primary: 'gov',
      standby: 'gov-b',
      mode: 'hot-standby',
      rpo: '1h',
      rto: '30m',
      services: ['enrolment'],
      backup: { endpoint: 'https://obs.test.example', bucket: 'dr-backups', credentialsSecret: { name: 'dr-object-store', key: 'cloud' } },
    },
  ];
}

describe('a stateful service', () => {
  const out = synthesize(
    statefulBlueprint((b) => (b.clusters[0].storageClass = 'csi-ssd')),
    { changsha: {} },
  );
  const manifests = out.manifests('changsha', 'gov');
  const set = out.find('changsha', 'gov', 'StatefulSet', 'enrolment');
  const pod = set.spec.template.spec;
  const container = pod.containers[0];

  it('runs as a StatefulSet instead of a Deployment, named under a headless Service', () => {
    expect(manifests.filter((o) => o.kind === 'Deployment')).toEqual([]);
    const headless = out.find('changsha', 'gov', 'Service', 'enrolment-headless');
    expect(set.spec.serviceName).toBe('enrolment-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.selector).toEqual(set.spec.template.metadata.labels && out.find('changsha', 'gov', 'Service', 'enrolment').spec.selector);
    // Clients still get a load-balanced ClusterIP Service under the service's name.
    expect(out.find('changsha', 'gov', 'Service', 'enrolment').spec.type).toBe('ClusterIP');
    expect(set.metadata.namespace).toBe('education');
  });

  it('gives every pod its own claim per volume, from the cluster StorageClass, kept after scale-down and deletion', () => {
    expect(set.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data', labels: expect.not.objectContaining({ 'app.kubernetes.io/version': expect.anything() }) },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'csi-ssd', resources: { requests: { storage: '10Gi' } } },
      },
    ]);
    // The claim template is immutable: a label that changes with each release would block every upgrade.
    expect(set.spec.volumeClaimTemplates[0].metadata.labels['app.kubernetes.io/name']).toBe('enrolment');
    expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/var/lib/enrolment' },
    ]);
  });

  it('keeps the restricted security context, and changes volume ownership only when it is wrong', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  it('starts pods in order by default, with fixed replicas, a budget and a spread over every pod of the set', () => {
    expect(set.spec.podManagementPolicy).toBe('OrderedReady');
    expect(set.spec.replicas).toBe(2);
    expect(set.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(manifests.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(out.find('changsha', 'gov', 'PodDisruptionBudget', 'enrolment').spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'enrolment',
      'govcloud.io/department': 'education',
    });
    // A StatefulSet has no pod-template-hash: its pods are replaced in place, so all of them count.
    for (const constraint of pod.topologySpreadConstraints) expect(constraint.matchLabelKeys).toBeUndefined();
    expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  it('backs its volumes up with a daily Velero Schedule that selects its pods and claims', () => {
    const schedule = out.find('changsha', 'gov', 'Schedule', 'service-enrolment');
    expect(out.files()).toContain('manifests/changsha/gov/service-backups.yaml');
    expect(schedule.metadata.namespace).toBe('velero');
    expect(schedule.spec.schedule).toBe('0 18 * * *');
    expect(schedule.spec.template).toMatchObject({ includedNamespaces: ['education'], snapshotVolumes: true, snapshotMoveData: true, ttl: '168h0m0s' });
    const selector: Record<string, string> = schedule.spec.template.labelSelector.matchLabels;
    // The StatefulSet controller labels each claim with the set's selector, which includes these.
    expect(set.spec.selector.matchLabels).toMatchObject(selector);
    expect(set.spec.template.metadata.labels).toMatchObject(selector);
  });

  it('reports its volumes and who backs them up', () => {
    const report = out.read('reports/changsha.md');
    expect(report).toContain(
      '| enrolment | gov | 2 | OrderedReady | data 10Gi at /var/lib/enrolment (csi-ssd) | own Schedule `service-enrolment`: `0 18 * * *` (UTC), kept 168h |',
    );
    // The claims are immutable once the set exists: the report says how to resize.
    expect(report).toContain('`kubectl delete statefulset <service> --cascade=orphan`');
  });
});

describe('stateful service settings', () => {
  const setOf = (blueprint: BlueprintSpec): K8sObject => synthesize(blueprint, { changsha: {} }).find('changsha', 'gov', 'StatefulSet', 'enrolment');

  it('starts peers together with Parallel, and names a volume StorageClass the cluster offers', () => {
    const set = setOf(
      statefulBlueprint((b) => (b.clusters[0].storageClasses = ['standard', 'csi-ssd']), {
        statefulSet: { podManagement: 'Parallel', volumes: [{ name: 'data', mountPath: '/data', size: '1Gi', storageClass: 'csi-ssd' }] },
      }),
    );
    expect(set.spec.podManagementPolicy).toBe('Parallel');
    expect(set.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('csi-ssd');
  });

  it('autoscales only when declared safe, with the HPA on the StatefulSet', () => {
    const out = synthesize(
      statefulBlueprint(() => undefined, { autoscaling: { minReplicas: 2, maxReplicas: 4 }, statefulSet: { allowAutoscaling: true } }),
      { changsha: {} },
    );
    expect(out.find('changsha', 'gov', 'StatefulSet', 'enrolment').spec.replicas).toBeUndefined();
    expect(out.find('changsha', 'gov', 'HorizontalPodAutoscaler', 'enrolment').spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: 'enrolment',
    });
  });

  it('without volumes has a stable identity but no claims and no backup', () => {
    const out = synthesize(
      statefulBlueprint(() => undefined, { statefulSet: undefined }),
      { changsha: {} },
    );
    expect(out.find('changsha', 'gov', 'StatefulSet', 'enrolment').spec.volumeClaimTemplates).toBeUndefined();
    expect(out.files()).not.toContain('manifests/changsha/gov/service-backups.yaml');
    expect(out.read('reports/changsha.md')).toContain('| none | none (no volumes) |');
  });

  it('leaves backups on the primary to a DR pair that protects it, and backs up the standby, which holds the data after a failover', () => {
    const out = synthesize(statefulBlueprint(withDrPair), { changsha: {} });
    expect(out.manifests('changsha', 'gov').filter((o) => o.kind === 'Schedule' && o.metadata.name === 'service-enrolment')).toEqual([]);
    // The pair's own Schedule takes the department's namespace, volumes included, within the RPO.
    const pairSchedule = out.manifests('changsha', 'gov').find((o) => o.kind === 'Schedule' && o.spec.template.includedNamespaces?.includes('education'));
    expect(pairSchedule?.spec.template.snapshotVolumes).toBe(true);
    expect(out.find('changsha', 'gov-b', 'Schedule', 'service-enrolment').spec.template.includedNamespaces).toEqual(['education']);
    const report = out.read('reports/changsha.md');
    expect(report).toContain(
      "| enrolment | gov | 2 | OrderedReady | data 10Gi at /var/lib/enrolment (cluster default) | DR pair `records`'s Schedule, within its RPO |",
    );
    // Without allowAutoscaling it cannot grow on failover, so the standby waits at the primary's count.
    expect(out.find('changsha', 'gov-b', 'StatefulSet', 'enrolment').spec.replicas).toBe(2);
    expect(out.manifests('changsha', 'gov-b').filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(report).toContain('| enrolment | gov-b | 2 | OrderedReady | data 10Gi at /var/lib/enrolment (cluster default) | own Schedule `service-enrolment`');
  });

  it('backs up on its own schedule, retention and location when given', () => {
    const out = synthesize(
      statefulBlueprint(() => undefined, {
        statefulSet: {
          volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }],
          backup: { schedule: '0 */6 * * *', retention: '720h', storageLocation: 'offsite' },
        },
      }),
      { changsha: {} },
    );
    const schedule = out.find('changsha', 'gov', 'Schedule', 'service-enrolment');
    expect(schedule.spec.schedule).toBe('0 */6 * * *');
    expect(schedule.spec.template).toMatchObject({ ttl: '720h0m0s', storageLocation: 'offsite' });
  });

  it('may switch backups off with a reason, which the report shows', () => {
    const out = synthesize(
      statefulBlueprint(() => undefined, {
        dataClassification: 'public',
        statefulSet: { volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }], backup: { enabled: false, reason: 'a rebuildable search index' } },
      }),
      { changsha: {} },
    );
    expect(out.files()).not.toContain('manifests/changsha/gov/service-backups.yaml');
    expect(out.read('reports/changsha.md')).toContain('none (switched off: a rebuildable search index)');
  });
});

describe('stateful service bad input', () => {
  const at = 'blueprint.services.enrolment';

  it('statefulSet without stateful: true', () => {
    const blueprint: any = minimalBlueprint();
    blueprint.services[0].statefulSet = { podManagement: 'Parallel' };
    expect(blueprintProblems(blueprint)).toEqual([`${at}.statefulSet: applies to a stateful service only; set stateful: true, or remove statefulSet`]);
  });

  it('autoscaling that the spec does not declare safe', () => {
    expect(blueprintProblems(statefulBlueprint(() => undefined, { autoscaling: { minReplicas: 2, maxReplicas: 4 } }))).toEqual([
      `${at}.autoscaling: a stateful service scales with fixed replicas unless its application rebalances data across pods (an HPA adds and removes pods with their volumes); use replicas, or set statefulSet.allowAutoscaling: true if it is safe`,
    ]);
  });

  it('a canary, which would start with empty volumes', () => {
    const problems = blueprintProblems(
      statefulBlueprint((b) => (b.mesh = { version: '1.30.3' }), { traffic: { canary: { weights: { '1.0.0': 90, '1.1.0': 10 } } } }),
    );
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${at}\\.traffic\\.canary: a stateful service's canary would start with empty volumes`)));
  });

  it('a name too long for its headless Service', () => {
    const name = 'a'.repeat(55);
    const problems = blueprintProblems(statefulBlueprint(() => undefined, { name }));
    expect(problems).toContainEqual(
      `blueprint.services.${name}.name: "${name}" is 55 characters; a stateful service's headless Service "${name}-headless" must fit 63, so shorten it to at most 54`,
    );
  });

  it('volumes that hide the scratch or credentials directory, share a path, take a reserved name or have no size', () => {
    const problems = blueprintProblems(
      statefulBlueprint(() => undefined, {
        statefulSet: {
          volumes: [
            { name: 'tmp', mountPath: '/srv', size: '1Gi' },
            { name: 'scratch', mountPath: '/tmp/cache', size: '1Gi' },
            { name: 'twin', mountPath: '/srv/', size: '1Gi' },
            { name: 'empty', mountPath: '/empty', size: '0' },
            { name: 'credentials-db', mountPath: '/var/run/secrets', size: '1Gi' },
          ],
        },
      }),
    );
    const volumes = `${at}.statefulSet.volumes`;
    expect(problems).toEqual([
      `${volumes}.tmp.name: "tmp" is the scratch volume every container has; choose another name`,
      `${volumes}.scratch.mountPath: "/tmp/cache" would hide or share the scratch directory /tmp; mount the volume elsewhere, e.g. "/var/lib/<service>"`,
      `${volumes}.twin.mountPath: "/srv/" is also the mount path of volume "tmp"; give each volume its own path`,
      `${volumes}.empty.size: "0" is not a positive size; give one such as "20Gi"`,
      `${volumes}.credentials-db.name: "credentials-db": names starting with "credentials-" hold middleware credentials; choose another name`,
      `${volumes}.credentials-db.mountPath: "/var/run/secrets" would hide or share /var/run/secrets/govcloud.io, where middleware credentials are mounted; mount the volume elsewhere, e.g. "/var/lib/<service>"`,
    ]);
  });

  it('a size that is not a quantity, a relative mount path and an unknown pod management policy', () => {
    const problems = blueprintProblems(
      statefulBlueprint(() => undefined, {
        statefulSet: { podManagement: 'Sequential' as any, volumes: [{ name: 'data', mountPath: 'data', size: 'ten gigs' }] },
      }),
    );
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${at}\\.statefulSet\\.podManagement: .*"OrderedReady", "Parallel", got "Sequential"`)));
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${at}\\.statefulSet\\.volumes\\.data\\.size: .*"ten gigs"`)));
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${at}\\.statefulSet\\.volumes\\.data\\.mountPath: .*an absolute path`)));
  });

  it('a StorageClass the cluster does not offer', () => {
    const problems = blueprintProblems(
      statefulBlueprint((b) => (b.clusters[0].storageClasses = ['standard', 'csi-ssd']), {
        statefulSet: { volumes: [{ name: 'data', mountPath: '/data', size: '1Gi', storageClass: 'csi-nvme' }] },
      }),
    );
    expect(problems).toEqual([
      `${at}.statefulSet.volumes.data.storageClass: cluster "gov" offers no StorageClass "csi-nvme" (it offers standard, csi-ssd); use one of those, or add it to clusters.gov.storageClasses if the cluster has it`,
    ]);
  });

  it("a cluster's storageClass outside its own storageClasses", () => {
    const problems = blueprintProblems(statefulBlueprint((b) => Object.assign(b.clusters[0], { storageClass: 'csi-hdd', storageClasses: ['csi-ssd'] })));
    expect(problems).toEqual([
      'blueprint.clusters.gov.storageClass: "csi-hdd" is not among the cluster\'s storageClasses (csi-ssd); add it there or pick one of them',
    ]);
  });

  it('backups switched off on a production cluster without a reason, a reason with backups on, backups without volumes', () => {
    const volumes = [{ name: 'data', mountPath: '/data', size: '1Gi' }];
    expect(blueprintProblems(statefulBlueprint(() => undefined, { statefulSet: { volumes, backup: { enabled: false } } }))).toEqual([
      `${at}.statefulSet.backup: switches backups off on production cluster "gov" without a reason; add reason: "..." (shown in the region report) or keep them on`,
    ]);
    expect(blueprintProblems(statefulBlueprint(() => undefined, { statefulSet: { volumes, backup: { reason: 'why not' } } }))).toEqual([
      `${at}.statefulSet.backup.reason: a reason is only needed to switch backups off; remove it`,
    ]);
    expect(blueprintProblems(statefulBlueprint(() => undefined, { statefulSet: { backup: { enabled: true } } }))).toEqual([
      `${at}.statefulSet.backup.enabled: there are no volumes to back up; add volumes or remove backup`,
    ]);
  });

  it('may not burst or stand by on a public cloud, even marked public', () => {
    const blueprint: any = statefulBlueprint(() => undefined, { dataClassification: 'public' });
    blueprint.clusters.push({
      ...blueprint.clusters[0],
      name: 'burst',
      role: 'public',
      cloud: 'test-public-cloud',
      connection: { kubeconfig: { path: '~/.kube/config', context: 'burst' } },
      network: { podCidr: '10.8.0.0/16', serviceCidr: '10.9.0.0/16' },
    });
    blueprint.burst = [{ name: 'surge', from: 'gov', to: 'burst', surgeFactor: 4, services: [{ name: 'enrolment', baselineRps: 100, rpsPerReplica: 50 }] }];
    expect(blueprintProblems(blueprint)).toContainEqual(expect.stringContaining('the service is stateful (stateful: true)'));
  });
});
