import type { BlueprintSpec } from '../blueprint-spec';
import { ROLLOUT_API_VERSION } from '../delivery/progressive-plan';
import { type GitOpsSpec, DEFAULT_GITOPS_PATH, argoCdSettings } from './gitops-spec';

type Json = Record<string, unknown>;

/** Argo CD's annotation ordering a sync: lower waves are applied, and healthy, before higher ones. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Argo CD's name of the cluster it runs on. */
export const IN_CLUSTER = 'in-cluster';
/** The management cluster's file of Applications, outside its own kustomization. */
export const GITOPS_FILE = 'gitops';
export const APPLICATION_API_VERSION = 'argoproj.io/v1alpha1';

/**
 * The sync waves, in order. Namespaces, quotas, LimitRanges, NetworkPolicies, RBAC and
 * PriorityClasses come before all of them, from the platform layer (`cdktf deploy`), with the
 * operators whose CRDs the manifests use; the one place manifests hold Namespaces (the Karmada
 * API server's folder) has them first. Then the admission policies (and
 * Karmada's propagation policies), so nothing is admitted, or propagated, before they hold; then
 * what workloads read or are reached through (configuration, Services, mesh routing, analysis
 * templates, monitoring, backups); then the workloads; last what acts on a running workload
 * (autoscalers, disruption budgets), which otherwise reports a missing target.
 */
export const SYNC_WAVES = {
  namespace: -3,
  policy: -2,
  platform: -1,
  workload: 0,
  workloadControl: 1,
} as const;

const POLICY_KINDS = new Set([
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PropagationPolicy',
  'ClusterPropagationPolicy',
  'OverridePolicy',
  'ClusterOverridePolicy',
]);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout']);
const WORKLOAD_CONTROL_KINDS = new Set(['HorizontalPodAutoscaler', 'ScaledObject', 'PodDisruptionBudget', 'FederatedHPA', 'CronFederatedHPA']);

/** The sync wave of an object of this kind. */
export function syncWave(kind: string): number {
  if (kind === 'Namespace') return SYNC_WAVES.namespace;
  if (POLICY_KINDS.has(kind)) return SYNC_WAVES.policy;
  if (WORKLOAD_KINDS.has(kind)) return SYNC_WAVES.workload;
  if (WORKLOAD_CONTROL_KINDS.has(kind)) return SYNC_WAVES.workloadControl;
  return SYNC_WAVES.platform;
}

/** The object with its sync-wave annotation (a copy; the input is left as it is). */
export function withSyncWave(object: Json): Json {
  const metadata = (object.metadata ?? {}) as Json;
  const annotations = (metadata.annotations ?? {}) as Record<string, string>;
  return {
    ...object,
    metadata: { ...metadata, annotations: { ...annotations, [SYNC_WAVE_ANNOTATION]: String(syncWave(String(object.kind))) } },
  };
}

/** The region's management cluster: the one running Argo CD; undefined without GitOps. The spec must be valid. */
export function managementCluster(spec: BlueprintSpec): string | undefined {
  if (!spec.gitops) return undefined;
  return spec.gitops.argocd?.cluster ?? spec.clusters.find((c) => c.role === 'gov')!.name;
}

/** The Argo CD cluster name of a manifest folder's destination: `in-cluster` for the management cluster itself, else `<region>-<folder>` as registered with `argocd cluster add`. */
export function destinationName(region: string, folder: string, management: string): string {
  return folder === management ? IN_CLUSTER : `${region}-${folder}`;
}

/** The repository folder a manifest folder (`<region>/<cluster>`) is synced from. */
export function repositoryPath(spec: GitOpsSpec, directory: string): string {
  return `${spec.path ?? DEFAULT_GITOPS_PATH}/${directory}`;
}

/** One entry of an Application's `ignoreDifferences`. */
export interface IgnoredDifference {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly jsonPointers: readonly string[];
}

/**
 * The fields the folder's Argo Rollouts own at run time, which a sync must neither report nor
 * reset: the weights of each VirtualService route a Rollout moves, and the pod-template-hash label
 * it adds to its DestinationRule's stable and canary subsets. Read from the objects themselves
 * (each Rollout's `trafficRouting.istio`), so the pointers hold the routes' and subsets' real positions.
 */
