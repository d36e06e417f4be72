import * as fs from 'fs';
import * as path from 'path';
import { type ApiObject, JsonPatch } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Fleet } from '../../constructs/core/fleet';
import { type Region, type RegionProps } from '../../constructs/core/region';
import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { planBurst } from '../../constructs/burst/burst-plan';
import { karmadaSection } from '../../constructs/karmada/karmada-report';
import { foldRegion } from '../../constructs/karmada/karmada-fold';
import { overridersFor } from '../../constructs/karmada/override-rules';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { type K8sObject, SynthOutput, problemsOf, synthesize, tempDir } from '../support/fleet-fixtures';
import { continuityBlueprint } from '../support/karmada-fixtures';
import { applyOverrides } from '../support/karmada-overrides';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');
const CLUSTERS = ['gov', 'burst', 'dr'];
const DEPARTMENTS = ['education', 'finance', 'statistics'];
const SCALERS = ['HorizontalPodAutoscaler', 'ScaledObject'];
const KARMADA: RegionProps = { overrides: { karmada: {} } };

/** The blueprint synthesized twice: per-cluster, and with `karmada: {}` in the region; `change` runs on the region in both. */
function bothModes(blueprint: BlueprintSpec, change: (region: Region) => void = () => undefined) {
  const build = (props: RegionProps) => {
    const dir = path.join(tempDir(), 'out');
    const fleet = new Fleet({ blueprint, outdir: dir });
    change(fleet.addRegions({ changsha: props })[0]);
    fleet.synth();
    return new SynthOutput(dir);
  };
  return { perCluster: build({}), karmada: build(KARMADA) };
}

/** The objects of a cluster's department files (the application layer) in per-cluster mode. */
function departmentObjects(out: SynthOutput, cluster: string): K8sObject[] {
  return DEPARTMENTS.map((d) => `manifests/changsha/${cluster}/${d}.yaml`)
    .filter((file) => fs.existsSync(path.join(out.dir, file)))
    .flatMap((file) => parseAllDocuments(out.read(file)).map((d) => d.toJS() as K8sObject));
}

const sameIdentity = (a: K8sObject, b: K8sObject) =>
  a.apiVersion === b.apiVersion && a.kind === b.kind && a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name;
const selects = (policy: K8sObject, object: K8sObject) =>
  policy.metadata.namespace === object.metadata.namespace &&
  policy.spec.resourceSelectors.some((s: any) => s.apiVersion === object.apiVersion && s.kind === object.kind && s.name === object.metadata.name);

/** Where Karmada owns a Deployment's count (a FederatedHPA, or a total it divides), replicas are not compared. */
function comparable(object: K8sObject, folder: K8sObject[]): K8sObject {
  const copy = JSON.parse(JSON.stringify(object));
  const policy = folder.find((p) => p.kind === 'PropagationPolicy' && selects(p, object));
  const scaled = folder.some(
    (o) => o.kind === 'FederatedHPA' && o.metadata.namespace === object.metadata.namespace && o.spec.scaleTargetRef.name === object.metadata.name,
  );
  if (object.kind === 'Deployment' && (scaled || policy?.spec.placement.replicaScheduling.replicaSchedulingType === 'Divided')) delete copy.spec.replicas;
  return copy;
}

/** The property: the template plus a member's override rules is that cluster's own object. Returns how many objects it checked. */
function expectOverridesReproduceEveryCluster(perCluster: SynthOutput, karmada: SynthOutput): number {
  const folder = karmada.manifests('changsha', 'karmada');
  const overridePolicies = folder.filter((o) => o.kind === 'OverridePolicy');
  let checked = 0;
  for (const cluster of CLUSTERS) {
    for (const own of departmentObjects(perCluster, cluster).filter((o) => !SCALERS.includes(o.kind))) {
      const template = folder.find((o) => sameIdentity(o, own));
      if (!template) throw new Error(`no template for ${own.kind}/${own.metadata.name}`);
      const applied = applyOverrides(template, overridePolicies, `changsha-${cluster}`);
      expect({ cluster, object: comparable(applied, folder) }).toEqual({ cluster, object: comparable(own, folder) });
      checked++;
    }
  }
  return checked;
}

