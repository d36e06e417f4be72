import * as s from '../../lib/schema';

export interface LocalBackendSpec {
  /** @default "terraform-state" */
  readonly directory?: string;
}

/** S3-compatible state storage (MinIO, OBS, Ceph RGW ...). Credentials come from the usual AWS_* environment of the pipeline, never from the spec. */
export interface S3BackendSpec {
  readonly bucket: string;
  /** Object key. @default `govcloud/<region>-<cluster>/terraform.tfstate` */
  readonly key?: string;
  /** @default "us-east-1" (most S3-compatible stores ignore it) */
  readonly region?: string;
  /** Endpoint of the S3-compatible store, e.g. "https://obs.changsha.gov.example". @default AWS S3 */
  readonly endpoint?: string;
  /** Path-style addressing, which most on-premises stores need. @default true when `endpoint` is set */
  readonly usePathStyle?: boolean;
}

/** State in a Kubernetes Secret (Terraform's `kubernetes` backend), with locking by Lease. */
export interface KubernetesBackendSpec {
  /** Suffix of the state Secret's name. @default `<region>-<cluster>` */
  readonly secretSuffix?: string;
  /** @default "terraform-state" */
  readonly namespace?: string;
  /**
   * Kubeconfig of the cluster that holds the state. Terraform's kubernetes backend never reads
   * `KUBECONFIG`, only this or `KUBE_CONFIG_PATH`.
   * @default the cluster's own `connection.kubeconfig` (state in the cluster it describes); for a
   * cluster reached by endpoint, the pipeline's `KUBE_CONFIG_PATH`
   */
  readonly configPath?: string;
  /** @default the cluster's `connection.kubeconfig.context` when configPath is not set, else the kubeconfig's current context */
  readonly configContext?: string;
}

/** Where each stack keeps its Terraform state. Exactly one of the three, or none for local files. */
export interface BackendSpec {
  /**
   * Local state files, one per stack: `<directory>/<region>-<cluster>.tfstate`. A relative
   * directory sits beside the output root (`out/` -> `terraform-state/`), never inside it,
   * because every synth replaces the output root.
   * @default { directory: "terraform-state" }
   */
  readonly local?: LocalBackendSpec;
  readonly s3?: S3BackendSpec;
  readonly kubernetes?: KubernetesBackendSpec;
}

export const backendSchema = s.object<BackendSpec>(
  {
    local: s.object<LocalBackendSpec>({ directory: s.string().optional() }, { title: 'a local backend' }).optional(),
    s3: s
      .object<S3BackendSpec>(
        {
          bucket: s.string({ description: 'Bucket that holds the state objects.' }),
          key: s.string().optional(),
          region: s.string().optional(),
          endpoint: s.string({ pattern: { regex: /^https?:\/\/\S+$/, meaning: 'an http(s) URL' } }).optional(),
          usePathStyle: s.boolean().optional(),
        },
        { title: 'an S3-compatible backend' },
      )
      .optional(),
    kubernetes: s
      .object<KubernetesBackendSpec>(
        {
          secretSuffix: s.name().optional(),
          namespace: s.name().optional(),
          configPath: s.string().optional(),
          configContext: s.string().optional(),
        },
        { title: 'a Kubernetes backend' },
      )
      .optional(),
  },
  {
    title: 'a Terraform backend',
    description: 'Where each stack keeps its state: one of local, s3, kubernetes. Default: local.',
    rules: [
      (backend, path, problems) => {
        const chosen = (['local', 's3', 'kubernetes'] as const).filter((k) => backend[k] !== undefined);
        if (chosen.length > 1) problems.add(path, `choose one backend, got ${chosen.join(' and ')}; remove the others (null removes an inherited one)`);
      },
    ],
  },
);
