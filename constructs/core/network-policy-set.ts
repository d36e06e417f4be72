import type { Construct } from 'constructs';
import { ValidationError } from '../../lib/errors';
import type { TrafficRules } from './tree';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1Metadata,
  type NetworkPolicyV1SpecEgress,
  type NetworkPolicyV1SpecIngress,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';

/** The name of the policy for every pod of a namespace; `traffic-<subject>` names cannot collide with it. */
export const BASELINE_TRAFFIC_POLICY = 'baseline-traffic';

interface PolicyEntry {
  readonly policy: NetworkPolicyV1;
  readonly ingress: NetworkPolicyV1SpecIngress[];
  readonly egress: NetworkPolicyV1SpecEgress[];
  readonly types: Set<'Ingress' | 'Egress'>;
  readonly seen: Set<string>;
}

/**
 * The allow policies of one namespace, one NetworkPolicy per pod selector. Kubernetes allows a pod
 * the union of the rules of every policy that selects it, and isolates it in each direction any of
 * them lists, so the rules for the same pods can share one policy (policy types the union, rules
 * concatenated, duplicates dropped) without changing what is allowed: a namespace holds a policy
 * per workload instead of one per caller, grant and scrape path. The default deny stays a policy
 * of its own (`deny-all`), which the compliance rules and a reader look for.
 */
export class NetworkPolicySet {
  private readonly bySelector = new Map<string, PolicyEntry>();
  private readonly selectorByName = new Map<string, string>();

  /** Policies are created in `scope` as `network-policy-<name>`, with `metadata(name)`. */
  constructor(
    private readonly scope: Construct,
    private readonly metadata: (name: string) => NetworkPolicyV1Metadata,
  ) {}

  allow(subject: string, podSelector: Readonly<Record<string, string>>, rules: TrafficRules): void {
    const selectorKey = canonicalJson(podSelector);
    let entry = this.bySelector.get(selectorKey);
    if (!entry) {
      const name = Object.keys(podSelector).length === 0 ? BASELINE_TRAFFIC_POLICY : `traffic-${subject}`;
      const other = this.selectorByName.get(name);
      if (other !== undefined)
        throw new ValidationError('two NetworkPolicies would share a name', [
          {
            path: this.scope.node.path,
            message: `NetworkPolicy "${name}" would select both the pods ${other} and the pods ${selectorKey}; allowed: one pod selector per name; fix: rename the service or instance whose name makes "${subject}"`,
          },
        ]);
      this.selectorByName.set(name, selectorKey);
      const policy = new NetworkPolicyV1(this.scope, `network-policy-${name}`, {
        metadata: this.metadata(name),
        spec: { podSelector: Object.keys(podSelector).length === 0 ? {} : { matchLabels: { ...podSelector } }, policyTypes: [] },
      });
      entry = { policy, ingress: [], egress: [], types: new Set(), seen: new Set() };
      this.bySelector.set(selectorKey, entry);
    }
    const current = entry;
    for (const rule of rules.ingress ?? []) mergeRule(current.ingress, rule, 'from', current.seen);
    for (const rule of rules.egress ?? []) mergeRule(current.egress, rule, 'to', current.seen);
    if (rules.ingress) current.types.add('Ingress');
    if (rules.egress) current.types.add('Egress');
    const spec = current.policy.spec;
    spec.policyTypes = (['Ingress', 'Egress'] as const).filter((t) => current.types.has(t));
    // Put copies: later calls grow the rules' peer lists.
    if (current.ingress.length > 0) spec.putIngress(current.ingress.map((r) => ({ ...r, ...(Array.isArray(r.from) ? { from: [...r.from] } : {}) })));
    if (current.egress.length > 0) spec.putEgress(current.egress.map((r) => ({ ...r, ...(Array.isArray(r.to) ? { to: [...r.to] } : {}) })));
  }
}

/**
 * Adds `rule` to `rules`. A rule allows each of its peers on each of its ports, so a rule whose
 * ports equal an existing rule's, both naming peers, joins that rule as more peers; peers already
 * allowed on those ports (`seen`) are dropped. A rule without peers (every peer) stays its own.
 */
function mergeRule<R extends NetworkPolicyV1SpecIngress | NetworkPolicyV1SpecEgress>(rules: R[], rule: R, peersKey: 'from' | 'to', seen: Set<string>): void {
  const peers = (rule as Record<string, unknown>)[peersKey];
  const portsKey = `${peersKey} ${canonicalJson(rule.ports ?? [])}`;
  if (!Array.isArray(peers) || peers.length === 0) {
    const key = `${portsKey} ${canonicalJson(rule)}`;
    if (!seen.has(key)) rules.push(rule);
    seen.add(key);
    return;
  }
  const newPeers: unknown[] = peers.filter((peer: unknown) => {
    const key = `${portsKey} peer ${canonicalJson(peer)}`;
    const known = seen.has(key);
    seen.add(key);
    return !known;
  });
  if (newPeers.length === 0) return;
  const sharing = rules.find((r) => {
    const existing = (r as Record<string, unknown>)[peersKey];
    return Array.isArray(existing) && existing.length > 0 && canonicalJson(r.ports ?? []) === canonicalJson(rule.ports ?? []);
  });
  if (sharing) ((sharing as Record<string, unknown>)[peersKey] as unknown[]).push(...newPeers);
  else rules.push({ ...rule, [peersKey]: newPeers });
}

/** JSON with object keys sorted: equal selectors and rules give equal strings. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