describe('Karmada mode: the same blueprint in both modes', () => {
  const { perCluster, karmada } = bothModes(continuityBlueprint());
  const folder = karmada.manifests('changsha', 'karmada');
  const find = (kind: string, name: string, namespace?: string) => {
    const found = folder.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
    if (!found) throw new Error(`no ${kind}/${name} in the karmada folder`);
    return found;
  };
  const placementOf = (deployment: string) => find('PropagationPolicy', `workload-${deployment}`).spec;

  it('writes the application layer once, to manifests/<region>/karmada/, and keeps platform files per cluster', () => {
    expect(karmada.read('manifests/changsha/karmada/kustomization.yaml')).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - education.yaml\n  - finance.yaml\n  - statistics.yaml\n',
    );
    for (const cluster of CLUSTERS) {
      const folder = `manifests/changsha/${cluster}/`;
      const manifests = (out: SynthOutput) => out.files().filter((f) => f.startsWith(folder) && !f.endsWith('/kustomization.yaml'));
      const isDepartmentFile = (f: string) => DEPARTMENTS.some((d) => f === `${folder}${d}.yaml`);
      const platform = manifests(perCluster).filter((f) => !isDepartmentFile(f));
      expect(manifests(perCluster).some(isDepartmentFile)).toBe(true);
      expect(platform).toContain(`${folder}mesh.yaml`);
      // The cluster keeps exactly its platform files, byte for byte, and its kustomization lists them.
      expect(manifests(karmada)).toEqual(platform);
      for (const file of platform) expect(karmada.read(file)).toBe(perCluster.read(file));
      expect(
        parseAllDocuments(karmada.read(`${folder}kustomization.yaml`))[0]
          .toJS()
          .resources.sort(),
      ).toEqual(platform.map((f) => path.basename(f)).sort());
      // The platform layer does not depend on the mode.
      expect(karmada.stack(`changsha-${cluster}`)).toEqual(perCluster.stack(`changsha-${cluster}`));
    }
  });

  it('emits each object once, as the first cluster that has it does, in namespaces Karmada does not propagate', () => {
    for (const department of DEPARTMENTS) {
      expect(find('Namespace', department).metadata.labels).toMatchObject({
        'namespace.karmada.io/skip-auto-propagation': 'true',
        'govcloud.io/department': department,
        'govcloud.io/region': 'changsha',
      });
    }
    const keys = folder.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    const everyCluster = CLUSTERS.flatMap((c) => departmentObjects(perCluster, c)).filter((o) => !SCALERS.includes(o.kind));
    const templates = folder.filter((o) => !['Namespace', 'PropagationPolicy', 'OverridePolicy', 'FederatedHPA', 'CronFederatedHPA'].includes(o.kind));
    expect(templates.length).toBe(new Set(everyCluster.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).size);
    expect(folder.filter((o) => SCALERS.includes(o.kind))).toEqual([]);
    // The red-packet template is gov's Deployment (gov is first), without the count Karmada now owns.
    const gov = perCluster.find('changsha', 'gov', 'Deployment', 'red-packet');
    const { replicas, ...govSpec } = gov.spec;
    expect(replicas).toBeUndefined();
    expect(find('Deployment', 'red-packet')).toEqual({ ...gov, spec: govSpec });
  });

  it('places a plain service on the clusters it runs on: Duplicated, or in equal shares when one FederatedHPA scales it on several', () => {
    expect(placementOf('enrolment')).toEqual({
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'enrolment' }],
      placement: { clusterAffinity: { clusterNames: ['changsha-gov'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } },
    });
    expect(placementOf('stats').placement).toEqual({
      clusterAffinity: { clusterNames: ['changsha-gov', 'changsha-dr'] },
      replicaScheduling: { replicaSchedulingType: 'Duplicated' },
    });
    expect(find('Deployment', 'stats').spec.replicas).toBe(3);
    expect(placementOf('reports').placement).toEqual({
      clusterAffinity: { clusterNames: ['changsha-gov', 'changsha-dr'] },
      replicaScheduling: {
        replicaSchedulingType: 'Divided',
        replicaDivisionPreference: 'Weighted',
        weightPreference: {
          staticWeightList: [
            { targetCluster: { clusterNames: ['changsha-gov'] }, weight: 1 },
            { targetCluster: { clusterNames: ['changsha-dr'] }, weight: 1 },
          ],
        },
      },
    });
  });

  it('fills the gov cloud first and overflows a burst service to the public cloud, with the hot standby as the next group and application failover', () => {
    expect(placementOf('red-packet')).toEqual({
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'red-packet' }],
      placement: {
        clusterAffinities: [
          {
            affinityName: 'primary',
            clusterNames: ['changsha-gov'],
            overflowAffinities: [{ affinityName: 'burst-red-packet-day', clusterNames: ['changsha-burst'] }],
          },
          { affinityName: 'standby-red-packet-dr', clusterNames: ['changsha-dr'] },
        ],
        replicaScheduling: {
          replicaSchedulingType: 'Divided',
          replicaDivisionPreference: 'Weighted',
          weightPreference: { dynamicWeight: 'AvailableReplicas' },
        },
      },
      failover: { application: { decisionConditions: { tolerationSeconds: 30 }, purgeMode: 'Directly' } },
      propagateDeps: true,
    });
  });

  it('keeps an active-active pair in one group with equal weights, failing over with the defaults; a canary track is placed like its service', () => {
    const spec = placementOf('citizen-app');
    expect(spec.placement.clusterAffinities).toEqual([{ affinityName: 'primary', clusterNames: ['changsha-gov', 'changsha-burst'] }]);
    expect(spec.placement.replicaScheduling.weightPreference.staticWeightList.map((w: any) => [w.targetCluster.clusterNames, w.weight])).toEqual([
      [['changsha-gov'], 1],
      [['changsha-burst'], 1],
    ]);
    expect(spec.failover).toEqual({ application: { decisionConditions: { tolerationSeconds: 60 }, purgeMode: 'Gracefully' } });
    const canary = placementOf('citizen-app-v1-1-0');
    expect(canary.resourceSelectors).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'citizen-app-v1-1-0' }]);
    expect({ ...canary, resourceSelectors: [] }).toEqual({ ...spec, resourceSelectors: [] });
  });

  it('propagates every other object, as it is, to exactly the clusters that had it', () => {
    const policies = folder.filter((o) => o.kind === 'PropagationPolicy');
    for (const template of folder.filter(
      (o) => !['Namespace', 'PropagationPolicy', 'OverridePolicy', 'FederatedHPA', 'CronFederatedHPA', 'Deployment'].includes(o.kind),
    )) {
      const selecting = policies.filter((p) => selects(p, template));
      expect(selecting).toHaveLength(1);
      const had = CLUSTERS.filter((c) => departmentObjects(perCluster, c).some((o) => sameIdentity(o, template))).map((c) => `changsha-${c}`);
      expect(selecting[0].spec.placement).toEqual({ clusterAffinity: { clusterNames: had }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } });
      expect(selecting[0].metadata.name).toBe(`duplicated-to-${had.join('-')}`);
    }
    expect(
      find('PropagationPolicy', 'duplicated-to-changsha-gov-changsha-burst-changsha-dr', 'finance').spec.resourceSelectors.map(
        (s: any) => `${s.kind}/${s.name}`,
      ),
    ).toEqual([
      'AuthorizationPolicy/allow-nothing',
      'ServiceAccount/red-packet',
      'Service/red-packet',
      'PodDisruptionBudget/red-packet',
      'AuthorizationPolicy/red-packet',
    ]);
  });

  it("reproduces every cluster's own object from the template and that cluster's OverridePolicy rules", () => {
    expect(expectOverridesReproduceEveryCluster(perCluster, karmada)).toBeGreaterThan(40);
  });

  it('overrides the public cloud registry with an image overrider, the cluster label with a labels overrider and the burst copy tier in plain text', () => {
    const rules = find('OverridePolicy', 'red-packet-deployment').spec.overrideRules;
    expect(rules.map((r: any) => r.targetCluster.clusterNames)).toEqual([['changsha-burst'], ['changsha-dr']]);
    expect(rules[0].overriders).toEqual({
      imageOverrider: [
        { component: 'Registry', operator: 'replace', value: 'swr.public.example', predicate: { path: '/spec/template/spec/containers/0/image' } },
      ],
      labelsOverrider: [{ operator: 'replace', value: { 'govcloud.io/cluster': 'burst' } }],
      plaintext: [
        { operator: 'replace', path: '/spec/template/metadata/labels/govcloud.io~1cluster', value: 'burst' },
        // On the public cloud the copy yields to the cluster's own services.
        { operator: 'replace', path: '/spec/template/spec/priorityClassName', value: 'govcloud-burst-copy' },
      ],
    });
    expect(rules[1].overriders.imageOverrider).toBeUndefined();
    // Objects that are the same everywhere but for their cluster label need only the labels overrider.
    expect(find('OverridePolicy', 'red-packet-service').spec.overrideRules[0].overriders).toEqual({
      labelsOverrider: [{ operator: 'replace', value: { 'govcloud.io/cluster': 'burst' } }],
    });
    expect(folder.some((o) => o.kind === 'OverridePolicy' && o.metadata.name === 'enrolment-deployment')).toBe(false);
  });

  it('replaces the per-cluster HPAs and ScaledObjects of a workload with one FederatedHPA, and its events with a CronFederatedHPA', () => {
    const spec = continuityBlueprint();
    const plan = planBurst(spec, spec.burst![0]).services[0];
    const scalers = CLUSTERS.flatMap((c) => departmentObjects(perCluster, c).filter((o) => SCALERS.includes(o.kind) && o.metadata.name === 'red-packet'));
    expect(scalers.map((o) => `${o.metadata.labels!['govcloud.io/cluster']}: ${o.kind}`)).toEqual([
      'gov: ScaledObject',
      'burst: ScaledObject',
      'dr: HorizontalPodAutoscaler',
    ]);
    const floor = 4 + plan.publicMinReplicas + 1; // gov's floor, the public copy's (0: the event wakes it) and the warm standby's
    expect(plan.publicMinReplicas).toBe(0);
    const gov = scalers[0].spec;
    expect(find('FederatedHPA', 'red-packet').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'red-packet' },
      minReplicas: floor,
      maxReplicas: 20 + plan.publicMaxReplicas + 20,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: gov.advanced.horizontalPodAutoscalerConfig.behavior,
    });
    expect(find('CronFederatedHPA', 'red-packet').spec).toEqual({
      scaleTargetRef: { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: 'red-packet' },
      rules: [
        {
          name: 'event-draw-start',
          schedule: '30 19 10 2 *',
          timeZone: 'Asia/Shanghai',
          targetMinReplicas: plan.govPeakReplicas + plan.publicPeakReplicas + 1,
        },
        { name: 'event-draw-end', schedule: '0 23 10 2 *', timeZone: 'Asia/Shanghai', targetMinReplicas: floor },
      ],
    });
    expect([plan.govPeakReplicas, plan.publicPeakReplicas]).toEqual([20, 4]);
    expect(find('Deployment', 'red-packet').spec.replicas).toBeUndefined();
  });

  it('sums the floors and ceilings of plain and active-active autoscalers, and keeps HPA metrics and behavior', () => {
    const minMax = (name: string) => [find('FederatedHPA', name).spec.minReplicas, find('FederatedHPA', name).spec.maxReplicas];
    expect(minMax('enrolment')).toEqual([2, 6]);
    expect(minMax('citizen-app')).toEqual([4, 16]);
    expect(minMax('reports')).toEqual([2, 8]);
    expect(minMax('citizen-app-v1-1-0')).toEqual([2, 2]); // one canary pod on each cluster
    const hpa = perCluster.find('changsha', 'gov', 'HorizontalPodAutoscaler', 'enrolment').spec;
    expect(find('FederatedHPA', 'enrolment').spec).toMatchObject({ metrics: hpa.metrics, behavior: hpa.behavior });
    expect(folder.some((o) => o.kind === 'CronFederatedHPA' && o.metadata.name !== 'red-packet')).toBe(false);
    expect(folder.some((o) => o.kind === 'FederatedHPA' && o.metadata.name === 'stats')).toBe(false);
  });

  it('validates every object of the karmada folder against the Kubernetes and CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(karmada.dir, 'manifests/changsha/karmada')))).toBe('');
    expect([...new Set(folder.map((o) => o.kind))].sort()).toEqual(
      [
        'AuthorizationPolicy',
        'CronFederatedHPA',
        'Deployment',
        'DestinationRule',
        'FederatedHPA',
        'Namespace',
        'OverridePolicy',
        'PodDisruptionBudget',
        'PropagationPolicy',
        'Service',
        'ServiceAccount',
        'VirtualService',
      ].sort(),
    );
  });

  it('writes the same bytes every time', () => {
    const again = bothModes(continuityBlueprint()).karmada;
    for (const file of karmada.files().filter((f) => f.startsWith('manifests/changsha/karmada/'))) expect(again.read(file)).toBe(karmada.read(file));
  });
});

