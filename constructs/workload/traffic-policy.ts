import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { formatProtoDuration, parseDuration } from '../../lib/duration';
import { servedVersions } from './canary-plan';
import { versionSubset } from './traffic-spec';
import { CANARY_SUBSET, STABLE_SUBSET, WEIGHTED_ROUTE, progressiveCanary } from '../delivery/progressive-plan';
import { LABELS } from '../core/labels';
import { GATEWAY_SELECTORS } from '../mesh/istio-topology';
import type { ServicePortSpec } from './service-spec';
import type { CircuitBreakerSpec, RateLimitSpec, TrafficSpec } from './traffic-spec';
import type { IMesh, IService } from '../core/tree';

/** A service allowed to call another: its namespace and service account. */
export interface CallerIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

export interface TrafficPolicyProps {
  readonly mesh: IMesh;
  /** Declared callers, resolved to identities. @default none */
  readonly callers?: readonly CallerIdentity[];
}

type Json = Record<string, unknown>;

/** Retry only what never reached the application: safe for requests that are not idempotent. */
export const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled';
export const EXPOSED_HTTP_PORT = 80;
export const EXPOSED_HTTPS_PORT = 443;

/**
 * A service's Istio objects on one cluster, in its department's manifest file: who may call it
 * (AuthorizationPolicy), how requests reach it (VirtualService: canary weights, tester route,
 * timeout, retries, exposure through the ingress gateway), how its endpoints are treated
 * (DestinationRule: version subsets, circuit breaking, locality failover) and how fast it may be
 * called (EnvoyFilter: local rate limit in each pod's sidecar). With a progressive canary the
 * VirtualService's weighted route and the DestinationRule's `stable` and `canary` subsets are the
 * ones its Argo Rollout manages: written at rest (every request to stable), moved by the controller.
 */
export class TrafficPolicy extends Construct {
  readonly service: IService;
  readonly mesh: IMesh;
  /** The service's cluster-local host name. */
  readonly host: string;

  constructor(service: IService, id: string, props: TrafficPolicyProps) {
    super(service, id);
    this.service = service;
    this.mesh = props.mesh;
    const spec = service.spec;
    const namespace = service.department.spec.name;
    this.host = `${spec.name}.${namespace}.svc.cluster.local`;
    const traffic: TrafficSpec = spec.traffic ?? {};

    const principals = [
      ...(props.callers ?? []).map((c) => props.mesh.principal(c.namespace, c.serviceAccount)),
      ...(traffic.expose ? [props.mesh.ingressGatewayPrincipal] : []),
    ];
    if (principals.length > 0) this.addAuthorizationPolicy(principals);
    if (traffic.canary || traffic.circuitBreaker || traffic.localityFailover) this.addDestinationRule(traffic);
    if (traffic.canary || traffic.timeout || traffic.retries || traffic.expose) this.addVirtualService(traffic);
    if (traffic.expose) this.addGateway(traffic);
    if (traffic.rateLimit) this.addRateLimit(traffic.rateLimit);
  }

  private metadata(name = this.service.spec.name): Json {
    return { name, labels: this.service.labels };
  }

