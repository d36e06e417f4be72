import type { BurstLinkSpec } from '../constructs/burst/burst-spec';
import type { DrPairSpec } from '../constructs/disaster-recovery/disaster-recovery-spec';
import type { MiddlewareSpec } from '../constructs/middleware/middleware-spec';
import type { DepartmentSpec } from '../constructs/tenancy/department-spec';
import type { ServiceSpec } from '../constructs/workload/service-spec';

/**
 * The Changsha digital-RMB red-packet campaign (white paper chapter 5.1), the parts the default
 * Changsha region and the red-packet-surge example share: the Financial Affairs Office (金融办),
 * its draw-and-claim API, the campaign cache on both sides of the burst link, the 40x burst link
 * pre-scaled for the draw evening, and the hot standby on the public cloud.
 */

const REGISTRY = 'registry.gov.hunan.example/citizen-services';

export const financeOffice: DepartmentSpec = {
  name: 'finance-office',
  displayName: '金融办 Financial Affairs Office',
  quota: { cpu: '64', memory: '128Gi', pods: 400 },
};

export const redPacketService: ServiceSpec = {
  name: 'red-packet',
  department: 'finance-office',
  displayName: '数字人民币红包 Digital-RMB red-packet draw and claim API',
  image: `${REGISTRY}/red-packet`,
  version: '1.4.0',
  // Draw tokens and wallet tokens only: identities stay with the bank and the citizen app.
  dataClassification: 'internal',
  ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  middleware: [{ name: 'campaign-cache', envPrefix: 'CACHE' }],
  resources: { requests: { cpu: '500m', memory: '512Mi' } },
  probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
  autoscaling: { minReplicas: 4, maxReplicas: 40, targetCpuUtilization: 60 },
};

export const campaignCache: MiddlewareSpec = {
  name: 'campaign-cache',
  engine: 'redis',
  version: '8.2.1',
  size: 'small',
  clusters: ['gov', 'burst'],
  dataClassification: 'internal',
  backup: { enabled: false, reason: 'draw tokens and sessions expire within the campaign' },
  grants: ['finance-office'],
};

/** The draw evening: both sides warm to the peak half an hour before the draw opens. */
export const drawEvening = { name: 'draw-evening', start: '30 19 15 1 *', end: '0 23 15 1 *' };

/** 40x from the government cloud to the public burst cluster, with 20% headroom. */
export const redPacketBurst: BurstLinkSpec = {
  name: 'red-packet',
  from: 'gov',
  to: 'burst',
  surgeFactor: 40,
  headroomPercent: 20,
  services: [{ name: 'red-packet', baselineRps: 500, rpsPerReplica: 200 }],
  events: [drawEvening],
};

/** A hot standby of the campaign on the public cloud, within 5 minutes of data and of downtime. */
export const campaignContinuity: DrPairSpec = {
  name: 'campaign-continuity',
  primary: 'gov',
  standby: 'burst',
  mode: 'hot-standby',
  rpo: '5m',
  rto: '5m',
  services: ['red-packet'],
  backup: {
    endpoint: 'https://obs.cn-central-221.public-cloud.example',
    bucket: 'hunan-campaign-dr',
    credentialsSecret: { name: 'dr-object-store', key: 'cloud' },
  },
  standbyReplicas: 2,
};
