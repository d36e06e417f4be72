import { type Resources, addResources, formatCpu } from '../../lib/capacity';
import { table } from '../../lib/report/markdown';
import type { BlueprintSpec } from '../blueprint-spec';
import type { IRegion } from '../core/tree';
import { type BurstCost, type CostPlan, planCosts } from './cost-plan';
import { type ClusterUtilisation, type DepartmentUtilisation, planUtilisation } from './utilisation-plan';

/** Idle quota above this share of the quota is called out: most of the reservation is never used. */
export const IDLE_WARNING_PERCENT = 50;

const ASSUMPTIONS =
  'Figures are requests (what the scheduler reserves), not measured usage. At rest: every workload at its floor; at the ceiling: every service at its maximum replicas; ' +
  "canary pods and each pod's Istio sidecar on meshed clusters included; the middleware shelf at its replicas in both. " +
  'Platform components (the Istio control plane, monitoring, KEDA, Velero) are not counted, as in the capacity plans.';

/**
 * The region report's Utilisation section: per cluster, requests at rest and at the ceiling
 * against what its nodes offer; per department, against its quota, with the quota the ceiling
 * never reaches (idle); and overcommit: the quotas together, and the limits at the ceiling.
 */
export function utilisationSection(region: IRegion): string {
  const clusters = planUtilisation(region.spec);
  let out = `${ASSUMPTIONS} CPU in cores, memory in GiB.\n\n`;
  out += table(
    [
      'cluster',
      'CPU at rest',
      'CPU at ceiling',
      'CPU allocatable',
      'memory at rest (GiB)',
      'memory at ceiling (GiB)',
      'memory allocatable (GiB)',
      'share of allocatable at rest',
      'share of allocatable at ceiling',
    ],
    clusters.map((c) => [
      c.cluster.name,
      formatCpu(c.floor.cpu),
      formatCpu(c.ceiling.cpu),
      formatCpu(c.allocatable.cpu),
      gib(c.floor.memory),
      gib(c.ceiling.memory),
      gib(c.allocatable.memory),
      shares(c.floor, c.allocatable),
      shares(c.ceiling, c.allocatable),
    ]),
  );
  out += `\nPer department (its namespace's ResourceQuota; idle: quota minus requests at the ceiling, reserved but never reachable):\n\n`;
  out += table(
    [
      'cluster',
      'department',
      'CPU at rest',
      'CPU at ceiling',
      'CPU quota',
      'memory at rest (GiB)',
      'memory at ceiling (GiB)',
      'memory quota (GiB)',
      'idle quota',
      'note',
    ],
    clusters.flatMap((c) => [
      ...c.departments.map((d) => [
        c.cluster.name,
        d.department,
        formatCpu(d.floor.cpu),
        formatCpu(d.ceiling.cpu),
        formatCpu(d.quota.cpu),
        gib(d.floor.memory),
        gib(d.ceiling.memory),
        gib(d.quota.memory),
        `CPU ${formatCpu(d.idle.cpu)} (${percent(d.idle.cpu, d.quota.cpu)}), memory ${gib(d.idle.memory)} GiB (${percent(d.idle.memory, d.quota.memory)})`,
        idleNote(d),
      ]),
      ...(c.shelf.cpu > 0 || c.shelf.memory > 0
        ? [
            [
              c.cluster.name,
              'middleware shelf',
              formatCpu(c.shelf.cpu),
              formatCpu(c.shelf.cpu),
              'none',
              gib(c.shelf.memory),
              gib(c.shelf.memory),
              'none',
              '',
              'fixed replicas',
            ],
          ]
        : []),
    ]),
  );
  out += '\nOvercommit (more promised than the nodes hold):\n\n';
  out += table(
    ['cluster', 'quotas together vs allocatable', 'limits at ceiling vs allocatable', 'verdict'],
    clusters.map((c) => [
      c.cluster.name,
      `CPU ${formatCpu(c.quotas.cpu)} of ${formatCpu(c.allocatable.cpu)} (${percent(c.quotas.cpu, c.allocatable.cpu)}), memory ${gib(c.quotas.memory)} of ${gib(c.allocatable.memory)} GiB (${percent(c.quotas.memory, c.allocatable.memory)})`,
      `CPU ${formatCpu(c.limits.cpu)} (${percent(c.limits.cpu, c.allocatable.cpu)}), memory ${gib(c.limits.memory)} GiB (${percent(c.limits.memory, c.allocatable.memory)})`,
      overcommitVerdict(c),
    ]),
  );
  return out;
}

