import { table } from '../../lib/report/markdown';
import { karmadaMemberName } from './karmada-spec';
import { KARMADA_DIRECTORY } from './karmada-spec';
import type { KarmadaFold, KarmadaWorkload } from './karmada-fold';
import type { JsonObject } from './json-diff';
import type { IRegion } from '../core/tree';

/**
 * The region report's Karmada section: member names, then per service workload where Karmada
 * places it and how it scales. Read from the folded output itself (`fold`), so it shows what is written.
 */
export function karmadaSection(region: IRegion, fold: KarmadaFold | undefined): string {
  const spec = region.spec.karmada;
  if (!spec) return 'No Karmada control plane: one manifest folder per cluster.\n';
  if (!fold) throw new Error(`[${region.node.path}] the region runs Karmada: pass its folded application layer, foldRegion(region), to the report`);
  let out = `The application layer is written once, for the Karmada API server, in \`manifests/${region.name}/${KARMADA_DIRECTORY}/\`; each cluster's folder keeps its platform manifests. Namespaces there are labelled not to propagate: Terraform creates them on the members.\n\n`;
  out += table(
    ['cluster', 'member cluster'],
    region.clusters.map((c) => [c.name, karmadaMemberName(spec, region.name, c.name)]),
  );
  out += '\n';
  out += table(
    ['service', 'workload', 'members', 'scheduling', 'scaling'],
    fold.workloads.map((w) => [w.service, `${w.department}/${w.deployment}`, w.placement.members.join(', '), scheduling(w), scaling(w)]),
  );
  out +=
    '\nA hot standby gets replicas only when the groups before it cannot run the workload (Karmada schedules to the first group that fits), so its warm floor in per-cluster mode is part of the FederatedHPA floor here. ' +
    "Application failover moves a workload that stays unhealthy for the toleration; moving everything off a failed cluster (cluster failover) needs karmada-controller-manager's `Failover` feature gate, off by default.\n";
  return out;
}

function scheduling(w: KarmadaWorkload): string {
  const placement = w.placement.placement;
  const replicaScheduling = placement.replicaScheduling as JsonObject;
  const weights = replicaScheduling.weightPreference as JsonObject | undefined;
  const how =
    replicaScheduling.replicaSchedulingType === 'Duplicated'
      ? 'Duplicated'
      : weights?.dynamicWeight
        ? 'Divided by available replicas'
        : 'Divided, equal weights';
  const groups = (placement.clusterAffinities as JsonObject[] | undefined)?.map(affinityGroup);
  const failover = w.placement.failover?.application as JsonObject | undefined;
  const conditions = failover?.decisionConditions as JsonObject | undefined;
  return [
    how,
    ...(groups ? [`groups in order: ${groups.join('; then ')}`] : []),
    ...(failover ? [`failover after ${String(conditions?.tolerationSeconds)}s, purge ${String(failover.purgeMode)}`] : []),
  ].join('; ');
}

function affinityGroup(term: JsonObject): string {
  const overflow = (term.overflowAffinities as JsonObject[] | undefined) ?? [];
  const names = (t: JsonObject) => (t.clusterNames as string[]).join(', ');
  return `${String(term.affinityName)} (${names(term)})${overflow.map((o) => `, overflow ${String(o.affinityName)} (${names(o)})`).join('')}`;
}

function scaling(w: KarmadaWorkload): string {
  if (!w.scaling) return w.replicas === undefined ? '' : `${w.replicas} replicas${w.placement.divided ? ' in total' : ' on each member'}`;
  const rules = w.scaling.rules.map((r) => `${r.name} (\`${r.schedule}\` ${r.timeZone}): min ${r.targetMinReplicas}`);
  return `FederatedHPA ${w.scaling.minReplicas}-${w.scaling.maxReplicas}${rules.length > 0 ? `; CronFederatedHPA ${rules.join(', ')}` : ''}`;
}
