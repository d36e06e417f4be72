import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { type TestApiServer, startTestApiServer } from './api-server';
import { type LoopbackChartRepository, serveChartRepository } from './chart-repository';
import { type KubeObject, Kubectl, objectKey, warnings } from './kubectl';
import { compareAppliedFields, namespacesOf, readKustomization } from './manifests';
import { CommandFailed } from './run';
import type { Region } from '../../../index';
import { type RegionCluster, SHARED_CRDS, removeDirectory, synthesizeRegionAgainst, temporaryDirectory } from './synth';
import { Terraform, dummyVariables } from './terraform';
import { type Toolchain, loadToolchain } from './toolchain';
import { log } from './log';
import { dependentSteps } from './steps';
import { controllerPodSpec } from './pods';
import { ApiClient } from './api-client';

export interface DeploymentCase {
  /** Names the describe block, e.g. "default blueprint". */
  readonly title: string;
  readonly target: RegionCluster;
  /**
   * The cluster's manifest folder as the region's own synth (the CLI) wrote it: what is deployed
   * must be those very bytes.
   */
  readonly referenceManifests: string;
}

/**
 * Namespaces the manifests use that another install owns on a real cluster, created empty before
 * the manifests are applied. Every other namespace must come from the stack.
 */
const INSTALLED_ELSEWHERE: Readonly<Record<string, string>> = {
  velero: 'Velero (the middleware backups need it, README "Backups")',
};

/** Kinds whose pods come from `spec.template`, and CronJob's from `spec.jobTemplate.spec.template`. */
const POD_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

/** The steps of a deployment, in order; a step names the earlier ones it needs. */
const STEP = {
  apply: 'terraform apply creates the tenancy resources (kubernetes_*) and installs every Helm release from the loopback chart repository',
  plan: 'terraform plan after apply shows no changes (no perpetual diff)',
  manifests: 'kubectl apply --server-side admits every manifest, without warnings',
  chartPods: "every pod template of the Helm releases' workloads is admitted as a Pod in its namespace",
  pods: 'every pod template is admitted as a Pod (Pod Security, LimitRange, ResourceQuota, ServiceAccount)',
  readBack: 'the objects read back hold every applied field unchanged',
  reapply: 'applying the same manifests again changes nothing',
} as const;

/**
 * What the suite changes on every helm_release, through the region's escape hatches: nothing runs
 * pods here (no kubelet, no controllers), so nothing ever becomes ready and no hook Job completes.
 * The product waits, runs hooks and rolls back (`RELEASE_SAFETY`); the suite only installs.
 */
const INSTALL_WITHOUT_KUBELET: Readonly<Record<string, unknown>> = {
  wait: false,
  wait_for_jobs: false,
  // helm --no-hooks: hook Jobs never complete without a kubelet.
  disable_webhooks: true,
  // With nothing ever ready, a rollback would only hide what failed.
  atomic: false,
};
const NO_KUBELET_REASON =
  'e2e: the test API server runs no kubelet, so no pod starts: Helm must not wait for readiness or run hook Jobs, and must not roll back';

/**
 * The platform layer and the application layer of one region's cluster against a real API server:
 * `terraform apply` of the kubernetes_* resources, `terraform plan` with no changes after it,
 * `kubectl apply --server-side` of the cluster's manifest folder, the objects read back, and a
 * second apply that changes nothing.
 */
