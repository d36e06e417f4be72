import { type MiddlewareEngine } from '../engine';
import { bitnamiGlobals, bitnamiImage, bitnamiPersistence, bitnamiPlacement, bitnamiPodLabels, bitnamiResources, serviceHost } from './bitnami';

const CHART = 'postgresql';
const PORT = 5432;

/**
 * PostgreSQL from the Bitnami `postgresql` chart. Highly available means streaming replication:
 * a primary and read replicas on separate nodes, with one synchronous standby so a committed
 * transaction survives the loss of the primary. Promotion is manual with this chart; automatic
 * failover and cross-cloud replicas are CloudNativePG's job (DR pairs).
 */
export const postgresql: MiddlewareEngine = {
  name: 'postgresql',
  product: 'PostgreSQL',
  chart: CHART,
  releases: [
    {
      version: '17.5.0',
      chartVersion: '16.7.25',
      images: {
        server: { repository: 'bitnamilegacy/postgresql', tag: '17.5.0-debian-12-r20' },
        metrics: { repository: 'bitnamilegacy/postgres-exporter', tag: '0.17.1-debian-12-r15' },
        shell: { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r50' },
      },
    },
    {
      version: '17.6.0',
      chartVersion: '16.7.27',
      images: {
        server: { repository: 'bitnamilegacy/postgresql', tag: '17.6.0-debian-12-r4' },
        metrics: { repository: 'bitnamilegacy/postgres-exporter', tag: '0.17.1-debian-12-r16' },
        shell: { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r51' },
      },
    },
  ],
  sizes: {
    small: { cpu: '500m', memory: '1Gi', storage: '20Gi' },
    medium: { cpu: '2', memory: '4Gi', storage: '100Gi' },
    large: { cpu: '4', memory: '16Gi', storage: '500Gi' },
  },
  highAvailability: { replicas: 3, minReplicas: 2, summary: 'a primary and synchronous streaming replicas on separate nodes' },
  credentials: [
    { key: 'postgres-password', description: 'password of the "postgres" superuser (platform only)' },
    { key: 'password', description: 'password of the application user "app"', clientKey: 'password' },
    { key: 'replication-password', description: 'password of the replication user (platform only)' },
  ],
  clientPorts: [{ name: 'postgresql', port: PORT }],
  // The exporter sidecar.
  metricsEndpoint: { port: 'http-metrics', path: '/metrics' },
  // Database names with "-" need quoting in SQL; "_" does not.
  defaultResourceName: (instance) => instance.replace(/-/g, '_'),
  serverPodLabels: (release) => bitnamiPodLabels(release, CHART),
  connection: ({ release, namespace, resourceName, highAvailability }) => ({
    // In replication mode the chart names the primary `<fullname>-primary` and adds `<fullname>-read`.
    HOST: serviceHost(highAvailability ? `${release}-primary` : release, namespace),
    READ_HOST: serviceHost(highAvailability ? `${release}-read` : release, namespace),
    PORT: String(PORT),
    DATABASE: resourceName,
    USERNAME: 'app',
  }),
  values: (input) => {
    const image = (role: string) => bitnamiImage(input.registry, input.pinned.images[role]);
    const component = (name: string) => ({
      ...bitnamiResources(input.resources),
      persistence: bitnamiPersistence(input),
      ...bitnamiPlacement(input, bitnamiPodLabels(input.release, CHART, name)),
      // The platform's policies replace the chart's allow-all ones.
      networkPolicy: { enabled: false },
    });
    return {
      // Chart 16.7 has no top-level `networkPolicy`: only `primary.` and `readReplicas.networkPolicy`.
      ...bitnamiGlobals(input, { networkPolicy: 'per-component' }),
      image: image('server'),
      architecture: input.highAvailability ? 'replication' : 'standalone',
      auth: {
        username: 'app',
        database: input.resourceName,
        existingSecret: input.credentialsSecret,
        secretKeys: { adminPasswordKey: 'postgres-password', userPasswordKey: 'password', replicationPasswordKey: 'replication-password' },
      },
      primary: component('primary'),
      ...(input.highAvailability
        ? {
            readReplicas: { ...component('read'), replicaCount: input.replicas - 1 },
            replication: { synchronousCommit: 'on', numSynchronousReplicas: 1 },
          }
        : {}),
      metrics: { enabled: input.metrics, image: image('metrics') },
      volumePermissions: { enabled: false, image: image('shell') },
    };
  },
};
