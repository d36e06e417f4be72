import { table } from '../../lib/report/markdown';
import { parseDuration } from '../../lib/duration';
import { servedVersions } from '../workload/canary-plan';
import { canaryAnalysis, describeAnalysis, describeSteps } from '../delivery/progressive-plan';
import { serviceClusters } from '../core/placement-plan';
import type { ServiceSpec } from '../workload/service-spec';
import type { TrafficSpec } from '../workload/traffic-spec';
import type { IRegion } from '../core/tree';

/** The region report's mesh section: the install per cluster, then each service's traffic policy. */
export function meshSection(region: IRegion): string {
  const spec = region.spec.mesh;
  const meshed = region.clusters.filter((c) => c.mesh);
  if (!spec || meshed.length === 0) return 'No service mesh.\n';
  const first = meshed[0].mesh!;
  let out = `Istio ${spec.version} (sidecar mode, CNI), objects in \`${first.networkingApiVersion}\` / \`${first.securityApiVersion}\`; mesh \`${first.meshId}\`, trust domain \`${first.trustDomain}\`. Mutual TLS is STRICT mesh-wide; every department namespace starts from \`allow-nothing\`.\n\n`;
  out += table(
    ['cluster', 'istiod cluster name', 'network', 'ingress gateway', 'east-west gateway'],
    meshed.map((c) => {
      const mesh = c.mesh!;
      const gateway = spec.ingressGateway ?? {};
      return [
        c.name,
        mesh.clusterName,
        mesh.network,
        `${gateway.serviceType ?? 'LoadBalancer'}, ${gateway.minReplicas ?? 2}-${gateway.maxReplicas ?? 10} replicas`,
        mesh.crossNetwork ? 'yes (cross-network, port 15443)' : 'no (one network)',
      ];
    }),
  );
  const services = region.spec.services.filter(
    (s) => (s.traffic || s.callers) && serviceClusters(region.spec, s).some((c) => meshed.some((m) => m.name === c)),
  );
  out += '\n';
  out += table(
    ['service', 'callers', 'exposed', 'canary', 'timeout, retries', 'circuit breaker', 'rate limit', 'locality failover'],
    services.map((s) => {
      const t: TrafficSpec = s.traffic ?? {};
      return [
        s.name,
        (s.callers ?? []).join(', ') || 'none',
        exposure(t),
        canary(s),
        timeouts(t),
        breaker(t),
        rateLimit(s),
        t.localityFailover ? `by ${(t.localityFailover.failoverPriority ?? ['topology.istio.io/network']).join(' > ')}` : '',
      ];
    }),
  );
  const variables = meshed.flatMap((c) => c.mesh!.remoteKubeconfigVariables.map((v) => `\`${v}\` (${c.stackName})`));
  if (variables.length > 0) {
    out += `\nistiod watches the other clusters through remote secrets, written from sensitive, ephemeral variables holding each peer's kubeconfig (\`istioctl create-remote-secret --name=<cluster>\`): ${variables.join(', ')}.\n`;
  }
  return out;
}

function exposure(t: TrafficSpec): string {
  if (!t.expose) return '';
  return `${t.expose.hosts.join(', ')} (${t.expose.tlsSecret ? `HTTPS, certificate ${t.expose.tlsSecret}` : 'HTTP'})`;
}

/** Static weights per version, or a progressive canary's steps and what its analysis holds the release to. */
function canary(s: ServiceSpec): string {
  const c = s.traffic?.canary;
  if (!c) return '';
  if (c.progressive) return `progressive (Argo Rollouts) to ${s.version}: ${describeSteps(c.progressive)}; analysis ${describeAnalysis(canaryAnalysis(s))}`;
  const weights = servedVersions(s)
    .map((v) => `${v} ${c.weights?.[v]}%`)
    .join(', ');
  return c.testers ? `${weights}; \`${c.testers.header}: ${c.testers.value}\` -> ${c.testers.version}` : weights;
}

function timeouts(t: TrafficSpec): string {
  const parts = [
    t.timeout ? `timeout ${t.timeout}` : '',
    t.retries ? `${t.retries.attempts} retries${t.retries.perTryTimeout ? ` of ${t.retries.perTryTimeout}` : ''}` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

function breaker(t: TrafficSpec): string {
  const pool = t.circuitBreaker?.connectionPool;
  const outliers = t.circuitBreaker?.outlierDetection;
  const parts = [
    pool?.maxConnections !== undefined ? `${pool.maxConnections} connections` : '',
    pool?.maxPendingRequests !== undefined ? `${pool.maxPendingRequests} pending` : '',
    pool?.maxRequests !== undefined ? `${pool.maxRequests} requests` : '',
    outliers ? `eject after ${outliers.consecutiveErrors ?? 5} errors for ${outliers.baseEjectionTime ?? '30s'}+` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** Per pod, and for the whole service at its replica ceiling: the limit is local to each sidecar. */
function rateLimit(s: ServiceSpec): string {
  const limit = s.traffic?.rateLimit;
  if (!limit) return '';
  const interval = limit.fillInterval ?? '1s';
  const perSecond = limit.requests / parseDuration(interval)!;
  const ceiling = s.autoscaling?.maxReplicas ?? s.replicas ?? 2;
  return `${limit.requests} per ${interval} per pod (burst ${limit.burst ?? limit.requests}); ~${Math.round(perSecond * ceiling)}/s at ${ceiling} pods`;
}