export function describeDeployment(deployment: DeploymentCase): void {
  const { region, cluster } = deployment.target;
  describe(`${deployment.title}: ${region}/${cluster}`, () => {
    let toolchain: Toolchain;
    let work: string;
    let server: TestApiServer | undefined;
    let kubectl: Kubectl;
    let api: ApiClient;
    let terraform: Terraform;
    let stackDir: string;
    let manifestDir: string;
    let variables: Record<string, string>;
    let charts: LoopbackChartRepository | undefined;
    let helmReleases: string[] = [];
    let applySeconds = 0;
    let replan = 'not run';
    const step = dependentSteps();

    beforeAll(async () => {
      const started = Date.now();
      toolchain = loadToolchain();
      work = temporaryDirectory('deploy');
      // Helm's repository cache and config of the helm provider, away from the user's own.
      terraform = new Terraform(toolchain, {
        HELM_CACHE_HOME: path.join(work, 'helm', 'cache'),
        HELM_CONFIG_HOME: path.join(work, 'helm', 'config'),
        HELM_DATA_HOME: path.join(work, 'helm', 'data'),
      });
      charts = await serveChartRepository();
      const repository = charts;
      const kubeconfig = { path: path.join(work, 'kubeconfig'), context: 'e2e' };
      const outdir = path.join(work, 'out');
      synthesizeRegionAgainst(
        {
          ...deployment.target,
          kubeconfig,
          stateDirectory: path.join(work, 'terraform-state'),
          chartRepository: repository.url,
          customize: (built) => installWithoutKubelet(built, cluster, repository.caFile),
        },
        outdir,
      );
      stackDir = path.join(outdir, 'terraform', 'stacks', `${region}-${cluster}`);
      manifestDir = path.join(outdir, 'manifests', region, cluster);
      const synthesized = Date.now();

      server = await startTestApiServer(toolchain, kubeconfig.path);
      kubectl = new Kubectl(server.kubeconfig, server.context);
      api = new ApiClient(server.kubeconfig, server.context);
      log(
        `${region}/${cluster}: API server ${server.url}, chart repository ${repository.url} (../shared/charts); synth ${seconds(started, synthesized)}, API server start ${seconds(synthesized)}`,
      );
    });

    it("deploys the manifests exactly as the region's own synth writes them", () => {
      expect(folderContents(manifestDir)).toEqual(folderContents(deployment.referenceManifests));
    });

    afterAll(async () => {
      await server?.stop();
      await charts?.stop();
      if (work) removeDirectory(work);
    });

    step(STEP.apply, [], async () => {
      const stack = Terraform.readStack(stackDir);
      helmReleases = Object.keys(stack.resource?.helm_release ?? {});
      variables = dummyVariables(stack);
      const initStarted = Date.now();
      await terraform.init(stackDir, { backend: true });
      const started = Date.now();
      await terraform.apply(stackDir, [], variables);
      applySeconds = (Date.now() - started) / 1000;
      log(
        `${path.basename(stackDir)}: terraform init ${seconds(initStarted, started)}; terraform apply: ${Object.values(stack.resource ?? {}).reduce((n, r) => n + Object.keys(r).length, 0)} resources (${helmReleases.length} helm releases) in ${applySeconds.toFixed(0)} s`,
      );
      const crdsStarted = Date.now();
      // The charts install their own CRDs; the manifests may use others that another install
      // owns on a real cluster (Karmada's, Argo's on a cluster without Argo): those come from
      // ../shared/crds, leaving each chart's CRD as the chart made it. Only the kinds the
      // manifests use: each CRD costs the API server seconds of work (its OpenAPI and discovery
      // rebuilt), and one that nothing uses proves nothing.
      const installed = new Set((await api.listMetadata('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).map((crd) => crd.metadata.name));
      const used = new Set(readKustomization(manifestDir).map(groupKind));
      const notInstalled = sharedCrds().filter((crd) => !installed.has(crd.metadata.name));
      const missing = notInstalled.filter((crd) => used.has(crdGroupKind(crd)));
      if (missing.length > 0) {
        await kubectl.ok(['apply', '--server-side', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: missing }));
        await kubectl.ok(['wait', '--for=condition=Established', '--timeout=120s', ...missing.map((crd) => `crd/${crd.metadata.name}`)]);
      }
      log(
        `${path.basename(stackDir)}: ${installed.size} CRDs from the charts; from ${SHARED_CRDS}, ${missing.length} the manifests use (${missing.map((crd) => crd.metadata.name).join(', ') || 'none'}), ${notInstalled.length - missing.length} left out (no manifest uses their kinds) (${seconds(crdsStarted)})`,
      );
      const webhooksStarted = Date.now();
      // A webhook's server is a pod, which never starts here: the API server would refuse (or, with
      // failurePolicy Ignore, wait out) every request the webhook judges, sidecar injection first.
      const webhooks = (await helmObjects(kubectl, WEBHOOK_KINDS)).map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`);
      if (webhooks.length > 0) {
        await kubectl.ok(['delete', ...webhooks]);
        log(
          `${path.basename(stackDir)}: removed the releases' admission webhooks, whose servers never start here: ${webhooks.join(', ')} (${seconds(webhooksStarted)})`,
        );
      }
    });

    step(STEP.plan, [STEP.apply], async () => {
      const plan = await terraform.plan(stackDir, [], variables);
      replan = plan.code === 0 ? 'no changes' : 'failed';
      if (plan.code === 2) throw new Error(`terraform plan wants to change what it just applied:\n${planChanges(plan.stdout)}`);
      if (plan.code !== 0) throw new CommandFailed(plan, stackDir);
    });

    step(STEP.manifests, [STEP.apply], async () => {
      const objects = readKustomization(manifestDir);
      if (objects.length === 0) {
        log(`${region}/${cluster}: no manifests`);
        return;
      }
      for (const [namespace, owner] of Object.entries(INSTALLED_ELSEWHERE)) {
        if (!namespacesOf(objects).includes(namespace)) continue;
        if ((await kubectl.run(['get', 'namespace', namespace])).code === 0) continue; // the stack made it
        log(`creating namespace ${namespace}, which ${owner} owns on a real cluster`);
        await kubectl.ok(['create', 'namespace', namespace]);
      }
      const result = await kubectl.applyServerSide({ kustomization: manifestDir });
      if (result.code !== 0) throw new CommandFailed(result);
      expect(warnings(result)).toEqual([]);
    });

    // After the manifests, so the rule pack's admission policies judge the charts' pods too.
    step(STEP.chartPods, [STEP.apply, STEP.manifests], async () => {
      const started = Date.now();
      const workloads = await helmObjects(kubectl, POD_TEMPLATE_KINDS);
      const listed = Date.now();
      // A pod without serviceAccountName runs as `default`, which the serviceaccount controller
      // makes in every namespace of a real cluster; that controller does not run here.
      const withDefault = new Set(
        (await api.listMetadata('/api/v1/serviceaccounts?fieldSelector=metadata.name%3Ddefault')).map((account) => account.metadata.namespace),
      );
      const without = [...new Set(workloads.map((w) => w.metadata.namespace!))].filter((namespace) => !withDefault.has(namespace)).sort();
      if (without.length > 0) {
        await Promise.all(
          without.map((namespace) =>
            api.create(`/api/v1/namespaces/${namespace}/serviceaccounts`, {
              apiVersion: 'v1',
              kind: 'ServiceAccount',
              metadata: { name: 'default', namespace },
            }),
          ),
        );
        log(
          `${path.basename(stackDir)}: created ServiceAccount default in ${without.join(', ')}, which the serviceaccount controller makes in every namespace of a real cluster`,
        );
      }
      const rejected: string[] = [];
      const expected: string[] = [];
      const accountsMade = Date.now();
      const admissions = await api.dryRunCreatePods(workloads.map(podFrom));
      const admitted = Date.now();
      for (const [index, workload] of workloads.entries()) {
        const admission = admissions[index];
        const where = `release ${releaseOf(workload)}: ${objectKey(workload)}`;
        if (admission.refusal !== undefined) {
          rejected.push(`${where}: ${admission.refusal}`);
          continue;
        }
        for (const warning of admission.warnings) {
          const known = EXPECTED_CHART_POD_WARNINGS.find((w) => w.kind === workload.kind && w.name.test(workload.metadata.name) && w.warning.test(warning));
          if (known) expected.push(`${where}: ${known.reason}`);
          else rejected.push(`${where}: ${warning}`);
        }
      }
      expect(rejected).toEqual([]);
      for (const note of expected) log(`note: expected warning, ${note}`);
      log(
        `${path.basename(stackDir)}: installed ${helmReleases.length} helm releases from ${charts!.url} (../shared/charts) in ${applySeconds.toFixed(0)} s; re-plan: ${replan}; ${workloads.length} pod templates admitted (workloads listed in ${seconds(started, listed)}, ServiceAccounts ${seconds(listed, accountsMade)}, dry runs ${seconds(accountsMade, admitted)})`,
      );
    });

    step(STEP.pods, [STEP.manifests], async () => {
      // No kubelet or controllers here, so no pods are made from the workloads: a server-side dry
      // run of each template as a Pod goes through the admission a real ReplicaSet's pod would.
      const workloads = readKustomization(manifestDir).filter((o) => POD_TEMPLATE_KINDS.includes(o.kind));
      const admissions = await api.dryRunCreatePods(workloads.map(podFrom));
      const rejected = admissions
        .filter((a) => a.refusal !== undefined || a.warnings.length > 0)
        .map((a) => `${a.object} (as a Pod): ${[a.refusal, ...a.warnings].filter(Boolean).join('; ')}`);
      expect(rejected).toEqual([]);
      log(`${region}/${cluster}: ${workloads.length} pod templates admitted as pods`);
    });

    step(STEP.readBack, [STEP.manifests], async () => {
      const applied = readKustomization(manifestDir);
      if (applied.length === 0) return;
      const stored = indexObjects(await kubectl.getKustomization(manifestDir));
      const comparisons = applied.map((object) => compareAppliedFields(object, stored.get(identity(object))));
      const omitted = comparisons.flatMap((c) => c.zeroValuesOmitted);
      if (omitted.length > 0) log(`note: ${omitted.length} applied zero values are not stored (Go omits empty values), e.g. ${omitted[0]}`);
      expect(comparisons.flatMap((c) => c.changed)).toEqual([]);
    });

    step(STEP.reapply, [STEP.manifests], async () => {
      if (readKustomization(manifestDir).length === 0) return;
      const before = resourceVersions(await kubectl.getKustomization(manifestDir));
      const again = await kubectl.applyServerSide({ kustomization: manifestDir });
      if (again.code !== 0) throw new CommandFailed(again);
      const after = resourceVersions(await kubectl.getKustomization(manifestDir));
      const changed = [...after].filter(([key, version]) => before.get(key) !== version).map(([key]) => key);
      expect(changed).toEqual([]);
      log(`${region}/${cluster}: ${after.size} objects applied twice, none changed by the second apply`);
    });
  });
}

