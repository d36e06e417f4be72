/**
 * The Changsha logistics-port case (white paper chapter 5.2) on the standard blueprint.
 *
 * The China (Changsha) International Trade Single Window connects customs, rail, shipping,
 * freight forwarders and cross-border e-commerce. Its systems run on a managed Istio mesh:
 * governance without code changes, grey (canary) releases, circuit breaking and rate limiting so
 * the Double-11 peak does not crush them, and elastic capacity for the surge.
 *
 * Here that is the citizen-services blueprint with the mesh switched on, and Changsha's own
 * overrides plus the port's three systems:
 * - customs-declaration (报关): internal; version 2.5.0 is in canary at 10%, testers reach it
 *   with `x-canary: always`; retries only what never reached it (declarations are not idempotent);
 * - freight-tracking (货运跟踪): the public-facing API through the ingress gateway, with a circuit
 *   breaker, a local rate limit for the peak, an HPA for the surge, and a second copy on the
 *   public-cloud cluster that takes over through locality failover;
 * - ecommerce-parcels (跨境电商/邮快件): cross-border parcel clearance, scales for Double-11 and
 *   calls customs-declaration through its circuit breaker.
 */
import { type BlueprintOverrides, type BlueprintSpec, Fleet, type ServiceSpec, changsha, citizenServices } from '../../index';

const REGISTRY = 'registry.gov.hunan.example/port-logistics';

const portService = (spec: Omit<ServiceSpec, 'department' | 'resources' | 'ports' | 'probes'> & Partial<ServiceSpec>): ServiceSpec => ({
  department: 'port-logistics',
  ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  resources: { requests: { cpu: '500m', memory: '512Mi' } },
  probes: { readiness: { path: '/ready' }, liveness: { path: '/healthz' } },
  ...spec,
});

/**
 * The standard blueprint, meshed: Istio 1.30 on every cluster of a region, objects in `v1`. Its
 * observability (every cluster remote-writing to the hub on Changsha's government cloud) comes
 * with the blueprint; the port's systems add their SLOs (white paper 5.2: full-stack monitoring
 * that warns before a failure).
 */
export const meshedBlueprint: BlueprintSpec = {
  ...citizenServices,
  mesh: { version: '1.30.3', apiVersion: 'v1' },
};

