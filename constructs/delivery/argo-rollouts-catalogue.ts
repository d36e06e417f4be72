import type { Json, PinnedImage, ReplicaResources } from '../middleware/engine';
import type { PodGroup } from '../../lib/capacity';

/**
 * argoproj `argo-rollouts` 2.41.0 (Argo Rollouts v1.9.0): the controller that runs progressive
 * canaries. `dashboard` is the image of the chart's UI (disabled), pinned so that no default points
 * outside the mirror.
 */
export const ARGO_ROLLOUTS = {
  chart: 'argo-rollouts',
  chartVersion: '2.41.0',
  appVersion: 'v1.9.0',
  images: {
    controller: { repository: 'argoproj/argo-rollouts', tag: 'v1.9.0' },
    dashboard: { repository: 'argoproj/kubectl-argo-rollouts', tag: 'v1.9.0' },
  } satisfies Record<string, PinnedImage>,
} as const;

export const ARGO_ROLLOUTS_NAMESPACE = 'argo-rollouts';
export const ARGO_ROLLOUTS_RELEASE = 'argo-rollouts';

const CONTROLLER_RESOURCES: ReplicaResources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } };
/** The chart's `controller.replicas` (one leads, one waits), left as is. */
const CONTROLLER_REPLICAS = 2;

/** Argo Rollouts' pods: the controller's replicas. */
export function argoRolloutsPods(): PodGroup[] {
  return [{ name: 'argo-rollouts', count: CONTROLLER_REPLICAS, containers: [CONTROLLER_RESOURCES.requests] }];
}

export interface ArgoRolloutsValuesInput {
  /** The cluster's registry mirror. */
  readonly registry: string;
  /**
   * A ServiceMonitor for the controller's metrics: only where the cluster runs
   * kube-prometheus-stack, whose CRDs it needs.
   * @default false
   */
  readonly serviceMonitor?: boolean;
}

/**
 * Values of the argo-rollouts chart (keys of the 2.41 chart's values.yaml): images from the mirror,
 * explicit resources, the chart's restricted security contexts with a seccomp profile for the pod,
 * no dashboard, and RBAC for Istio's objects only (the chart grants every traffic router's by
 * default; the blueprint routes through Istio alone).
 */
export function argoRolloutsValues(input: ArgoRolloutsValuesInput): Json {
  const { registry } = input;
  const image = (pinned: PinnedImage): Json => ({ registry, repository: pinned.repository, tag: pinned.tag, pullPolicy: 'IfNotPresent' });
  return {
    controller: {
      image: image(ARGO_ROLLOUTS.images.controller),
      resources: { requests: { ...CONTROLLER_RESOURCES.requests }, limits: { ...CONTROLLER_RESOURCES.limits } },
      metrics: { enabled: true, serviceMonitor: { enabled: input.serviceMonitor ?? false } },
    },
    dashboard: { enabled: false, image: image(ARGO_ROLLOUTS.images.dashboard) },
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    providerRBAC: {
      enabled: true,
      providers: {
        istio: true,
        smi: false,
        ambassador: false,
        awsLoadBalancerController: false,
        awsAppMesh: false,
        traefik: false,
        apisix: false,
        contour: false,
        glooPlatform: false,
        gatewayAPI: false,
      },
    },
  };
}