  /** Only the declared callers, on the service's own ports: everything else meets the department's allow-nothing. */
  private addAuthorizationPolicy(principals: string[]): void {
    new ApiObject(this, 'authorization-policy', {
      apiVersion: this.mesh.securityApiVersion,
      kind: 'AuthorizationPolicy',
      metadata: this.metadata(),
      spec: {
        selector: { matchLabels: this.service.selector },
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { principals } }],
            // Policies see the workload's port, after the Service's port mapping.
            to: [{ operation: { ports: this.service.spec.ports.map((p) => String(p.targetPort ?? p.port)) } }],
          },
        ],
      },
    });
  }

  private addDestinationRule(traffic: TrafficSpec): void {
    const trafficPolicy: Json = {
      ...(traffic.circuitBreaker ? circuitBreaking(traffic.circuitBreaker) : {}),
      ...(traffic.localityFailover
        ? {
            loadBalancer: {
              localityLbSetting: {
                enabled: true,
                failoverPriority: traffic.localityFailover.failoverPriority ?? ['topology.istio.io/network'],
                ...(traffic.localityFailover.failover ? { failover: traffic.localityFailover.failover.map((f) => ({ from: f.from, to: f.to })) } : {}),
              },
            },
          }
        : {}),
    };
    new ApiObject(this, 'destination-rule', {
      apiVersion: this.mesh.networkingApiVersion,
      kind: 'DestinationRule',
      metadata: this.metadata(),
      spec: {
        host: this.host,
        ...(Object.keys(trafficPolicy).length > 0 ? { trafficPolicy } : {}),
        ...(traffic.canary ? { subsets: this.subsets() } : {}),
      },
    });
  }

  /**
   * A static canary's subset per version; a progressive one's `stable` and `canary`, selecting the
   * service's pods until Argo Rollouts adds each ReplicaSet's pod-template hash to them.
   */
  private subsets(): Json[] {
    if (progressiveCanary(this.service.spec)) return [STABLE_SUBSET, CANARY_SUBSET].map((name) => ({ name, labels: this.service.selector }));
    return servedVersions(this.service.spec).map((v) => ({ name: versionSubset(v), labels: { [LABELS.version]: v } }));
  }

  /** The weighted route's destinations: every request to stable at rest for a progressive canary, each version's weight for a static one. */
  private weightedRoute(destination: (subset?: string) => Json): Json[] {
    const spec = this.service.spec;
    if (progressiveCanary(spec)) {
      return [
        { destination: destination(STABLE_SUBSET), weight: 100 },
        { destination: destination(CANARY_SUBSET), weight: 0 },
      ];
    }
    return servedVersions(spec).map((v) => ({ destination: destination(versionSubset(v)), weight: spec.traffic!.canary!.weights![v] }));
  }

  private addVirtualService(traffic: TrafficSpec): void {
    const spec = this.service.spec;
    const port = this.exposedPort(traffic);
    // With several ports a route must say which one it means.
    const destination = (subset?: string): Json => ({
      host: this.host,
      ...(subset ? { subset } : {}),
      ...(spec.ports.length > 1 ? { port: { number: port.port } } : {}),
    });
    const policy: Json = {
      ...(traffic.timeout ? { timeout: traffic.timeout } : {}),
      ...(traffic.retries
        ? {
            retries: {
              attempts: traffic.retries.attempts,
              ...(traffic.retries.perTryTimeout ? { perTryTimeout: traffic.retries.perTryTimeout } : {}),
              retryOn: traffic.retries.retryOn ?? DEFAULT_RETRY_ON,
            },
          }
        : {}),
    };
    const canary = traffic.canary;
    const routes: Json[] = [];
    if (canary?.testers) {
      routes.push({
        name: 'testers',
        match: [{ headers: { [canary.testers.header]: { exact: canary.testers.value } } }],
        route: [{ destination: destination(versionSubset(canary.testers.version)) }],
        ...policy,
      });
    }
    routes.push({
      name: canary ? WEIGHTED_ROUTE : 'default',
      route: canary ? this.weightedRoute(destination) : [{ destination: destination() }],
      ...policy,
    });
    new ApiObject(this, 'virtual-service', {
      apiVersion: this.mesh.networkingApiVersion,
      kind: 'VirtualService',
      metadata: this.metadata(),
      spec: {
        hosts: [this.host, ...(traffic.expose?.hosts ?? [])],
        // "mesh" keeps the routes for in-mesh callers when a gateway is bound too.
        ...(traffic.expose ? { gateways: ['mesh', spec.name] } : {}),
        http: routes,
      },
    });
  }

  /** A Gateway on the ingress gateway's pods: HTTPS with the named certificate (and a redirect from HTTP), or plain HTTP. */
  private addGateway(traffic: TrafficSpec): void {
    const expose = traffic.expose!;
    const hosts = [...expose.hosts];
    const servers = expose.tlsSecret
      ? [
          { port: { number: EXPOSED_HTTPS_PORT, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: expose.tlsSecret }, hosts },
          { port: { number: EXPOSED_HTTP_PORT, name: 'http', protocol: 'HTTP' }, tls: { httpsRedirect: true }, hosts },
        ]
      : [{ port: { number: EXPOSED_HTTP_PORT, name: 'http', protocol: 'HTTP' }, hosts }];
    new ApiObject(this, 'gateway', {
      apiVersion: this.mesh.networkingApiVersion,
      kind: 'Gateway',
      metadata: this.metadata(),
      spec: { selector: GATEWAY_SELECTORS.ingress, servers },
    });
  }

  /**
   * Envoy's local rate limit in each of the service's sidecars, for inbound requests: a token
   * bucket per pod; requests beyond it get 429 and the `x-local-rate-limit` header.
   */
  private addRateLimit(limit: RateLimitSpec): void {
    const enabled = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: 'HUNDRED' } });
    new ApiObject(this, 'rate-limit', {
      // EnvoyFilter has no v1 or v1beta1: it patches Envoy itself, whatever the mesh's API version.
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'EnvoyFilter',
      metadata: this.metadata(`${this.service.spec.name}-rate-limit`),
      spec: {
        workloadSelector: { labels: this.service.selector },
        configPatches: [
          {
            applyTo: 'HTTP_FILTER',
            match: { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
            patch: {
              operation: 'INSERT_BEFORE',
              value: {
                name: 'envoy.filters.http.local_ratelimit',
                typed_config: {
                  '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
                  stat_prefix: 'http_local_rate_limiter',
                  token_bucket: {
                    max_tokens: limit.burst ?? limit.requests,
                    tokens_per_fill: limit.requests,
                    // Raw Envoy config: protobuf JSON durations ("60s"), not Go's ("1m").
                    fill_interval: formatProtoDuration(parseDuration(limit.fillInterval ?? '1s')!),
                  },
                  filter_enabled: enabled('local_rate_limit_enabled'),
                  filter_enforced: enabled('local_rate_limit_enforced'),
                  response_headers_to_add: [{ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key: 'x-local-rate-limit', value: 'true' } }],
                },
              },
            },
          },
        ],
      },
    });
  }

  private exposedPort(traffic: TrafficSpec): ServicePortSpec {
    const ports = this.service.spec.ports;
    return ports.find((p) => p.name === traffic.expose?.port) ?? ports[0];
  }
}

