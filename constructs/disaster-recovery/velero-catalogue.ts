import type { PinnedImage, ReplicaResources } from '../middleware/engine';
import type { PodGroup } from '../../lib/capacity';

/**
 * The vetted Velero install: the vmware-tanzu `velero` chart, mirrored into the chart repository,
 * with every image it runs pinned by tag below the cluster's registry mirror (same path as
 * upstream: `<registry>/velero/velero`, `<registry>/velero/velero-plugin-for-aws`,
 * `<registry>/rancher/kubectl`).
 *
 * Chart 11.3.2 installs Velero 1.17, the release whose CRDs the manifests are validated against
 * (`../shared/crds/velero`). The AWS plugin 1.13 is the one built for Velero 1.17 (S3-compatible
 * stores: Huawei OBS, Alibaba OSS, MinIO, Ceph RGW). The chart's CRD upgrade hook runs a kubectl
 * image (`kubectl.image`, `rancher/kubectl` in the 11.x charts, after Bitnami's kubectl left
 * Docker Hub), so it is pinned and mirrored too.
 */
export const VELERO = {
  chart: 'velero',
  chartVersion: '11.3.2',
  appVersion: '1.17.2',
  images: {
    server: { repository: 'velero/velero', tag: 'v1.17.2' },
    awsPlugin: { repository: 'velero/velero-plugin-for-aws', tag: 'v1.13.2' },
    kubectl: { repository: 'rancher/kubectl', tag: 'v1.35.0' },
  } satisfies Record<string, PinnedImage>,
} as const;

/** Helm release name; also the name of the server Deployment. */
/** Namespace of the Velero server whose Schedules back up the shelf and DR pairs. */
export const VELERO_NAMESPACE = 'velero';

export const VELERO_RELEASE = 'velero';

const SERVER_RESOURCES: ReplicaResources = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
/** The node agent runs the data mover, which streams snapshot data to the bucket: more memory. */
const NODE_AGENT_RESOURCES: ReplicaResources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } };

/** Velero's pods on a cluster of `nodes` nodes: the server, and the node agent on every node. */
export function veleroPods(nodes: number): PodGroup[] {
  return [
    { name: 'velero', count: 1, containers: [SERVER_RESOURCES.requests] },
    { name: 'velero-node-agent', count: nodes, containers: [NODE_AGENT_RESOURCES.requests] },
  ];
}

export interface VeleroValuesInput {
  /** The cluster's registry mirror. */
  readonly registry: string;
  /** Existing Secret in the Velero namespace with the object-store credentials (key `cloud` for the chart's default). */
  readonly credentialsSecret: string;
}

const image = (registry: string, pinned: PinnedImage) => `${registry}/${pinned.repository}:${pinned.tag}`;

/**
 * Chart values (keys of the 11.x chart's values.yaml): no BackupStorageLocation or
 * VolumeSnapshotLocation from the chart (the platform writes its own locations per DR pair),
 * CSI snapshots with the built-in data mover, which runs in the node agent.
 */
export function veleroValues(input: VeleroValuesInput): Record<string, unknown> {
  const { registry } = input;
  return {
    image: { repository: `${registry}/${VELERO.images.server.repository}`, tag: VELERO.images.server.tag, pullPolicy: 'IfNotPresent' },
    // Provider plugins are init containers that copy themselves into the shared plugins volume.
    initContainers: [
      {
        name: 'velero-plugin-for-aws',
        image: image(registry, VELERO.images.awsPlugin),
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
      },
    ],
    kubectl: { image: { repository: `${registry}/${VELERO.images.kubectl.repository}`, tag: VELERO.images.kubectl.tag } },
    // The chart's CRD-upgrade hook copies /bin/sh out of the kubectl image, which the pinned
    // (shell-less) one lacks, and with `atomic` its failure fails the whole install. Helm installs
    // the chart's crds/ on first install instead; a chart upgrade's new CRDs are applied by hand.
    upgradeCRDs: false,
    // The chart sets no security context of its own for the server container.
    containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    credentials: { useSecret: true, existingSecret: input.credentialsSecret },
    // Locations are the platform's: one per DR pair, written as manifests.
    backupsEnabled: false,
    // CSI snapshots need no VolumeSnapshotLocation (that is for provider-native snapshots).
    snapshotsEnabled: false,
    deployNodeAgent: true,
    configuration: {
      backupStorageLocation: [],
      volumeSnapshotLocation: [],
      features: 'EnableCSI',
      uploaderType: 'kopia',
    },
    resources: { requests: { ...SERVER_RESOURCES.requests }, limits: { ...SERVER_RESOURCES.limits } },
    nodeAgent: { resources: { requests: { ...NODE_AGENT_RESOURCES.requests }, limits: { ...NODE_AGENT_RESOURCES.limits } } },
    metrics: { enabled: true },
  };
}
