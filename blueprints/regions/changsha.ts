import { type BlueprintOverrides } from '../../constructs/blueprint-spec';
import { campaignCache, campaignContinuity, financeOffice, redPacketBurst, redPacketService } from '../red-packet-campaign';

/**
 * Changsha (长沙), the provincial capital: the largest government cloud, reached by API endpoint
 * from the pipeline; a public-cloud cluster for burst and standby capacity, where the digital-RMB
 * red-packet campaign (white paper 5.1) bursts 40x from the government cloud and keeps a hot
 * standby; the logistics port office (物流口岸办) runs only here, its single window published
 * through the mesh; state in the city's S3-compatible object store; the busiest shelf: a larger
 * database on SSD, and a RabbitMQ for the port's customs and freight messages.
 */
export const changsha: BlueprintOverrides = {
  backend: { s3: { bucket: 'changsha-platform-terraform', endpoint: 'https://obs.changsha.gov.hunan.example' } },
  clusters: [
    {
      name: 'gov',
      connection: { kubeconfig: null, endpoint: { host: 'https://k8s-gov.changsha.gov.hunan.example:6443' } },
      capacity: { nodes: 12 },
    },
    {
      name: 'burst',
      role: 'public',
      cloud: 'huawei-cloud',
      zones: ['cn-central-221a', 'cn-central-221b'],
      connection: { endpoint: { host: 'https://cce-burst.cn-central-221.huaweicloud.example:5443' } },
      capacity: { nodes: 4, nodeCpu: '16', nodeMemory: '64Gi' },
      network: { podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/16' },
    },
  ],
  departments: [
    { name: 'education', quota: { cpu: '48', memory: '144Gi' } },
    {
      name: 'port-logistics',
      displayName: '物流口岸办 Logistics Port Office',
      quota: { cpu: '24', memory: '64Gi' },
    },
    financeOffice,
  ],
  services: [
    { name: 'citizen-app', autoscaling: { minReplicas: 4, maxReplicas: 60 } },
    {
      name: 'single-window',
      department: 'port-logistics',
      displayName: '国际贸易单一窗口 International trade single window',
      image: 'registry.gov.hunan.example/citizen-services/single-window',
      version: '1.12.0',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      resources: { requests: { cpu: '500m', memory: '1Gi' } },
      probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
      autoscaling: { minReplicas: 2, maxReplicas: 16 },
      clusters: ['gov'],
      traffic: { expose: { hosts: ['singlewindow.port.changsha.gov.hunan.example'], tlsSecret: 'single-window-tls' }, timeout: '30s' },
      middleware: [
        { name: 'port-messages', envPrefix: 'AMQP' },
        { name: 'citizen-db', envPrefix: 'DB' },
      ],
    },
    redPacketService,
  ],
  middleware: [
    {
      name: 'citizen-db',
      size: 'large',
      storage: { storageClass: 'csi-ssd' },
      grants: ['data-bureau', 'education', 'social-security', 'port-logistics'],
    },
    {
      name: 'port-messages',
      engine: 'rabbitmq',
      version: '4.1.3',
      size: 'medium',
      grants: ['port-logistics'],
    },
    // The province's long-term metrics (Thanos blocks), beside the observability hub.
    { name: 'metrics-store', engine: 'object-storage', version: '2025.6.13', size: 'medium', resourceName: 'thanos-metrics', clusters: ['gov'] },
    campaignCache,
  ],
  burst: [redPacketBurst],
  disasterRecovery: [campaignContinuity],
  // The burst cluster's public cloud, by the hour (illustrative, like the blueprint's prices).
  costs: { prices: { 'huawei-cloud': { vcpuHour: 0.34, gibHour: 0.045 } } },
};
