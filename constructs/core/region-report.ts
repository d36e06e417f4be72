import { type Difference } from '../../lib/schema';
import { section, table } from '../../lib/report/markdown';
import { formatBytes, formatCores } from '../../lib/quantity';
import { serviceClusters } from './placement-plan';
import { meshSection } from '../mesh/mesh-report';
import { burstSection } from '../burst/burst-report';
import { disasterRecoverySection } from '../disaster-recovery/disaster-recovery-report';
import { karmadaSection } from '../karmada/karmada-report';
import { gitopsSection, hasGitOps } from '../gitops/gitops-report';
import { observabilitySection } from '../observability/observability-report';
import { fleetObservabilitySection } from '../observability/fleet-view-report';
import { workloadScaling } from '../workload/scaling-plan';
import { statefulSection } from '../workload/stateful-report';
import { costSection, fleetOperationsSection, utilisationSection } from '../operations/operations-report';
import { hasScheduledScaling, scheduledScalingSection } from '../workload/schedule-report';
import { failureDomain } from './cluster-spec';
import { formatMemory } from '../../lib/capacity';
import { NO_PODS, departmentTierLoads, departmentTierQuotas, serviceTierOn } from '../tenancy/tier-quota-plan';
import { type QuotaFit, departmentQuotaFit } from '../tenancy/quota-fit-plan';
import { PRIORITY_TIERS } from '../workload/priority-catalogue';
import { TerraformVariable } from '../../lib/cdktf';
import { DEFAULT_QUOTA_PODS } from '../tenancy/department-spec';
import type { IRegion } from './tree';
import type { KarmadaFold } from '../karmada/karmada-fold';
import type { ComplianceResult } from '../../lib/compliance/evaluate';
import { complianceSection, fleetComplianceSection } from '../compliance/compliance-report';
import type { BlueprintSpec } from '../blueprint-spec';
import { FLEET_TOPOLOGY_PATH, topologyPath } from './topology-report';

const CHANGE_WORD: Record<Difference['change'], string> = { added: 'added', removed: 'removed', changed: 'changed' };

/** The region report: what this region overrides relative to the blueprint, and what it deploys where. */
export function regionReport(region: IRegion, karmadaFold: KarmadaFold | undefined, compliance: ComplianceResult): string {
  const spec = region.spec;
  let out = `# Region ${region.name}\n\nBlueprint \`${region.blueprint.name}\`, overrides from \`${region.source}\`.\n\n`;
  out += `![Topology of ${region.name}: clusters by cloud and failure domain, departments and services, shelf, mesh, burst links and DR pairs](${topologyPath(region.name)})\n\n`;

  out += section(
    'Overrides relative to the blueprint',
    table(
      ['path', 'change', 'blueprint', 'region'],
      region.differences.map((d) => [d.path, CHANGE_WORD[d.change], summarize(d.before), summarize(d.after)]),
    ),
  );

  out += section(
    'Clusters',
    table(
      ['cluster', 'role', 'failure domain', 'registry', 'Terraform stack', 'manifests', 'nodes', 'CPU', 'memory', 'pod CIDR', 'service CIDR'],
      region.clusters.map((c) => {
        const cap = c.spec.capacity;
        return [
          c.name,
          c.spec.role,
          failureDomain(c.spec),
          c.supplyChain.registry,
          c.stackName,
          `manifests/${c.manifestDirectory}/`,
          cap.nodes,
          `${cap.nodes} x ${cap.nodeCpu}`,
          `${cap.nodes} x ${cap.nodeMemory}`,
          c.spec.network.podCidr,
          c.spec.network.serviceCidr,
        ];
      }),
    ),
  );

  out += section(
    'Departments',
    table(
      ['department', 'clusters', 'pod security', 'CPU requests', 'memory requests', 'pods'],
      spec.departments.map((d) => [
        d.displayName ? `${d.name} (${d.displayName})` : d.name,
        region.clusters
          .filter((c) => c.department(d.name))
          .map((c) => c.name)
          .join(', '),
        d.podSecurity ?? 'restricted',
        d.quota.cpu,
        d.quota.memory,
        d.quota.pods ?? DEFAULT_QUOTA_PODS,
      ]),
    ),
  );

  out += section(
    'Services',
    table(
      ['service', 'department', 'version', 'clusters', 'replicas', 'priority tier', 'CPU request', 'memory request'],
      spec.services.map((s) => [
        s.name,
        s.department,
        s.version,
        serviceClusters(spec, s).join(', '),
        serviceClusters(spec, s)
          .map((c) => `${c}: ${replicaSummary(region, s, c)}`)
          .join('; '),
        serviceClusters(spec, s)
          .map((c) => `${c}: ${serviceTierOn(spec, s, c)}`)
          .join('; '),
        s.resources.requests.cpu,
        s.resources.requests.memory,
      ]),
    ),
  );

  out += section('Stateful services', statefulSection(region));
  out += section('Quota fit', quotaFit(region));
  // Only where a service has events of its own, so other regions' reports stay as they were.
  if (hasScheduledScaling(region)) out += section('Scheduled scaling', scheduledScalingSection(region));
  out += section('Middleware shelf', middlewareShelf(region));
  out += section('Service mesh', meshSection(region));
  out += section('Burst capacity plan', burstSection(region));
  out += section('Disaster recovery', disasterRecoverySection(region));
  out += section('Karmada', karmadaSection(region, karmadaFold));
  // Only with gitops, so other regions' reports stay as they were.
  if (hasGitOps(region)) out += section('GitOps', gitopsSection(region));
  out += section('Observability', observabilitySection(region));
  out += section('Utilisation', utilisationSection(region));
  out += section('Cost', costSection(region));
  out += section('Compliance', complianceSection(region, compliance));
  out += section(
    'Escape hatches',
    table(
      ['layer', 'target', 'change', 'reason'],
      region.escapeHatches.list.map((h) => [h.layer, h.target, JSON.stringify(h.shown), h.reason]),
    ),
  );
  out += section('Pipeline variables', pipelineVariables(region));
  return out;
}

