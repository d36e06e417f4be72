import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { parseQuantity } from '../../lib/quantity';
import { type CpuMemory, EPHEMERAL_STORAGE_LIMITS } from '../tenancy/department-spec';
import { PRIORITY_TIERS, type PriorityTier } from './priority-catalogue';
import { HEADLESS_SUFFIX, type StatefulSetSpec, statefulSetSchema } from './stateful-spec';
import { type MiddlewareUseSpec, middlewareUseSchema } from '../middleware/middleware-spec';
import { IMAGE_DIGEST, IMAGE_TAG, type TrafficSpec, trafficSchema } from './traffic-spec';
import { type DataClassification, dataClassificationSchema } from '../core/data-classification-spec';
import { type ServiceMetricsSpec, type SloSpec, serviceMetricsSchema, sloSchema } from '../observability/observability-spec';
import { type ScheduledScalingSpec, scheduledScalingSchema } from './schedule-spec';

export interface ServicePortSpec {
  /** IANA service name (at most 15 characters), e.g. "http". */
  readonly name: string;
  readonly port: number;
  /** @default `port` */
  readonly targetPort?: number;
  /** @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP';
}

/** An environment variable: a plain value, or a key of an existing Secret (never a secret value). */
export interface EnvVarSpec {
  readonly name: string;
  readonly value?: string;
  readonly secret?: { readonly name: string; readonly key: string };
}

export interface ProbeSpec {
  /** HTTP path; without it the probe is a TCP check. */
  readonly path?: string;
  /** Name of one of the service's ports. @default the first port */
  readonly port?: string;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
}

export interface ScalingPolicySpec {
  /** Largest change per period, in percent of current replicas. */
  readonly percent?: number;
  /** Largest change per period, in pods. */
  readonly pods?: number;
  /** @default 15 for scale-up, 60 for scale-down */
  readonly periodSeconds?: number;
  /** @default 0 for scale-up, 300 for scale-down */
  readonly stabilizationWindowSeconds?: number;
}

/** An `autoscaling/v2` HorizontalPodAutoscaler. */
export interface AutoscalingSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** @default 70 */
  readonly targetCpuUtilization?: number;
  /** No memory target unless set. */
  readonly targetMemoryUtilization?: number;
  /** @default { percent: 100, pods: 4, periodSeconds: 15, stabilizationWindowSeconds: 0 } (the faster of the two) */
  readonly scaleUp?: ScalingPolicySpec;
  /** @default { percent: 10, periodSeconds: 60, stabilizationWindowSeconds: 300 } */
  readonly scaleDown?: ScalingPolicySpec;
  /**
   * Known events of the service itself (enrolment day), inside its own clusters: each holds at
   * least `minReplicas` on every cluster the service is declared on from `start` to `end`, by a
   * KEDA cron trigger (a ScaledObject instead of the HPA). The synth proves the held replicas fit
   * the department quota and the cluster. @default none
   */
  readonly schedule?: readonly ScheduledScalingSpec[];
}

/** A PodDisruptionBudget: one of the two. */
export interface DisruptionBudgetSpec {
  readonly maxUnavailable?: number | string;
  readonly minAvailable?: number | string;
}

export interface ServiceResourcesSpec {
  readonly requests: CpuMemory;
  /**
   * @default memory limit = memory request (memory cannot be reclaimed, so none is overcommitted);
   * CPU limit = twice the request, capped at the department's container maximum (`limits.max.cpu`)
   */
  readonly limits?: { readonly cpu?: string | number; readonly memory?: string | number };
  /**
   * Disk each container may use outside its volumes (logs, writable layer). The kubelet evicts a
   * pod over its limit instead of letting it fill a shared node's disk.
   * @default the department's LimitRange defaults: request 256Mi, limit 1Gi
   */
  readonly ephemeralStorage?: { readonly request?: string | number; readonly limit?: string | number };
}

