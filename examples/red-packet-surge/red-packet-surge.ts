/**
 * The Changsha digital-RMB red-packet case (white paper chapter 5.1) on the standard blueprint.
 *
 * "数字人民币 幸福新长沙": 40 million yuan of digital-RMB red packets, drawn by lot among citizens
 * registered in the 我的长沙 app. The peak was estimated at 40 times normal traffic. The answer:
 * burst from the government cloud to a public cloud, a hot standby on the public cloud, and one
 * control plane (Huawei's MCP, i.e. Karmada) across both: zero downtime.
 *
 * Here that is the citizen-services blueprint plus:
 * - a public-cloud cluster `burst` in every region, pulling from the public cloud's registry;
 * - the Financial Affairs Office (金融办) with the campaign: `red-packet` (draw and claim API,
 *   stateless, tokens in the campaign cache) and `red-packet-settlement` (pay-outs, on the
 *   government cloud only, with its database);
 * - the citizen app's back end as a stateless front for the campaign: sessions in the campaign
 *   cache, citizen records behind the departments' services it calls on the government cloud;
 * - a burst link `red-packet` (40x, 20% headroom, pre-scaled by KEDA cron for the draw evening)
 *   and a DR pair `campaign-continuity` (hot standby on the public cloud, RPO 5m, RTO 5m, the
 *   settlement database replicated there as a CloudNativePG replica cluster).
 *
 * Changsha runs the application layer through Karmada (as MCP did); Zhuzhou reuses the blueprint
 * with its own overrides (another public cloud, a 20x surge) and per-cluster manifests.
 */
import {
  type BlueprintOverrides,
  type BlueprintSpec,
  Fleet,
  campaignCache,
  campaignContinuity,
  changsha,
  citizenServices,
  financeOffice,
  redPacketBurst,
  redPacketService,
  zhuzhou,
} from '../../index';

const REGISTRY = 'registry.gov.hunan.example/citizen-services';

