import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { parseDuration } from '../../lib/duration';
import { type ProgressiveSpec, progressiveSchema } from '../delivery/progressive-spec';

/**
 * Canary release, one of two kinds. Static `weights`: versions served side by side, each with its
 * share of requests; the service's own `version` is the stable track (its Deployment keeps the
 * service's name), every other version gets a Deployment `<service>-v<version>` and a
 * DestinationRule subset. Or `progressive`: the service's workload is an Argo Rollout that moves
 * each new `version` through weighted steps, promoted or rolled back by metrics.
 */
export interface CanarySpec {
  /** Percent of requests per version, e.g. `{ "1.4.0": 90, "1.5.0": 10 }`: two or more versions, summing to 100. Not with `progressive`. */
  readonly weights?: { readonly [version: string]: number };
  /** Steps and analysis of a progressive canary. Needs the mesh and observability on every cluster the service runs on. Not with `weights`. */
  readonly progressive?: ProgressiveSpec;
  /** Requests carrying this header go to `version` whatever the weights, so testers reach the canary first. @default none */
  readonly testers?: { readonly header: string; readonly value: string; readonly version: string };
  /**
   * Replicas of each canary version (its HPA's minimum when the service autoscales).
   * @default the stable floor scaled by the canary's weight, at least 1
   */
  readonly replicas?: number;
  /**
   * Image digest of each canary version, e.g. `{ "1.5.0": "sha256:..." }`: its pods pull
   * `<image>:<version>@<digest>`. The stable version's digest is the service's `digest`.
   * @default none: canary versions are pulled by tag
   */
  readonly digests?: { readonly [version: string]: string };
}

export interface RetriesSpec {
  /** Attempts after the first failure. */
  readonly attempts: number;
  /** @default the route's timeout */
  readonly perTryTimeout?: string;
  /** Envoy retry conditions. @default "connect-failure,refused-stream,unavailable,cancelled,5xx" */
  readonly retryOn?: string;
}

/** DestinationRule `connectionPool`: bounds that shed load before the service falls over. */
export interface ConnectionPoolSpec {
  /** TCP connections to the service, per calling proxy. */
  readonly maxConnections?: number;
  /** HTTP requests queued while waiting for a connection. */
  readonly maxPendingRequests?: number;
  /** Concurrent HTTP requests to the service. */
  readonly maxRequests?: number;
  /** Requests per connection before it is closed (1 disables keep-alive). */
  readonly maxRequestsPerConnection?: number;
  /** @default Istio's 10s */
  readonly connectTimeout?: string;
}

/** DestinationRule `outlierDetection`: ejects failing endpoints for a while. */
export interface OutlierDetectionSpec {
  /** Consecutive 5xx (or connection) errors that eject an endpoint. @default 5 */
  readonly consecutiveErrors?: number;
  /** How often endpoints are analysed. @default "10s" */
  readonly interval?: string;
  /** Minimum ejection time, multiplied by the number of ejections. @default "30s" */
  readonly baseEjectionTime?: string;
  /** @default 50 */
  readonly maxEjectionPercent?: number;
}

/** Circuit breaking: a connection pool, outlier detection, or both. */
export interface CircuitBreakerSpec {
  readonly connectionPool?: ConnectionPoolSpec;
  readonly outlierDetection?: OutlierDetectionSpec;
}

/**
 * Local rate limit (Envoy `local_ratelimit`, a token bucket in each pod's sidecar). The limit is
 * per pod: the service as a whole admits `requests` x replicas per interval.
 */
export interface RateLimitSpec {
  /** Requests admitted per fill interval (tokens added per fill). */
  readonly requests: number;
  /** @default "1s" */
  readonly fillInterval?: string;
  /** Bucket size: the largest burst. @default `requests` */
  readonly burst?: number;
}

/** Where requests go when the local endpoints fail (needs outlier detection to notice the failure). */
export interface LocalityFailoverSpec {
  /**
   * Endpoint labels in order of preference.
   * @default ["topology.istio.io/network"]: stay on the caller's cluster network, fail over to the others
   */
  readonly failoverPriority?: readonly string[];
  /** Explicit region-to-region failover, e.g. `{ from: "hunan-gov", to: "cn-central-221" }`. @default none */
  readonly failover?: readonly { readonly from: string; readonly to: string }[];
}