/**
 * Every variable each stack declares, read from the stacks themselves so none is missed: the
 * cluster connection's token, the shelf's credentials, replication passwords, the hub's admin.
 */
function pipelineVariables(region: IRegion): string {
  const rows = region.clusters.map((c) => {
    const names = c.stack.node
      .findAll()
      .filter((child): child is TerraformVariable => child instanceof TerraformVariable)
      .map((v) => v.node.id)
      .sort();
    return [c.stackName, names.map((n) => `\`TF_VAR_${n}\``).join(', ') || 'none'];
  });
  return `Set these in the pipeline that runs \`cdktf deploy <stack>\` (each is sensitive: Terraform keeps it out of its output):\n\n${table(['stack', 'variables'], rows)}`;
}

/** The fleet report: what holds across the regions synthesized together. */
export function fleetReport(blueprint: BlueprintSpec, compliance: Parameters<typeof fleetComplianceSection>[0]): string {
  let out = `# Fleet \`${blueprint.name}\`\n\nRegions synthesized together: ${compliance.map(({ region }) => `\`${region.name}\``).join(', ')}.\n\n`;
  out += `![Topology of the fleet: each region's clusters by cloud and failure domain, burst links and DR pairs](${FLEET_TOPOLOGY_PATH})\n\n`;
  out += section('Compliance', fleetComplianceSection(compliance));
  out += section('Observability', fleetObservabilitySection(compliance.map(({ region }) => region)));
  out += section('Utilisation and cost', fleetOperationsSection(compliance.map(({ region }) => region)));
  return out;
}

