import { type DotAttributes, type DotGraph, type DotItem, type DotNode, cluster, edge, minimumWidth, node, record, renderSvg } from '../../lib/report/dot';
import { failureDomain } from './cluster-spec';
import { serviceClusters } from './placement-plan';
import { workloadScaling } from '../workload/scaling-plan';
import { planBurst } from '../burst/burst-plan';
import { planDisasterRecovery } from '../disaster-recovery/disaster-recovery-plan';
import { ISTIO_PORTS } from '../mesh/istio-topology';
import type { ReportFile } from '../burst/surge-rehearsal-report';
import type { ICluster, IRegion } from './tree';
import type { BlueprintSpec } from '../blueprint-spec';

/** Where a region's topology goes, relative to `reports/`, so the region report can link it. */
export function topologyPath(region: string): string {
  return `${region}/topology.svg`;
}

/** The fleet's picture, relative to `reports/`. */
export const FLEET_TOPOLOGY_PATH = 'fleet-topology.svg';

const FONT = 'Helvetica';
const COLORS = { burst: '#d62728', dr: '#1f4e9c', mesh: '#2ca02c', gov: '#eef3fb', public: '#fdf1ec', domain: '#ffffff' } as const;

/** The region's topology as a file under `reports/`. */
export function topologyPicture(region: IRegion): ReportFile {
  const path = `reports/${topologyPath(region.name)}`;
  try {
    return { path, content: renderSvg(regionTopology(region)) };
  } catch {
    // Graphviz's dot loses some labelled edges between nested clusters ("lost ... edge"); the
    // mesh links are the ones it loses, so the picture is drawn without them (each cluster's box
    // still names its mesh network and gateway) rather than failing the synth.
    return { path, content: renderSvg(regionTopology(region, { meshLinks: false })) };
  }
}

/** The fleet's picture as a file under `reports/`. */
export function fleetTopologyPicture(blueprint: BlueprintSpec, regions: readonly IRegion[]): ReportFile {
  return { path: `reports/${FLEET_TOPOLOGY_PATH}`, content: renderSvg(fleetTopology(blueprint, regions)) };
}

/**
 * The region as a graph: clusters boxed by cloud and failure domain; in each cluster its
 * departments (a record listing the services running there, with their replicas), the shelf
 * and the mesh's part; burst links (surge factor), DR pairs (RPO, RTO) and the mesh's links
 * between clusters as edges. Values come from the plans the report prints.
 */
export function regionTopology(region: IRegion, options: { readonly meshLinks?: boolean } = {}): DotGraph {
  const spec = region.spec;
  const items: DotItem[] = [
    ...byCloudAndDomain(region.clusters, (c) => clusterItems(region, c)),
    ...burstEdges(spec, region.name, true),
    ...drEdges(spec, region.name),
    ...(options.meshLinks === false ? [] : meshEdges(region)),
  ];
  return {
    id: `topology/${region.name}`,
    attributes: graphAttributes(`Region ${region.name}: blueprint ${region.blueprint.name}`),
    node: { fontname: FONT, fontsize: 11, shape: 'box', style: 'rounded' },
    edge: { fontname: FONT, fontsize: 10 },
    items,
  };
}

/** The fleet: each region's clusters by cloud and failure domain, with its burst links and DR pairs. */
export function fleetTopology(blueprint: BlueprintSpec, regions: readonly IRegion[]): DotGraph {
  const items: DotItem[] = regions.map((region) =>
    cluster(`region/${region.name}`, { label: `region ${region.name}`, style: 'bold', fontsize: 13 }, [
      ...byCloudAndDomain(region.clusters, (c) => [clusterNode(region, c)]),
      ...burstEdges(region.spec, region.name, false),
      ...drEdges(region.spec, region.name),
    ]),
  );
  return {
    id: `topology/fleet/${blueprint.name}`,
    attributes: graphAttributes(`Fleet ${blueprint.name}: ${regions.length} region${regions.length === 1 ? '' : 's'}`),
    node: { fontname: FONT, fontsize: 11, shape: 'box', style: 'rounded' },
    edge: { fontname: FONT, fontsize: 10 },
    items,
  };
}