/** Publishes the service through the mesh's ingress gateway. */
export interface ExposeSpec {
  /**
   * Host names the gateway serves for it. `{region}` is replaced by each region's name, so one
   * blueprint line gives every city its own, e.g. "app.{region}.gov.hunan.example".
   */
  readonly hosts: readonly string[];
  /** TLS certificate Secret in the gateway's namespace (`istio-ingress`); without it the gateway serves plain HTTP. */
  readonly tlsSecret?: string;
  /** @default the service's first port */
  readonly port?: string;
}

/** Per-service traffic policy, written as Istio objects on every meshed cluster the service runs on. */
export interface TrafficSpec {
  /** Request timeout. @default none (Istio's default: no timeout) */
  readonly timeout?: string;
  /** @default Istio's default retries */
  readonly retries?: RetriesSpec;
  readonly canary?: CanarySpec;
  readonly circuitBreaker?: CircuitBreakerSpec;
  readonly rateLimit?: RateLimitSpec;
  readonly localityFailover?: LocalityFailoverSpec;
  readonly expose?: ExposeSpec;
}

/** Envoy refuses a local rate limit whose fill interval is shorter than this. */
export const MIN_FILL_INTERVAL_SECONDS = 0.05;

/** Checks of a traffic policy on its own; those involving the service are in `checkServiceTraffic`. */
function checkTraffic(traffic: TrafficSpec, path: string, problems: Problems): void {
  if (traffic.localityFailover && !traffic.circuitBreaker?.outlierDetection) {
    problems.add(
      `${path}.localityFailover`,
      'needs circuitBreaker.outlierDetection: without it Envoy never marks the local endpoints unhealthy, so traffic never fails over; add circuitBreaker: { outlierDetection: { consecutiveErrors: 5 } }',
    );
  }
  const timeout = traffic.timeout === undefined ? undefined : parseDuration(traffic.timeout);
  const perTry = traffic.retries?.perTryTimeout === undefined ? undefined : parseDuration(traffic.retries.perTryTimeout);
  if (timeout !== undefined && perTry !== undefined && perTry > timeout) {
    problems.add(
      `${path}.retries.perTryTimeout`,
      `${JSON.stringify(traffic.retries!.perTryTimeout)} is longer than the request timeout ${JSON.stringify(traffic.timeout)}, so no retry could ever run; shorten it or raise timeout`,
    );
  }
  const breaker = traffic.circuitBreaker;
  if (breaker && !breaker.connectionPool && !breaker.outlierDetection) {
    problems.add(`${path}.circuitBreaker`, 'set connectionPool, outlierDetection or both');
  }
  const limit = traffic.rateLimit;
  if (limit) {
    const interval = parseDuration(limit.fillInterval ?? '1s');
    if (interval !== undefined && interval < MIN_FILL_INTERVAL_SECONDS) {
      problems.add(`${path}.rateLimit.fillInterval`, `${JSON.stringify(limit.fillInterval)} is shorter than Envoy's minimum of 50ms; use "50ms" or more`);
    }
    if (limit.burst !== undefined && limit.burst < limit.requests) {
      problems.add(
        `${path}.rateLimit.burst`,
        `${limit.burst} is below requests (${limit.requests}): the bucket could never hold one interval's tokens; raise burst or leave it out`,
      );
    }
  }
  if (traffic.expose && traffic.expose.hosts.length === 0)
    problems.add(`${path}.expose.hosts`, 'name at least one host, e.g. ["api.port.changsha.gov.example"]');
  if (traffic.canary) checkCanary(traffic.canary, `${path}.canary`, problems);
}

function checkCanary(canary: CanarySpec, path: string, problems: Problems): void {
  if (canary.progressive) {
    checkProgressiveCanary(canary, path, problems);
    return;
  }
  if (!canary.weights) {
    problems.add(
      path,
      'give weights (static: e.g. { "2.3.1": 90, "2.4.0": 10 }) or progressive (steps promoted by metrics: e.g. { steps: [{ weight: 10, pause: "5m" }] })',
    );
    return;
  }
  checkWeights(canary, canary.weights, path, problems);
}

/** A progressive canary moves the service's one version through its steps: the static canary's fields have no place in it. */
function checkProgressiveCanary(canary: CanarySpec, path: string, problems: Problems): void {
  if (canary.weights) {
    problems.add(
      `${path}.weights`,
      'a canary is static (weights) or progressive, not both: the progressive steps set the weights as the rollout goes; remove weights (null in overrides), or progressive',
    );
  }
  if (canary.testers) {
    problems.add(`${path}.testers`, 'a progressive canary has no tester route yet (its steps own the route); remove testers, or use static weights');
  }
  if (canary.replicas !== undefined) {
    problems.add(`${path}.replicas`, "a progressive canary's pods follow each step's weight of the service's replicas; remove replicas");
  }
  if (canary.digests) {
    problems.add(`${path}.digests`, "a progressive canary runs only the service's own version: its digest goes in the service's digest; move it there");
  }
}