/** DestinationRule `connectionPool` and `outlierDetection`, with Istio's field names. */
function circuitBreaking(breaker: CircuitBreakerSpec): Json {
  const pool = breaker.connectionPool;
  const outliers = breaker.outlierDetection;
  const tcp = pool && {
    ...(pool.maxConnections !== undefined ? { maxConnections: pool.maxConnections } : {}),
    ...(pool.connectTimeout ? { connectTimeout: pool.connectTimeout } : {}),
  };
  const http = pool && {
    ...(pool.maxPendingRequests !== undefined ? { http1MaxPendingRequests: pool.maxPendingRequests } : {}),
    ...(pool.maxRequests !== undefined ? { http2MaxRequests: pool.maxRequests } : {}),
    ...(pool.maxRequestsPerConnection !== undefined ? { maxRequestsPerConnection: pool.maxRequestsPerConnection } : {}),
  };
  return {
    ...(pool
      ? {
          connectionPool: {
            ...(tcp && Object.keys(tcp).length > 0 ? { tcp } : {}),
            ...(http && Object.keys(http).length > 0 ? { http } : {}),
          },
        }
      : {}),
    ...(outliers
      ? {
          outlierDetection: {
            consecutive5xxErrors: outliers.consecutiveErrors ?? 5,
            interval: outliers.interval ?? '10s',
            baseEjectionTime: outliers.baseEjectionTime ?? '30s',
            maxEjectionPercent: outliers.maxEjectionPercent ?? 50,
          },
        }
      : {}),
  };
}
