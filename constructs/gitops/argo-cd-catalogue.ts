import type { PodGroup } from '../../lib/capacity';
import type { Json, PinnedImage, ReplicaResources } from '../middleware/engine';

/**
 * argoproj `argo-cd` chart 10.1.1 (Argo CD v3.4.4): the GitOps engine on a region's management
 * cluster. Every image a component of the chart may run is pinned below the mirror, the disabled
 * ones (Dex, the Redis exporter, the extension installer) too, so that no default points outside
 * it. Redis HA (the `redis-ha` subchart) stays off: its images are the subchart's own.
 */
export const ARGO_CD = {
  chart: 'argo-cd',
  chartVersion: '10.1.1',
  appVersion: 'v3.4.4',
  images: {
    argocd: { repository: 'argoproj/argocd', tag: 'v3.4.4' },
    dex: { repository: 'dexidp/dex', tag: 'v2.45.1' },
    redis: { repository: 'library/redis', tag: '8.2.3-alpine' },
    redisExporter: { repository: 'oliver006/redis_exporter', tag: 'v1.86.0' },
    extensionInstaller: { repository: 'argoprojlabs/argocd-extension-installer', tag: 'v1.0.1' },
  } satisfies Record<string, PinnedImage>,
} as const;

export const ARGO_CD_RELEASE = 'argo-cd';

/** Requests and limits per component: the controller compares every Application, the repo server renders them. */
const RESOURCES = {
  controller: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } },
  repoServer: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  server: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  applicationSet: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  redis: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  redisSecretInit: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
} satisfies Record<string, ReplicaResources>;

/**
 * Argo CD's long-running pods at the chart's default of one replica each (the application
 * controller, repo server, API server, ApplicationSet controller and Redis), for the cluster
 * capacity check; the redis-secret-init hook Job finishes before them and is not counted.
 */
export function argoCdPods(): PodGroup[] {
  return (['controller', 'repoServer', 'server', 'applicationSet', 'redis'] as const).map((component) => ({
    name: `argo-cd ${component}`,
    count: 1,
    containers: [RESOURCES[component].requests],
  }));
}

/**
 * Values of the argo-cd chart (keys of the 10.1 chart's values.yaml): images from the mirror,
 * explicit resources, no Dex (log in with the admin account or the province's OIDC, configured by
 * hand) and no notifications controller (the blueprint configures none). The chart's containers
 * run restricted (non-root, read-only root, no capabilities, seccomp) by default; they are kept.
 */
export function argoCdValues(registry: string): Json {
  const image = (pinned: PinnedImage): Json => ({ repository: `${registry}/${pinned.repository}`, tag: pinned.tag });
  const resources = (r: ReplicaResources): Json => ({ requests: { ...r.requests }, limits: { ...r.limits } });
  return {
    global: { image: { ...image(ARGO_CD.images.argocd), imagePullPolicy: 'IfNotPresent' } },
    controller: { resources: resources(RESOURCES.controller) },
    repoServer: { resources: resources(RESOURCES.repoServer) },
    server: { resources: resources(RESOURCES.server), extensions: { image: image(ARGO_CD.images.extensionInstaller) } },
    applicationSet: { resources: resources(RESOURCES.applicationSet) },
    dex: { enabled: false, image: image(ARGO_CD.images.dex) },
    notifications: { enabled: false },
    redis: {
      image: image(ARGO_CD.images.redis),
      exporter: { image: image(ARGO_CD.images.redisExporter) },
      resources: resources(RESOURCES.redis),
    },
    redisSecretInit: { resources: resources(RESOURCES.redisSecretInit) },
  };
}