export interface ServiceSpec {
  /** Short name, unique in the blueprint; also the name of its Kubernetes objects. */
  readonly name: string;
  /** Owning department (its namespace). */
  readonly department: string;
  readonly displayName?: string;
  /** Image repository without tag, e.g. "registry.hunan.gov.example/citizen/citizen-app". */
  readonly image: string;
  /** Release version: the image tag and the `app.kubernetes.io/version` label. */
  readonly version: string;
  /**
   * Digest of `version`'s image, e.g. "sha256:9f86d0...": pods pull `<image>:<version>@<digest>`,
   * so a tag moved in the registry cannot change what runs (the tag stays for people and the
   * version label). `supplyChain.requireDigests` makes it compulsory.
   * @default none: pulled by tag
   */
  readonly digest?: string;
  /** Clusters it runs on. @default every cluster of its department */
  readonly clusters?: readonly string[];
  readonly ports: readonly ServicePortSpec[];
  readonly env?: readonly EnvVarSpec[];
  /**
   * Shelf instances it connects to. Each becomes env references `<PREFIX>_HOST`, `_PORT` ... to
   * the instance's connection ConfigMap, and its credentials Secret in the department's namespace
   * is mounted read-only at `/var/run/secrets/govcloud.io/<instance>/`, one file per key, named by
   * `<PREFIX>_PASSWORD_FILE` (or the engine's other keys); `credentials: env` gives
   * `<PREFIX>_PASSWORD` instead. The department needs a grant.
   * @default none
   */
  readonly middleware?: readonly MiddlewareUseSpec[];
  readonly resources: ServiceResourcesSpec;
  /** @default readiness and liveness as TCP checks on the first port */
  readonly probes?: {
    readonly liveness?: ProbeSpec;
    readonly readiness?: ProbeSpec;
    /** For a slow starter: liveness waits until this succeeds (allow periodSeconds x failureThreshold to start). @default none */
    readonly startup?: ProbeSpec;
  };
  /** Fixed replica count, when there is no autoscaling. @default 2 */
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingSpec;
  /** @default { maxUnavailable: 1 } */
  readonly disruptionBudget?: DisruptionBudgetSpec;
  /** UID the container runs as. @default 10001 */
  readonly runAsUser?: number;
  /**
   * Services allowed to call this one (service-to-service dependencies). Each opens the network
   * path (NetworkPolicies across departments) and, with the mesh, is the only identity its
   * AuthorizationPolicy admits. @default none: only the ingress gateway when exposed
   */
  readonly callers?: readonly string[];
  /** Canary, timeouts, retries, circuit breaking, rate limit, failover and exposure. Needs the blueprint's mesh. @default none */
  readonly traffic?: TrafficSpec;
  /**
   * What the service stores or caches. Only a service marked `internal` or `public` (and not
   * stateful) may run on a public-cloud cluster: burst copies and standbys included.
   * @default "personal": an unmarked service stays in the government cloud
   */
  readonly dataClassification?: DataClassification;
  /**
   * Priority tier of its pods (a PriorityClass on every cluster): under pressure the scheduler
   * evicts lower tiers first. On a public-cloud cluster its copy is `burst-copy`.
   * @default the department's defaultPriority, else "standard"
   */
  readonly priority?: PriorityTier;
  /**
   * Keeps state in its pods (local files, in-memory sessions), so copies cannot take over from
   * each other: it runs as a StatefulSet (stable pod names behind a headless Service, volumes per
   * pod from `statefulSet`) and never leaves the government cloud. @default false: a Deployment
   */
  readonly stateful?: boolean;
  /** Volumes, pod management, autoscaling and backups of a stateful service. Needs `stateful: true`. @default no volumes, OrderedReady, fixed replicas */
  readonly statefulSet?: StatefulSetSpec;
  /** Its metrics endpoint, scraped by a ServiceMonitor in its namespace. Needs the blueprint's observability. @default not scraped */
  readonly metrics?: ServiceMetricsSpec;
  /**
   * Service level objectives, each with recording rules and multi-window burn-rate alerts. SLIs
   * read the mesh's request metrics where the service is meshed, else its own (`metrics`).
   * @default none
   */
  readonly slos?: readonly SloSpec[];
}

