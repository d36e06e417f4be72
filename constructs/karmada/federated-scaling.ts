import { type FoldedObject, baseCopy } from './folded-objects';
import { type JsonObject, type JsonValue, isJsonObject } from './json-diff';

const FEDERATED_HPA_API_VERSION = 'autoscaling.karmada.io/v1alpha1';

/** Per-cluster autoscalers the FederatedHPA replaces. */
const SCALER_KINDS = new Set(['autoscaling/v2|HorizontalPodAutoscaler', 'keda.sh/v1alpha1|ScaledObject']);

/** A scheduled pre-scale of one cluster: a KEDA cron trigger. */
export interface ScheduledEvent {
  readonly name: string;
  readonly start: string;
  readonly end: string;
  readonly timezone: string;
  readonly desiredReplicas: number;
}

/** What one cluster's autoscaler (or fixed count) of a workload says. */
interface ClusterScaling {
  readonly cluster: string;
  readonly min: number;
  readonly max: number;
  /** Undefined for a fixed count. */
  readonly scaler?: { readonly metrics: JsonValue[]; readonly behavior?: JsonObject; readonly events: readonly ScheduledEvent[] };
}

/** A scheduled rule of the CronFederatedHPA, as the report shows it. */
export interface CronRule {
  readonly name: string;
  readonly schedule: string;
  readonly timeZone: string;
  readonly targetMinReplicas: number;
}

/** One workload's federated autoscaling: the sum of its per-cluster autoscalers. */
export interface FederatedScaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly rules: readonly CronRule[];
  readonly objects: readonly JsonObject[];
}

export function isScaler(object: FoldedObject): boolean {
  return SCALER_KINDS.has(`${object.apiVersion}|${object.kind}`);
}

/** The Deployment a scaler scales, as `<namespace>|<name>`; undefined for other targets. */
export function scalerTarget(object: FoldedObject): string | undefined {
  const ref = (baseCopy(object).spec as JsonObject | undefined)?.scaleTargetRef as JsonObject | undefined;
  return ref?.kind === 'Deployment' ? `${object.namespace ?? ''}|${String(ref.name)}` : undefined;
}

/**
 * One FederatedHPA for the workload, replacing its per-cluster HPAs and ScaledObjects: the floor
 * is the sum of the per-cluster floors (at least 1), the ceiling the sum of the ceilings, metrics
 * and behavior those of the primary cluster (the first of `preferred`, else the first cluster
 * with an autoscaler). A cluster with a fixed count adds it to both. Scheduled events become a
 * CronFederatedHPA that raises the floor for each event and restores it afterwards.
 */
export function federatedScaling(workload: FoldedObject, scalers: readonly FoldedObject[], preferred: readonly string[], labels: JsonObject): FederatedScaling {
  const perCluster = [...workload.copies.entries()].map(([cluster, deployment]) => clusterScaling(cluster, deployment, scalers));
  const scaled = perCluster.filter((c) => c.scaler);
  const primary = (scaled.find((c) => preferred.includes(c.cluster)) ?? scaled[0]).scaler!;
  const minReplicas = Math.max(1, sum(perCluster.map((c) => c.min)));
  const maxReplicas = Math.max(minReplicas, sum(perCluster.map((c) => c.max)));
  const metadata = () => ({ name: workload.name, ...(workload.namespace ? { namespace: workload.namespace } : {}), labels: { ...labels } });
  const federatedHpa: JsonObject = {
    apiVersion: FEDERATED_HPA_API_VERSION,
    kind: 'FederatedHPA',
    metadata: metadata(),
    spec: {
      scaleTargetRef: { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name },
      minReplicas,
      maxReplicas,
      metrics: primary.metrics,
      ...(primary.behavior ? { behavior: primary.behavior } : {}),
    },
  };
  const rules = cronRules(perCluster, minReplicas, maxReplicas);
  if (rules.length === 0) return { minReplicas, maxReplicas, rules, objects: [federatedHpa] };
  const cron: JsonObject = {
    apiVersion: FEDERATED_HPA_API_VERSION,
    kind: 'CronFederatedHPA',
    metadata: metadata(),
    spec: {
      scaleTargetRef: { apiVersion: FEDERATED_HPA_API_VERSION, kind: 'FederatedHPA', name: workload.name },
      rules: rules.map((r) => ({ ...r })),
    },
  };
  return { minReplicas, maxReplicas, rules, objects: [federatedHpa, cron] };
}