describe('Karmada mode: per-cluster differences', () => {
  it("replaces an image pinned by digest whole: Karmada's image overrider keeps a tag or a digest, never both", () => {
    const digest = `sha256:${'ab12'.repeat(16)}`;
    const canaryDigest = `sha256:${'cd34'.repeat(16)}`;
    const { perCluster, karmada } = bothModes(
      continuityBlueprint((b) => {
        b.services.find((s: any) => s.name === 'red-packet').digest = digest;
        b.services.find((s: any) => s.name === 'citizen-app').traffic.canary.digests = { '1.1.0': canaryDigest };
      }),
    );
    const folder = karmada.manifests('changsha', 'karmada');
    const rule = folder.find((o) => o.metadata.name === 'red-packet-deployment')!.spec.overrideRules[0];
    expect(rule.targetCluster.clusterNames).toEqual(['changsha-burst']);
    expect(rule.overriders.imageOverrider).toBeUndefined();
    expect(rule.overriders.plaintext).toContainEqual({
      operator: 'replace',
      path: '/spec/template/spec/containers/0/image',
      value: `swr.public.example/finance/red-packet:1.0.0@${digest}`,
    });
    const template = folder.find((o) => o.kind === 'Deployment' && o.metadata.name === 'red-packet')!;
    expect(template.spec.template.spec.containers[0].image).toBe(`registry.test.example/finance/red-packet:1.0.0@${digest}`);
    // The canary's copy on the public cluster keeps its own digest the same way.
    expect(folder.find((o) => o.metadata.name === 'citizen-app-v1-1-0-deployment')!.spec.overrideRules[0].overriders.plaintext).toContainEqual({
      operator: 'replace',
      path: '/spec/template/spec/containers/0/image',
      value: `swr.public.example/finance/citizen-app:1.1.0@${canaryDigest}`,
    });
    // Unpinned images still change registry with an image overrider.
    expect(folder.find((o) => o.metadata.name === 'citizen-app-deployment')!.spec.overrideRules[0].overriders.imageOverrider).toHaveLength(1);
    expect(expectOverridesReproduceEveryCluster(perCluster, karmada)).toBeGreaterThan(40);
  });

  it('replaces the whole image when a mirror has a path of its own (Karmada splits the registry at the first "/")', () => {
    const { perCluster, karmada } = bothModes(continuityBlueprint((b) => (b.clusters[1].registry = 'swr.public.example/hunan')));
    const rule = karmada.manifests('changsha', 'karmada').find((o) => o.metadata.name === 'red-packet-deployment')!.spec.overrideRules[0];
    expect(rule.overriders.imageOverrider).toBeUndefined();
    expect(rule.overriders.plaintext).toContainEqual({
      operator: 'replace',
      path: '/spec/template/spec/containers/0/image',
      value: 'swr.public.example/hunan/finance/red-packet:1.0.0',
    });
    expect(expectOverridesReproduceEveryCluster(perCluster, karmada)).toBeGreaterThan(40);
  });

  it("honours escape-hatch patches on a cluster's own object", () => {
    const patch = (region: Region) => {
      const service = region
        .cluster('burst')
        .department('finance')!
        .services.find((s) => s.spec.name === 'red-packet')!;
      const deployment = service.node.findChild('deployment') as ApiObject;
      region.escapeHatches.patchManifest(
        deployment,
        JsonPatch.add('/spec/template/spec/containers/0/env', [{ name: 'CLOUD', value: 'public' }]),
        'the public cloud SDK needs to know where it runs',
      );
    };
    const { perCluster, karmada } = bothModes(continuityBlueprint(), patch);
    const rule = karmada.manifests('changsha', 'karmada').find((o) => o.metadata.name === 'red-packet-deployment')!.spec.overrideRules[0];
    expect(rule.targetCluster.clusterNames).toEqual(['changsha-burst']);
    expect(rule.overriders.plaintext).toContainEqual({
      operator: 'add',
      path: '/spec/template/spec/containers/0/env',
      value: [{ name: 'CLOUD', value: 'public' }],
    });
    expect(expectOverridesReproduceEveryCluster(perCluster, karmada)).toBeGreaterThan(40);
  });

  it('names member clusters as they joined Karmada (memberNames), else <region>-<cluster>', () => {
    const out = synthesize(continuityBlueprint(), {
      changsha: { overrides: { karmada: { memberNames: { gov: 'hunan-gov-01', burst: 'huawei-cn-south-1' } } } },
    });
    const folder = out.manifests('changsha', 'karmada');
    const policy = folder.find((o) => o.kind === 'PropagationPolicy' && o.metadata.name === 'workload-red-packet')!;
    expect(policy.spec.placement.clusterAffinities.map((t: any) => [t.clusterNames, t.overflowAffinities?.[0].clusterNames])).toEqual([
      [['hunan-gov-01'], ['huawei-cn-south-1']],
      [['changsha-dr'], undefined],
    ]);
    const override = folder.find((o) => o.metadata.name === 'red-packet-deployment')!;
    expect(override.spec.overrideRules.map((r: any) => r.targetCluster.clusterNames)).toEqual([['huawei-cn-south-1'], ['changsha-dr']]);
    expect(folder.some((o) => o.kind === 'PropagationPolicy' && o.metadata.name === 'duplicated-to-hunan-gov-01-huawei-cn-south-1-changsha-dr')).toBe(true);
  });

  it('rejects a member name for a cluster the region does not have, and two clusters under one name', () => {
    expect(problemsOf(() => synthesize(continuityBlueprint(), { changsha: { overrides: { karmada: { memberNames: { gvo: 'hunan-gov-01' } } } } }))).toEqual([
      expect.stringMatching(/^regions\.changsha\.karmada\.memberNames\.gvo: no cluster named "gvo"; did you mean "gov"\?/),
    ]);
    expect(
      problemsOf(() => synthesize(continuityBlueprint(), { changsha: { overrides: { karmada: { memberNames: { gov: 'hunan-01', burst: 'hunan-01' } } } } })),
    ).toEqual([
      'regions.changsha.karmada.memberNames.burst: "hunan-01" is also the member name of cluster "gov"; each cluster joins Karmada under its own name',
    ]);
  });

  it("stops at synth when a member name is another cluster's default name", () => {
    expect(() => synthesize(continuityBlueprint(), { changsha: { overrides: { karmada: { memberNames: { burst: 'changsha-gov' } } } } })).toThrow(
      'clusters "gov" and "burst" would both be Karmada member "changsha-gov"; give each its own name in karmada.memberNames',
    );
  });
});

