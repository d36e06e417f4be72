import * as s from '../../lib/schema';

/**
 * A Karmada control plane (the engine of Huawei's multi-cloud container platform, MCP) in front
 * of the region's clusters. With it, the application layer is written once for the Karmada API
 * server (`manifests/<region>/karmada/`) with PropagationPolicies, OverridePolicies and federated
 * autoscalers, instead of one copy per cluster. The platform layer (tenancy, shelf, mesh) stays in
 * the per-cluster Terraform stacks.
 */
export interface KarmadaSpec {
  /**
   * The member-cluster name of each of the region's clusters, as joined to Karmada
   * (`karmadactl join <name>`). @default "<region>-<cluster>" for every cluster
   */
  readonly memberNames?: { readonly [cluster: string]: string };
}

export const karmadaSchema = s.object<KarmadaSpec>(
  {
    memberNames: s.record(s.name(), "Karmada's member-cluster name of each cluster.").optional(),
  },
  { title: 'a Karmada control plane' },
);

/** Karmada's name of a member cluster. */
export function karmadaMemberName(spec: KarmadaSpec, region: string, cluster: string): string {
  return spec.memberNames?.[cluster] ?? `${region}-${cluster}`;
}

/** The folder of a region's Karmada control plane, beside its clusters' folders. */
export const KARMADA_DIRECTORY = 'karmada';
