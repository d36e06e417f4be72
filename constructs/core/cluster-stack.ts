import * as path from 'path';
import { type Construct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { LocalBackend, S3Backend, type TerraformApp, TerraformStack, TerraformVariable, ownedLazyString } from '../../lib/cdktf';
import { KubernetesBackend } from '../../lib/terraform/kubernetes-backend';
import { type BackendSpec } from './backend-spec';
import { type ClusterConnectionSpec } from './cluster-spec';

export interface ClusterStackProps {
  readonly connection: ClusterConnectionSpec;
  /** @default local state files */
  readonly backend?: BackendSpec;
}

/** Oldest Terraform that understands every stack: write-only attributes arrived in 1.11. */
export const MINIMUM_TERRAFORM_VERSION = '1.11.0';

/**
 * The provider versions every stack accepts (Terraform constraint syntax), the range the e2e suite
 * proves: it validates and applies the stacks with hashicorp/kubernetes and hashicorp/helm built
 * from their 3.2 sources. 3.2.1 is the oldest kubernetes provider that records a Secret's identity
 * after creating it with `data_wo` ("Missing Resource Identity After Create"), which every
 * credential Secret relies on. A minor release is taken only once the suite has run against it.
 * The generated bindings (`@cdktf/provider-kubernetes` 12, `@cdktf/provider-helm` 12) would pin
 * 2.38.0 and 3.1.1 exactly.
 */
export const PROVIDER_VERSIONS = { kubernetes: '>= 3.2.1, < 3.3.0', helm: '>= 3.2.0, < 3.3.0' } as const;

/**
 * How every Helm release of a stack is installed: a failed install or upgrade rolls back instead
 * of leaving a half-changed release behind, and Terraform waits for the release to be ready.
 */
export const RELEASE_SAFETY = { atomic: true, cleanupOnFail: true, wait: true, maxHistory: 10 } as const;

/** Names of the stack's sensitive variables when the cluster is reached by endpoint. */
export const CONNECTION_VARIABLES = { caCertificate: 'kube_cluster_ca_certificate', token: 'kube_token' } as const;

/**
 * One Terraform stack per (region, cluster): its own kubernetes and helm providers, pointed at
 * that cluster only, and its own state. Credentials are sensitive variables, never literals.
 */
export class ClusterStack extends TerraformStack {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    const access = this.connectionSettings(props.connection);
    this.kubernetes = new KubernetesProvider(this, 'kubernetes', access);
    this.helm = new HelmProvider(this, 'helm', { kubernetes: access });
    for (const [provider, version] of Object.entries(PROVIDER_VERSIONS)) this.addOverride(`terraform.required_providers.${provider}.version`, version);
    this.configureBackend(props.backend ?? {}, props.connection);
    // Write-only attributes (credentials that never reach the state) and ephemeral variables.
    this.addOverride('terraform.required_version', `>= ${MINIMUM_TERRAFORM_VERSION}`);
  }

  /**
   * A credential the pipeline supplies as `TF_VAR_<name>`: sensitive, never null, and ephemeral,
   * so Terraform keeps the value out of plan files and state (Terraform >= 1.10). Meant for
   * write-only attributes (`data_wo`).
   */
  secretVariable(name: string, description: string): TerraformVariable {
    const variable = new TerraformVariable(this, name, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `${description} (set TF_VAR_${name} in the pipeline).`,
    });
    variable.addOverride('ephemeral', true);
    return variable;
  }

  private connectionSettings(connection: ClusterConnectionSpec) {
    if (connection.kubeconfig) return { configPath: connection.kubeconfig.path, configContext: connection.kubeconfig.context };
    const endpoint = connection.endpoint!;
    const ca = new TerraformVariable(this, CONNECTION_VARIABLES.caCertificate, {
      type: 'string',
      sensitive: true,
      description: `PEM CA certificate of ${endpoint.host} (set TF_VAR_${CONNECTION_VARIABLES.caCertificate} in the pipeline).`,
    });
    const token = new TerraformVariable(this, CONNECTION_VARIABLES.token, {
      type: 'string',
      sensitive: true,
      description: `Bearer token for ${endpoint.host} (set TF_VAR_${CONNECTION_VARIABLES.token} in the pipeline).`,
    });
    return {
      host: endpoint.host,
      tlsServerName: endpoint.tlsServerName,
      clusterCaCertificate: ca.stringValue,
      token: token.stringValue,
    };
  }

  private configureBackend(backend: BackendSpec, connection: ClusterConnectionSpec): void {
    const stackName = this.node.id;
    if (backend.s3) {
      const s3 = backend.s3;
      new S3Backend(this, {
        bucket: s3.bucket,
        key: s3.key ?? `govcloud/${stackName}/terraform.tfstate`,
        region: s3.region ?? 'us-east-1',
        ...(s3.endpoint
          ? {
              endpoints: { s3: s3.endpoint },
              usePathStyle: s3.usePathStyle ?? true,
              // S3-compatible stores have no AWS account, region or metadata API to check against.
              skipCredentialsValidation: true,
              skipRegionValidation: true,
              skipRequestingAccountId: true,
              skipMetadataApiCheck: true,
            }
          : { usePathStyle: s3.usePathStyle }),
      });
    } else if (backend.kubernetes) {
      const k8s = backend.kubernetes;
      // Terraform's kubernetes backend never reads KUBECONFIG: without a path it would find no
      // cluster at all. The cluster's own kubeconfig keeps the state in the cluster it describes.
      const ownKubeconfig = k8s.configPath === undefined ? connection.kubeconfig : undefined;
      new KubernetesBackend(this, {
        secretSuffix: k8s.secretSuffix ?? stackName,
        namespace: k8s.namespace ?? 'terraform-state',
        configPath: k8s.configPath ?? ownKubeconfig?.path,
        configContext: k8s.configContext ?? ownKubeconfig?.context,
      });
    } else {
      // Terraform runs in `<output root>/terraform/stacks/<stack>`, or `<output root>/stacks/<stack>`
      // when the synth puts the stacks at the root (cdktf's `"output": "cdktf.out"`). A relative
      // state directory is taken from the output root's parent: outside the root, which every
      // synth replaces, and the same bytes wherever the output is written. The depth is known only
      // at synth, hence the lazy path.
      const directory = backend.local?.directory ?? 'terraform-state';
      const app = this.node.root as TerraformApp;
      const statePath = () => {
        const toRootParent = terraformFolderOf(app) === '.' ? '../../..' : '../../../..';
        const base = path.posix.isAbsolute(directory) ? directory : path.posix.join(toRootParent, directory);
        return path.posix.join(base, `${stackName}.tfstate`);
      };
      new LocalBackend(this, { path: ownedLazyString(this, statePath) });
    }
  }
}

/** Where the Terraform part goes inside the output root: see `SynthOptions.terraformFolder`. */
export type TerraformFolder = 'terraform' | '.';

const terraformFolders = new WeakMap<TerraformApp, TerraformFolder>();

/** Tells the app's stacks where the coming synth writes them (their local state paths depend on it). */
export function setTerraformFolder(app: TerraformApp, folder: TerraformFolder): void {
  terraformFolders.set(app, folder);
}

function terraformFolderOf(app: TerraformApp): TerraformFolder {
  return terraformFolders.get(app) ?? 'terraform';
}