function idleNote(d: DepartmentUtilisation): string {
  const idle = (['cpu', 'memory'] as const).filter((r) => d.quota[r] > 0 && (d.idle[r] / d.quota[r]) * 100 > IDLE_WARNING_PERCENT);
  if (idle.length === 0) return '';
  const need = idle.map((r) => (r === 'cpu' ? `${formatCpu(d.rollout.cpu)} CPU` : `${gib(d.rollout.memory)} GiB`)).join(' and ');
  return `more than half the ${idle.map((r) => (r === 'cpu' ? 'CPU' : 'memory')).join(' and ')} quota is idle: a rollout at the ceiling needs ${need}`;
}

function overcommitVerdict(c: ClusterUtilisation): string {
  const out: string[] = [];
  if (c.quotas.cpu > c.allocatable.cpu || c.quotas.memory > c.allocatable.memory)
    out.push('the quotas promise more than the nodes offer: departments within quota may still find no room');
  if (c.limits.memory > c.allocatable.memory) out.push('memory limits exceed allocatable: under pressure, pods are evicted or OOM-killed');
  if (c.limits.cpu > c.allocatable.cpu) out.push('CPU limits exceed allocatable: under pressure, pods are throttled (not killed)');
  return out.length > 0 ? out.join('; ') : 'none';
}

/**
 * The region report's Cost section: with a price table, each cluster at rest per month, each
 * burst event, and per link the month provisioned for the peak on the government cloud against
 * bursting; without one, how to add it.
 */
export function costSection(region: IRegion): string {
  const plan = planCosts(region.spec);
  const clouds = [...new Set(region.spec.clusters.map((c) => c.cloud))];
  if (!plan) {
    return (
      'No price table. Add `costs: { currency: "CNY", prices: { "<cloud>": { vcpuHour, gibHour } } }` to the blueprint or the region ' +
      `(clouds here: ${clouds.map((c) => `\`${c}\``).join(', ')}) to price each cluster at rest, each burst event, and provisioning the government cloud for the peak against bursting.\n`
    );
  }
  const { currency } = plan.costs;
  let out = `Prices in ${currency} per vCPU-hour and per GiB-hour of requests${plan.costs.note ? ` (${plan.costs.note})` : ''}; a month is ${plan.hoursPerMonth} hours. Costs price requests (what the scheduler reserves), not measured usage, at the loads of the Utilisation section.\n\n`;
  out += table(
    ['cluster', 'cloud', `price (${currency} per vCPU-hour / GiB-hour)`, `at rest, per month (${currency})`, `allocatable, per month (${currency})`],
    plan.clusters.map((c) => {
      const cloud = c.utilisation.cluster.cloud;
      if (!c.price) return [c.utilisation.cluster.name, cloud, `no price: add costs.prices.${cloud}`, '', ''];
      return [c.utilisation.cluster.name, cloud, `${c.price.vcpuHour} / ${c.price.gibHour}`, money(c.floorMonthly!), money(c.allocatableMonthly!)];
    }),
  );
  out += '\n"At rest" prices what the cluster runs at its floor; "allocatable" prices everything its nodes offer, as a cloud bills for nodes held.\n\n';
  if (plan.links.length === 0) return `${out}No burst links to price.\n`;
  return out + plan.links.map((link) => burstCostReport(region.spec, plan, link)).join('\n');
}

function burstCostReport(spec: BlueprintSpec, plan: CostPlan, cost: BurstCost): string {
  const { link } = cost;
  const { currency } = plan.costs;
  const govCloud = spec.clusters.find((c) => c.name === link.from)!.cloud;
  const publicCloud = spec.clusters.find((c) => c.name === link.to)!.cloud;
  let out = `**${link.name}** (\`${link.from}\` on ${govCloud} -> \`${link.to}\` on ${publicCloud}): at peak the public side adds ${formatCpu(cost.publicExtra.cpu)} CPU and ${gib(cost.publicExtra.memory)} GiB of requests above its floor.\n\n`;
  if (cost.events.length > 0) {
    out += table(
      ['event', 'window (cron)', 'hours', `public replicas above the floor, for the event (${currency})`],
      cost.events.map((e) => [
        e.name,
        `${e.start} to ${e.end}`,
        e.hours !== undefined ? hours(e.hours) : 'not one dated window: declare costs.burstDurations.' + link.name,
        e.cost !== undefined ? money(e.cost) : '',
      ]),
    );
    out += '\n';
  }
  if (cost.peakHours === undefined) {
    return `${out}Hours at peak unknown: ${cost.events.length === 0 ? 'the link has no events' : "an event's cron lines are not one dated window"}; declare them as \`costs.burstDurations.${link.name}\` (e.g. "4h") to compare provisioning for the peak with bursting.\n`;
  }
  const c = cost.comparison;
  if (!c) {
    const missing = [govCloud, publicCloud].filter((cloud) => !plan.costs.prices[cloud]);
    return `${out}No comparison: add costs.prices for ${missing.map((m) => `\`${m}\``).join(' and ')}.\n`;
  }
  const when =
    cost.peakHoursSource === 'declared'
      ? `${hours(cost.peakHours)} hours at peak (costs.burstDurations)`
      : `${hours(cost.peakHours)} hours at peak (its events, each once)`;
  out += `A month with ${when}:\n\n`;
  out += table(
    ['option', `${link.from} (${currency} per month)`, `${link.to} (${currency} per month)`, `total (${currency} per month)`],
    [
      ['provision the government cloud for the peak', money(c.provisionForPeak), money(0), money(c.provisionForPeak)],
      ['burst', money(c.burstGov), money(c.burstPublic), money(c.burst)],
    ],
  );
  out +=
    `\n**Bursting ${c.savingPercent >= 0 ? 'saves' : 'costs'} ${Math.abs(Math.round(c.savingPercent))}%** against provisioning for the peak. ` +
    `Provisioning for the peak holds, all month on \`${link.from}\`, its other workloads at rest and every replica of the link's services at peak (${formatCpu(cost.peakOnGov.cpu)} CPU, ${gib(cost.peakOnGov.memory)} GiB). ` +
    `Bursting holds \`${link.from}\`'s own share of the peak all month (${formatCpu(cost.govShare.cpu)} CPU, ${gib(cost.govShare.memory)} GiB) and the public floor (${formatCpu(cost.publicFloor.cpu)} CPU, ${gib(cost.publicFloor.memory)} GiB), ` +
    `and rents the public replicas above the floor for the hours at peak only: released after the event.\n`;
  return out;
}

