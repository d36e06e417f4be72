// Priority tiers (white paper 4.1: under a surge, citizen-facing systems must keep running). Each
// cluster with departments gets one PriorityClass per tier; every service's pods name theirs, so
// when a node runs short the scheduler evicts a batch job or a burst copy before health-code.

export type PriorityTier = 'citizen-critical' | 'standard' | 'burst-copy' | 'batch';
export const PRIORITY_TIERS: readonly PriorityTier[] = ['citizen-critical', 'standard', 'burst-copy', 'batch'];

/** The tier of a department's services unless they name one. */
export const DEFAULT_PRIORITY_TIER: PriorityTier = 'standard';

export interface PriorityTierClass {
  /** The PriorityClass name pods refer to. */
  readonly className: string;
  /** Higher wins; user classes stay far below the system ones (2,000,000,000). */
  readonly value: number;
  /** `Never`: waits for room instead of evicting anything (batch work). */
  readonly preemptionPolicy: 'PreemptLowerPriority' | 'Never';
  readonly description: string;
}

export const PRIORITY_CLASSES: Readonly<Record<PriorityTier, PriorityTierClass>> = {
  'citizen-critical': {
    className: 'govcloud-citizen-critical',
    value: 100000,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'Citizen-facing systems that must keep running under any surge (health code, social insurance).',
  },
  standard: {
    className: 'govcloud-standard',
    value: 10000,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'Departmental services.',
  },
  'burst-copy': {
    className: 'govcloud-burst-copy',
    value: 5000,
    preemptionPolicy: 'PreemptLowerPriority',
    description: "A service's copy on a public-cloud cluster during a surge: yields to the cluster's own services.",
  },
  batch: {
    className: 'govcloud-batch',
    value: 1000,
    preemptionPolicy: 'Never',
    description: 'Batch and reporting work: waits for room, never evicts.',
  },
};

/**
 * A service's tier on a cluster: its own, else its department's default; on a public-cloud
 * cluster its copy is a burst copy (batch work stays batch).
 */
export function effectivePriorityTier(own: PriorityTier | undefined, departmentDefault: PriorityTier | undefined, role: 'gov' | 'public'): PriorityTier {
  const tier = own ?? departmentDefault ?? DEFAULT_PRIORITY_TIER;
  return role === 'public' && tier !== 'batch' ? 'burst-copy' : tier;
}
