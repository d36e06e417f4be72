import { type MiddlewareEngine } from '../engine';
import { bitnamiGlobals, bitnamiImage, bitnamiPersistence, bitnamiPlacement, bitnamiPodLabels, bitnamiResources, serviceHost } from './bitnami';

const CHART = 'rabbitmq';
const AMQP_PORT = 5672;

/**
 * RabbitMQ from the Bitnami `rabbitmq` chart. Highly available means a cluster of three or more
 * nodes on separate nodes; declare quorum queues to have messages replicated across them.
 */
export const rabbitmq: MiddlewareEngine = {
  name: 'rabbitmq',
  product: 'RabbitMQ',
  chart: CHART,
  releases: [
    {
      // Chart 16.0.16 is the newest 16.x release and ships RabbitMQ 4.1.3 (there is no 16.1.0).
      version: '4.1.3',
      chartVersion: '16.0.16',
      images: {
        server: { repository: 'bitnamilegacy/rabbitmq', tag: '4.1.3-debian-12-r1' },
        shell: { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r50' },
      },
    },
  ],
  sizes: {
    small: { cpu: '500m', memory: '1Gi', storage: '8Gi' },
    medium: { cpu: '1', memory: '4Gi', storage: '50Gi' },
    large: { cpu: '2', memory: '8Gi', storage: '200Gi' },
  },
  highAvailability: { replicas: 3, minReplicas: 3, summary: 'a cluster of nodes on separate nodes; quorum queues need at least 3' },
  credentials: [
    { key: 'password', description: 'password of the application user "app"', clientKey: 'password' },
    { key: 'erlang-cookie', description: 'Erlang cookie shared by the cluster nodes (platform only)' },
  ],
  clientPorts: [{ name: 'amqp', port: AMQP_PORT }],
  // The built-in prometheus plugin.
  metricsEndpoint: { port: 'metrics', path: '/metrics' },
  // Nodes find each other through the Kubernetes API (rabbit_peer_discovery_k8s).
  usesKubernetesApi: true,
  serverPodLabels: (release) => bitnamiPodLabels(release, CHART),
  connection: ({ release, namespace }) => ({
    HOST: serviceHost(release, namespace),
    PORT: String(AMQP_PORT),
    // The chart's default virtual host, on which the application user has every permission.
    VHOST: '/',
    USERNAME: 'app',
  }),
  values: (input) => ({
    ...bitnamiGlobals(input),
    image: bitnamiImage(input.registry, input.pinned.images.server),
    replicaCount: input.replicas,
    auth: {
      username: 'app',
      existingPasswordSecret: input.credentialsSecret,
      existingSecretPasswordKey: 'password',
      existingErlangSecret: input.credentialsSecret,
      existingSecretErlangKey: 'erlang-cookie',
    },
    clustering: { enabled: true, partitionHandling: input.highAvailability ? 'pause_minority' : 'autoheal' },
    ...bitnamiResources(input.resources),
    persistence: bitnamiPersistence(input),
    ...bitnamiPlacement(input, bitnamiPodLabels(input.release, CHART)),
    metrics: { enabled: input.metrics },
    volumePermissions: { enabled: false, image: bitnamiImage(input.registry, input.pinned.images.shell) },
  }),
};
