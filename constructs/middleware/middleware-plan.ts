import { formatCores, parseQuantity } from '../../lib/quantity';
import { type ClusterSpec, isProductionCluster } from '../core/cluster-spec';
import { type CredentialDelivery, DEFAULT_CREDENTIAL_DELIVERY, type MiddlewareSpec, type MiddlewareUseSpec, defaultEnvPrefix } from './middleware-spec';
import { catalogueEngine } from './catalogue';
import { type CatalogueRelease, type ConnectionInput, type MiddlewareEngine, type ReplicaResources, type SizePreset } from './engine';

/** A middleware instance's settings on one cluster, with every default applied. */
export interface MiddlewarePlan {
  readonly spec: MiddlewareSpec;
  readonly engine: MiddlewareEngine;
  readonly pinned: CatalogueRelease;
  readonly size: SizePreset;
  readonly highAvailability: boolean;
  readonly replicas: number;
  readonly resources: ReplicaResources;
  readonly storage: { readonly size: string; readonly storageClass?: string };
  readonly metrics: boolean;
  readonly backup?: { readonly schedule: string; readonly retention: string; readonly storageLocation?: string };
  readonly resourceName: string;
}

/** Namespace of the shelf on every cluster. */
export const MIDDLEWARE_NAMESPACE = 'middleware';

export const DEFAULT_BACKUP_SCHEDULE = '0 18 * * *';
export const DEFAULT_BACKUP_RETENTION = '168h';

/** Resolves an instance's defaults for one cluster. The spec must be valid (version in the catalogue). */
export function planMiddleware(spec: MiddlewareSpec, cluster: ClusterSpec): MiddlewarePlan {
  const engine = catalogueEngine(spec.engine);
  const pinned = engine.releases.find((r) => r.version === spec.version)!;
  const size = spec.size ?? 'small';
  const preset = engine.sizes[size];
  const highAvailability = spec.highAvailability?.enabled ?? isProductionCluster(cluster);
  const replicas = spec.replicas ?? (highAvailability ? engine.highAvailability.replicas : 1);
  const cpu = String(spec.resources?.cpu ?? preset.cpu);
  const memory = String(spec.resources?.memory ?? preset.memory);
  const backupOn = spec.backup?.enabled ?? true;
  return {
    spec,
    engine,
    pinned,
    size,
    highAvailability,
    replicas,
    // Memory cannot be reclaimed, so its limit is the request; CPU may burst to twice the request.
    resources: { requests: { cpu, memory }, limits: { cpu: formatCores(2 * parseQuantity(cpu)!), memory } },
    storage: { size: String(spec.storage?.size ?? preset.storage), storageClass: spec.storage?.storageClass ?? cluster.storageClass },
    metrics: spec.metrics ?? true,
    backup: backupOn
      ? {
          schedule: spec.backup?.schedule ?? DEFAULT_BACKUP_SCHEDULE,
          retention: spec.backup?.retention ?? DEFAULT_BACKUP_RETENTION,
          storageLocation: spec.backup?.storageLocation,
        }
      : undefined,
    resourceName: spec.resourceName ?? engine.defaultResourceName?.(spec.name) ?? spec.name,
  };
}

/** What a service gets for a connection: ConfigMap settings and Secret keys, each with its env suffix. */
export interface ClientConnectionKeys {
  /** Keys of the connection ConfigMap; also the env suffixes (HOST, PORT ...). */
  readonly settings: readonly string[];
  /** Keys of the credentials Secret and their env suffixes ("secret-key" -> "SECRET_KEY"). */
  readonly secretKeys: readonly { readonly key: string; readonly env: string }[];
}

export function clientConnectionKeys(plan: MiddlewarePlan): ClientConnectionKeys {
  return {
    settings: Object.keys(plan.engine.connection(connectionInput(plan))),
    secretKeys: plan.engine.credentials.filter((c) => c.clientKey).map((c) => ({ key: c.clientKey!, env: c.clientKey!.toUpperCase().replace(/-/g, '_') })),
  };
}

/**
 * The env variable a connection credential reaches a container in: `<PREFIX>_<KEY>_FILE`, the path
 * of its file, or `<PREFIX>_<KEY>`, its value, when the service opts into env credentials.
 */
export function credentialEnvName(envPrefix: string, suffix: string, delivery: CredentialDelivery): string {
  return delivery === 'file' ? `${envPrefix}_${suffix}_FILE` : `${envPrefix}_${suffix}`;
}

/** How clients connect to the planned instance, in the shelf namespace. */
export function connectionInput(plan: MiddlewarePlan): ConnectionInput {
  return { release: plan.spec.name, namespace: MIDDLEWARE_NAMESPACE, resourceName: plan.resourceName, highAvailability: plan.highAvailability };
}

/** The Terraform variable holding one credential of one instance, e.g. `middleware_shared_db_admin_password`. */
export function credentialVariableName(instance: string, key: string): string {
  return `middleware_${instance}_${key}`.replace(/-/g, '_');
}

/** Names of the credentials Secret (in the shelf and in each granted namespace) and the connection ConfigMap. */
export function connectionObjectNames(instance: string): { configMap: string; secret: string } {
  return { configMap: `${instance}-connection`, secret: `${instance}-credentials` };
}

/**
 * How a service of a granted department gets the connection to the planned instance: references
 * to the grant's ConfigMap and Secret, never values. The same on a DR standby, whose grant of a
 * replicated database writes the replica's settings under the same names.
 */
export function connectionReference(plan: MiddlewarePlan, use: MiddlewareUseSpec): ConnectionReference {
  const names = connectionObjectNames(plan.spec.name);
  return {
    instance: plan.spec.name,
    envPrefix: use.envPrefix ?? defaultEnvPrefix(plan.spec.name),
    configMap: names.configMap,
    secret: names.secret,
    ...clientConnectionKeys(plan),
    credentials: use.credentials ?? DEFAULT_CREDENTIAL_DELIVERY,
  };
}

/** A middleware connection: settings held in a ConfigMap and credentials in a Secret of the service's namespace. */
export interface ConnectionReference {
  /** The shelf instance: names the credentials volume and its directory in the container. */
  readonly instance: string;
  /** Env names are `<envPrefix>_<setting>`. */
  readonly envPrefix: string;
  readonly configMap: string;
  /** Keys of the ConfigMap, also the env suffixes (HOST, PORT ...). */
  readonly settings: readonly string[];
  readonly secret: string;
  /** Keys of the Secret and their env suffixes. */
  readonly secretKeys: readonly { readonly key: string; readonly env: string }[];
  /** Credentials as read-only files named by `<envPrefix>_<env>_FILE`, or (opted in) as env values. */
  readonly credentials: CredentialDelivery;
}
