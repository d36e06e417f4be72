import { type Construct } from 'constructs';
import { type DataTerraformRemoteStateConfig, TerraformBackend, TerraformRemoteState } from '../cdktf';

/** Terraform's `kubernetes` backend: state in a Secret, locking with a Lease. cdktf 0.21 ships no class for it. */
export interface KubernetesBackendConfig {
  /** Suffix of the Secret `tfstate-<workspace>-<suffix>`. */
  readonly secretSuffix: string;
  /** @default "default" */
  readonly namespace?: string;
  /** @default the environment's KUBE_CONFIG_PATH (the backend never reads KUBECONFIG) */
  readonly configPath?: string;
  readonly configContext?: string;
}

export class KubernetesBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly config: KubernetesBackendConfig,
  ) {
    super(scope, 'backend', 'kubernetes');
  }

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return snakeCaseDefined(this.config);
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return this.synthesizeAttributes();
  }

  getRemoteStateDataSource(scope: Construct, name: string, _fromStack: string): TerraformRemoteState {
    return new DataTerraformRemoteStateKubernetes(scope, name, { ...this.config, workspace: '${terraform.workspace}' });
  }
}

/** Reads another stack's outputs from its Kubernetes-backend state. */
export class DataTerraformRemoteStateKubernetes extends TerraformRemoteState {
  constructor(scope: Construct, id: string, config: DataTerraformRemoteStateConfig & KubernetesBackendConfig) {
    super(scope, id, 'kubernetes', config);
  }
}

function snakeCaseDefined(config: object): { [name: string]: unknown } {
  const out: { [name: string]: unknown } = {};
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined) out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  }
  return out;
}