function checkWeights(canary: CanarySpec, weights: { readonly [version: string]: number }, path: string, problems: Problems): void {
  const versions = Object.keys(weights);
  if (versions.length < 2) {
    problems.add(
      `${path}.weights`,
      `a canary needs a second version beside ${versions.length === 1 ? JSON.stringify(versions[0]) : 'the stable one'}, got ${JSON.stringify(weights)}; add the new version with its weight, e.g. { "${versions[0] ?? '1.0.0'}": 90, "<new version>": 10 }`,
    );
  }
  const total = Object.values(weights).reduce((sum, w) => sum + w, 0);
  if (versions.length >= 1 && total !== 100) {
    problems.add(`${path}.weights`, `weights must sum to 100, got ${total} (${versions.map((v) => `${v}: ${weights[v]}`).join(', ')}); adjust them`);
  }
  for (const version of versions) {
    if (!IMAGE_TAG.regex.test(version)) problems.add(`${path}.weights`, `${JSON.stringify(version)} is not ${IMAGE_TAG.meaning}`);
  }
  const bySubset = new Map<string, string>();
  for (const version of versions) {
    const other = bySubset.get(versionSubset(version));
    if (other !== undefined)
      problems.add(
        `${path}.weights`,
        `versions ${JSON.stringify(other)} and ${JSON.stringify(version)} both become subset and Deployment suffix "${versionSubset(version)}"; use tags that differ in more than punctuation`,
      );
    bySubset.set(versionSubset(version), version);
  }
  for (const version of Object.keys(canary.digests ?? {})) {
    if (!versions.includes(version))
      problems.add(
        `${path}.digests.${version}`,
        `${JSON.stringify(version)} is not one of the canary's versions (${versions.join(', ')}); give digests only for versions in weights, or fix the version`,
      );
  }
  if (canary.testers && !versions.includes(canary.testers.version)) {
    problems.add(
      `${path}.testers.version`,
      `${JSON.stringify(canary.testers.version)} is not one of the canary's versions (${versions.join(', ')}); route testers to one of them`,
    );
  }
}

/** An image tag, as a release version. */
export const IMAGE_TAG = {
  // It is also the app.kubernetes.io/version label: a label value is at most 63 characters and
  // starts and ends with a letter or digit, which rules out some tags a registry would take.
  regex: /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/,
  meaning: 'an image tag such as "2.4.1"',
  explain: (value: string): string | undefined =>
    /^[A-Za-z0-9_.-]+$/.test(value)
      ? 'it is also the app.kubernetes.io/version label, whose value starts and ends with a letter or digit and has at most 63 characters'
      : undefined,
};

/**
 * The digest of an image (its manifest), as registries print it: `sha256:` and 64 lower-case hex
 * characters (the OCI image spec refuses upper-case). A pod pulls by digest when the image has one.
 */
export const IMAGE_DIGEST = {
  regex: /^sha256:[a-f0-9]{64}$/,
  meaning: 'an image digest: "sha256:" and 64 lower-case hex characters, as `crane digest <image>` prints it',
  explain: digestProblem,
};

/** What is wrong with a digest that does not match IMAGE_DIGEST, and the fix. */
function digestProblem(value: string): string | undefined {
  if (value.includes('@')) return 'give the digest alone, the part after "@", without the image name';
  const colon = value.indexOf(':');
  if (colon < 0) return 'it names no algorithm; write it as "sha256:<hex>"';
  const [algorithm, hex] = [value.slice(0, colon), value.slice(colon + 1)];
  if (algorithm !== 'sha256') return `algorithm ${JSON.stringify(algorithm)} is not accepted; use the image's sha256 digest`;
  if (!/^[A-Fa-f0-9]*$/.test(hex)) return 'the part after "sha256:" holds characters that are not hex digits';
  if (hex.length !== 64) return `it has ${hex.length} hex characters instead of 64; copy the whole digest`;
  return 'write the hex digits in lower case';
}

/** Placeholders a host name may carry: each region fills them in (expandHostTemplates). */
export const HOST_PLACEHOLDERS = ['region'] as const;

