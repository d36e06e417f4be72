import type { FoldedObject } from './folded-objects';
import type { JsonObject } from './json-diff';
import type { Overriders } from './override-rules';

const POLICY_API_VERSION = 'policy.karmada.io/v1alpha1';

/** Labels of the control plane's own objects (namespace, policies, federated autoscalers): no cluster, they span them. */
export type ControlPlaneLabels = Record<string, string>;

export function resourceSelector(object: FoldedObject): JsonObject {
  return { apiVersion: object.apiVersion, kind: object.kind, name: object.name };
}

export interface PropagationPolicyProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: ControlPlaneLabels;
  readonly selectors: readonly JsonObject[];
  readonly placement: JsonObject;
  readonly failover?: JsonObject;
}

/**
 * A PropagationPolicy for the selected resource templates. With application failover Karmada
 * asks for `propagateDeps`, so what the workload references moves along with it.
 */
export function propagationPolicy(props: PropagationPolicyProps): JsonObject {
  return {
    apiVersion: POLICY_API_VERSION,
    kind: 'PropagationPolicy',
    metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
    spec: {
      resourceSelectors: [...props.selectors],
      placement: props.placement,
      ...(props.failover ? { failover: props.failover, propagateDeps: true } : {}),
    },
  };
}

/** A cluster's differences from the resource template. */
export interface ClusterOverride {
  readonly member: string;
  readonly overriders: Overriders;
}

/** One OverridePolicy per resource template, with a rule per member cluster whose copy differs. */
export function overridePolicy(object: FoldedObject, namespace: string, labels: ControlPlaneLabels, overrides: readonly ClusterOverride[]): JsonObject {
  return {
    apiVersion: POLICY_API_VERSION,
    kind: 'OverridePolicy',
    metadata: { name: `${object.name}-${object.kind.toLowerCase()}`, namespace, labels: { ...labels } },
    spec: {
      resourceSelectors: [resourceSelector(object)],
      overrideRules: overrides.map((o) => ({ targetCluster: { clusterNames: [o.member] }, overriders: { ...o.overriders } })),
    },
  };
}