/** The fleet report's summary: per region, its clusters' totals, idle quota, cost at rest and burst savings. */
export function fleetOperationsSection(regions: readonly IRegion[]): string {
  return (
    table(
      [
        'region',
        'clusters',
        'CPU at rest / at ceiling / allocatable',
        'memory at rest / at ceiling / allocatable (GiB)',
        'idle quota',
        'at rest, per month',
        'burst saving against provisioning for the peak',
      ],
      regions.map((region) => {
        const clusters = planUtilisation(region.spec);
        const total = (pick: (c: ClusterUtilisation) => Resources) => addResources(...clusters.map(pick));
        const floor = total((c) => c.floor);
        const ceiling = total((c) => c.ceiling);
        const allocatable = total((c) => c.allocatable);
        const idle = addResources(...clusters.flatMap((c) => c.departments.map((d) => d.idle)));
        const plan = planCosts(region.spec);
        return [
          region.name,
          clusters.length,
          `${formatCpu(floor.cpu)} / ${formatCpu(ceiling.cpu)} / ${formatCpu(allocatable.cpu)}`,
          `${gib(floor.memory)} / ${gib(ceiling.memory)} / ${gib(allocatable.memory)}`,
          `CPU ${formatCpu(idle.cpu)}, memory ${gib(idle.memory)} GiB`,
          regionMonthly(plan),
          regionSavings(plan),
        ];
      }),
    ) + `\nCPU in cores. ${ASSUMPTIONS} Each region's report has the detail (Utilisation, Cost).\n`
  );
}

function regionMonthly(plan: CostPlan | undefined): string {
  if (!plan) return 'no price table';
  const unpriced = plan.clusters.filter((c) => !c.price).map((c) => c.utilisation.cluster.cloud);
  if (unpriced.length > 0) return `no price for ${[...new Set(unpriced)].join(', ')}`;
  return `${money(plan.clusters.reduce((sum, c) => sum + c.floorMonthly!, 0))} ${plan.costs.currency}`;
}

function regionSavings(plan: CostPlan | undefined): string {
  if (!plan || plan.links.length === 0) return plan ? 'no burst links' : '';
  return plan.links.map((l) => `${l.link.name}: ${l.comparison ? `${Math.round(l.comparison.savingPercent)}%` : 'not priced'}`).join('; ');
}

function gib(bytes: number): string {
  return String(Math.round((bytes / 2 ** 30) * 10) / 10);
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : 'n/a';
}

function shares(used: Resources, offered: Resources): string {
  return `CPU ${percent(used.cpu, offered.cpu)}, memory ${percent(used.memory, offered.memory)}`;
}

function hours(h: number): string {
  return String(Math.round(h * 100) / 100);
}

function money(amount: number): string {
  return amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
