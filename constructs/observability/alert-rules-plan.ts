import { formatPrometheusDuration, parseDuration, parsePrometheusDuration } from '../../lib/duration';
import type { BlueprintSpec } from '../blueprint-spec';
import { serviceClusters } from '../core/placement-plan';
import { planBurst } from '../burst/burst-plan';
import { type AlertLayer, DATA_BUREAU, DEFAULT_EARLY_WARNING, type EarlyWarningSpec, LAYER_LABEL, OWNER_LABEL } from './observability-spec';

// Fault demarcation (white paper 2.1.1 (3)): every alert says which layer failed and who owns the
// fix. The data bureau owns infrastructure and the platform; a department owns its applications.

export { DATA_BUREAU, LAYER_LABEL, OWNER_LABEL };
export type { AlertLayer };

/** One Prometheus rule, as PrometheusRule `spec.groups[].rules[]` holds it. */
export interface PrometheusRuleJson {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface PrometheusRuleGroupJson {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly PrometheusRuleJson[];
}

/** Where an alert fires: the labels every rule of a cluster carries besides Prometheus' external labels. */
export interface AlertPlace {
  readonly region: string;
  readonly cluster: string;
}

/** The ownership labels of an alert. */
export function ownership(place: AlertPlace, layer: AlertLayer, owner: string, severity: 'page' | 'ticket' | 'warning'): Record<string, string> {
  return { severity, [LAYER_LABEL]: layer, [OWNER_LABEL]: owner, region: place.region, cluster: place.cluster };
}

/** Early-warning thresholds with every default applied. */
export function earlyWarning(spec: BlueprintSpec): Required<EarlyWarningSpec> {
  return { ...DEFAULT_EARLY_WARNING, ...spec.observability?.earlyWarning };
}

/** A Go-style or Prometheus duration as whole seconds. */
function seconds(duration: string): number {
  return parseDuration(duration) ?? parsePrometheusDuration(duration)!;
}

const ratio = (percent: number) => String(percent / 100);

/**
 * Alerts that fire while there is still time (white paper 5.2), for one cluster: a burst link's
 * government side near its ceiling, a department near its quota, volumes filling, backups older
 * than the RPO, replication lagging towards it, gateway certificates near expiry, and the remote
 * write to the hub falling behind (the cross-cloud view going blind).
 */
export function earlyWarningGroups(spec: BlueprintSpec, place: AlertPlace): PrometheusRuleGroupJson[] {
  const warn = earlyWarning(spec);
  const groups: PrometheusRuleGroupJson[] = [];
  const cluster = place.cluster;

  const burst = (spec.burst ?? [])
    .filter((link) => link.from === cluster)
    .flatMap((link) =>
      planBurst(spec, link).services.map((plan): PrometheusRuleJson => {
        const namespace = plan.department;
        // KEDA names the HPA it makes after the ScaledObject; match both.
        const hpa = `horizontalpodautoscaler=~"${plan.name}|keda-hpa-${plan.name}"`;
        return {
          alert: 'BurstGovernmentSideNearCeiling',
          expr: `kube_horizontalpodautoscaler_status_current_replicas{namespace="${namespace}",${hpa}} / kube_horizontalpodautoscaler_spec_max_replicas{namespace="${namespace}",${hpa}} > ${ratio(warn.burstCeilingPercent)}`,
          for: '2m',
          labels: { ...ownership(place, 'platform', DATA_BUREAU, 'warning'), service: plan.name, namespace, burst_link: link.name },
          annotations: {
            summary: `${plan.name} on ${cluster} is above ${warn.burstCeilingPercent}% of its ceiling (${plan.govMaxReplicas} replicas)`,
            description: `The burst link ${link.name} sends the overflow to ${link.to}; check that the public cluster has room (planned peak there: ${plan.publicPeakReplicas} replicas).`,
          },
        };
      }),
    );
  if (burst.length > 0) groups.push({ name: 'govcloud-burst', rules: burst });

  const departments = spec.departments.filter((d) => spec.services.some((s) => s.department === d.name && serviceClusters(spec, s).includes(cluster)));
  const quota = departments.flatMap((d): PrometheusRuleJson[] =>
    ['requests.cpu', 'requests.memory'].map((resource) => ({
      alert: 'DepartmentQuotaNearlyUsed',
      expr: `max by (namespace, resource) (kube_resourcequota{namespace="${d.name}",resource="${resource}",type="used"}) / max by (namespace, resource) (kube_resourcequota{namespace="${d.name}",resource="${resource}",type="hard"}) > ${ratio(warn.quotaPercent)}`,
      for: '10m',
      // Quotas are the platform's: the data bureau raises them, with the department.
      labels: { ...ownership(place, 'platform', DATA_BUREAU, 'warning'), namespace: d.name, department: d.name, resource },
      annotations: {
        summary: `${d.name} uses more than ${warn.quotaPercent}% of its ${resource} quota on ${cluster}`,
        description: 'Autoscaling stops at the quota: raise it with the department before the next peak, or have it trim requests.',
      },
    })),
  );
  if (quota.length > 0) groups.push({ name: 'govcloud-quota', rules: quota });

  const horizon = seconds(warn.diskFullWithin);
  groups.push({
    name: 'govcloud-capacity',
    rules: [
      {
        alert: 'VolumeFillsUpSoon',
        expr: `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.2 and predict_linear(kubelet_volume_stats_available_bytes[6h], ${horizon}) < 0`,
        for: '15m',
        labels: ownership(place, 'infrastructure', DATA_BUREAU, 'warning'),
        annotations: {
          summary: `A volume on ${cluster} fills up within ${warn.diskFullWithin} at its current rate`,
          description: 'Volume {{ $labels.persistentvolumeclaim }} in {{ $labels.namespace }}: grow it, or find what writes.',
        },
      },
      {
        alert: 'RemoteWriteFallingBehind',
        expr: '(max by (remote_name) (prometheus_remote_storage_highest_timestamp_in_seconds) - on (remote_name) group_right max by (remote_name) (prometheus_remote_storage_queue_highest_sent_timestamp_seconds)) > 300',
        for: '10m',
        labels: ownership(place, 'infrastructure', DATA_BUREAU, 'warning'),
        annotations: {
          summary: `${cluster} is more than 5 minutes behind in sending metrics to the hub`,
          description: 'The province view of this cluster is going stale: check the link to the hub and its credentials.',
        },
      },
    ],
  });

  const continuity: PrometheusRuleJson[] = [];
  for (const pair of spec.disasterRecovery ?? []) {
    const rpo = seconds(pair.rpo);
    const budget = Math.round((rpo * warn.rpoPercent) / 100);
    if (pair.primary === cluster) {
      continuity.push({
        alert: 'BackupOlderThanRpo',
        expr: `time() - max(velero_backup_last_successful_timestamp{schedule="dr-${pair.name}"}) > ${budget}`,
        for: '5m',
        labels: { ...ownership(place, 'platform', DATA_BUREAU, 'warning'), dr_pair: pair.name },
        annotations: {
          summary: `The newest backup of DR pair ${pair.name} is older than ${warn.rpoPercent}% of its RPO (${pair.rpo})`,
          description: `A failover now would lose more than ${formatPrometheusDuration(budget)} of data; check the Velero schedule dr-${pair.name}.`,
        },
      });
    }
    if (pair.standby === cluster && (pair.databases ?? []).length > 0) {
      continuity.push({
        alert: 'ReplicationLagNearRpo',
        expr: `max by (cluster) (cnpg_pg_replication_lag{namespace="middleware"}) > ${budget}`,
        for: '2m',
        labels: { ...ownership(place, 'platform', DATA_BUREAU, 'warning'), dr_pair: pair.name },
        annotations: {
          summary: `Replica databases of DR pair ${pair.name} lag more than ${warn.rpoPercent}% of the RPO (${pair.rpo})`,
          description: 'The standby would lose recent writes on failover: check the link to the primary and its WAL senders.',
        },
      });
    }
  }
  if (continuity.length > 0) groups.push({ name: 'govcloud-continuity', rules: continuity });

  const exposed = spec.mesh && spec.services.some((s) => s.traffic?.expose && serviceClusters(spec, s).includes(cluster));
  if (exposed) {
    const days = seconds(warn.certificateExpiresWithin) / 86400;
    groups.push({
      name: 'govcloud-certificates',
      rules: [
        {
          alert: 'GatewayCertificateExpiresSoon',
          expr: `min by (pod) (envoy_server_days_until_first_cert_expiring{namespace="istio-ingress"}) < ${days}`,
          for: '1h',
          labels: ownership(place, 'platform', DATA_BUREAU, 'warning'),
          annotations: {
            summary: `A certificate of the ingress gateway on ${cluster} expires within ${warn.certificateExpiresWithin}`,
            description: 'Renew the TLS Secret in istio-ingress before citizens see certificate errors.',
          },
        },
      ],
    });
  }
  return groups;
}