/** Env names that hold credentials must reference a Secret, so no secret value is ever synthesized. */
const SECRET_LOOKING_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

function checkEnv(env: EnvVarSpec, path: string, problems: Problems): void {
  if ((env.value === undefined) === (env.secret === undefined)) {
    problems.add(path, 'set exactly one of value or secret');
  } else if (env.value !== undefined && SECRET_LOOKING_NAME.test(env.name)) {
    problems.add(`${path}.value`, `"${env.name}" looks like a credential: reference an existing Secret with secret: { name, key } instead of a literal value`);
  }
}

// The distribution reference grammar (docker/distribution): an optional registry host[:port], then
// path components of lower-case letters and digits joined by ".", "_", "__" or dashes.
const REGISTRY_HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;

/** What is wrong with an image repository the pattern lets through ("a//b", "app.", "a:b/c:d"), or undefined. */
function imageRepositoryProblem(image: string): string | undefined {
  const parts = image.split('/');
  if (/[:@]/.test(parts[parts.length - 1])) return undefined; // checkService says to move the tag or digest
  const host = parts.length > 1 && /[.:]/.test(parts[0]) ? parts.shift()! : undefined;
  const bad = host !== undefined && !REGISTRY_HOST.test(host) ? host : parts.find((part) => !PATH_COMPONENT.test(part));
  if (bad === undefined) return undefined;
  return `${JSON.stringify(image)} is not a well-formed image repository: ${JSON.stringify(bad)} is not a ${bad === host ? 'registry host[:port]' : 'path component (lower-case letters and digits joined by ".", "_" or "-")'}; write it as "registry.example/team/app"`;
}

