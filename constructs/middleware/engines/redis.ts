import { type MiddlewareEngine } from '../engine';
import { bitnamiGlobals, bitnamiImage, bitnamiPersistence, bitnamiPlacement, bitnamiPodLabels, bitnamiResources, serviceHost } from './bitnami';

const CHART = 'redis';
const PORT = 6379;
const SENTINEL_PORT = 26379;
const MASTER_SET = 'mymaster';

/**
 * Redis from the Bitnami `redis` chart. Highly available means Redis Sentinel: every node runs
 * redis and a sentinel, and the sentinels promote a replica when the master fails. Clients
 * then find the master through Sentinel (`<PREFIX>_SENTINEL_HOST`, `_SENTINEL_PORT`,
 * `_SENTINEL_MASTER_SET`); `<PREFIX>_HOST` serves reads. Without HA it is one standalone server.
 */
export const redis: MiddlewareEngine = {
  name: 'redis',
  product: 'Redis',
  chart: CHART,
  releases: [
    {
      version: '8.2.1',
      chartVersion: '22.0.5',
      images: {
        server: { repository: 'bitnamilegacy/redis', tag: '8.2.1-debian-12-r0' },
        sentinel: { repository: 'bitnamilegacy/redis-sentinel', tag: '8.2.1-debian-12-r0' },
        metrics: { repository: 'bitnamilegacy/redis-exporter', tag: '1.76.0-debian-12-r0' },
        shell: { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r51' },
        kubectl: { repository: 'bitnamilegacy/kubectl', tag: '1.33.4-debian-12-r0' },
      },
    },
  ],
  sizes: {
    small: { cpu: '250m', memory: '1Gi', storage: '8Gi' },
    medium: { cpu: '1', memory: '4Gi', storage: '20Gi' },
    large: { cpu: '2', memory: '16Gi', storage: '64Gi' },
  },
  highAvailability: { replicas: 3, minReplicas: 3, summary: 'Redis Sentinel with automatic failover; a quorum needs at least 3 nodes' },
  credentials: [{ key: 'redis-password', description: 'password of Redis and Sentinel', clientKey: 'password' }],
  clientPorts: [
    { name: 'redis', port: PORT },
    { name: 'sentinel', port: SENTINEL_PORT },
  ],
  // The exporter sidecar.
  metricsEndpoint: { port: 'metrics', path: '/metrics' },
  serverPodLabels: (release) => bitnamiPodLabels(release, CHART),
  connection: ({ release, namespace, highAvailability }): Record<string, string> =>
    highAvailability
      ? {
          HOST: serviceHost(release, namespace),
          PORT: String(PORT),
          SENTINEL_HOST: serviceHost(release, namespace),
          SENTINEL_PORT: String(SENTINEL_PORT),
          SENTINEL_MASTER_SET: MASTER_SET,
        }
      : { HOST: serviceHost(`${release}-master`, namespace), PORT: String(PORT) },
  values: (input) => {
    const image = (role: string) => bitnamiImage(input.registry, input.pinned.images[role]);
    const persistence = bitnamiPersistence(input);
    const common = {
      auth: { enabled: true, sentinel: true, existingSecret: input.credentialsSecret, existingSecretPasswordKey: 'redis-password' },
      image: image('server'),
      metrics: { enabled: input.metrics, image: image('metrics') },
      volumePermissions: { enabled: false, image: image('shell') },
      sysctl: { enabled: false, image: image('shell') },
      kubectl: { image: image('kubectl') },
    };
    if (!input.highAvailability) {
      return {
        ...bitnamiGlobals(input),
        ...common,
        architecture: 'standalone',
        master: { ...bitnamiResources(input.resources), persistence, ...bitnamiPlacement(input, bitnamiPodLabels(input.release, CHART, 'master')) },
        sentinel: { enabled: false, image: image('sentinel') },
      };
    }
    return {
      ...bitnamiGlobals(input),
      ...common,
      architecture: 'replication',
      // With Sentinel the chart runs one `<release>-node` StatefulSet from the `replica` settings.
      replica: {
        replicaCount: input.replicas,
        ...bitnamiResources(input.resources),
        persistence,
        ...bitnamiPlacement(input, bitnamiPodLabels(input.release, CHART, 'node')),
      },
      sentinel: {
        enabled: true,
        image: image('sentinel'),
        masterSet: MASTER_SET,
        quorum: Math.floor(input.replicas / 2) + 1,
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
      },
    };
  },
};