describe('the Karmada report section', () => {
  const region = (props: RegionProps) =>
    new Fleet({ blueprint: continuityBlueprint(), outdir: path.join(tempDir(), 'out') }).addRegions({ changsha: props })[0];

  it('lists each service workload with its members, scheduling and scaling', () => {
    const changsha = region(KARMADA);
    const text = karmadaSection(changsha, foldRegion(changsha));
    expect(text).toContain('`manifests/changsha/karmada/`');
    expect(text).toContain('| burst | changsha-burst |');
    expect(text).toContain(
      '| red-packet | finance/red-packet | changsha-gov, changsha-burst, changsha-dr | Divided by available replicas; groups in order: primary (changsha-gov), overflow burst-red-packet-day (changsha-burst); then standby-red-packet-dr (changsha-dr); failover after 30s, purge Directly | FederatedHPA 5-44; CronFederatedHPA event-draw-start (`30 19 10 2 *` Asia/Shanghai): min 25, event-draw-end (`0 23 10 2 *` Asia/Shanghai): min 5 |',
    );
    expect(text).toContain('| stats | statistics/stats | changsha-gov, changsha-dr | Duplicated | 3 replicas on each member |');
    expect(text).toContain('| reports | statistics/reports | changsha-gov, changsha-dr | Divided, equal weights | FederatedHPA 2-8 |');
  });

  it('says when the region has no Karmada control plane', () => {
    expect(karmadaSection(region({}), undefined)).toBe('No Karmada control plane: one manifest folder per cluster.\n');
  });
});

