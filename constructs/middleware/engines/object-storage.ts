import { type MiddlewareEngine } from '../engine';
import { bitnamiGlobals, bitnamiImage, bitnamiPersistence, bitnamiPlacement, bitnamiPodLabels, bitnamiResources, serviceHost } from './bitnami';

const CHART = 'minio';
const API_PORT = 9000;

/**
 * S3-compatible object storage: MinIO from the Bitnami `minio` chart. Highly available means
 * distributed mode: erasure coding over at least four servers (an even number), which keeps data
 * readable with half the drives lost. The bucket clients use is created by the chart's
 * provisioning job. MinIO stopped publishing community builds in 2025; the pinned images are the
 * last Bitnami builds, mirrored.
 */
export const objectStorage: MiddlewareEngine = {
  name: 'object-storage',
  product: 'MinIO (S3-compatible object storage)',
  chart: CHART,
  releases: [
    {
      version: '2025.6.13',
      chartVersion: '17.0.11',
      images: {
        server: { repository: 'bitnamilegacy/minio', tag: '2025.6.13-debian-12-r1' },
        client: { repository: 'bitnamilegacy/minio-client', tag: '2025.5.21-debian-12-r7' },
        console: { repository: 'bitnamilegacy/minio-object-browser', tag: '2.0.2-debian-12-r1' },
        shell: { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r47' },
      },
    },
  ],
  sizes: {
    small: { cpu: '500m', memory: '1Gi', storage: '100Gi' },
    medium: { cpu: '1', memory: '4Gi', storage: '500Gi' },
    large: { cpu: '2', memory: '8Gi', storage: '2Ti' },
  },
  highAvailability: { replicas: 4, minReplicas: 4, summary: 'distributed mode with erasure coding over an even number of at least 4 servers' },
  replicaProblem: (replicas) => (replicas % 2 === 0 ? undefined : `distributed MinIO needs an even number of servers, got ${replicas}`),
  credentials: [
    { key: 'root-user', description: 'access key of the root user', clientKey: 'access-key' },
    { key: 'root-password', description: 'secret key of the root user', clientKey: 'secret-key' },
  ],
  clientPorts: [{ name: 'api', port: API_PORT }],
  // MinIO's own endpoint (the chart makes it public with metrics on).
  metricsEndpoint: { port: 'api', path: '/minio/v2/metrics/cluster' },
  serverPodLabels: (release) => bitnamiPodLabels(release, CHART),
  connection: ({ release, namespace, resourceName }) => ({
    ENDPOINT: `http://${serviceHost(release, namespace)}:${API_PORT}`,
    HOST: serviceHost(release, namespace),
    PORT: String(API_PORT),
    BUCKET: resourceName,
  }),
  values: (input) => {
    const image = (role: string) => bitnamiImage(input.registry, input.pinned.images[role]);
    return {
      ...bitnamiGlobals(input),
      image: image('server'),
      // The chart has no pull policy for the client image: the provisioning job uses `image.pullPolicy`.
      clientImage: { registry: input.registry, repository: input.pinned.images.client.repository, tag: input.pinned.images.client.tag },
      mode: input.highAvailability ? 'distributed' : 'standalone',
      ...(input.highAvailability ? { statefulset: { replicaCount: input.replicas, zones: 1, drivesPerNode: 1 } } : {}),
      auth: { existingSecret: input.credentialsSecret, rootUserSecretKey: 'root-user', rootPasswordSecretKey: 'root-password' },
      provisioning: { enabled: true, buckets: [{ name: input.resourceName }], networkPolicy: { enabled: false } },
      ...bitnamiResources(input.resources),
      persistence: bitnamiPersistence(input),
      ...bitnamiPlacement(input, bitnamiPodLabels(input.release, CHART)),
      metrics: { enabled: input.metrics },
      // The web console is another exposed surface; operators use the mc client instead.
      console: { enabled: false, image: image('console'), networkPolicy: { enabled: false } },
      defaultInitContainers: { volumePermissions: { enabled: false, image: image('shell') } },
    };
  },
};
