import type { PodSecurityLevel } from '../tenancy/department-spec';

/** Label keys every synthesized object carries, so any object can be traced to its region, cluster and owner. */
export const LABELS = {
  name: 'app.kubernetes.io/name',
  version: 'app.kubernetes.io/version',
  /** The application instance: a service's name (the recommended label set's instance key). */
  instance: 'app.kubernetes.io/instance',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  department: 'govcloud.io/department',
  region: 'govcloud.io/region',
  cluster: 'govcloud.io/cluster',
  /** The shelf instance an object belongs to. */
  middleware: 'govcloud.io/middleware',
  /** A service's release track: "stable", or the canary version's subset name. Part of each Deployment's selector. */
  track: 'govcloud.io/track',
  /** What the workload holds (personal, internal, public): the rule pack keeps `personal` off public clusters (lib/compliance GCB-DATA-01). */
  dataClassification: 'govcloud.io/data-classification',
  /** On a stateful service's headless Service ("true"): its ServiceMonitor skips it, so each pod is scraped once. */
  headless: 'govcloud.io/headless',
} as const;

export const MANAGED_BY = 'govcloud-blueprint';

/** Where an object lives in the fleet: the labels shared by everything of one department on one cluster. */
export interface Placement {
  readonly blueprint: string;
  readonly region: string;
  readonly cluster: string;
  /** Unset for platform objects outside any department (the middleware shelf). */
  readonly department?: string;
}

/**
 * Pod Security Admission labels of a namespace: `enforce` at the given level (checked against the
 * latest policy version), and `audit`/`warn` at `audited`, which may be stricter so violations of
 * the level the platform aims for show up without rejecting pods.
 */
export function podSecurityLabels(enforce: PodSecurityLevel, audited: PodSecurityLevel = enforce): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': enforce,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': audited,
    'pod-security.kubernetes.io/warn': audited,
  };
}

export function placementLabels(placement: Placement): Record<string, string> {
  return {
    [LABELS.partOf]: placement.blueprint,
    [LABELS.managedBy]: MANAGED_BY,
    ...(placement.department !== undefined ? { [LABELS.department]: placement.department } : {}),
    [LABELS.region]: placement.region,
    [LABELS.cluster]: placement.cluster,
  };
}