/** An OverridePolicy for Deployment ns/app on member `m` with these overriders. */
function appOverridePolicy(overriders: unknown): K8sObject {
  return {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'OverridePolicy',
    metadata: { name: 'app', namespace: 'ns' },
    spec: {
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' }],
      overrideRules: [{ targetCluster: { clusterNames: ['m'] }, overriders }],
    },
  };
}

describe('override rules from a JSON diff', () => {
  const base: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'ns', labels: { 'govcloud.io/cluster': 'gov', 'only-on-gov': 'yes' } },
    spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.gov.example/apps/app:1.0', args: ['--a'] }] } } },
  };
  const copy: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'ns', labels: { 'govcloud.io/cluster': 'burst', 'team/on-call': 'night' } },
    spec: { paused: false, template: { spec: { containers: [{ name: 'app', image: 'swr.example/apps/app:1.0', args: ['--a', '--b'] }] } } },
  };

  it('splits the differences into image, labels and plaintext overriders that reproduce the copy', () => {
    const overriders = overridersFor(base, copy)!;
    expect(overriders).toEqual({
      imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'swr.example', predicate: { path: '/spec/template/spec/containers/0/image' } }],
      labelsOverrider: [
        { operator: 'add', value: { 'team/on-call': 'night' } },
        { operator: 'replace', value: { 'govcloud.io/cluster': 'burst' } },
        { operator: 'remove', value: { 'only-on-gov': '' } },
      ],
      plaintext: [
        { operator: 'add', path: '/spec/paused', value: false },
        { operator: 'replace', path: '/spec/template/spec/containers/0/args', value: ['--a', '--b'] },
      ],
    });
    expect(applyOverrides(base, [appOverridePolicy(overriders)], 'm')).toEqual(copy);
    expect(overridersFor(base, JSON.parse(JSON.stringify(base)))).toBeUndefined();
  });

  it('replaces an image with a tag and a digest in plain text, which Karmada applies as is', () => {
    const pinned = (image: string): K8sObject => ({ ...base, spec: { template: { spec: { containers: [{ name: 'app', image }] } } } });
    const digest = `sha256:${'0'.repeat(64)}`;
    const from = pinned(`registry.gov.example/apps/app:1.0@${digest}`);
    const to = pinned(`swr.example/apps/app:1.0@${digest}`);
    const overriders = overridersFor(from, to)!;
    expect(overriders).toEqual({
      plaintext: [{ operator: 'replace', path: '/spec/template/spec/containers/0/image', value: to.spec.template.spec.containers[0].image }],
    });
    expect(applyOverrides(from, [appOverridePolicy(overriders)], 'm')).toEqual(to);
    // What an image overrider would have made of it: the tag kept, the digest lost.
    const registry = {
      imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'swr.example', predicate: { path: '/spec/template/spec/containers/0/image' } }],
    };
    expect(applyOverrides(from, [appOverridePolicy(registry)], 'm').spec.template.spec.containers[0].image).toBe('swr.example/apps/app:1.0');
  });
});