export const portServices: ServiceSpec[] = [
  portService({
    name: 'customs-declaration',
    displayName: '报关申报 Customs declaration',
    image: `${REGISTRY}/customs-declaration`,
    version: '2.4.0',
    clusters: ['gov'],
    middleware: [
      { name: 'port-messages', envPrefix: 'AMQP' },
      { name: 'citizen-db', envPrefix: 'DB' },
    ],
    autoscaling: { minReplicas: 3, maxReplicas: 24 },
    callers: ['single-window', 'ecommerce-parcels'],
    // Declarations must go through: 99.9% over 30 days is 43 minutes of errors a month.
    slos: [
      { name: 'availability', objective: 99.9 },
      { name: 'latency', objective: 99, latency: { threshold: '1s' } },
    ],
    traffic: {
      canary: { weights: { '2.4.0': 90, '2.5.0': 10 }, testers: { header: 'x-canary', value: 'always', version: '2.5.0' } },
      timeout: '10s',
      retries: { attempts: 2, perTryTimeout: '4s' },
      circuitBreaker: {
        connectionPool: { maxConnections: 200, maxPendingRequests: 100, maxRequests: 400 },
        outlierDetection: { consecutiveErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      },
      // Customs' own back end has a hard ceiling: shed load in the sidecar rather than queue it.
      rateLimit: { requests: 200, fillInterval: '1s', burst: 400 },
    },
  }),
  portService({
    name: 'freight-tracking',
    displayName: '货运跟踪 Freight tracking (public API)',
    image: `${REGISTRY}/freight-tracking`,
    version: '3.1.2',
    // Waybill status only, no personal data: it may run on the public cloud (the copy on burst).
    dataClassification: 'internal',
    resources: { requests: { cpu: '250m', memory: '256Mi' } },
    // Double-11: tens of times the usual queries; scale up hard, down slowly.
    autoscaling: {
      minReplicas: 4,
      maxReplicas: 80,
      targetCpuUtilization: 60,
      scaleUp: { percent: 300, pods: 10, periodSeconds: 15 },
      scaleDown: { percent: 10, periodSeconds: 60, stabilizationWindowSeconds: 900 },
    },
    callers: ['single-window', 'citizen-app'],
    slos: [
      { name: 'availability', objective: 99.5 },
      { name: 'latency', objective: 99, latency: { threshold: '250ms' } },
    ],
    traffic: {
      expose: { hosts: ['track.port.changsha.gov.hunan.example'], tlsSecret: 'port-tracking-tls' },
      timeout: '3s',
      retries: { attempts: 2, perTryTimeout: '1s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,5xx' },
      // 200 requests per second per pod: 16,000/s at 80 pods, beyond which the service sheds load.
      rateLimit: { requests: 200, fillInterval: '1s', burst: 400 },
      circuitBreaker: {
        connectionPool: { maxConnections: 1000, maxPendingRequests: 500, maxRequestsPerConnection: 100 },
        outlierDetection: { consecutiveErrors: 3, interval: '5s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      },
      // Stay on the caller's own cluster; when its pods fail, fail over to the public cloud's copy.
      localityFailover: { failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/zone'] },
    },
  }),
  portService({
    name: 'ecommerce-parcels',
    displayName: '跨境电商邮快件 Cross-border e-commerce parcels',
    image: `${REGISTRY}/ecommerce-parcels`,
    version: '1.8.0',
    clusters: ['gov'],
    middleware: [{ name: 'port-messages', envPrefix: 'AMQP' }],
    autoscaling: { minReplicas: 3, maxReplicas: 40, scaleUp: { percent: 200, pods: 8, periodSeconds: 15 } },
    callers: ['single-window'],
    slos: [{ name: 'availability', objective: 99.5 }],
    traffic: { timeout: '15s', circuitBreaker: { connectionPool: { maxConnections: 300, maxPendingRequests: 200 } } },
  }),
];

/**
 * With the mesh, a service admits only its declared callers, so the public front doors say so:
 * the citizen app, the government service portal and the single window (国际贸易单一窗口), which
 * stays with its data on the government cloud.
 */
const frontDoors: Record<string, Partial<ServiceSpec> & { name: string }> = {
  'citizen-app': { name: 'citizen-app', traffic: { expose: { hosts: ['app.changsha.gov.hunan.example'], tlsSecret: 'citizen-app-tls' }, timeout: '10s' } },
  'gov-portal': { name: 'gov-portal', traffic: { expose: { hosts: ['zwfw.changsha.gov.hunan.example'], tlsSecret: 'gov-portal-tls' } } },
  'single-window': {
    name: 'single-window',
    clusters: ['gov'],
    traffic: { expose: { hosts: ['singlewindow.port.changsha.gov.hunan.example'], tlsSecret: 'single-window-tls' }, timeout: '30s' },
  },
};

/** Changsha's regional overrides, plus the port's systems on the gov cluster and the public-cloud burst cluster. */
export const changshaPort: BlueprintOverrides = {
  ...changsha,
  departments: [
    ...(changsha.departments ?? []).filter((d) => d.name !== 'port-logistics'),
    {
      name: 'port-logistics',
      displayName: '物流口岸办 Logistics Port Office',
      quota: { cpu: '96', memory: '192Gi', pods: 400 },
      clusters: ['gov', 'burst'],
      // The port office owns its systems' SLO alerts; the data bureau the platform's.
      alertReceivers: [{ name: 'port-duty', webhook: { urlSecret: { name: 'port-duty-webhook', key: 'url' } } }],
    },
  ],
  services: [...(changsha.services ?? []).map((s) => ({ ...s, ...frontDoors[s.name] })), frontDoors['gov-portal'], ...portServices],
};

/** The fleet of the example: Changsha only. */
export function logisticsPortFleet(outdir: string): Fleet {
  const fleet = new Fleet({ blueprint: meshedBlueprint, outdir });
  fleet.addRegions({ changsha: { overrides: changshaPort, source: 'examples/logistics-port' } });
  return fleet;
}
