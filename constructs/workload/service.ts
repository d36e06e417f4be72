import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { type ProbeSpec, type ScalingPolicySpec, type ServiceSpec, effectiveEphemeralStorage } from './service-spec';
import { type WorkloadScaling, ownEvents, usesScaledObject } from './scaling-plan';
import { primaryReplicas } from './copies-plan';
import { containerLimits } from './limits-plan';
import { scaledObjectSpec } from './scaled-object';
import { canaryReplicas, canaryVersions, imageReference } from './canary-plan';
import { versionSubset } from './traffic-spec';
import { LABELS, placementLabels } from '../core/labels';
import { PRIORITY_CLASSES, type PriorityTier, effectivePriorityTier } from './priority-catalogue';
import { HEADLESS_SUFFIX, SCRATCH_MOUNT } from './stateful-spec';
import type { StatefulPlan } from './stateful-plan';
import { formatGoDuration, parseDuration } from '../../lib/duration';
import { VELERO_NAMESPACE } from '../disaster-recovery/velero-catalogue';
import { DEFAULT_DATA_CLASSIFICATION } from '../core/data-classification-spec';
import type { ConnectionReference, IDepartment, IService } from '../core/tree';
import { connectionEnv, credentialMounts, credentialVolumes } from './connection-mounts';
import { ROLLOUT_API_VERSION, ROLLOUT_POD_TEMPLATE_HASH, analysisTemplateSpec, isProgressive, rolloutStrategy } from '../delivery/progressive-plan';

export type { ConnectionReference } from '../core/tree';

export interface ServiceProps {
  readonly spec: ServiceSpec;
  /** Middleware connections: settings as env references, credentials as read-only files (or, opted in, env references). @default none */
  readonly connections?: readonly ConnectionReference[];
  /**
   * How the service scales on this cluster (burst links and DR standbys change it per cluster).
   * @default the spec's own: its autoscaling as an HPA, or its fixed replicas
   */
  readonly scaling?: WorkloadScaling;
  /** Image repository on this cluster, below the cluster's registry mirror. @default the spec's image */
  readonly imageRepository?: string;
  /** The StatefulSet of a stateful service on this cluster (planStatefulSet). @default a Deployment */
  readonly stateful?: StatefulPlan;
}

type Json = Record<string, unknown>;

/** The cluster's manifest file holding the Velero Schedules of its stateful services. */
export const SERVICE_BACKUPS_FILE = 'service-backups';

/** The track label value of the service's own version. */
export const STABLE_TRACK = 'stable';

/** A rollout's surge over the replicas, Deployment or Rollout (ROLLOUT_MAX_SURGE_PERCENT plans it). */
const MAX_SURGE = '25%';

/** A workload as a scaler targets it. */
interface WorkloadRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * The workload standard: a stateless service as Deployment, Service, ServiceAccount (no token
 * automount), HorizontalPodAutoscaler (`autoscaling/v2` with behavior) or fixed replicas,
 * PodDisruptionBudget, zone and node spread, probes and the `restricted` security context.
 * A canary adds a Deployment (and HPA) per further version; the Service selects every track.
 * A progressive canary makes the workload an Argo Rollout instead, with its AnalysisTemplate.
 * A stateful service is a StatefulSet instead, with a headless Service naming its pods, a volume
 * claim per pod and volume, and a Velero Schedule of those volumes.
 */
export class Service extends Construct implements IService {
  readonly spec: ServiceSpec;
  readonly department: IDepartment;
  /** Labels that select the service's pods, every track. Stable across versions, so rollouts keep the selector. */
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
  /** The tier its pods run at on this cluster (a PriorityClass the cluster's stack defines). */
  readonly priorityTier: PriorityTier;
  readonly connections: readonly ConnectionReference[];
  /** How the stable track scales on this cluster. */
  readonly scaling: WorkloadScaling;
  /** Image repository (without tag) pulled on this cluster. */
  readonly imageRepository: string;
  /** Its StatefulSet on this cluster; undefined for a Deployment. */
  readonly stateful?: StatefulPlan;