function checkService(service: ServiceSpec, path: string, problems: Problems): void {
  if (/[:@]/.test(service.image.split('/').pop()!)) {
    problems.add(
      `${path}.image`,
      `${JSON.stringify(service.image)} carries a tag or digest; give the repository only, the tag in version and the digest in digest`,
    );
  }
  service.ports.forEach((port, i) => {
    const first = service.ports.findIndex((other) => other.port === port.port && (other.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    if (first < i) {
      problems.add(
        `${path}.ports.${port.name}.port`,
        `${port.port}/${port.protocol ?? 'TCP'} is also port "${service.ports[first].name}"; a Service cannot expose one port twice, so give it another number or remove one`,
      );
    }
  });
  if (service.version === 'latest') problems.add(`${path}.version`, '"latest" is not a release version; pin the tag, e.g. "2.4.1"');
  const portNames = service.ports.map((p) => p.name);
  for (const kind of ['liveness', 'readiness'] as const) {
    const port = service.probes?.[kind]?.port;
    if (port !== undefined && !portNames.includes(port)) {
      problems.add(`${path}.probes.${kind}.port`, `"${port}" is not one of the service's ports (${portNames.join(', ')})`);
    }
  }
  if (service.replicas !== undefined && service.autoscaling !== undefined) {
    problems.add(`${path}.replicas`, 'set either replicas or autoscaling, not both: the HPA owns the replica count (null removes an inherited one)');
  }
  const scaling = service.autoscaling;
  if (scaling && scaling.maxReplicas < scaling.minReplicas) {
    problems.add(`${path}.autoscaling.maxReplicas`, `must be >= minReplicas (${scaling.minReplicas}), got ${scaling.maxReplicas}`);
  }
  if (scaling) checkSchedule(scaling, `${path}.autoscaling`, problems);
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const policy = scaling?.[direction];
    if (policy && policy.percent === undefined && policy.pods === undefined) {
      // An explicit policy with neither limit would fall back to the defaults silently.
      problems.add(`${path}.autoscaling.${direction}`, 'set percent, pods or both');
    }
  }
  const budget = service.disruptionBudget;
  if (budget && (budget.maxUnavailable === undefined) === (budget.minAvailable === undefined)) {
    problems.add(`${path}.disruptionBudget`, 'set exactly one of maxUnavailable or minAvailable');
  }
  const floor = scaling?.minReplicas ?? service.replicas ?? 2;
  if (typeof budget?.minAvailable === 'number' && budget.minAvailable >= floor) {
    problems.add(
      `${path}.disruptionBudget.minAvailable`,
      `${budget.minAvailable} >= the minimum replica count (${floor}) blocks every node drain; lower it or use maxUnavailable`,
    );
  }
  checkServiceTraffic(service, path, problems);
  checkStatefulService(service, path, problems);
  const limits = service.resources.limits;
  for (const resource of ['cpu', 'memory'] as const) {
    const limit = limits?.[resource];
    if (limit !== undefined && parseQuantity(limit)! < parseQuantity(service.resources.requests[resource])!) {
      problems.add(
        `${path}.resources.limits.${resource}`,
        `${JSON.stringify(limit)} is below the request (${JSON.stringify(service.resources.requests[resource])}); raise the limit`,
      );
    }
  }
  const disk = effectiveEphemeralStorage(service);
  const diskPath = `${path}.resources.ephemeralStorage`;
  if (parseQuantity(disk.limit)! < parseQuantity(disk.request)!) {
    problems.add(
      `${diskPath}.limit`,
      `${JSON.stringify(disk.limit)} is below the request (${JSON.stringify(disk.request)}); raise the limit or lower the request`,
    );
  }
  if (parseQuantity(disk.limit)! > parseQuantity(EPHEMERAL_STORAGE_LIMITS.max)!) {
    problems.add(
      `${diskPath}.limit`,
      `${JSON.stringify(disk.limit)} is above the ${EPHEMERAL_STORAGE_LIMITS.max} every department's LimitRange allows a container, which would refuse the pods; keep files this large in a volume`,
    );
  }
}

/** An event's replicas lie between the autoscaler's floor (else it changes nothing) and its ceiling (else KEDA never reaches them). */
function checkSchedule(scaling: AutoscalingSpec, path: string, problems: Problems): void {
  for (const event of scaling.schedule ?? []) {
    const eventPath = `${path}.schedule.${event.name}.minReplicas`;
    if (event.minReplicas > scaling.maxReplicas) {
      problems.add(
        eventPath,
        `${event.minReplicas} is above autoscaling.maxReplicas (${scaling.maxReplicas}), which caps every trigger; raise maxReplicas to at least ${event.minReplicas}, or lower the event's minReplicas`,
      );
    } else if (event.minReplicas <= scaling.minReplicas) {
      problems.add(
        eventPath,
        `${event.minReplicas} is not above autoscaling.minReplicas (${scaling.minReplicas}): the service runs that many anyway, so the event changes nothing; raise it to the replicas the event needs, or remove the event`,
      );
    }
  }
}

/**
 * The service's ephemeral storage per container: its own, else the department LimitRange's
 * defaults; a request above the default limit raises the limit to the request.
 */
export function effectiveEphemeralStorage(service: ServiceSpec): { readonly request: string | number; readonly limit: string | number } {
  const own = service.resources.ephemeralStorage;
  const request = own?.request ?? EPHEMERAL_STORAGE_LIMITS.defaultRequest;
  const fallback = parseQuantity(request)! > parseQuantity(EPHEMERAL_STORAGE_LIMITS.defaultLimit)! ? request : EPHEMERAL_STORAGE_LIMITS.defaultLimit;
  return { request, limit: own?.limit ?? fallback };
}

/** A StatefulSet's pods own their data: no canary beside them, an HPA only where declared safe. */
function checkStatefulService(service: ServiceSpec, path: string, problems: Problems): void {
  if (!service.stateful) {
    if (service.statefulSet) problems.add(`${path}.statefulSet`, 'applies to a stateful service only; set stateful: true, or remove statefulSet');
    return;
  }
  if (service.autoscaling && !service.statefulSet?.allowAutoscaling) {
    problems.add(
      `${path}.autoscaling`,
      'a stateful service scales with fixed replicas unless its application rebalances data across pods (an HPA adds and removes pods with their volumes); use replicas, or set statefulSet.allowAutoscaling: true if it is safe',
    );
  }
  if (Object.keys(service.traffic?.canary?.weights ?? {}).some((version) => version !== service.version)) {
    problems.add(
      `${path}.traffic.canary`,
      "a stateful service's canary would start with empty volumes of its own, not the stable pods' data; roll the StatefulSet forward by changing version (it replaces pods one by one), or remove the canary",
    );
  }
  const longest = 63 - HEADLESS_SUFFIX.length;
  if (service.name.length > longest) {
    problems.add(
      `${path}.name`,
      `"${service.name}" is ${service.name.length} characters; a stateful service's headless Service "${service.name}${HEADLESS_SUFFIX}" must fit 63, so shorten it to at most ${longest}`,
    );
  }
}

/** Traffic checks that involve the service itself: its stable version, its ports. */
function checkServiceTraffic(service: ServiceSpec, path: string, problems: Problems): void {
  const traffic = service.traffic;
  const versions = Object.keys(traffic?.canary?.weights ?? {});
  if (versions.length > 0 && !versions.includes(service.version)) {
    problems.add(
      `${path}.traffic.canary.weights`,
      `must include the service's own version ${JSON.stringify(service.version)} (the stable track), got ${versions.join(', ')}; add it with its weight, or promote by changing version`,
    );
  }
  if (traffic?.canary?.digests?.[service.version] !== undefined) {
    problems.add(
      `${path}.traffic.canary.digests.${service.version}`,
      `${JSON.stringify(service.version)} is the stable version: its digest goes in the service's own digest, canary.digests holds the other versions'; move it there`,
    );
  }
  const port = traffic?.expose?.port;
  if (port !== undefined && !service.ports.some((p) => p.name === port)) {
    problems.add(`${path}.traffic.expose.port`, `"${port}" is not one of the service's ports (${service.ports.map((p) => p.name).join(', ')})`);
  }
  service.callers?.forEach((caller, i) => {
    if (caller === service.name) problems.add(`${path}.callers[${i}]`, 'a service does not need to allow itself; remove it');
  });
}

const probeSchema = s.object<ProbeSpec>(
  {
    path: s.string({ pattern: { regex: /^\/\S*$/, meaning: 'an HTTP path starting with "/"' } }).optional(),
    port: s.string().optional(),
    periodSeconds: s.integer({ min: 1 }).optional(),
    failureThreshold: s.integer({ min: 1 }).optional(),
    initialDelaySeconds: s.integer({ min: 0 }).optional(),
  },
  { title: 'a probe' },
);

export const scalingPolicySchema = s.object<ScalingPolicySpec>(
  {
    percent: s.integer({ min: 1 }).optional(),
    pods: s.integer({ min: 1 }).optional(),
    periodSeconds: s.integer({ min: 1, max: 1800 }).optional(),
    stabilizationWindowSeconds: s.integer({ min: 0, max: 3600 }).optional(),
  },
  { title: 'a scaling policy' },
);

export const serviceSchema = s.object<ServiceSpec>(
  {
    name: s.serviceName('Service short name; also its Kubernetes object names, its Service among them.'),
    department: s.name('Owning department.'),
    displayName: s.string().optional(),
    image: s.string({
      description: 'Image repository without tag.',
      maxLength: 255,
      pattern: { regex: /^[a-z0-9][a-z0-9._\-/:]*$/, meaning: 'an image repository such as "registry.example/team/app"' },
      validate: imageRepositoryProblem,
    }),
    version: s.string({ description: 'Image tag and version label.', pattern: IMAGE_TAG }),
    digest: s.string({ description: "Digest of the version's image (sha256:<64 hex>).", pattern: IMAGE_DIGEST }).optional(),
    clusters: s.list(s.name()).optional(),
    ports: s.namedList(
      s.object<ServicePortSpec>(
        {
          name: s.portName(),
          port: s.integer({ min: 1, max: 65535 }),
          targetPort: s.integer({ min: 1, max: 65535 }).optional(),
          protocol: s.enumOf(['TCP', 'UDP'] as const).optional(),
        },
        { title: 'a port' },
      ),
      'Ports of the service; its probes and metrics default to the first.',
      { minItems: 1 },
    ),
    env: s
      .namedList(
        s.object<EnvVarSpec>(
          {
            name: s.string({ pattern: { regex: /^[A-Za-z_][A-Za-z0-9_]*$/, meaning: 'an environment variable name such as "DB_HOST"' } }),
            value: s.string({ minLength: 0 }).optional(),
            secret: s
              .object<{ readonly name: string; readonly key: string }>({ name: s.name(), key: s.string() }, { title: 'a Secret key reference' })
              .optional(),
          },
          { title: 'an environment variable', rules: [checkEnv] },
        ),
      )
      .optional(),
    middleware: s.namedList(middlewareUseSchema, 'Shelf instances the service connects to.').optional(),
    resources: s.object<ServiceResourcesSpec>(
      {
        requests: s.object<CpuMemory>({ cpu: s.quantity(), memory: s.quantity() }, { title: 'resource requests' }),
        limits: s
          .object<{ readonly cpu?: string | number; readonly memory?: string | number }>(
            { cpu: s.quantity().optional(), memory: s.quantity().optional() },
            { title: 'resource limits' },
          )
          .optional(),
        ephemeralStorage: s
          .object<NonNullable<ServiceResourcesSpec['ephemeralStorage']>>(
            { request: s.quantity().optional(), limit: s.quantity().optional() },
            { title: 'ephemeral storage' },
          )
          .optional(),
      },
      { title: 'container resources' },
    ),
    probes: s
      .object<NonNullable<ServiceSpec['probes']>>(
        { liveness: probeSchema.optional(), readiness: probeSchema.optional(), startup: probeSchema.optional() },
        { title: 'probes' },
      )
      .optional(),
    replicas: s.integer({ min: 1 }).optional(),
    autoscaling: s
      .object<AutoscalingSpec>(
        {
          minReplicas: s.integer({ min: 1 }),
          maxReplicas: s.integer({ min: 1 }),
          targetCpuUtilization: s.integer({ min: 1, max: 100 }).optional(),
          targetMemoryUtilization: s.integer({ min: 1, max: 100 }).optional(),
          scaleUp: scalingPolicySchema.optional(),
          scaleDown: scalingPolicySchema.optional(),
          schedule: s.namedList(scheduledScalingSchema, 'Known events of the service: pre-scaling on the clusters it is declared on.').optional(),
        },
        { title: 'autoscaling' },
      )
      .optional(),
    disruptionBudget: s
      .object<DisruptionBudgetSpec>(
        { maxUnavailable: s.intOrPercent('Pods that may be down at once.').optional(), minAvailable: s.intOrPercent('Pods that must stay up.').optional() },
        { title: 'a disruption budget' },
      )
      .optional(),
    runAsUser: s.integer({ min: 1 }).optional(),
    callers: s.list(s.name(), 'Services allowed to call this one.').optional(),
    traffic: trafficSchema.optional(),
    dataClassification: dataClassificationSchema.optional(),
    priority: s.enumOf(PRIORITY_TIERS, 'Priority tier of its pods.').optional(),
    stateful: s.boolean('Keeps state in its pods: a StatefulSet.').optional(),
    statefulSet: statefulSetSchema.optional(),
    metrics: serviceMetricsSchema.optional(),
    slos: s.namedList(sloSchema, 'Service level objectives.').optional(),
  },
  { title: 'a service', rules: [checkService] },
);