function graphAttributes(title: string): DotAttributes {
  return { label: title, labelloc: 't', fontname: FONT, fontsize: 15, rankdir: 'LR', nodesep: 0.25, ranksep: 0.5 };
}

/**
 * Clusters boxed by cloud, then by failure domain (cloud and location), in the spec's order.
 * Two clusters in one domain fail together: the picture shows which share one.
 */
function byCloudAndDomain(clusters: readonly ICluster[], contents: (c: ICluster) => DotItem[]): DotItem[] {
  const clouds = [...new Set(clusters.map((c) => c.spec.cloud))];
  return clouds.map((cloud) => {
    const inCloud = clusters.filter((c) => c.spec.cloud === cloud);
    const roles = [...new Set(inCloud.map((c) => c.spec.role))];
    const domains = [...new Set(inCloud.map((c) => failureDomain(c.spec)))];
    const regionName = inCloud[0].region.name;
    return cluster(
      `${regionName}/cloud/${cloud}`,
      { label: `cloud ${cloud} (${roles.join(', ')})`, style: 'filled', fillcolor: roles.includes('gov') ? COLORS.gov : COLORS.public, fontsize: 12 },
      domains.map((domain) =>
        cluster(
          `${regionName}/domain/${domain}`,
          { label: `failure domain ${domain}`, style: 'filled,dashed', fillcolor: COLORS.domain, fontsize: 11 },
          inCloud.filter((c) => failureDomain(c.spec) === domain).flatMap(contents),
        ),
      ),
    );
  });
}

/** One node per cluster: the anchor its edges start and end at. */
function clusterNode(region: IRegion, c: ICluster): DotItem {
  const cap = c.spec.capacity;
  const lines = [`cluster ${c.name} (${c.spec.role})`, `stack ${c.stackName}`, `${cap.nodes} nodes x ${cap.nodeCpu} CPU, ${cap.nodeMemory}`];
  return node(anchor(region.name, c.name), { label: record([lines]), shape: 'record', style: 'bold', width: minimumWidth(lines) });
}

function anchor(region: string, clusterName: string): string {
  return `${region}/${clusterName}`;
}

/** A cluster of the region picture: its box, its anchor, departments, shelf and mesh. */
function clusterItems(region: IRegion, c: ICluster): DotItem[] {
  const spec = region.spec;
  const id = anchor(region.name, c.name);
  const parts: DotNode[] = [];
  for (const department of c.departments) {
    const d = department.spec;
    const services = spec.services.filter((s) => s.department === d.name && serviceClusters(spec, s).includes(c.name));
    const title = [d.displayName ? `${d.name} (${d.displayName})` : d.name];
    const lines = services.map((s) => `${s.name}: ${replicas(spec, s, c.name)}`);
    parts.push(
      node(`${id}/department/${d.name}`, {
        shape: 'record',
        style: 'rounded',
        label: record([title, lines.length > 0 ? lines : ['no services']]),
        width: minimumWidth([...title, ...lines]),
      }),
    );
  }
  if (c.middlewareInstances.length > 0) {
    const lines = c.middlewareInstances.map((i) => {
      const p = i.plan;
      return `${i.spec.name}: ${p.engine.product} ${p.pinned.version}, ${p.replicas} replica${p.replicas === 1 ? '' : 's'}${p.highAvailability ? ', HA' : ''}`;
    });
    parts.push(
      node(`${id}/shelf`, { shape: 'record', style: 'filled', fillcolor: '#fff8dc', label: record([['middleware shelf'], lines]), width: minimumWidth(lines) }),
    );
  }
  if (c.mesh) {
    const lines = [
      `istiod, mesh ${c.mesh.meshId}`,
      `network ${c.mesh.network}`,
      c.mesh.crossNetwork ? `east-west gateway :${ISTIO_PORTS.crossNetwork}` : 'no east-west gateway',
    ];
    parts.push(node(`${id}/mesh`, { shape: 'record', style: 'filled', fillcolor: '#eaf7ea', label: record([lines]), width: minimumWidth(lines) }));
  }
  // Invisible edges put the cluster's anchor above what it holds.
  const layout = parts.map((p) => edge(id, p.id, { style: 'invis' }));
  return [
    cluster(`${id}/box`, { label: `cluster ${c.name}`, style: 'filled', fillcolor: '#ffffff', color: '#888888', fontsize: 10 }, [
      clusterNode(region, c),
      ...parts,
      ...layout,
    ]),
  ];
}