  /** Lives in the department's manifest file on the department's cluster. */
  constructor(department: IDepartment, id: string, props: ServiceProps) {
    super(department.chart, id);
    this.spec = props.spec;
    this.department = department;
    this.connections = props.connections ?? [];
    const cluster = department.cluster;
    const spec = props.spec;
    this.scaling = props.scaling ?? ownScaling(spec);
    this.imageRepository = props.imageRepository ?? spec.image;
    this.stateful = props.stateful;
    this.priorityTier = effectivePriorityTier(spec.priority, department.spec.defaultPriority, department.cluster.spec.role);
    this.selector = { [LABELS.name]: spec.name, [LABELS.department]: department.spec.name };
    this.labels = {
      ...placementLabels({ blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name, department: department.spec.name }),
      ...this.selector,
      [LABELS.version]: spec.version,
      [LABELS.instance]: spec.name,
      [LABELS.dataClassification]: spec.dataClassification ?? DEFAULT_DATA_CLASSIFICATION,
    };
    const metadata = { name: spec.name, labels: this.labels };

    new ApiObject(this, 'service-account', { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: false });
    const scaling = this.scaling;
    const replicas = scaling.autoscaled ? undefined : scaling.minReplicas;
    if (this.stateful) {
      new ApiObject(this, 'stateful-set', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata, spec: this.statefulSetSpec(this.stateful, replicas) });
      // Names each pod in DNS (<pod>.<service>-headless), which peers and clients of one pod need.
      new ApiObject(this, 'headless-service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `${spec.name}${HEADLESS_SUFFIX}`, labels: { ...this.labels, [LABELS.headless]: 'true' } },
        spec: { clusterIP: 'None', selector: this.selector, ports: this.servicePorts() },
      });
      if (this.stateful.backup) this.addBackupSchedule(this.stateful.backup);
    } else if (isProgressive(spec)) {
      new ApiObject(this, 'rollout', { apiVersion: ROLLOUT_API_VERSION, kind: 'Rollout', metadata, spec: this.rolloutSpec(replicas) });
      new ApiObject(this, 'analysis-template', {
        apiVersion: ROLLOUT_API_VERSION,
        kind: 'AnalysisTemplate',
        metadata,
        spec: analysisTemplateSpec(spec, department.spec.name),
      });
    } else {
      new ApiObject(this, 'deployment', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: this.deploymentSpec(spec.version, STABLE_TRACK, replicas),
      });
    }
    new ApiObject(this, 'service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: this.selector,
        ports: this.servicePorts(),
      },
    });
    if (usesScaledObject(scaling)) {
      // KEDA owns the HPA of a workload with scheduled events or a request-rate trigger: never an
      // HPA of our own beside it.
      new ApiObject(this, 'scaled-object', {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata,
        spec: scaledObjectSpec(this.workloadRef(), scaling, this.behavior(scaling)),
      });
    } else if (scaling.autoscaled) {
      new ApiObject(this, 'autoscaler', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata,
        spec: this.autoscalerSpec(this.workloadRef(), scaling),
      });
    }
    for (const version of canaryVersions(spec)) this.addCanary(version);
    department.registerService(this);
    const budget = spec.disruptionBudget ?? { maxUnavailable: 1 };
    new ApiObject(this, 'disruption-budget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      // A crash-looping pod must not block a node drain in a patch window.
      spec: { selector: { matchLabels: this.selector }, ...budget, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
  }

  /** A Deployment (and HPA) of a further version, sized by its share of the traffic. */
  private addCanary(version: string): void {
    const spec = this.spec;
    const track = versionSubset(version);
    const name = `${spec.name}-${track}`;
    const metadata = { name, labels: { ...this.labels, [LABELS.version]: version } };
    const replicas = canaryReplicas(spec, version);
    const scope = new Construct(this, `canary-${track}`);
    new ApiObject(scope, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: this.deploymentSpec(version, track, spec.autoscaling ? undefined : replicas.min),
    });
    if (spec.autoscaling) {
      const scaling: WorkloadScaling = { ...ownScaling(spec), minReplicas: replicas.min, maxReplicas: replicas.max };
      new ApiObject(scope, 'autoscaler', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata,
        spec: this.autoscalerSpec({ apiVersion: 'apps/v1', kind: 'Deployment', name }, scaling),
      });
    }
  }

  /** The stable track's workload, as scalers name it. */
  private workloadRef(): WorkloadRef {
    if (this.stateful) return { apiVersion: 'apps/v1', kind: 'StatefulSet', name: this.spec.name };
    if (isProgressive(this.spec)) return { apiVersion: ROLLOUT_API_VERSION, kind: 'Rollout', name: this.spec.name };
    return { apiVersion: 'apps/v1', kind: 'Deployment', name: this.spec.name };
  }

  private servicePorts(): Json[] {
    return this.spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol ?? 'TCP' }));
  }

  /**
   * In the mesh, STRICT mTLS keeps Prometheus off the application's own port: Istio's agent
   * merges the application's metrics into its own endpoint (15020) when the pod says where they
   * are, and Prometheus scrapes that.
   */
  private podAnnotations(): { annotations?: Record<string, string> } {
    const metrics = this.spec.metrics;
    if (!metrics || !this.department.cluster.mesh) return {};
    const port = this.spec.ports.find((p) => p.name === metrics.port)!;
    return {
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port.targetPort ?? port.port),
        'prometheus.io/path': metrics.path ?? '/metrics',
      },
    };
  }

  /** @param replicas fixed count; undefined when an HPA owns it */
  private deploymentSpec(version: string, track: string, replicas: number | undefined): Json {
    const selector = { ...this.selector, [LABELS.track]: track };
    return {
      // With autoscaling the HPA owns the count; a replicas field would fight it on every apply.
      ...(replicas !== undefined ? { replicas } : {}),
      revisionHistoryLimit: 5,
      // The track keeps stable and canary Deployments from claiming each other's pods.
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: MAX_SURGE, maxUnavailable: 0 } },
      template: this.podTemplate(version, track, selector),
    };
  }

  /**
   * A Rollout is a Deployment with a canary strategy: its stable and canary ReplicaSets share the
   * selector, and the controller labels their pods with the track (rolloutStrategy).
   * @param replicas fixed count; undefined when an HPA owns it
   */
  private rolloutSpec(replicas: number | undefined): Json {
    return {
      ...(replicas !== undefined ? { replicas } : {}),
      revisionHistoryLimit: 5,
      selector: { matchLabels: this.selector },
      strategy: rolloutStrategy(this.spec, LABELS.track, MAX_SURGE),
      template: this.podTemplate(this.spec.version, undefined, this.selector),
    };
  }

  /**
   * Only replicas, template, update strategy and retention policy of a StatefulSet may change once
   * it exists: selector, serviceName and volumeClaimTemplates hold nothing a release changes.
   * @param replicas fixed count; undefined when an HPA owns it
   */
  private statefulSetSpec(plan: StatefulPlan, replicas: number | undefined): Json {
    const selector = { ...this.selector, [LABELS.track]: STABLE_TRACK };
    const { [LABELS.version]: _version, ...claimLabels } = this.labels;
    return {
      serviceName: `${this.spec.name}${HEADLESS_SUFFIX}`,
      ...(replicas !== undefined ? { replicas } : {}),
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      podManagementPolicy: plan.podManagement,
      updateStrategy: { type: 'RollingUpdate' },
      // Written although it is the default: the data outlives a scale-down and the set itself.
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: this.podTemplate(this.spec.version, STABLE_TRACK, selector),
      ...(plan.volumes.length > 0
        ? {
            volumeClaimTemplates: plan.volumes.map((v) => ({
              metadata: { name: v.name, labels: claimLabels },
              spec: {
                accessModes: ['ReadWriteOnce'],
                ...(v.storageClass ? { storageClassName: v.storageClass } : {}),
                resources: { requests: { storage: v.size } },
              },
            })),
          }
        : {}),
    };
  }

  /** @param track the pods' track label; undefined for a Rollout, whose controller sets it per ReplicaSet */
  private podTemplate(version: string, track: string | undefined, selector: Record<string, string>): Json {
    const spec = this.spec;
    const stateful = this.stateful;
    const podLabels = { ...this.labels, [LABELS.version]: version, ...(track !== undefined ? { [LABELS.track]: track } : {}) };
    const hashLabel = isProgressive(spec) ? ROLLOUT_POD_TEMPLATE_HASH : 'pod-template-hash';
    const runAs = spec.runAsUser ?? 10001;
    const env = this.env();
    const spread = (topologyKey: string, whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule' = 'ScheduleAnyway') => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable,
      labelSelector: { matchLabels: selector },
      // Spread each rollout's pods, not old and new together. A StatefulSet replaces its pods in
      // place, one by one, so all of them count.
      ...(stateful ? {} : { matchLabelKeys: [hashLabel] }),
    });
    return {
      metadata: { labels: podLabels, ...this.podAnnotations() },
      spec: {
        serviceAccountName: spec.name,
        automountServiceAccountToken: false,
        priorityClassName: PRIORITY_CLASSES[this.priorityTier].className,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: runAs,
          runAsGroup: runAs,
          fsGroup: runAs,
          // A volume full of files would be walked to change ownership on every start otherwise.
          ...(stateful ? { fsGroupChangePolicy: 'OnRootMismatch' } : {}),
          seccompProfile: { type: 'RuntimeDefault' },
        },
        // A citizen-critical service never stacks replicas on one node (a node loss would take
        // several); others prefer spreading but still schedule on a short cluster.
        topologySpreadConstraints: [
          spread('topology.kubernetes.io/zone'),
          spread('kubernetes.io/hostname', this.priorityTier === 'citizen-critical' ? 'DoNotSchedule' : 'ScheduleAnyway'),
        ],
        containers: [
          {
            name: spec.name,
            image: imageReference(this.imageRepository, spec, version),
            imagePullPolicy: 'IfNotPresent',
            ports: spec.ports.map((p) => ({ name: p.name, containerPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })),
            ...(env.length ? { env } : {}),
            resources: this.resources(),
            readinessProbe: this.probe(spec.probes?.readiness),
            livenessProbe: this.probe(spec.probes?.liveness),
            // A slow starter gets time to start before the liveness probe may restart it.
            ...(spec.probes?.startup ? { startupProbe: this.probe(spec.probes.startup) } : {}),
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
            volumeMounts: [
              { name: 'tmp', mountPath: SCRATCH_MOUNT },
              ...credentialMounts(this.connections),
              ...(stateful?.volumes ?? []).map((v) => ({ name: v.name, mountPath: v.mountPath })),
            ],
          },
        ],
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }, ...credentialVolumes(this.connections)],
      },
    };
  }

  /** A Velero Schedule of the pods' volumes, in the cluster's `service-backups.yaml`. */
  private addBackupSchedule(backup: NonNullable<StatefulPlan['backup']>): void {
    const cluster = this.department.cluster;
    const file = cluster.manifestFiles.get(SERVICE_BACKUPS_FILE) ?? cluster.addManifests(SERVICE_BACKUPS_FILE, { namespace: VELERO_NAMESPACE });
    new ApiObject(file, `${cluster.stackName}-${this.spec.name}`, {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: backup.name, labels: this.labels },
      spec: {
        schedule: backup.schedule,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [this.department.spec.name],
          // The pods and the claims the StatefulSet labels with its selector.
          labelSelector: { matchLabels: this.selector },
          ttl: formatGoDuration(parseDuration(backup.retention)!),
          // CSI snapshots, with their data moved to the backup storage location (off the cluster).
          snapshotVolumes: true,
          snapshotMoveData: true,
          ...(backup.storageLocation ? { storageLocation: backup.storageLocation } : {}),
        },
      },
    });
  }

  /** The spec's env, then one reference per middleware connection setting and credential. */
  private env(): Json[] {
    const own = (this.spec.env ?? []).map((e) =>
      e.secret ? { name: e.name, valueFrom: { secretKeyRef: { name: e.secret.name, key: e.secret.key } } } : { name: e.name, value: e.value },
    );
    return [...own, ...connectionEnv(this.connections)];
  }

  /**
   * Memory limit defaults to the request (no overcommit of what cannot be reclaimed); the CPU
   * limit defaults to twice the request, capped at the department's container maximum; ephemeral
   * storage is bounded too (effectiveEphemeralStorage), so logs cannot fill a shared node's disk.
   */
  private resources(): Json {
    const { requests } = this.spec.resources;
    const limits = containerLimits(this.spec, this.department.spec);
    const disk = effectiveEphemeralStorage(this.spec);
    return {
      requests: { cpu: String(requests.cpu), memory: String(requests.memory), 'ephemeral-storage': String(disk.request) },
      limits: { cpu: String(limits.cpu), memory: String(limits.memory), 'ephemeral-storage': String(disk.limit) },
    };
  }

  private probe(probe: ProbeSpec | undefined): Json {
    const port = probe?.port ?? this.spec.ports[0].name;
    return {
      ...(probe?.path ? { httpGet: { path: probe.path, port } } : { tcpSocket: { port } }),
      periodSeconds: probe?.periodSeconds ?? 10,
      failureThreshold: probe?.failureThreshold ?? 3,
      // The API server drops a zero (Go's omitempty), so writing it would leave a diff GitOps never settles.
      ...(probe?.initialDelaySeconds ? { initialDelaySeconds: probe.initialDelaySeconds } : {}),
      timeoutSeconds: 1,
    };
  }

  private autoscalerSpec(target: WorkloadRef, scaling: WorkloadScaling): Json {
    const utilization = (name: string, averageUtilization: number) => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization } },
    });
    return {
      scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics: [
        utilization('cpu', scaling.targetCpuUtilization),
        ...(scaling.targetMemoryUtilization !== undefined ? [utilization('memory', scaling.targetMemoryUtilization)] : []),
      ],
      behavior: this.behavior(scaling),
    };
  }

  /** The `autoscaling/v2` behavior: the scaling's policies, or the service defaults. */
  private behavior(scaling: WorkloadScaling): Json {
    return {
      scaleUp: scalingRules(scaling.scaleUp, { percent: 100, pods: 4, periodSeconds: 15, stabilizationWindowSeconds: 0 }),
      scaleDown: scalingRules(scaling.scaleDown, { percent: 10, periodSeconds: 60, stabilizationWindowSeconds: 300 }),
    };
  }
}