/**
 * Asks every helm_release of the cluster's stack to install without waiting, hooks or rollback
 * (INSTALL_WITHOUT_KUBELET) and to trust the loopback repository's CA, through the region's escape
 * hatches: the region report lists each change with its reason.
 */
function installWithoutKubelet(region: Region, cluster: string, caFile: string): void {
  const releases = region
    .cluster(cluster)
    .stack.node.findAll()
    .filter(
      (c): c is typeof c & { addOverride(path: string, value: unknown): void } =>
        (c as { terraformResourceType?: string }).terraformResourceType === 'helm_release',
    );
  for (const release of releases) {
    for (const [attribute, value] of Object.entries(INSTALL_WITHOUT_KUBELET))
      region.escapeHatches.overrideTerraform(release, attribute, value, NO_KUBELET_REASON);
    region.escapeHatches.overrideTerraform(
      release,
      'repository_ca_file',
      caFile,
      'e2e: the loopback chart repository serves a certificate from a CA of its own',
    );
  }
}

/** Seconds since `from` (until `to`), for the progress lines: `12.3 s`. */
function seconds(from: number, to = Date.now()): string {
  return `${((to - from) / 1000).toFixed(1)} s`;
}

let sharedCrdsParsed: KubeObject[] | undefined;

/** Every CustomResourceDefinition in ../shared/crds, parsed once per test file (megabytes of YAML: seconds each time). */
function sharedCrds(): KubeObject[] {
  return (sharedCrdsParsed ??= fs
    .readdirSync(SHARED_CRDS, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(SHARED_CRDS, file), 'utf8')).map((document) => document.toJSON() as KubeObject | null))
    .filter((object): object is KubeObject => object?.kind === 'CustomResourceDefinition'));
}

