import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import type { BlueprintSpec } from '../../constructs/blueprint-spec';
import type { ServiceSpec } from '../../constructs/workload/service-spec';
import { SYNC_WAVE_ANNOTATION, syncWave } from '../../constructs/gitops/gitops-plan';
import { ARGO_CD } from '../../constructs/gitops/argo-cd-catalogue';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import {
  type K8sObject,
  type SynthOutput,
  minimalBlueprint,
  problemsOf,
  publicBurstCluster,
  synthesize,
  observabilityWithHubIn,
} from '../support/fleet-fixtures';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');

const GITOPS: NonNullable<BlueprintSpec['gitops']> = { repository: 'https://git.gov.example/platform/manifests.git', revision: 'main' };

const OBSERVABILITY = observabilityWithHubIn('city');

/**
 * The minimal blueprint on a gov and a public cluster, meshed and observed; enrolment runs on both
 * with a progressive canary, and a second service, on gov only, has a static canary.
 */
function gitopsBlueprint(gitops: BlueprintSpec['gitops'] = GITOPS): BlueprintSpec {
  const bp = minimalBlueprint();
  const enrolment: ServiceSpec = {
    ...bp.services[0],
    dataClassification: 'internal',
    autoscaling: { minReplicas: 2, maxReplicas: 4 },
    traffic: { canary: { progressive: { steps: [{ weight: 20, pause: '5m' }], analysis: { successRate: 99.5 } } } },
  };
  const grades: ServiceSpec = {
    ...bp.services[0],
    name: 'grades',
    version: '2.0.0',
    clusters: ['gov'],
    traffic: { canary: { weights: { '2.0.0': 90, '2.1.0': 10 } } },
  };
  return {
    ...bp,
    clusters: [...bp.clusters, publicBurstCluster()],
    mesh: { version: '1.30.3' },
    observability: OBSERVABILITY,
    departments: bp.departments.map((d) => ({
      ...d,
      clusters: ['gov', 'burst'],
      quota: { cpu: '16', memory: '32Gi' },
      alertReceivers: [{ name: 'edu', webhook: { url: 'https://edu.example/hook' } }],
    })),
    services: [enrolment, grades],
    ...(gitops ? { gitops } : {}),
  };
}

const yamlDocuments = (out: SynthOutput, file: string): K8sObject[] => parseAllDocuments(out.read(file)).map((d) => d.toJS() as K8sObject);
const applications = (out: SynthOutput, region = 'city', cluster = 'gov') => yamlDocuments(out, `manifests/${region}/${cluster}/gitops.yaml`);
const application = (out: SynthOutput, name: string) => applications(out).find((a) => a.metadata.name === name)!;

/** The value a JSON pointer names in an object, or undefined. */
function resolvePointer(object: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<any>((at, key) => (at === undefined ? undefined : at[key.replace(/~1/g, '/').replace(/~0/g, '~')]), object);
}

