import * as path from 'path';
import { TestApiServer, startTestApiServer } from './api-server';
import { KubeObject, Kubectl, objectKey, warnings } from './kubectl';
import { appliedFieldsChanged, namespacesOf, readKustomization } from './manifests';
import { CommandFailed } from './run';
import { RegionTarget, SHARED_CRDS, removeDirectory, synthesizeRegionAgainst, temporaryDirectory } from './synth';
import { Terraform, dummyVariables, resourceAddresses } from './terraform';
import { Toolchain, loadToolchain } from './toolchain';
import { log } from './log';

export interface DeploymentCase {
  /** Names the describe block. */
  readonly title: string;
  /** The region to deploy, given the test server's kubeconfig and a local state directory. */
  readonly target: (kubeconfig: { path: string; context: string }, stateDirectory: string) => RegionTarget;
  /**
   * Namespaces the manifests use that another install owns on a real cluster (Velero's), created
   * empty before the manifests are applied. Every other namespace must come from the stack.
   */
  readonly installedElsewhere: Readonly<Record<string, string>>;
}

/** Terraform's platform layer without the Helm releases, whose charts need the internet. */
const isTenancyResource = (type: string) => type.startsWith('kubernetes_');

/**
 * The platform layer and the application layer of one region's cluster against a real API server:
 * `terraform apply` of the kubernetes_* resources, `terraform plan` with no changes after it,
 * `kubectl apply --server-side` of the cluster's manifest folder, the objects read back, and a
 * second apply that changes nothing.
 */
export function describeDeployment(deployment: DeploymentCase): void {
  describe(deployment.title, () => {
    let toolchain: Toolchain;
    let work: string;
    let server: TestApiServer | undefined;
    let kubectl: Kubectl;
    let terraform: Terraform;
    let stackDir: string;
    let manifestDir: string;
    let targets: string[];
    let variables: Record<string, string>;
    const failedSteps = new Set<string>();

    /** Later steps need earlier ones; say so instead of failing with a confusing follow-on error. */
    const step = (name: string, needs: string[], body: () => Promise<void>) =>
      it(name, async () => {
        const missing = needs.filter((n) => failedSteps.has(n));
        if (missing.length > 0) throw new Error(`not run: it needs "${missing.join('", "')}", which failed`);
        try {
          await body();
        } catch (error) {
          failedSteps.add(name);
          throw error;
        }
      });

    beforeAll(async () => {
      toolchain = loadToolchain();
      terraform = new Terraform(toolchain);
      work = temporaryDirectory('deploy');
      const kubeconfig = { path: path.join(work, 'kubeconfig'), context: 'e2e' };
      const target = deployment.target(kubeconfig, path.join(work, 'terraform-state'));
      const outdir = path.join(work, 'out');
      synthesizeRegionAgainst(target, outdir);
      stackDir = path.join(outdir, 'terraform', 'stacks', `${target.region}-${target.cluster}`);
      manifestDir = path.join(outdir, 'manifests', target.region, target.cluster);

      server = await startTestApiServer(toolchain, kubeconfig.path);
      kubectl = new Kubectl(server.kubeconfig, server.context);
      await kubectl.ok(['apply', '--server-side', '-R', '-f', SHARED_CRDS]);
      await kubectl.ok(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
      log(`${deployment.title}: API server ${server.url}, CRDs from ${SHARED_CRDS} installed`);
    });

    afterAll(async () => {
      await server?.stop();
      if (work) removeDirectory(work);
    });

    step('terraform apply creates the tenancy resources (kubernetes_*)', [], async () => {
      const stack = Terraform.readStack(stackDir);
      targets = resourceAddresses(stack, isTenancyResource);
      const skipped = resourceAddresses(stack, (type) => !isTenancyResource(type));
      variables = dummyVariables(stack);
      log(
        `${path.basename(stackDir)}: applying ${targets.length} kubernetes_* resources; ${skipped.length} others ` +
          `(${[...new Set(skipped.map((a) => a.split('.')[0]))].join(', ') || 'none'}) are checked by terraform validate only: ` +
          'Helm charts come from the internet, which this suite does not reach',
      );
      expect(targets.length).toBeGreaterThan(0);
      await terraform.init(stackDir, { backend: true });
      await terraform.apply(stackDir, targets.map((t) => `-target=${t}`), variables);
    });

    step('terraform plan after apply shows no changes (no perpetual diff)', ['terraform apply creates the tenancy resources (kubernetes_*)'], async () => {
      const plan = await terraform.plan(stackDir, targets.map((t) => `-target=${t}`), variables);
      if (plan.code === 2) throw new Error(`terraform plan wants to change what it just applied:\n${planChanges(plan.stdout)}`);
      if (plan.code !== 0) throw new CommandFailed(plan, stackDir);
    });

    step('kubectl apply --server-side admits every manifest, without warnings', ['terraform apply creates the tenancy resources (kubernetes_*)'], async () => {
      const objects = readKustomization(manifestDir);
      for (const [namespace, owner] of Object.entries(deployment.installedElsewhere)) {
        if (!namespacesOf(objects).includes(namespace)) continue;
        log(`creating namespace ${namespace}, which ${owner} owns on a real cluster`);
        await kubectl.ok(['create', 'namespace', namespace]);
      }
      const result = await kubectl.applyServerSide({ kustomization: manifestDir });
      if (result.code !== 0) throw new CommandFailed(result);
      expect(warnings(result)).toEqual([]);
    });

    step('the objects read back hold every applied field unchanged', ['kubectl apply --server-side admits every manifest, without warnings'], async () => {
      const applied = readKustomization(manifestDir);
      const stored = indexObjects(await kubectl.getKustomization(manifestDir));
      expect(applied.length).toBeGreaterThan(0);
      expect(applied.flatMap((object) => appliedFieldsChanged(object, stored.get(identity(object))))).toEqual([]);
    });

    step('applying the same manifests again changes nothing', ['kubectl apply --server-side admits every manifest, without warnings'], async () => {
      const before = resourceVersions(await kubectl.getKustomization(manifestDir));
      const again = await kubectl.applyServerSide({ kustomization: manifestDir });
      if (again.code !== 0) throw new CommandFailed(again);
      const after = resourceVersions(await kubectl.getKustomization(manifestDir));
      const changed = [...after].filter(([key, version]) => before.get(key) !== version).map(([key]) => key);
      expect(changed).toEqual([]);
      log(`${deployment.title}: ${after.size} objects applied twice, none changed by the second apply`);
    });
  });
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
