import { type MiddlewareEngine } from '../engine';
import { bitnamiGlobals, bitnamiImage, bitnamiPersistence, bitnamiPlacement, bitnamiPodLabels, bitnamiResources, serviceHost } from './bitnami';

const CHART = 'kafka';
const CLIENT_PORT = 9092;

/**
 * Apache Kafka in KRaft mode from the Bitnami `kafka` chart: combined controller+broker nodes.
 * Highly available means three or more nodes on separate nodes with topics replicated three
 * times and two in-sync replicas required for a write; without HA, one node with replication
 * factors of 1 (Kafka's internal topics default to 3, which a single node cannot host).
 */
export const kafka: MiddlewareEngine = {
  name: 'kafka',
  product: 'Apache Kafka',
  chart: CHART,
  releases: [
    {
      version: '3.9.0',
      chartVersion: '31.1.0',
      images: {
        server: { repository: 'bitnamilegacy/kafka', tag: '3.9.0-debian-12-r1' },
        metrics: { repository: 'bitnamilegacy/jmx-exporter', tag: '1.0.1-debian-12-r9' },
        kubectl: { repository: 'bitnamilegacy/kubectl', tag: '1.31.2-debian-12-r6' },
        shell: { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r33' },
      },
    },
  ],
  sizes: {
    small: { cpu: '1', memory: '2Gi', storage: '20Gi' },
    medium: { cpu: '2', memory: '8Gi', storage: '100Gi' },
    large: { cpu: '4', memory: '16Gi', storage: '500Gi' },
  },
  highAvailability: { replicas: 3, minReplicas: 3, summary: 'a KRaft quorum of nodes on separate nodes, replication factor 3 with 2 in-sync replicas' },
  credentials: [
    { key: 'client-passwords', description: 'password of the SASL client user "app"', clientKey: 'password' },
    { key: 'inter-broker-password', description: 'password of the inter-broker user (platform only)' },
    { key: 'controller-password', description: 'password of the controller user (platform only)' },
  ],
  clientPorts: [{ name: 'client', port: CLIENT_PORT }],
  // The JMX exporter sidecar.
  metricsEndpoint: { port: 'metrics', path: '/metrics' },
  serverPodLabels: (release) => bitnamiPodLabels(release, CHART),
  connection: ({ release, namespace }) => ({
    BOOTSTRAP_SERVERS: `${serviceHost(release, namespace)}:${CLIENT_PORT}`,
    SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
    SASL_MECHANISM: 'PLAIN',
    USERNAME: 'app',
  }),
  values: (input) => {
    const image = (role: string) => bitnamiImage(input.registry, input.pinned.images[role]);
    const replication = input.highAvailability ? Math.min(3, input.replicas) : 1;
    return {
      ...bitnamiGlobals(input),
      image: image('server'),
      kraft: { enabled: true },
      sasl: { client: { users: ['app'] }, existingSecret: input.credentialsSecret },
      controller: {
        replicaCount: input.replicas,
        controllerOnly: false,
        // The heap follows the memory limit; the rest is page cache.
        heapOpts: '-XX:InitialRAMPercentage=50 -XX:MaxRAMPercentage=50',
        ...bitnamiResources(input.resources),
        persistence: bitnamiPersistence(input),
        ...bitnamiPlacement(input, bitnamiPodLabels(input.release, CHART, 'controller-eligible')),
      },
      // Every node is a combined controller+broker, so the broker-only StatefulSet has no pods:
      // its PodDisruptionBudget would select none (the controller's covers the nodes).
      broker: { replicaCount: 0, pdb: { create: false } },
      extraConfigYaml: {
        'default.replication.factor': replication,
        'min.insync.replicas': input.highAvailability ? 2 : 1,
        'offsets.topic.replication.factor': replication,
        'transaction.state.log.replication.factor': replication,
        'transaction.state.log.min.isr': input.highAvailability ? 2 : 1,
      },
      metrics: { jmx: { enabled: input.metrics, image: image('metrics') } },
      volumePermissions: { enabled: false, image: image('shell') },
      externalAccess: { enabled: false, autoDiscovery: { enabled: false, image: image('kubectl') } },
    };
  },
};
