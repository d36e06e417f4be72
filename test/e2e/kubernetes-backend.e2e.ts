/**
 * Xiangtan keeps its Terraform state in the cluster (`backend: { kubernetes: {} }`). Pointed at a
 * real API server like any other cluster (its `connection.kubeconfig`), the stack's backend, as
 * synthesized, must reach that server from what a pipeline has (KUBECONFIG, which the spec names as
 * the default in constructs/core/backend-spec.ts), and keep the state in a Secret there.
 */
import * as path from 'path';
import { type TestApiServer, startTestApiServer } from './support/api-server';
import { Kubectl } from './support/kubectl';
import { CommandFailed, run } from './support/run';
import { library, regionClusters, removeDirectory, synthesizeRegionAgainst, temporaryDirectory } from './support/synth';
import { Terraform, dummyVariables, resourceAddresses } from './support/terraform';
import { loadToolchain } from './support/toolchain';

describe('the kubernetes backend of xiangtan-gov', () => {
  const toolchain = loadToolchain();
  const terraform = new Terraform(toolchain);
  let work: string;
  let server: TestApiServer | undefined;
  let kubectl: Kubectl;
  let stack: string;
  let pipelineEnv: Record<string, string | undefined>;
  let initialised = false;

  beforeAll(async () => {
    work = temporaryDirectory('backend');
    const target = regionClusters(library().defaultFleet({ regions: ['xiangtan'] })).find((c) => c.cluster === 'gov')!;
    const kubeconfig = { path: path.join(work, 'kubeconfig'), context: 'e2e' };
    // No state directory: the region keeps its own (kubernetes) backend.
    synthesizeRegionAgainst({ ...target, kubeconfig }, path.join(work, 'out'));
    stack = path.join(work, 'out', 'terraform', 'stacks', 'xiangtan-gov');
    server = await startTestApiServer(toolchain, kubeconfig.path);
    kubectl = new Kubectl(server.kubeconfig, server.context);
    // The state namespace is the pipeline's to create (the backend does not create it).
    await kubectl.ok(['create', 'namespace', 'terraform-state']);
    pipelineEnv = { ...terraform.env, KUBECONFIG: server.kubeconfig, KUBE_CONFIG_PATH: undefined, KUBE_CONFIG_PATHS: undefined };
  });
  afterAll(async () => {
    await server?.stop();
    if (work) removeDirectory(work);
  });

  it('terraform init reaches the cluster with the pipeline KUBECONFIG, as the spec documents', async () => {
    await terraform.init(stack, { backend: false }); // providers, and the provider version override
    const init = await run('terraform', ['init', '-input=false', '-no-color', '-reconfigure'], { cwd: stack, env: pipelineEnv });
    if (init.code === 0) {
      initialised = true;
      return;
    }
    // Say whether Terraform's own variable would have worked: that is the fix to propose.
    const viaKubeConfigPath = await run('terraform', ['init', '-input=false', '-no-color', '-reconfigure'], {
      cwd: stack,
      env: { ...pipelineEnv, KUBECONFIG: undefined, KUBE_CONFIG_PATH: server!.kubeconfig },
    });
    throw new Error(
      `${new CommandFailed(init, stack).message}\n\nWith KUBE_CONFIG_PATH=<kubeconfig> instead of KUBECONFIG, terraform init ` +
        (viaKubeConfigPath.code === 0
          ? 'succeeds: the backend reads config_path or KUBE_CONFIG_PATH, never KUBECONFIG.'
          : `fails too:\n${viaKubeConfigPath.stderr}`),
    );
  });

  it('terraform apply keeps the state in a Secret of the terraform-state namespace', async () => {
    if (!initialised) throw new Error('not run: it needs terraform init to reach the cluster, which failed');
    const json = Terraform.readStack(stack);
    const targets = resourceAddresses(json, (type) => type.startsWith('kubernetes_')).map((t) => `-target=${t}`);
    const variables = Object.fromEntries(Object.entries(dummyVariables(json)).map(([name, value]) => [`TF_VAR_${name}`, value]));
    const apply = await run('terraform', ['apply', '-input=false', '-no-color', '-auto-approve', ...targets], {
      cwd: stack,
      env: { ...pipelineEnv, ...variables },
    });
    if (apply.code !== 0) throw new CommandFailed(apply, stack);
    const secrets = await kubectl.ok(['get', 'secrets', '-n', 'terraform-state', '-o', 'name']);
    expect(secrets.stdout).toContain('secret/tfstate-default-xiangtan-gov');
  });
});