/** A service's replicas on one cluster, and what makes it a copy there. */
function replicas(spec: BlueprintSpec, service: BlueprintSpec['services'][number], clusterName: string): string {
  const scaling = workloadScaling(spec, service, clusterName);
  const count = scaling.autoscaled ? `${scaling.minReplicas}-${scaling.maxReplicas}` : String(scaling.minReplicas);
  const copies = scaling.copies.map((copy) => (copy.kind === 'burst' ? `burst copy (${copy.link})` : `standby (${copy.pair}, ${copy.mode})`));
  return [count, ...copies].join(', ');
}

/** Each burst link, from the government cluster to the public one, with its surge factor and peak. */
function burstEdges(spec: BlueprintSpec, region: string, detailed: boolean): DotItem[] {
  return (spec.burst ?? []).map((link) => {
    const plan = planBurst(spec, link);
    const peak = plan.services.map((s) => `${s.name} ${s.govPeakReplicas} + ${s.publicPeakReplicas}`);
    const label = [`burst ${link.name}`, `surge ${link.surgeFactor}x`, ...(detailed ? [`at peak: ${peak.join(', ')}`] : [])].join('\n');
    return edge(anchor(region, link.from), anchor(region, link.to), {
      label,
      color: COLORS.burst,
      fontcolor: COLORS.burst,
      penwidth: 2,
    });
  });
}

/** Each DR pair, from the primary to the standby, with its mode, RPO and RTO. */
function drEdges(spec: BlueprintSpec, region: string): DotItem[] {
  return (spec.disasterRecovery ?? []).map((pair) => {
    const plan = planDisasterRecovery(spec, pair);
    const label = [
      `DR ${pair.name} (${pair.mode})`,
      `RPO ${pair.rpo}, RTO ${pair.rto}`,
      plan.problems.length === 0 ? 'objectives met' : 'objectives not met',
    ].join('\n');
    return edge(anchor(region, pair.primary), anchor(region, pair.standby), {
      label,
      color: COLORS.dr,
      fontcolor: COLORS.dr,
      style: 'dashed',
      penwidth: 2,
    });
  });
}

/**
 * The mesh between clusters: meshed clusters on one network reach each other's pods directly;
 * across networks, through the east-west gateways (mutual TLS passthrough).
 */
function meshEdges(region: IRegion): DotItem[] {
  const meshed = region.clusters.filter((c) => c.mesh);
  const out: DotItem[] = [];
  meshed.forEach((a, i) => {
    for (const b of meshed.slice(i + 1)) {
      const sameNetwork = a.mesh!.network === b.mesh!.network;
      out.push(
        edge(`${anchor(region.name, a.name)}/mesh`, `${anchor(region.name, b.name)}/mesh`, {
          label: sameNetwork ? `mesh, network ${a.mesh!.network}: pod to pod` : `mesh: east-west gateways\nmTLS :${ISTIO_PORTS.crossNetwork}`,
          color: COLORS.mesh,
          fontcolor: COLORS.mesh,
          style: 'dotted',
          dir: 'both',
          penwidth: 2,
        }),
      );
    }
  });
  return out;
}
