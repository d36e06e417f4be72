import { type EngineValuesInput, type Json, type PinnedImage, type ReplicaResources } from '../engine';

/**
 * What every Bitnami chart on the shelf shares. Bitnami moved its versioned images from
 * `docker.io/bitnami` to `docker.io/bitnamilegacy` in 2025; the catalogue pins the legacy
 * repositories, which the province mirrors below its registry under the same path.
 */
export function bitnamiGlobals(input: EngineValuesInput, options: { readonly networkPolicy?: 'top-level' | 'per-component' } = {}): Json {
  return {
    // Object names are `<release>` and `<release>-*`, whatever the chart name.
    fullnameOverride: input.release,
    global: {
      // Every image of the chart, including ones we do not name, is pulled from the mirror.
      imageRegistry: input.registry,
      // The charts refuse images other than their own defaults unless told otherwise; ours are
      // the same images under their bitnamilegacy name, on the mirror.
      security: { allowInsecureImages: true },
      ...(input.storage.storageClass ? { defaultStorageClass: input.storage.storageClass } : {}),
    },
    // The platform owns the network policies (the shelf namespace is closed; grants open it).
    // Charts with a policy per component (postgresql) switch theirs off there instead.
    ...(options.networkPolicy === 'per-component' ? {} : { networkPolicy: { enabled: false } }),
  };
}

/** A Bitnami image block on the mirror. */
export function bitnamiImage(registry: string, image: PinnedImage): Json {
  return { registry, repository: image.repository, tag: image.tag, pullPolicy: 'IfNotPresent' };
}

/** Explicit requests and limits; Bitnami ignores `resourcesPreset` when `resources` is set. */
export function bitnamiResources(resources: ReplicaResources): Json {
  return { resources: { requests: { ...resources.requests }, limits: { ...resources.limits } } };
}

/** Persistence of one component's volumes. */
export function bitnamiPersistence(input: EngineValuesInput): Json {
  return { enabled: true, size: input.storage.size, ...(input.storage.storageClass ? { storageClass: input.storage.storageClass } : {}) };
}

/**
 * Scheduling of a component: replicas on different nodes (hard anti-affinity) and spread over
 * zones when highly available; a budget that lets one replica go at a time.
 */
export function bitnamiPlacement(input: EngineValuesInput, podLabels: Record<string, string>): Json {
  if (!input.highAvailability) return { podAntiAffinityPreset: 'soft', pdb: { create: false } };
  return {
    podAntiAffinityPreset: 'hard',
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: podLabels } },
    ],
    pdb: { create: true, maxUnavailable: 1 },
  };
}

/** Labels Bitnami charts put on every pod of a release. */
export function bitnamiPodLabels(release: string, chart: string, component?: string): Record<string, string> {
  return {
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/name': chart,
    ...(component ? { 'app.kubernetes.io/component': component } : {}),
  };
}

/** In-cluster DNS name of a service in a namespace (resolved through the pod's search path). */
export function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc`;
}