/** The scaling a service has on a cluster it is declared on, without burst links: its HPA (a ScaledObject with its own events) or its fixed replicas. */
function ownScaling(spec: ServiceSpec): WorkloadScaling {
  const own = spec.autoscaling;
  const { min, max } = primaryReplicas(spec);
  return {
    autoscaled: own !== undefined,
    minReplicas: min,
    maxReplicas: max,
    targetCpuUtilization: own?.targetCpuUtilization ?? 70,
    targetMemoryUtilization: own?.targetMemoryUtilization,
    scaleUp: own?.scaleUp,
    scaleDown: own?.scaleDown,
    events: ownEvents(spec),
    copies: [],
  };
}

/** HPA scaling rules: the given limits, or the defaults when none are given; the larger step wins. */
function scalingRules(given: ScalingPolicySpec | undefined, defaults: ScalingPolicySpec): Json {
  const policy = given ?? defaults;
  const periodSeconds = policy.periodSeconds ?? defaults.periodSeconds!;
  return {
    stabilizationWindowSeconds: policy.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds!,
    selectPolicy: 'Max',
    policies: [
      ...(policy.percent !== undefined ? [{ type: 'Percent', value: policy.percent, periodSeconds }] : []),
      ...(policy.pods !== undefined ? [{ type: 'Pods', value: policy.pods, periodSeconds }] : []),
    ],
  };
}
