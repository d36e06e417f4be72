import { Difference } from '../lib/schema';
import { section, table } from '../lib/report/markdown';
import { parseQuantity } from '../lib/quantity';
import { serviceClusters } from './blueprint-spec';
import type { Region } from './region';

const CHANGE_WORD: Record<Difference['change'], string> = { added: 'added', removed: 'removed', changed: 'changed' };

/** The region report: what this region overrides relative to the blueprint, and what it deploys where. */
export function regionReport(region: Region): string {
  const spec = region.spec;
  let out = `# Region ${region.name}\n\nBlueprint \`${region.blueprint.name}\`, overrides from \`${region.source}\`.\n\n`;

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
      ['cluster', 'role', 'cloud', 'Terraform stack', 'manifests', 'nodes', 'CPU', 'memory', 'pod CIDR', 'service CIDR'],
      region.clusters.map((c) => {
        const cap = c.spec.capacity;
        return [
          c.name,
          c.spec.role,
          c.spec.cloud,
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
        region.clusters.filter((c) => c.department(d.name)).map((c) => c.name).join(', '),
        d.podSecurity ?? 'restricted',
        d.quota.cpu,
        d.quota.memory,
        d.quota.pods ?? 200,
      ]),
    ),
  );

  out += section(
    'Services',
    table(
      ['service', 'department', 'version', 'clusters', 'replicas', 'CPU request', 'memory request'],
      spec.services.map((s) => [
        s.name,
        s.department,
        s.version,
        serviceClusters(spec, s).join(', '),
        s.autoscaling ? `${s.autoscaling.minReplicas}-${s.autoscaling.maxReplicas} (HPA)` : String(s.replicas ?? 2),
        s.resources.requests.cpu,
        s.resources.requests.memory,
      ]),
    ),
  );

  out += section('Quota fit', quotaFit(region));
  out += section(
    'Escape hatches',
    table(
      ['layer', 'target', 'change', 'reason'],
      region.escapeHatches.list.map((h) => [h.layer, h.target, JSON.stringify(h.change), h.reason]),
    ),
  );
  return out;
}

/** Per department and cluster: requests of its services at their floor and ceiling vs the quota. */
function quotaFit(region: Region): string {
  const rows: unknown[][] = [];
  for (const cluster of region.clusters) {
    for (const department of cluster.departments) {
      const services = region.spec.services.filter((s) => s.department === department.spec.name && serviceClusters(region.spec, s).includes(cluster.name));
      const cpu = (count: (s: (typeof services)[number]) => number) => services.reduce((sum, s) => sum + count(s) * parseQuantity(s.resources.requests.cpu)!, 0);
      const floor = cpu((s) => s.autoscaling?.minReplicas ?? s.replicas ?? 2);
      const ceiling = cpu((s) => s.autoscaling?.maxReplicas ?? s.replicas ?? 2);
      const quota = parseQuantity(department.spec.quota.cpu)!;
      rows.push([cluster.name, department.spec.name, round(floor), round(ceiling), round(quota), ceiling > quota ? 'ceiling exceeds quota: autoscaling will stop early' : 'fits']);
    }
  }
  return table(['cluster', 'department', 'CPU at min replicas', 'CPU at max replicas', 'CPU quota', 'verdict'], rows);
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