describe('GitOps with Argo CD', () => {
  const out = synthesize(gitopsBlueprint(), { city: {} });

  it("writes one Application per cluster folder into the management cluster's gitops.yaml, from the spec's repository and revision", () => {
    const apps = applications(out);
    expect(apps.map((a) => [a.kind, a.apiVersion, a.metadata.name, a.metadata.namespace])).toEqual([
      ['Application', 'argoproj.io/v1alpha1', 'city-gov', 'argocd'],
      ['Application', 'argoproj.io/v1alpha1', 'city-burst', 'argocd'],
    ]);
    for (const [app, folder] of [
      [apps[0], 'gov'],
      [apps[1], 'burst'],
    ] as const) {
      expect(app.spec.source).toEqual({ repoURL: GITOPS.repository, targetRevision: 'main', path: `manifests/city/${folder}` });
      expect(app.spec.project).toBe('default');
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      // Namespaces come from the platform layer: Argo CD never creates one.
      expect(app.spec.syncPolicy.syncOptions).toContain('CreateNamespace=false');
    }
    // The management cluster is Argo CD's own; every other one is registered under <region>-<cluster>.
    expect(apps.map((a) => a.spec.destination)).toEqual([{ name: 'in-cluster' }, { name: 'city-burst' }]);
    expect(fs.existsSync(path.join(out.dir, 'manifests/city/burst/gitops.yaml'))).toBe(false);
  });

  it('keeps gitops.yaml out of the kustomization the Application syncs, so the Application never syncs itself', () => {
    const kustomization = parseYaml(out.read('manifests/city/gov/kustomization.yaml'));
    expect(kustomization.resources).not.toContain('gitops.yaml');
    expect(kustomization.resources).toContain('education.yaml');
  });

  it('validates the Applications, and every annotated manifest, against the Kubernetes and CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(out.dir, 'manifests')))).toBe('');
  });

  it('gives every synced object a sync wave: policies, then configuration and platform objects, then workloads, then what acts on them', () => {
    const objects = [...out.manifests('city', 'gov'), ...out.manifests('city', 'burst')].filter((o) => o.kind !== 'Application');
    const wave = (kind: string) => [...new Set(objects.filter((o) => o.kind === kind).map((o) => o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]))];
    for (const o of objects) expect(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]).toBe(String(syncWave(o.kind)));
    expect(wave('ValidatingAdmissionPolicy')).toEqual(['-2']);
    expect(wave('ServiceAccount')).toEqual(['-1']);
    expect(wave('Service')).toEqual(['-1']);
    expect(wave('DestinationRule')).toEqual(['-1']);
    expect(wave('AnalysisTemplate')).toEqual(['-1']);
    expect(wave('ServiceMonitor')).toEqual(['-1']);
    expect(wave('Rollout')).toEqual(['0']);
    expect(wave('Deployment')).toEqual(['0']);
    expect(wave('HorizontalPodAutoscaler')).toEqual(['1']);
    expect(wave('PodDisruptionBudget')).toEqual(['1']);
    expect(Number(wave('ValidatingAdmissionPolicy')[0])).toBeLessThan(Number(wave('ConfigMap')[0] ?? wave('Service')[0]));
  });

  it("leaves the route weights and subset labels of each Rollout's VirtualService and DestinationRule to Argo Rollouts, on clusters running one", () => {
    for (const [cluster, name] of [
      ['gov', 'city-gov'],
      ['burst', 'city-burst'],
    ] as const) {
      const app = application(out, name);
      const virtualService = out.find('city', cluster, 'VirtualService', 'enrolment');
      const destinationRule = out.find('city', cluster, 'DestinationRule', 'enrolment');
      expect(app.spec.ignoreDifferences).toEqual([
        {
          group: 'networking.istio.io',
          kind: 'VirtualService',
          name: 'enrolment',
          namespace: 'education',
          jsonPointers: ['/spec/http/0/route/0/weight', '/spec/http/0/route/1/weight'],
        },
        {
          group: 'networking.istio.io',
          kind: 'DestinationRule',
          name: 'enrolment',
          namespace: 'education',
          jsonPointers: ['/spec/subsets/0/labels/rollouts-pod-template-hash', '/spec/subsets/1/labels/rollouts-pod-template-hash'],
        },
      ]);
      // Each pointer names one of the weights the Rollout moves (100 and 0 at rest).
      expect(app.spec.ignoreDifferences[0].jsonPointers.map((p: string) => resolvePointer(virtualService, p))).toEqual([100, 0]);
      // ...and each subset pointer lies in a subset the Rollout names (the label is the controller's to add).
      expect(app.spec.ignoreDifferences[1].jsonPointers.map((p: string) => resolvePointer(destinationRule, p.replace(/\/labels\/.*$/, '/name')))).toEqual([
        'stable',
        'canary',
      ]);
      // Without this, a sync of any other change would write the weights back.
      expect(app.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    }
    // A static canary's weights are the spec's: nothing of grades is ignored.
    expect(JSON.stringify(application(out, 'city-gov').spec.ignoreDifferences)).not.toContain('grades');
  });

  it('ignores nothing, and respects nothing, where no Rollout runs', () => {
    const plain = synthesize({ ...gitopsBlueprint(), services: [{ ...minimalBlueprint().services[0], clusters: ['gov'] }] }, { city: {} });
    const app = application(plain, 'city-gov');
    expect(app.spec.ignoreDifferences).toBeUndefined();
    expect(app.spec.syncOptions).toBeUndefined();
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=false']);
  });

  it('writes a GitOps section in the region report: what syncs where, from which revision, and the deploy order', () => {
    const report = out.read('reports/city.md');
    const gitops = report.slice(report.indexOf('## GitOps'), report.indexOf('\n## ', report.indexOf('## GitOps') + 1));
    expect(gitops).toContain(`\`${GITOPS.repository}\` at \`main\``);
    expect(gitops).toContain('| city-gov | manifests/city/gov | in-cluster | route weights and subset hashes of education/enrolment |');
    expect(gitops).toContain('| city-burst | manifests/city/burst | city-burst | route weights and subset hashes of education/enrolment |');
    expect(gitops).toContain("npx cdktf deploy 'city-*'");
    expect(gitops).toContain('argocd cluster add burst --name city-burst');
    expect(gitops).toContain('kubectl apply -f out/manifests/city/gov/gitops.yaml');
    expect(gitops.indexOf('cdktf deploy')).toBeLessThan(gitops.indexOf('kubectl apply -f'));
  });

  it('takes the management cluster, namespace, project and repository folder from the spec, region by region', () => {
    const bp = gitopsBlueprint({ ...GITOPS, path: 'platform/manifests', argocd: { namespace: 'gitops-system', project: 'citizen-services' } });
    const gov2 = { ...bp.clusters[0], name: 'gov2', network: { podCidr: '10.2.0.0/16', serviceCidr: '10.3.0.0/16' } };
    const moved = synthesize(
      { ...bp, clusters: [...bp.clusters, gov2] },
      { city: { overrides: { gitops: { revision: 'release-2026', argocd: { cluster: 'gov2' } } } }, town: { overrides: { gitops: null } } },
    );
    const apps = applications(moved, 'city', 'gov2');
    expect(
      apps.map((a) => [a.metadata.name, a.metadata.namespace, a.spec.project, a.spec.source.path, a.spec.source.targetRevision, a.spec.destination.name]),
    ).toEqual([
      ['city-gov', 'gitops-system', 'citizen-services', 'platform/manifests/city/gov', 'release-2026', 'city-gov'],
      ['city-burst', 'gitops-system', 'citizen-services', 'platform/manifests/city/burst', 'release-2026', 'city-burst'],
      ['city-gov2', 'gitops-system', 'citizen-services', 'platform/manifests/city/gov2', 'release-2026', 'in-cluster'],
    ]);
    expect(fs.existsSync(path.join(moved.dir, 'manifests/city/gov/gitops.yaml'))).toBe(false);
    // A region that removes gitops writes what it wrote before: no Applications, no waves, no section.
    expect(fs.readdirSync(path.join(moved.dir, 'manifests/town/gov'))).not.toContain('gitops.yaml');
    expect(moved.manifests('town', 'gov').some((o) => o.metadata.annotations?.[SYNC_WAVE_ANNOTATION] !== undefined)).toBe(false);
    expect(moved.read('reports/town.md')).not.toContain('## GitOps');
  });

  it('writes nothing of GitOps without a gitops section', () => {
    const none = synthesize(gitopsBlueprint(null as unknown as undefined), { city: {} });
    expect(none.files().filter((f) => f.includes('gitops'))).toEqual([]);
    expect(none.files().join('\n')).not.toContain('gitops.yaml');
    for (const cluster of ['gov', 'burst']) {
      expect(none.manifests('city', cluster).filter((o) => o.metadata.annotations?.[SYNC_WAVE_ANNOTATION] !== undefined)).toEqual([]);
    }
    expect(none.read('reports/city.md')).not.toContain('## GitOps');
    expect(Object.keys(none.resources('city-gov', 'helm_release')).filter((k) => k.includes('argo-cd'))).toEqual([]);
    // GitOps only adds: the same files but gitops.yaml, the same objects but their waves, the same stacks.
    const withoutWave = (file: string) =>
      yamlDocuments(out, file).map((o) => {
        const { [SYNC_WAVE_ANNOTATION]: wave, ...annotations } = o.metadata.annotations ?? {};
        expect(wave).toBeDefined();
        return { ...o, metadata: { ...o.metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : { annotations: undefined }) } };
      });
    const strip = (o: K8sObject) => JSON.parse(JSON.stringify(o)) as K8sObject;
    expect(out.files().filter((f) => !f.endsWith('/gitops.yaml') && f !== 'reports/city.md')).toEqual(none.files().filter((f) => f !== 'reports/city.md'));
    for (const file of none.files()) {
      if (file.startsWith('terraform/') || file.endsWith('kustomization.yaml')) expect(out.read(file)).toBe(none.read(file));
      else if (file.startsWith('manifests/')) expect(withoutWave(file).map(strip)).toEqual(yamlDocuments(none, file).map(strip));
    }
  });

  it('installs Argo CD from the mirror on the management cluster only when asked', () => {
    const installed = synthesize(gitopsBlueprint({ ...GITOPS, argocd: { install: true, namespace: 'gitops-system' } }), { city: {} });
    const release = installed.resources('city-gov', 'helm_release')['city-gov/argo-cd/release'];
    expect([release.chart, release.version, release.repository]).toEqual([ARGO_CD.chart, '10.1.1', 'oci://registry.test.example/charts']);
    const values = parseYaml(release.values[0]);
    expect(values.global.image).toEqual({ repository: 'registry.test.example/argoproj/argocd', tag: 'v3.4.4', imagePullPolicy: 'IfNotPresent' });
    expect(values.redis.image.repository).toBe('registry.test.example/library/redis');
    expect(values.dex.enabled).toBe(false);
    for (const component of ['controller', 'repoServer', 'server', 'applicationSet', 'redis']) expect(values[component].resources.limits.memory).toBeDefined();
    const namespace = Object.values(installed.resources('city-gov', 'kubernetes_namespace_v1')).find((n: any) => n.metadata.name === 'gitops-system');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(Object.keys(installed.resources('city-burst', 'helm_release')).filter((k) => k.includes('argo-cd'))).toEqual([]);
    expect(Object.keys(out.resources('city-gov', 'helm_release')).filter((k) => k.includes('argo-cd'))).toEqual([]);
  });
});