const HOST_LABEL = '(?:[a-z0-9]|\\{region\\})(?:(?:[-a-z0-9]|\\{region\\})*(?:[a-z0-9]|\\{region\\}))?';

/** A DNS host name, optionally with `{region}` in its labels. */
export const HOST_TEMPLATE = {
  regex: new RegExp(`^(\\*\\.)?${HOST_LABEL}(\\.${HOST_LABEL})+$`),
  meaning: 'a DNS host name such as "api.port.changsha.gov.example", where "{region}" stands for the region\'s name',
  explain: (value: string): string | undefined => {
    const unknown = [...value.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((name) => !(HOST_PLACEHOLDERS as readonly string[]).includes(name));
    return unknown.length > 0 ? `${unknown.map((name) => `{${name}}`).join(', ')} is not a placeholder; the only one is {region}` : undefined;
  },
};

const positive = () => s.integer({ min: 1 });

export const trafficSchema = s.object<TrafficSpec>(
  {
    timeout: s.duration('Request timeout.').optional(),
    retries: s
      .object<RetriesSpec>(
        {
          attempts: s.integer({ min: 0, max: 10 }),
          perTryTimeout: s.duration().optional(),
          retryOn: s
            .string({ pattern: { regex: /^[a-z0-9-]+(,[a-z0-9-]+)*$/, meaning: 'comma-separated Envoy retry conditions such as "5xx,connect-failure"' } })
            .optional(),
        },
        { title: 'retries' },
      )
      .optional(),
    canary: s
      .object<CanarySpec>(
        {
          weights: s.record(s.integer({ min: 0, max: 100 }), 'Percent of requests per version.').optional(),
          progressive: progressiveSchema.optional(),
          testers: s
            .object<{ readonly header: string; readonly value: string; readonly version: string }>(
              {
                header: s.string({ pattern: { regex: /^[a-z0-9-]+$/, meaning: 'a lower-case HTTP header name such as "x-canary"' } }),
                value: s.string(),
                version: s.string(),
              },
              { title: 'a tester route' },
            )
            .optional(),
          replicas: positive().optional(),
          digests: s.record(s.string({ pattern: IMAGE_DIGEST }), 'Image digest per canary version.').optional(),
        },
        { title: 'a canary' },
      )
      .optional(),
    circuitBreaker: s
      .object<CircuitBreakerSpec>(
        {
          connectionPool: s
            .object<ConnectionPoolSpec>(
              {
                maxConnections: positive().optional(),
                maxPendingRequests: positive().optional(),
                maxRequests: positive().optional(),
                maxRequestsPerConnection: positive().optional(),
                connectTimeout: s.duration().optional(),
              },
              { title: 'a connection pool' },
            )
            .optional(),
          outlierDetection: s
            .object<OutlierDetectionSpec>(
              {
                consecutiveErrors: positive().optional(),
                interval: s.duration().optional(),
                baseEjectionTime: s.duration().optional(),
                maxEjectionPercent: s.integer({ min: 1, max: 100 }).optional(),
              },
              { title: 'outlier detection' },
            )
            .optional(),
        },
        { title: 'a circuit breaker' },
      )
      .optional(),
    rateLimit: s
      .object<RateLimitSpec>(
        {
          requests: s.integer({ min: 1, description: 'Requests admitted per fill interval, per pod.' }),
          fillInterval: s.duration().optional(),
          burst: positive().optional(),
        },
        { title: 'a rate limit' },
      )
      .optional(),
    localityFailover: s
      .object<LocalityFailoverSpec>(
        {
          failoverPriority: s.list(s.string()).optional(),
          failover: s.list(s.object<{ readonly from: string; readonly to: string }>({ from: s.string(), to: s.string() }, { title: 'a failover' })).optional(),
        },
        { title: 'locality failover' },
      )
      .optional(),
    expose: s
      .object<ExposeSpec>(
        {
          hosts: s.list(s.string({ pattern: HOST_TEMPLATE, maxLength: 253 })),
          tlsSecret: s.name('TLS Secret in istio-ingress.').optional(),
          port: s.string().optional(),
        },
        { title: 'an exposure' },
      )
      .optional(),
  },
  { title: 'a traffic policy', rules: [checkTraffic] },
);

/**
 * The subset (and track) name of a version: "v" plus the tag with every character outside
 * [a-z0-9] as "-", e.g. "1.5.0-rc.1" -> "v1-5-0-rc-1". Also the suffix of a canary Deployment.
 */
export function versionSubset(version: string): string {
  return `v${version
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-+$/, '')}`;
}