export function rolloutIgnoreDifferences(objects: readonly Json[]): IgnoredDifference[] {
  const found = (kind: string, name: string, namespace: string) =>
    objects.find((o) => o.kind === kind && meta(o).name === name && (meta(o).namespace ?? '') === namespace);
  const ignored: IgnoredDifference[] = [];
  for (const rollout of objects.filter((o) => o.kind === 'Rollout' && o.apiVersion === ROLLOUT_API_VERSION)) {
    const namespace = String(meta(rollout).namespace ?? '');
    const istio = dig(rollout, ['spec', 'strategy', 'canary', 'trafficRouting', 'istio']) as Json | undefined;
    const vsRef = istio?.virtualService as { name?: string; routes?: string[] } | undefined;
    const drRef = istio?.destinationRule as { name?: string; stableSubsetName?: string; canarySubsetName?: string } | undefined;
    const virtualService = vsRef?.name ? found('VirtualService', vsRef.name, namespace) : undefined;
    if (virtualService) {
      const http = (dig(virtualService, ['spec', 'http']) ?? []) as Json[];
      const pointers = http.flatMap((route, i) =>
        (vsRef!.routes ?? []).includes(String(route.name)) ? ((route.route ?? []) as Json[]).map((_, j) => `/spec/http/${i}/route/${j}/weight`) : [],
      );
      if (pointers.length > 0) ignored.push({ ...ref(virtualService), jsonPointers: pointers });
    }
    const destinationRule = drRef?.name ? found('DestinationRule', drRef.name, namespace) : undefined;
    if (destinationRule) {
      const subsets = (dig(destinationRule, ['spec', 'subsets']) ?? []) as Json[];
      const managed = [drRef!.stableSubsetName, drRef!.canarySubsetName];
      const pointers = subsets.flatMap((subset, i) => (managed.includes(String(subset.name)) ? [`/spec/subsets/${i}/labels/rollouts-pod-template-hash`] : []));
      if (pointers.length > 0) ignored.push({ ...ref(destinationRule), jsonPointers: pointers });
    }
  }
  return ignored;
}

export interface ApplicationInput {
  readonly spec: GitOpsSpec;
  readonly region: string;
  /** The manifest folder, `<region>/<cluster>`. */
  readonly directory: string;
  /** Argo CD's name of the destination cluster. */
  readonly destination: string;
  readonly labels: Record<string, string>;
  readonly ignoreDifferences: readonly IgnoredDifference[];
}

/**
 * An Argo CD Application syncing one manifest folder (its kustomization) to its cluster, pruning
 * what leaves the repository and undoing drift. No namespace is created (the platform layer owns
 * them) and no finalizer cascades: deleting the Application leaves the workloads running.
 * `RespectIgnoreDifferences` keeps a sync (of any other change) from writing the ignored fields back.
 */
export function application(input: ApplicationInput): Json {
  const { spec } = input;
  const argocd = argoCdSettings(spec);
  const folder = input.directory.split('/').pop()!;
  return {
    apiVersion: APPLICATION_API_VERSION,
    kind: 'Application',
    metadata: { name: `${input.region}-${folder}`, namespace: argocd.namespace, labels: input.labels },
    spec: {
      project: argocd.project,
      source: { repoURL: spec.repository, targetRevision: spec.revision, path: repositoryPath(spec, input.directory) },
      destination: { name: input.destination },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=false', ...(input.ignoreDifferences.length > 0 ? ['RespectIgnoreDifferences=true'] : [])],
      },
      ...(input.ignoreDifferences.length > 0 ? { ignoreDifferences: input.ignoreDifferences.map((d) => ({ ...d, jsonPointers: [...d.jsonPointers] })) } : {}),
    },
  };
}

function meta(object: Json): { name?: string; namespace?: string } {
  const metadata = object.metadata as { name?: string; namespace?: string } | undefined;
  return metadata ?? {};
}

function ref(object: Json): Omit<IgnoredDifference, 'jsonPointers'> {
  const apiVersion = String(object.apiVersion);
  return {
    group: apiVersion.includes('/') ? apiVersion.split('/')[0] : '',
    kind: String(object.kind),
    name: meta(object).name!,
    namespace: meta(object).namespace ?? '',
  };
}

function dig(object: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Json)[key] : undefined), object);
}