describe('GitOps in Karmada mode', () => {
  it('syncs the Karmada folder to the Karmada API server, policies first', () => {
    const bp = minimalBlueprint();
    const out = synthesize({ ...bp, clusters: [...bp.clusters, publicBurstCluster()], gitops: GITOPS }, { city: { overrides: { karmada: {} } } });
    const apps = applications(out);
    expect(apps.map((a) => [a.metadata.name, a.spec.source.path, a.spec.destination.name])).toEqual([
      ['city-gov', 'manifests/city/gov', 'in-cluster'],
      ['city-burst', 'manifests/city/burst', 'city-burst'],
      ['city-karmada', 'manifests/city/karmada', 'city-karmada'],
    ]);
    const karmada = out.manifests('city', 'karmada');
    // A namespaced policy needs its namespace on the Karmada API server first.
    const policy = karmada.find((o) => o.kind === 'PropagationPolicy')!;
    expect(karmada.find((o) => o.kind === 'Namespace' && o.metadata.name === policy.metadata.namespace)!.metadata.annotations![SYNC_WAVE_ANNOTATION]).toBe(
      '-3',
    );
    expect(karmada.find((o) => o.kind === 'PropagationPolicy')!.metadata.annotations![SYNC_WAVE_ANNOTATION]).toBe('-2');
    expect(karmada.find((o) => o.kind === 'Deployment')!.metadata.annotations![SYNC_WAVE_ANNOTATION]).toBe('0');
  });
});