/**
 * Per event (matched across clusters by trigger name, in order of first appearance): at its
 * start the floor becomes what the clusters are held at together during the event (each
 * cluster's pre-scaled count, or its own floor where it has no such event); at its end the
 * FederatedHPA's floor returns.
 */
function cronRules(perCluster: readonly ClusterScaling[], floor: number, ceiling: number): CronRule[] {
  const names = [...new Set(perCluster.flatMap((c) => c.scaler?.events.map((e) => e.name) ?? []))];
  return names.flatMap((name) => {
    const event = perCluster.flatMap((c) => c.scaler?.events ?? []).find((e) => e.name === name)!;
    const held = sum(perCluster.map((c) => Math.max(c.min, c.scaler?.events.find((e) => e.name === name)?.desiredReplicas ?? 0)));
    return [
      { name: `${name}-start`, schedule: event.start, timeZone: event.timezone, targetMinReplicas: Math.min(Math.max(held, floor), ceiling) },
      { name: `${name}-end`, schedule: event.end, timeZone: event.timezone, targetMinReplicas: floor },
    ];
  });
}

function clusterScaling(cluster: string, deployment: JsonObject, scalers: readonly FoldedObject[]): ClusterScaling {
  const scaler = scalers.map((s) => s.copies.get(cluster)).find((s) => s !== undefined);
  if (!scaler) {
    const replicas = Number((deployment.spec as JsonObject | undefined)?.replicas ?? 1);
    return { cluster, min: replicas, max: replicas };
  }
  const spec = scaler.spec as JsonObject;
  if (scaler.kind === 'HorizontalPodAutoscaler') {
    const behavior = spec.behavior;
    return {
      cluster,
      min: Number(spec.minReplicas ?? 1),
      max: Number(spec.maxReplicas),
      scaler: { metrics: (spec.metrics ?? []) as JsonValue[], ...(isJsonObject(behavior) ? { behavior } : {}), events: [] },
    };
  }
  return scaledObjectScaling(cluster, scaler, spec);
}

/** KEDA's defaults: a floor of 0 and a ceiling of 100. */
function scaledObjectScaling(cluster: string, scaler: JsonObject, spec: JsonObject): ClusterScaling {
  const triggers = (spec.triggers ?? []) as JsonObject[];
  const behavior = ((spec.advanced as JsonObject | undefined)?.horizontalPodAutoscalerConfig as JsonObject | undefined)?.behavior;
  const metrics: JsonValue[] = [];
  const events: ScheduledEvent[] = [];
  triggers.forEach((trigger, i) => {
    const metadata = (trigger.metadata ?? {}) as JsonObject;
    if (trigger.type === 'cron') {
      events.push({
        name: String(trigger.name ?? `cron-${i}`),
        start: String(metadata.start),
        end: String(metadata.end),
        timezone: String(metadata.timezone),
        desiredReplicas: Number(metadata.desiredReplicas),
      });
    } else if (trigger.type === 'cpu' || trigger.type === 'memory') {
      metrics.push({ type: 'Resource', resource: { name: trigger.type, target: { type: 'Utilization', averageUtilization: Number(metadata.value) } } });
    } else {
      // A FederatedHPA scales on resource metrics only here; dropping a trigger would scale differently.
      throw new Error(
        `ScaledObject ${String((scaler.metadata as JsonObject).name)} on cluster "${cluster}" has a ${String(trigger.type)} trigger, which Karmada mode cannot fold into a FederatedHPA; use cpu, memory or cron triggers`,
      );
    }
  });
  return {
    cluster,
    min: Number(spec.minReplicaCount ?? 0),
    max: Number(spec.maxReplicaCount ?? 100),
    scaler: { metrics, ...(isJsonObject(behavior) ? { behavior } : {}), events },
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
