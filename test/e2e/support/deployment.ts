import * as fs from 'fs';
import * as path from 'path';
import { type TestApiServer, startTestApiServer } from './api-server';
import { type KubeObject, Kubectl, objectKey, warnings } from './kubectl';
import { compareAppliedFields, namespacesOf, readKustomization } from './manifests';
import { CommandFailed } from './run';
import { type RegionCluster, SHARED_CRDS, removeDirectory, synthesizeRegionAgainst, temporaryDirectory } from './synth';
import { Terraform, dummyVariables, resourceAddresses } from './terraform';
import { type Toolchain, loadToolchain } from './toolchain';
import { log } from './log';
import { dependentSteps } from './steps';
import { controllerPodSpec } from './pods';

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
  apply: 'terraform apply creates the tenancy resources (kubernetes_*)',
  plan: 'terraform plan after apply shows no changes (no perpetual diff)',
  manifests: 'kubectl apply --server-side admits every manifest, without warnings',
  pods: 'every pod template is admitted as a Pod (Pod Security, LimitRange, ResourceQuota, ServiceAccount)',
  readBack: 'the objects read back hold every applied field unchanged',
  reapply: 'applying the same manifests again changes nothing',
} as const;

/** Terraform's platform layer without the Helm releases, whose charts need the internet. */
const isTenancyResource = (type: string) => type.startsWith('kubernetes_');

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
    let terraform: Terraform;
    let stackDir: string;
    let manifestDir: string;
    let targets: string[];
    let variables: Record<string, string>;
    const step = dependentSteps();

    beforeAll(async () => {
      toolchain = loadToolchain();
      terraform = new Terraform(toolchain);
      work = temporaryDirectory('deploy');
      const kubeconfig = { path: path.join(work, 'kubeconfig'), context: 'e2e' };
      const outdir = path.join(work, 'out');
      synthesizeRegionAgainst({ ...deployment.target, kubeconfig, stateDirectory: path.join(work, 'terraform-state') }, outdir);
      stackDir = path.join(outdir, 'terraform', 'stacks', `${region}-${cluster}`);
      manifestDir = path.join(outdir, 'manifests', region, cluster);

      server = await startTestApiServer(toolchain, kubeconfig.path);
      kubectl = new Kubectl(server.kubeconfig, server.context);
      await kubectl.ok(['apply', '--server-side', '-R', '-f', SHARED_CRDS]);
      await kubectl.ok(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
      log(`${region}/${cluster}: API server ${server.url}, CRDs from ${SHARED_CRDS} installed`);
    });

    it("deploys the manifests exactly as the region's own synth writes them", () => {
      expect(folderContents(manifestDir)).toEqual(folderContents(deployment.referenceManifests));
    });

    afterAll(async () => {
      await server?.stop();
      if (work) removeDirectory(work);
    });

    step(STEP.apply, [], async () => {
      const stack = Terraform.readStack(stackDir);
      targets = resourceAddresses(stack, isTenancyResource);
      const skipped = resourceAddresses(stack, (type) => !isTenancyResource(type));
      variables = dummyVariables(stack);
      if (skipped.length > 0) {
        const types = [...new Set(skipped.map((address) => address.split('.')[0]))].join(', ');
        log(
          `${path.basename(stackDir)}: ${skipped.length} resources (${types}) are checked by terraform validate only: Helm charts come from the internet, which this suite does not reach`,
        );
      }
      await terraform.init(stackDir, { backend: true });
      if (targets.length === 0) {
        log(`${path.basename(stackDir)}: no kubernetes_* resources to apply`);
        return;
      }
      log(`${path.basename(stackDir)}: applying ${targets.length} kubernetes_* resources`);
      await terraform.apply(
        stackDir,
        targets.map((t) => `-target=${t}`),
        variables,
      );
    });

    step(STEP.plan, [STEP.apply], async () => {
      // Without targets (nothing applied), the plan covers the whole stack: it must be empty too.
      const plan = await terraform.plan(
        stackDir,
        targets.map((t) => `-target=${t}`),
        variables,
      );
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

    step(STEP.pods, [STEP.manifests], async () => {
      // No kubelet or controllers here, so no pods are made from the workloads: a server-side dry
      // run of each template as a Pod goes through the admission a real ReplicaSet's pod would.
      const workloads = readKustomization(manifestDir).filter((o) => POD_TEMPLATE_KINDS.includes(o.kind));
      const rejected: string[] = [];
      for (const workload of workloads) {
        const result = await kubectl.run(['create', '--dry-run=server', '-o', 'name', '-f', '-'], JSON.stringify(podFrom(workload)));
        if (result.code !== 0 || warnings(result).length > 0) rejected.push(`${objectKey(workload)}: ${result.stderr.trim()}`);
      }
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