describe('GitOps spec validation', () => {
  const problems = (gitops: unknown, change: (bp: BlueprintSpec) => BlueprintSpec = (bp) => bp) =>
    problemsOf(() => synthesize(change({ ...minimalBlueprint(), gitops: gitops as BlueprintSpec['gitops'] }), { city: {} })).join('\n');

  it.each([
    ['https://user:s3cret@git.gov.example/m.git', /blueprint\.gitops\.repository: .*credentials do not belong in the URL.*argocd repo add/],
    ['http://git.gov.example/m.git', /blueprint\.gitops\.repository: .*plain http .* use https or ssh/],
    ['git.gov.example/m.git', /blueprint\.gitops\.repository: must be an https or ssh Git URL without credentials.*got "git\.gov\.example\/m\.git"/],
  ])('rejects the repository %s', (repository, message) => {
    expect(problems({ repository, revision: 'main' })).toMatch(message);
  });

  it.each([
    'https://git.gov.example/platform/manifests.git',
    'git@git.gov.example:platform/manifests.git',
    'ssh://git@git.gov.example:2222/platform/manifests.git',
  ])('accepts the repository %s', (repository) => {
    expect(() => synthesize({ ...minimalBlueprint(), gitops: { repository, revision: 'v1.2.0' } }, { city: {} })).not.toThrow();
  });

  it.each([
    ['release..2', /blueprint\.gitops\.revision: "release\.\.2" is not a Git reference: it holds "\.\."; use a branch, tag or commit/],
    ['-main', /blueprint\.gitops\.revision: .*starts with "-"/],
    ['main.lock', /blueprint\.gitops\.revision: .*ends with "\.lock"/],
    ['main branch', /blueprint\.gitops\.revision: must be a branch, tag or commit .*got "main branch"/],
  ])('rejects the revision %s', (revision, message) => {
    expect(problems({ repository: GITOPS.repository, revision })).toMatch(message);
  });

  it('rejects a repository folder that leaves the repository', () => {
    expect(problems({ ...GITOPS, path: 'manifests/../..' })).toMatch(/blueprint\.gitops\.path: "manifests\/\.\.\/\.\." leaves or repeats its folder/);
    expect(problems({ ...GITOPS, path: '/manifests' })).toMatch(/blueprint\.gitops\.path: must be a folder relative to the repository root/);
  });

  it('rejects an engine it does not write', () => {
    expect(problems({ ...GITOPS, engine: 'flux' })).toMatch(/blueprint\.gitops\.engine: .*"flux"/);
  });

  it('rejects a management cluster that does not exist, or is not in the government cloud', () => {
    expect(problems({ ...GITOPS, argocd: { cluster: 'gvo' } })).toMatch(/blueprint\.gitops\.argocd\.cluster: no cluster named "gvo"; did you mean "gov"\?/);
    expect(problems({ ...GITOPS, argocd: { cluster: 'burst' } }, (bp) => ({ ...bp, clusters: [...bp.clusters, publicBurstCluster()] }))).toMatch(
      /blueprint\.gitops\.argocd\.cluster: "burst" is a public cluster; Argo CD holds the credentials of every cluster .* name a gov cluster \(gov\)/,
    );
  });

  it("rejects a department whose manifest file would be the Applications' file", () => {
    expect(
      problems(GITOPS, (bp) => ({ ...bp, departments: [{ ...bp.departments[0], name: 'gitops' }], services: [{ ...bp.services[0], department: 'gitops' }] })),
    ).toMatch(/blueprint\.departments\.gitops: a department named "gitops" would share its manifest file with the Argo CD Applications/);
  });

  it('names the region when a region breaks it', () => {
    const message = problemsOf(() => synthesize({ ...minimalBlueprint(), gitops: GITOPS }, { city: { overrides: { gitops: { revision: 'a..b' } } } })).join(
      '\n',
    );
    expect(message).toMatch(/regions\.city\.gitops\.revision: "a\.\.b" is not a Git reference/);
  });
});
