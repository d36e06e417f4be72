import * as fs from 'fs';
import * as path from 'path';
import { type BlueprintOverrides } from '../../constructs/blueprint-spec';
import { Fleet } from '../../constructs/core/fleet';
import { minimalBlueprint, synthesize, tempDir } from '../support/fleet-fixtures';

const stackOf = (overrides: BlueprintOverrides) => synthesize(minimalBlueprint(), { changsha: { overrides } }).stack('changsha-gov');

describe('ClusterStack (one Terraform stack per region and cluster)', () => {
  it('names the stack <region>-<cluster> and lists it in the cdktf manifest', () => {
    const out = synthesize(minimalBlueprint(), { changsha: {}, zhuzhou: {} });
    expect(Object.keys(JSON.parse(out.read('terraform/manifest.json')).stacks)).toEqual(['changsha-gov', 'zhuzhou-gov']);
  });

  it('points the kubernetes and helm providers at the kubeconfig context', () => {
    const stack = stackOf({});
    expect(stack.provider.kubernetes).toEqual([{ config_path: '~/.kube/config', config_context: 'gov' }]);
    expect(stack.provider.helm).toEqual([{ kubernetes: { config_path: '~/.kube/config', config_context: 'gov' } }]);
    expect(stack.terraform.required_providers).toEqual({
      kubernetes: { source: 'kubernetes', version: '>= 3.2.1, < 3.3.0' },
      helm: { source: 'helm', version: '>= 3.2.0, < 3.3.0' },
    });
  });

  it('takes the CA certificate and token of an endpoint from sensitive variables, never literals', () => {
    const stack = stackOf({ clusters: [{ name: 'gov', connection: { kubeconfig: null, endpoint: { host: 'https://k8s.example:6443' } } }] });
    expect(stack.provider.kubernetes[0]).toEqual({
      host: 'https://k8s.example:6443',
      cluster_ca_certificate: '${var.kube_cluster_ca_certificate}',
      token: '${var.kube_token}',
    });
    expect(stack.provider.helm[0].kubernetes.token).toBe('${var.kube_token}');
    expect(stack.variable.kube_token).toMatchObject({ type: 'string', sensitive: true });
    expect(stack.variable.kube_cluster_ca_certificate).toMatchObject({ type: 'string', sensitive: true });
  });

  it("lists every variable each stack declares in the region report's pipeline variables, the connection's token included", () => {
    const out = synthesize(minimalBlueprint(), {
      changsha: { overrides: { clusters: [{ name: 'gov', connection: { kubeconfig: null, endpoint: { host: 'https://k8s.example:6443' } } }] } },
    });
    const declared = Object.keys(out.stack('changsha-gov').variable ?? {}).sort();
    expect(declared).toEqual(expect.arrayContaining(['kube_cluster_ca_certificate', 'kube_token']));
    const report = out.read('reports/changsha.md');
    const row = report.split('\n').find((line) => line.startsWith('| changsha-gov |'));
    expect(row).toBe(`| changsha-gov | ${declared.map((v) => `\`TF_VAR_${v}\``).join(', ')} |`);
  });

  it('keeps local state beside the output root, with the same path on every machine', () => {
    expect(stackOf({}).terraform.backend).toEqual({ local: { path: '../../../../terraform-state/changsha-gov.tfstate' } });
    expect(stackOf({ backend: { local: { directory: '/var/lib/state' } } }).terraform.backend).toEqual({
      local: { path: '/var/lib/state/changsha-gov.tfstate' },
    });
  });

  it.each(['terraform', '.'] as const)('finds the state folder beside the output root with the stacks in %j of it', (terraformFolder) => {
    const project = tempDir();
    const root = path.join(project, 'cdktf.out');
    const fleet = new Fleet({ blueprint: minimalBlueprint(), outdir: root });
    fleet.addRegions({ changsha: {} });
    fleet.synth({ terraformFolder });
    const stackDirectory = path.join(root, terraformFolder, 'stacks', 'changsha-gov');
    const stack = JSON.parse(fs.readFileSync(path.join(stackDirectory, 'cdk.tf.json'), 'utf8')) as { terraform: { backend: { local: { path: string } } } };
    // Terraform takes the path from the stack's folder, where it runs.
    expect(path.resolve(stackDirectory, stack.terraform.backend.local.path)).toBe(path.join(project, 'terraform-state', 'changsha-gov.tfstate'));
  });

  it('configures an S3-compatible backend with path-style addressing and no AWS checks', () => {
    expect(stackOf({ backend: { s3: { bucket: 'state', endpoint: 'https://obs.example' } } }).terraform.backend).toEqual({
      s3: {
        bucket: 'state',
        key: 'govcloud/changsha-gov/terraform.tfstate',
        region: 'us-east-1',
        endpoints: { s3: 'https://obs.example' },
        use_path_style: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
      },
    });
  });

  it('configures a Kubernetes backend with one state Secret per stack, in the cluster itself through its kubeconfig', () => {
    // Terraform's kubernetes backend never reads KUBECONFIG: without config_path it finds no cluster (found by the e2e suite).
    expect(stackOf({ backend: { kubernetes: {} } }).terraform.backend).toEqual({
      kubernetes: { secret_suffix: 'changsha-gov', namespace: 'terraform-state', config_path: '~/.kube/config', config_context: 'gov' },
    });
  });

  it("takes the backend kubeconfig as given, and leaves an endpoint cluster's to the pipeline (KUBE_CONFIG_PATH)", () => {
    expect(stackOf({ backend: { kubernetes: { configPath: '/etc/state.kubeconfig' } } }).terraform.backend.kubernetes).toEqual({
      secret_suffix: 'changsha-gov',
      namespace: 'terraform-state',
      config_path: '/etc/state.kubeconfig',
    });
    const endpoint = {
      clusters: [{ name: 'gov', connection: { kubeconfig: null, endpoint: { host: 'https://k8s.example:6443' } } }],
      backend: { kubernetes: {} },
    };
    expect(stackOf(endpoint).terraform.backend.kubernetes).toEqual({ secret_suffix: 'changsha-gov', namespace: 'terraform-state' });
  });
});

describe('Fleet scratch space', () => {
  it('leaves no temporary folder behind when a fleet is built but never synthesized', () => {
    const fs = require('fs') as typeof import('fs');
    const { Fleet } = require('../../constructs/core/fleet') as typeof import('../../constructs/core/fleet');
    const fleet = new Fleet({ blueprint: minimalBlueprint() });
    fleet.addRegions({ changsha: {} });
    expect(fs.existsSync(fleet.terraform.outdir)).toBe(false);
  });
});
