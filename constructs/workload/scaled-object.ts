import type { WorkloadScaling } from './scaling-plan';
import { CLUSTER_PROMETHEUS_URL } from '../observability/monitoring-catalogue';

type Json = Record<string, unknown>;

/** KEDA polls the metrics every 15 s, like the HPA controller, so load-based scaling keeps its pace. */
const POLLING_INTERVAL_SECONDS = 15;

/**
 * A KEDA `ScaledObject` spec for a workload with scheduled events: a cron trigger per event
 * holds the workload at its planned peak (a burst link's) or at the service's own event replicas
 * from `start` to `end` (pre-scaling before the surge),
 * and a CPU trigger scales on load around it. KEDA creates and owns the workload's HPA, with the
 * given behavior. The floor may be zero: the cron trigger wakes the workload. A burst service that
 * scales on requests gets a prometheus trigger on its request rate per replica as well.
 */
export function scaledObjectSpec(
  target: { readonly apiVersion: string; readonly kind: string; readonly name: string },
  scaling: WorkloadScaling,
  behavior: Json,
): Json {
  const utilization = (type: 'cpu' | 'memory', value: number) => ({ type, metricType: 'Utilization', metadata: { value: String(value) } });
  return {
    scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
    minReplicaCount: scaling.minReplicas,
    maxReplicaCount: scaling.maxReplicas,
    pollingInterval: POLLING_INTERVAL_SECONDS,
    advanced: { horizontalPodAutoscalerConfig: { behavior } },
    triggers: [
      ...scaling.events.map((event) => ({
        type: 'cron',
        name: `event-${event.name}`,
        metadata: { timezone: event.timezone, start: event.start, end: event.end, desiredReplicas: String(event.desiredReplicas) },
      })),
      ...(scaling.requestRate
        ? [
            {
              type: 'prometheus',
              name: 'requests-per-replica',
              metricType: 'AverageValue',
              metadata: { serverAddress: CLUSTER_PROMETHEUS_URL, query: scaling.requestRate.query, threshold: String(scaling.requestRate.perReplica) },
            },
          ]
        : []),
      utilization('cpu', scaling.targetCpuUtilization),
      ...(scaling.targetMemoryUtilization !== undefined ? [utilization('memory', scaling.targetMemoryUtilization)] : []),
    ],
  };
}
