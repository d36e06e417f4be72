import * as fs from 'fs';
import * as path from 'path';
import { listFiles } from './fleet-fixtures';

/**
 * What the NetworkPolicies of a synthesized output allow, as a sorted list of atoms, independent
 * of how the rules are spread over policy objects:
 *
 * - `isolate <stack> <namespace> <pod selector> <direction>`: the pods are isolated in that
 *   direction (some policy selecting them lists it in `policy_types`);
 * - `allow <stack> <namespace> <pod selector> <direction> <peer> <port>`: one peer on one port,
 *   `*` when a rule names no peers or no ports.
 *
 * Kubernetes allows a pod the union of the rules of every policy that selects it, and a rule
 * allows every listed peer on every listed port, so two outputs with the same atoms allow exactly
 * the same traffic (pods are compared by selector, so the check is sufficient, not necessary).
 * Namespace references (`${kubernetes_namespace_v1.<id>.metadata[0].name}`) are resolved to names.
 */
export function networkPolicyAtoms(outdir: string): string[] {
  const atoms = new Set<string>();
  const terraform = path.join(outdir, 'terraform');
  for (const file of listFiles(terraform).filter((f) => path.basename(f) === 'cdk.tf.json')) {
    const stack = path.basename(path.dirname(file));
    const resources = JSON.parse(fs.readFileSync(file, 'utf8')).resource ?? {};
    const namespaces: Record<string, any> = resources.kubernetes_namespace_v1 ?? {};
    const resolve = (value: unknown): string =>
      JSON.stringify(value, sortedKeys).replace(/\$\{kubernetes_namespace_v1\.([^.}]+)\.metadata\[0\]\.name\}/g, (reference, id: string) => {
        const name = namespaces[id]?.metadata?.name;
        if (typeof name !== 'string') throw new Error(`${stack}: ${reference} names no namespace of the stack`);
        return name;
      });
    for (const policy of Object.values<any>(resources.kubernetes_network_policy_v1 ?? {})) {
      const where = `${stack} ${resolve(policy.metadata.namespace)} ${resolve(policy.spec.pod_selector ?? {})}`;
      const types: string[] = policy.spec.policy_types ?? [];
      for (const direction of types) atoms.add(`isolate ${where} ${direction}`);
      const directions = [
        ['Ingress', policy.spec.ingress ?? [], 'from'],
        ['Egress', policy.spec.egress ?? [], 'to'],
      ] as const;
      for (const [direction, rules, peersKey] of directions) {
        if (!types.includes(direction)) continue;
        for (const rule of rules) {
          const peers: unknown[] = rule[peersKey]?.length ? rule[peersKey] : ['*'];
          const ports: unknown[] = rule.ports?.length ? rule.ports : ['*'];
          for (const peer of peers) for (const port of ports) atoms.add(`allow ${where} ${direction} ${resolve(peer)} ${resolve(port)}`);
        }
      }
    }
  }
  return [...atoms].sort();
}

/** Objects with their keys sorted, so equal selectors print equally. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