/** `group/Kind` of an object (`/Kind` in the core group), as a CRD names what it defines. */
function groupKind(object: KubeObject): string {
  const slash = object.apiVersion.lastIndexOf('/');
  return `${slash < 0 ? '' : object.apiVersion.slice(0, slash)}/${object.kind}`;
}

function crdGroupKind(crd: KubeObject): string {
  const spec = crd.spec as { group: string; names: { kind: string } };
  return `${spec.group}/${spec.names.kind}`;
}

const WEBHOOK_KINDS = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/** Warnings a chart's pod gets by design; any other warning fails the test. */
const EXPECTED_CHART_POD_WARNINGS: ReadonlyArray<{ kind: string; name: RegExp; warning: RegExp; reason: string }> = [
  {
    kind: 'DaemonSet',
    name: /prometheus-node-exporter$/,
    warning: /would violate PodSecurity "baseline:latest": host namespaces/,
    reason:
      'node-exporter reads the node through its host namespaces and paths: the monitoring namespace enforces privileged for it and warns at baseline, so that nothing else there goes unnoticed',
  },
  {
    kind: 'DaemonSet',
    name: /^node-agent$/,
    warning: /would violate PodSecurity "baseline:latest": hostPath volumes/,
    reason:
      "Velero's node agent mounts the kubelet's pod and plugin folders to move snapshot data: the velero namespace enforces privileged for it and warns at baseline, so that nothing else there goes unnoticed",
  },
];