export const redPacketBlueprint: BlueprintSpec = {
  ...citizenServices,
  clusters: [
    ...citizenServices.clusters,
    {
      // Each region rents its own; the blueprint fixes the shape, regions the address.
      name: 'burst',
      role: 'public',
      cloud: 'public-cloud',
      production: true,
      connection: { kubeconfig: { path: '~/.kube/config', context: 'burst' } },
      capacity: { nodes: 8, nodeCpu: '16', nodeMemory: '64Gi' },
      network: { podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/16' },
    },
  ],
  departments: [...citizenServices.departments, financeOffice],
  services: [
    ...citizenServices.services.map((s) =>
      s.name === 'citizen-app'
        ? {
            ...s,
            // Sessions and draw tokens only: nothing of a citizen's record is kept by the front.
            dataClassification: 'internal' as const,
            middleware: [{ name: 'campaign-cache', envPrefix: 'CACHE' }],
          }
        : s,
    ),
    redPacketService,
    {
      name: 'red-packet-settlement',
      department: 'finance-office',
      displayName: '红包结算 Red-packet settlement',
      image: `${REGISTRY}/red-packet-settlement`,
      version: '1.4.0',
      clusters: ['gov'],
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      middleware: [{ name: 'settlement-db', envPrefix: 'DB' }],
      resources: { requests: { cpu: '500m', memory: '1Gi' } },
      probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
      replicas: 2,
      callers: ['red-packet'],
    },
  ],
  middleware: [
    ...(citizenServices.middleware ?? []).map((m) =>
      m.name === 'session-cache' || m.name === 'event-bus' || m.name === 'citizen-db'
        ? { ...m, grants: (m.grants ?? []).filter((g) => g !== 'data-bureau') }
        : m,
    ),
    // The citizen app's campaign front keeps its sessions here too.
    { ...campaignCache, grants: ['data-bureau', 'finance-office'] },
    {
      name: 'settlement-db',
      engine: 'postgresql',
      version: '17.6.0',
      size: 'medium',
      // Pay-out records keyed by wallet token: the identities stay with the bank.
      dataClassification: 'internal',
      grants: ['finance-office'],
    },
  ],
  burst: [
    {
      ...redPacketBurst,
      services: [{ name: 'citizen-app', baselineRps: 800, rpsPerReplica: 400 }, ...redPacketBurst.services],
    },
  ],
  disasterRecovery: [
    {
      ...campaignContinuity,
      services: ['citizen-app', ...campaignContinuity.services],
      databases: [{ name: 'settlement-db', primaryHost: 'pg-settlement.gov.hunan.example' }],
    },
  ],
};

// Changsha's own overrides carry the campaign (the default region runs it too); here the blueprint
// does, for every region, so Changsha takes the blueprint's.
const { burst: _burst, disasterRecovery: _disasterRecovery, ...changshaWithoutCampaign } = changsha;

/** Changsha: its usual overrides, Huawei Cloud for the burst cluster, and Karmada (MCP) for the application layer. */
export const changshaRedPacket: BlueprintOverrides = {
  ...changshaWithoutCampaign,
  departments: (changsha.departments ?? []).filter((d) => d.name !== financeOffice.name),
  services: (changsha.services ?? []).filter((s) => s.name !== redPacketService.name),
  middleware: (changsha.middleware ?? []).filter((m) => m.name !== campaignCache.name),
  clusters: [
    ...(changsha.clusters ?? []).filter((c) => c.name !== 'burst'),
    {
      name: 'burst',
      cloud: 'huawei-cloud',
      location: 'cn-central-221',
      zones: ['cn-central-221a', 'cn-central-221b'],
      registry: 'swr.cn-central-221.myhuaweicloud.example/hunan-gov',
      connection: { kubeconfig: null, endpoint: { host: 'https://cce-burst.cn-central-221.huaweicloud.example:5443' } },
      capacity: { nodes: 12 },
    },
  ],
  disasterRecovery: [{ name: 'campaign-continuity', databases: [{ name: 'settlement-db', primaryHost: 'pg-settlement.changsha.gov.hunan.example' }] }],
  karmada: { memberNames: { gov: 'changsha-gov-cloud', burst: 'changsha-huawei-cce' } },
};

/** Zhuzhou: its usual overrides, China Telecom's cloud for the burst cluster, a smaller city and a 20x surge. */
export const zhuzhouRedPacket: BlueprintOverrides = {
  ...zhuzhou,
  clusters: [
    ...(zhuzhou.clusters ?? []),
    {
      name: 'burst',
      cloud: 'tianyi-cloud',
      location: 'hunan-changsha-1',
      registry: 'registry.ctyun.example/hunan-gov',
      connection: { kubeconfig: { context: 'zhuzhou-burst' } },
      network: { podCidr: '172.24.0.0/16', serviceCidr: '172.25.0.0/16' },
    },
  ],
  burst: [
    {
      name: 'red-packet',
      surgeFactor: 20,
      services: [
        { name: 'citizen-app', baselineRps: 300 },
        { name: 'red-packet', baselineRps: 200 },
      ],
    },
  ],
  disasterRecovery: [{ name: 'campaign-continuity', databases: [{ name: 'settlement-db', primaryHost: 'pg-settlement.zhuzhou.gov.hunan.example' }] }],
};

export interface RedPacketFleetOptions {
  /** Drop Changsha's Karmada control plane, so both regions write per-cluster manifests. @default false */
  readonly withoutKarmada?: boolean;
}

/** The fleet of the example: Changsha (through Karmada) and Zhuzhou (per cluster). */
export function redPacketFleet(outdir: string, options: RedPacketFleetOptions = {}): Fleet {
  const fleet = new Fleet({ blueprint: redPacketBlueprint, outdir });
  const changshaOverrides = options.withoutKarmada ? { ...changshaRedPacket, karmada: undefined } : changshaRedPacket;
  fleet.addRegions({
    changsha: { overrides: changshaOverrides, source: 'examples/red-packet-surge' },
    zhuzhou: { overrides: zhuzhouRedPacket, source: 'examples/red-packet-surge' },
  });
  return fleet;
}