/** Every shelf instance per cluster: what it installs, its size and protection, and who may use it. */
function middlewareShelf(region: IRegion): string {
  const instances = region.clusters.flatMap((c) => c.middlewareInstances.map((i) => [c, i] as const));
  if (instances.length === 0) return 'No middleware instances.\n';
  let out = table(
    ['instance', 'engine', 'version', 'chart', 'cluster', 'size per replica', 'replicas', 'high availability', 'storage class', 'metrics', 'backup', 'grants'],
    instances.map(([cluster, instance]) => {
      const plan = instance.plan;
      const r = plan.resources.requests;
      return [
        instance.spec.name,
        plan.engine.product,
        plan.pinned.version,
        `${plan.engine.chart} ${plan.pinned.chartVersion}`,
        cluster.name,
        `${plan.size}: ${r.cpu} CPU, ${r.memory}, ${plan.storage.size}`,
        plan.replicas,
        plan.highAvailability ? 'on' : `off${instance.spec.highAvailability?.reason ? ` (${instance.spec.highAvailability.reason})` : ''}`,
        plan.storage.storageClass ?? 'cluster default',
        plan.metrics ? 'on' : 'off',
        plan.backup
          ? `${plan.backup.schedule} UTC, kept ${plan.backup.retention}`
          : `off${instance.spec.backup?.reason ? ` (${instance.spec.backup.reason})` : ''}`,
        instance.departments.join(', ') || 'none',
      ];
    }),
  );
  const changes = (region.spec.middleware ?? []).filter((m) => m.versionChangeReason);
  if (changes.length > 0) {
    out += '\nPinned versions changed in this region:\n\n';
    out += table(
      ['instance', 'blueprint version', 'region version', 'reason'],
      changes.map((m) => [m.name, region.blueprint.middleware?.find((b) => b.name === m.name)?.version ?? '', m.version, m.versionChangeReason]),
    );
  }
  const variables = [...new Set(instances.flatMap(([, i]) => i.credentialVariables))];
  out += `\nCredentials come from these sensitive, ephemeral Terraform variables (set \`TF_VAR_<name>\` in the pipeline): ${variables.map((v) => `\`${v}\``).join(', ')}.\n`;
  return out;
}

/**
 * Per department and cluster: its services' CPU and memory requests and pods at their floor and
 * ceiling vs the quota, canary pods and (on meshed clusters) each pod's sidecar included; the
 * verdict reads the plan the synth check reads. Then the same per priority tier, next to the
 * quota scoped to the tier.
 */
function quotaFit(region: IRegion): string {
  const rows: unknown[][] = [];
  for (const cluster of region.clusters) {
    for (const department of cluster.departments) {
      const fit = departmentQuotaFit(region.spec, department.spec, cluster.name);
      rows.push([
        cluster.name,
        department.spec.name,
        round(fit.floor.requests.cpu),
        round(fit.ceiling.requests.cpu),
        round(fit.quota.cpu),
        formatMemory(fit.floor.requests.memory),
        formatMemory(fit.ceiling.requests.memory),
        formatBytes(fit.quota.memory),
        fit.floor.pods,
        fit.ceiling.pods,
        fit.quota.pods,
        quotaVerdict(fit),
      ]);
    }
  }
  return `${table(
    [
      'cluster',
      'department',
      'CPU at min replicas',
      'CPU at max replicas',
      'CPU quota',
      'memory at min replicas',
      'memory at max replicas',
      'memory quota',
      'pods at min replicas',
      'pods at max replicas',
      'pods quota',
      'verdict',
    ],
    rows,
  )}\n${tierFit(region)}`;
}

/** "fits", or which of requests.cpu, requests.memory and pods the floor or the ceiling exceeds. */
function quotaVerdict(fit: QuotaFit): string {
  // A floor over the quota fails synth: a report only shows it if that check is bypassed.
  if (fit.floorOver.length > 0) return `floor exceeds quota (${fit.floorOver.join(', ')}): pods at rest cannot start`;
  if (fit.ceilingOver.length > 0) return `ceiling exceeds quota (${fit.ceilingOver.join(', ')}): autoscaling will stop early`;
  return 'fits';
}

/** Per cluster, department and tier: its pods' requests at floor and ceiling, and the quota scoped to the tier. */
function tierFit(region: IRegion): string {
  const rows: unknown[][] = [];
  for (const cluster of region.clusters) {
    for (const department of cluster.departments) {
      const loads = departmentTierLoads(region.spec, department.spec, cluster.name);
      const quotas = departmentTierQuotas(region.spec, department.spec, cluster.name);
      for (const tier of PRIORITY_TIERS) {
        const load = loads.find((l) => l.tier === tier);
        const quota = quotas.find((q) => q.tier === tier);
        if (!load && !quota) continue;
        const { floor, ceiling } = load ?? { floor: NO_PODS, ceiling: NO_PODS };
        rows.push([
          cluster.name,
          department.spec.name,
          tier,
          `${floor.pods}-${ceiling.pods}`,
          round(floor.requests.cpu),
          round(ceiling.requests.cpu),
          formatMemory(floor.requests.memory),
          formatMemory(ceiling.requests.memory),
          quota
            ? `requests.cpu ${formatCores(quota.cpu)}, requests.memory ${formatBytes(quota.memory)}, pods ${quota.pods} (${quota.source === 'spec' ? 'quota.tiers' : 'planned: a rollout at the ceiling'})`
            : 'department quota only',
        ]);
      }
    }
  }
  return (
    'Per priority tier (pods claiming a tier count against a quota scoped to its PriorityClass, so no surge takes the room planned for citizen-critical services):\n\n' +
    table(
      ['cluster', 'department', 'tier', 'pods', 'CPU at min replicas', 'CPU at max replicas', 'memory at min replicas', 'memory at max replicas', 'tier quota'],
      rows,
    )
  );
}

/** Replicas of a service on one cluster: fixed, HPA, or KEDA (with events), and why it runs there when it is a copy. */
function replicaSummary(region: IRegion, service: IRegion['spec']['services'][number], cluster: string): string {
  const scaling = workloadScaling(region.spec, service, cluster);
  if (!scaling.autoscaled) return String(scaling.minReplicas);
  const scaler = scaling.events.length > 0 ? 'KEDA' : 'HPA';
  const copies = scaling.copies.map((c) => (c.kind === 'burst' ? `burst ${c.link}` : `${c.mode} ${c.pair}`));
  return `${scaling.minReplicas}-${scaling.maxReplicas} (${scaler}${copies.length > 0 ? `, ${copies.join(', ')}` : ''})`;
}

function round(cores: number): string {
  return String(Math.round(cores * 100) / 100);
}

function summarize(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'object' && value !== null && 'name' in value) return `(item ${(value as { name: string }).name})`;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