/** Every object of these kinds, in any namespace, that a Helm release made (Helm's ownership annotation). */
async function helmObjects(kubectl: Kubectl, kinds: readonly string[]): Promise<KubeObject[]> {
  const listed = await kubectl.ok(['get', kinds.map((k) => k.toLowerCase()).join(','), '--all-namespaces', '-o', 'json']);
  return (JSON.parse(listed.stdout) as { items: KubeObject[] }).items.filter((o) => releaseOf(o) !== undefined);
}

/** The Helm release that made an object (`meta.helm.sh/release-name`), if any. */
function releaseOf(object: KubeObject): string | undefined {
  const annotations = (object.metadata as { annotations?: Record<string, string> }).annotations ?? {};
  const name = annotations['meta.helm.sh/release-name'];
  return name === undefined ? undefined : `${annotations['meta.helm.sh/release-namespace']}/${name}`;
}

/** A Pod made of a workload's pod template, as its controller would make it (controllerPodSpec). */
function podFrom(workload: KubeObject): KubeObject {
  const spec = workload.spec as { template?: PodTemplate; jobTemplate?: { spec: { template: PodTemplate } } };
  const template = workload.kind === 'CronJob' ? spec.jobTemplate!.spec.template : spec.template!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${workload.metadata.name}-e2e`,
      namespace: workload.metadata.namespace,
      labels: template.metadata?.labels,
      annotations: template.metadata?.annotations,
    } as KubeObject['metadata'],
    spec: controllerPodSpec(workload, template.spec),
  };
}

interface PodTemplate {
  readonly metadata?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec: unknown;
}

/** Every file below a folder (a DR drill's `drills/` included) with its content, by relative path. */
function folderContents(folder: string, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(folder, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry): Array<[string, string]> =>
        entry.isDirectory()
          ? Object.entries(folderContents(path.join(folder, entry.name), `${prefix}${entry.name}/`))
          : [[`${prefix}${entry.name}`, fs.readFileSync(path.join(folder, entry.name), 'utf8')]],
      ),
  );
}

function identity(object: KubeObject): string {
  return `${object.apiVersion.split('/').slice(0, -1).join('/')} ${objectKey(object)}`;
}

function indexObjects(objects: readonly KubeObject[]): Map<string, KubeObject> {
  return new Map(objects.map((o) => [identity(o), o]));
}

function resourceVersions(objects: readonly KubeObject[]): Map<string, string> {
  return new Map(objects.map((o) => [objectKey(o), o.metadata.resourceVersion ?? '']));
}

/** The resource-change part of a plan: what would change, without the targeting warnings. */
function planChanges(stdout: string): string {
  const start = stdout.indexOf('Terraform will perform the following actions');
  const end = stdout.indexOf('Plan:');
  return start >= 0 && end > start ? stdout.slice(start, stdout.indexOf('\n', end)) : stdout;
}
