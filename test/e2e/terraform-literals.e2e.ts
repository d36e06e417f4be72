/**
 * Terraform reads every string of cdk.tf.json as a template. A department's display name
 * `Edu ${x} %{y}` must reach the cluster as that text, not as an expression (which `terraform
 * validate` would reject as an invalid reference) nor as a directive: a tiny fleet is synthesized,
 * validated, and its namespace applied to a test API server, then read back.
 */
import * as path from 'path';
import { type TestApiServer, startTestApiServer } from './support/api-server';
import { Kubectl } from './support/kubectl';
import { CommandFailed } from './support/run';
import { library, removeDirectory, temporaryDirectory } from './support/synth';
import { Terraform, dummyVariables, resourceAddresses } from './support/terraform';
import { loadToolchain } from './support/toolchain';

const DISPLAY_NAME = 'Edu ${x} %{y}';

describe('free text in the Terraform layer', () => {
  const toolchain = loadToolchain();
  const terraform = new Terraform(toolchain);
  let work: string;
  let server: TestApiServer | undefined;
  let kubectl: Kubectl;
  let stack: string;

  beforeAll(async () => {
    work = temporaryDirectory('literals');
    const kubeconfig = path.join(work, 'kubeconfig');
    const { Fleet } = library();
    const fleet = new Fleet({
      outdir: path.join(work, 'out'),
      blueprint: {
        name: 'literals',
        supplyChain: { registry: 'registry.test.example', chartRepository: 'oci://registry.test.example/charts' },
        clusters: [
          {
            name: 'gov',
            role: 'gov',
            cloud: 'test-gov-cloud',
            connection: { kubeconfig: { path: kubeconfig, context: 'e2e' } },
            capacity: { nodes: 3, nodeCpu: '8', nodeMemory: '32Gi' },
            network: { podCidr: '10.0.0.0/16', serviceCidr: '10.1.0.0/16' },
          },
        ],
        departments: [{ name: 'education', displayName: DISPLAY_NAME, quota: { cpu: '8', memory: '16Gi' } }],
        services: [],
      },
    });
    fleet.addRegions({ city: {} });
    fleet.synth();
    stack = path.join(work, 'out', 'terraform', 'stacks', 'city-gov');
    server = await startTestApiServer(toolchain, kubeconfig);
    kubectl = new Kubectl(server.kubeconfig, server.context);
  });
  afterAll(async () => {
    await server?.stop();
    if (work) removeDirectory(work);
  });

  it('terraform validate accepts the stack: the display name is no expression', async () => {
    await terraform.init(stack, { backend: true });
    const result = await terraform.validate(stack);
    if (result.code !== 0) throw new CommandFailed(result, stack);
    expect(result.stdout).toContain('The configuration is valid');
  });

  it('terraform apply writes the display name to the namespace as literal text', async () => {
    const json = Terraform.readStack(stack);
    const namespaces = resourceAddresses(json, (type) => type === 'kubernetes_namespace_v1');
    expect(namespaces).toHaveLength(1);
    await terraform.apply(stack, [`-target=${namespaces[0]}`], dummyVariables(json));
    const annotation = await kubectl.ok(['get', 'namespace', 'education', '-o', 'jsonpath={.metadata.annotations.govcloud\\.io/display-name}']);
    expect(annotation.stdout).toBe(DISPLAY_NAME);
  });
});
