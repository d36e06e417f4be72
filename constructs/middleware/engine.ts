/** The kinds of middleware on the shelf. */
export type MiddlewareEngineName = 'postgresql' | 'redis' | 'kafka' | 'rabbitmq' | 'object-storage';

/** Size presets; each engine maps them to CPU, memory and storage per replica. */
export type SizePreset = 'small' | 'medium' | 'large';
export const SIZE_PRESETS: readonly SizePreset[] = ['small', 'medium', 'large'];

/** Requests per replica and the volume size of one replica. */
export interface InstanceSize {
  readonly cpu: string;
  readonly memory: string;
  readonly storage: string;
}

/** An image, pinned by tag, as a repository below the registry mirror. */
export interface PinnedImage {
  /** Repository path below the registry, e.g. "bitnamilegacy/postgresql". */
  readonly repository: string;
  readonly tag: string;
}

/** One vetted version of an engine: the application version users name, and what it installs. */
export interface CatalogueRelease {
  /** The application version, the spec's `version`, e.g. "17.6.0". */
  readonly version: string;
  /** The chart version installed for it. */
  readonly chartVersion: string;
  /** Every image the chart runs, by role ("server", "metrics" ...). */
  readonly images: Readonly<Record<string, PinnedImage>>;
}

/** A credential of an instance. Its value is a sensitive Terraform variable, never in a file. */
export interface Credential {
  /** Key in the instance's credentials Secret, e.g. "admin-password". */
  readonly key: string;
  readonly description: string;
  /** Key under which granted departments receive it; unset when only the platform holds it. */
  readonly clientKey?: string;
}

/** Requests and limits of one replica. */
export interface ReplicaResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Everything an engine needs to render its chart values. */
export interface EngineValuesInput {
  /** Helm release name; also the chart's `fullnameOverride`, so object names are predictable. */
  readonly release: string;
  readonly pinned: CatalogueRelease;
  /** The blueprint's registry mirror. */
  readonly registry: string;
  readonly highAvailability: boolean;
  /** Replicas of the main component (brokers, data nodes, database servers). */
  readonly replicas: number;
  readonly resources: ReplicaResources;
  readonly storage: { readonly size: string; readonly storageClass?: string };
  readonly metrics: boolean;
  /** Secret (in the release namespace) holding every key of `credentials`. */
  readonly credentialsSecret: string;
  /** Name of the database / vhost / bucket clients use, where the engine has one. */
  readonly resourceName: string;
}

export type Json = Record<string, unknown>;

/** What decides how clients connect to an instance. */
export interface ConnectionInput {
  readonly release: string;
  readonly namespace: string;
  readonly resourceName: string;
  readonly highAvailability: boolean;
}

/**
 * A catalogue entry: one middleware product, the chart that installs it, the versions vetted for
 * the shelf and how a spec turns into chart values. Adding an engine means writing one of these
 * and registering it in `catalogue.ts`.
 */
export interface MiddlewareEngine {
  readonly name: MiddlewareEngineName;
  /** Product name for reports, e.g. "PostgreSQL". */
  readonly product: string;
  /** Chart name in the chart repository. */
  readonly chart: string;
  /** Vetted versions, oldest first. */
  readonly releases: readonly CatalogueRelease[];
  readonly sizes: Readonly<Record<SizePreset, InstanceSize>>;
  /** Replicas of a highly available instance by default, the fewest that still are, and how HA works. */
  readonly highAvailability: { readonly replicas: number; readonly minReplicas: number; readonly summary: string };
  /** An engine-specific rule on the replica count of an HA instance, as a problem message. */
  replicaProblem?(replicas: number): string | undefined;
  readonly credentials: readonly Credential[];
  /** Ports clients connect to; granted departments may reach these and nothing else. */
  readonly clientPorts: readonly { readonly name: string; readonly port: number }[];
  /** Where Prometheus scrapes the engine's pods when metrics are on: a named container port and a path. */
  readonly metricsEndpoint: { readonly port: string; readonly path: string };
  /** The database / vhost / bucket name clients use when the spec names none. @default the instance name */
  defaultResourceName?(instance: string): string;
  /** Whether the pods call the Kubernetes API (peer discovery), so their egress to it must be open. */
  readonly usesKubernetesApi?: boolean;
  /** Labels of the pods clients connect to. */
  serverPodLabels(release: string): Record<string, string>;
  /** Non-secret connection settings for clients (HOST, PORT, USERNAME ...), by env suffix. */
  connection(input: ConnectionInput): Record<string, string>;
  /** The chart values; every image must name `registry`. */
  values(input: EngineValuesInput): Json;
}
