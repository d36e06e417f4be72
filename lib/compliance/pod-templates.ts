import type { ClusterOutput, Json, ObjectRef } from './compliance-rule';

/** A pod spec found in the output, with where it is. */
export interface PodTemplate {
  readonly object: ObjectRef;
  /** The whole object (a Deployment, a CronJob, a Pod...). */
  readonly owner: Json;
  /** Field path of the pod spec inside the object, e.g. `spec.template.spec`. */
  readonly path: string;
  readonly spec: Json;
  /** The pod template's labels (the Pod's own for a Pod). */
  readonly labels: Readonly<Record<string, string>>;
}

/** Where each kind keeps its pod spec. Rollouts are Argo Rollouts' Deployments. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Rollout: ['spec', 'template', 'spec'],
};

/** The object's `metadata`, or an empty one. */
function metadataOf(object: Json): { name?: unknown; namespace?: unknown; labels?: unknown } {
  const metadata: unknown = object.metadata;
  return typeof metadata === 'object' && metadata !== null ? metadata : {};
}

/** The name a user recognises: `Deployment education/enrolment`, `ClusterRole viewer`. */
export function manifestName(object: Json): string {
  const { name, namespace } = metadataOf(object);
  return `${String(object.kind)} ${typeof namespace === 'string' && namespace ? `${namespace}/` : ''}${String(name)}`;
}

/** Reference of a manifest object, with its department when it lives in one's namespace. */
export function manifestRef(output: ClusterOutput, file: string, object: Json): ObjectRef {
  const { namespace: found } = metadataOf(object);
  const namespace = typeof found === 'string' ? found : undefined;
  return {
    layer: 'manifest',
    name: manifestName(object),
    file,
    ...(namespace && output.departments.includes(namespace) ? { department: namespace } : {}),
  };
}

/** The object at `path` below `object`, if every step is an object. */
function at(object: Json, path: readonly string[]): Json | undefined {
  let node: unknown = object;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Json)[key];
  }
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? node : undefined;
}

/** Every pod spec of the cluster's manifests. */
export function podTemplates(output: ClusterOutput): PodTemplate[] {
  const found: PodTemplate[] = [];
  for (const { file, object } of output.manifests) {
    const path = POD_SPEC_PATHS[String(object.kind)];
    if (!path) continue;
    const spec = at(object, path);
    if (spec === undefined) continue;
    const labels: unknown = metadataOf(at(object, path.slice(0, -1)) ?? {}).labels;
    found.push({
      object: manifestRef(output, file, object),
      owner: object,
      path: path.join('.'),
      spec,
      labels: typeof labels === 'object' && labels !== null ? (labels as Record<string, string>) : {},
    });
  }
  return found;
}

/** A container of a pod spec, with its field path. */
export interface ContainerAt {
  readonly container: Json;
  readonly path: string;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  readonly list: 'containers' | 'initContainers' | 'ephemeralContainers';
}

/** Every container of a pod spec (init and ephemeral containers included), with its path below `prefix`. */
export function containersOf(spec: Json, prefix: string): ContainerAt[] {
  const lists = ['containers', 'initContainers', 'ephemeralContainers'] as const;
  return lists.flatMap((list) => ((spec[list] ?? []) as Json[]).map((container, i) => ({ container, list, path: `${prefix}.${list}[${i}]` })));
}
