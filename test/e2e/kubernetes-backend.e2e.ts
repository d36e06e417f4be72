/**
 * Xiangtan keeps its Terraform state in the cluster (`backend: { kubernetes: {} }`): the stack's
 * backend block, as synthesized, must initialise against a real API server from the pipeline's
 * kubeconfig, which the spec names as the default (constructs/backend-spec.ts).
 */
import * as path from 'path';
import { TestApiServer, startTestApiServer } from './support/api-server';
import { Kubectl } from './support/kubectl';
import { CommandFailed, run } from './support/run';
import { removeDirectory, synthesizeDefaultBlueprint, temporaryDirectory } from './support/synth';
import { Terraform } from './support/terraform';
import { loadToolchain } from './support/toolchain';

describe('the kubernetes backend of xiangtan-gov', () => {
  const toolchain = loadToolchain();
  const terraform = new Terraform(toolchain);
  let work: string;
  let server: TestApiServer | undefined;
  let stack: string;

  beforeAll(async () => {
    work = temporaryDirectory('backend');
    synthesizeDefaultBlueprint(path.join(work, 'out'));
    stack = path.join(work, 'out', 'terraform', 'stacks', 'xiangtan-gov');
    server = await startTestApiServer(toolchain);
    // The state namespace is the pipeline's to create (the backend does not create it).
    await new Kubectl(server.kubeconfig, server.context).ok(['create', 'namespace', 'terraform-state']);
  });
  afterAll(async () => {
    await server?.stop();
    if (work) removeDirectory(work);
  });

  it('initialises with the pipeline KUBECONFIG, as the spec documents', async () => {
    await terraform.init(stack, { backend: false }); // providers only, and the version override
    const init = await run('terraform', ['init', '-input=false', '-no-color', '-reconfigure'], {
      cwd: stack,
      env: { ...terraform.env, KUBECONFIG: server!.kubeconfig, KUBE_CONFIG_PATH: undefined, KUBE_CONFIG_PATHS: undefined },
    });
    if (init.code !== 0) throw new CommandFailed(init, stack);
    const workspaces = await run('terraform', ['workspace', 'list', '-no-color'], { cwd: stack, env: { ...terraform.env, KUBECONFIG: server!.kubeconfig } });
    if (workspaces.code !== 0) throw new CommandFailed(workspaces, stack);
    expect(workspaces.stdout).toContain('default');
  });
});
