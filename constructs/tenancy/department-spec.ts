import * as s from '../../lib/schema';
import { PRIORITY_TIERS, type PriorityTier } from '../workload/priority-catalogue';
import { parseQuantity } from '../../lib/quantity';
import { type Problems } from '../../lib/errors';
import { type AlertReceiverSpec, alertReceiverSchema } from '../observability/observability-spec';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/** The department's share of a cluster (a ResourceQuota). CPU and memory are totals of requests. */
export interface DepartmentQuotaSpec {
  /** Sum of CPU requests, e.g. "40" (`requests.cpu`). */
  readonly cpu: string | number;
  /** Sum of memory requests, e.g. "128Gi" (`requests.memory`). */
  readonly memory: string | number;
  /** Sum of CPU limits (`limits.cpu`). @default no cap on limits */
  readonly limitsCpu?: string | number;
  /** Sum of memory limits (`limits.memory`). @default no cap on limits */
  readonly limitsMemory?: string | number;
  /** @default 200 */
  readonly pods?: number;
  /** @default 50 */
  readonly services?: number;
  /** @default 20 */
  readonly persistentVolumeClaims?: number;
  /** Total requested storage. @default "500Gi" */
  readonly storage?: string | number;
  /**
   * Sum of ephemeral-storage requests (`requests.ephemeral-storage`: container logs, writable
   * layers, emptyDirs), so one department cannot fill its nodes' disks. @default "100Gi"
   */
  readonly ephemeralStorage?: string | number;
  /**
   * Caps on the pods of one priority tier (a ResourceQuota scoped to its PriorityClass), so a
   * surge of one department cannot take the room the top tier was planned for.
   * @default citizen-critical: what the department's citizen-critical services request at their
   * ceiling on each cluster, plus one rollout's surge pods (none: 0 pods); other tiers: only the
   * department quota
   */
  readonly tiers?: TierQuotasSpec;
}

/** The cap on one priority tier's pods in the namespace: sums of their requests and their count. */
export interface TierQuotaSpec {
  /** Sum of CPU requests of the tier's pods (`requests.cpu`). */
  readonly cpu: string | number;
  /** Sum of memory requests of the tier's pods (`requests.memory`). */
  readonly memory: string | number;
  /** Pods of the tier. */
  readonly pods: number;
}

/** A cap per priority tier; a tier left out has none of its own (citizen-critical always has one). */
export type TierQuotasSpec = { readonly [T in PriorityTier]?: TierQuotaSpec };

export interface CpuMemory {
  readonly cpu: string | number;
  readonly memory: string | number;
}

/** Container defaults and ceiling (a LimitRange), so every pod fits the quota. */
export interface DepartmentLimitsSpec {
  /** @default { cpu: "100m", memory: "128Mi" } */
  readonly defaultRequest?: CpuMemory;
  /** @default { cpu: "500m", memory: "512Mi" } */
  readonly defaultLimit?: CpuMemory;
  /** @default { cpu: "4", memory: "8Gi" } */
  readonly max?: CpuMemory;
}

/** Identity-provider groups bound to the department's Roles. */
export interface DepartmentGroupsSpec {
  /** Full control of the department's namespace. @default [`<department>-admins`] */
  readonly admins?: readonly string[];
  /** Read-only access, without Secrets. @default [`<department>-viewers`] */
  readonly viewers?: readonly string[];
}

export interface DepartmentSpec {
  /** Short name; also the namespace name. */
  readonly name: string;
  /** Human name, e.g. "教育局 Education Bureau". @default the name */
  readonly displayName?: string;
  /** Clusters the department runs on. @default every `gov` cluster of the region */
  readonly clusters?: readonly string[];
  /** Pod Security Standards level enforced on the namespace. @default "restricted" */
  readonly podSecurity?: PodSecurityLevel;
  /** Priority tier of the department's services that name none. @default "standard" */
  readonly defaultPriority?: PriorityTier;
  readonly quota: DepartmentQuotaSpec;
  /** @default the values in DepartmentLimitsSpec */
  readonly limits?: DepartmentLimitsSpec;
  /** @default `<name>-admins` and `<name>-viewers` */
  readonly groups?: DepartmentGroupsSpec;
  /**
   * Where the department's alerts go (its services' SLO and capacity alerts): the department owns
   * its applications, the data bureau the platform. Needed once a service of it has SLOs.
   * @default none
   */
  readonly alertReceivers?: readonly AlertReceiverSpec[];
}

/**
 * Ephemeral storage of every container in a department namespace (the LimitRange): a container
 * that names none gets the default request and limit, and none may ask for more than the maximum.
 */
export const EPHEMERAL_STORAGE_LIMITS = { defaultRequest: '256Mi', defaultLimit: '1Gi', max: '8Gi' } as const;
/** @see DepartmentQuotaSpec.pods */
export const DEFAULT_QUOTA_PODS = 200;
/** @see DepartmentQuotaSpec.ephemeralStorage */
export const DEFAULT_EPHEMERAL_STORAGE_QUOTA = '100Gi';

export const DEFAULT_LIMITS: Required<DepartmentLimitsSpec> = {
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  defaultLimit: { cpu: '500m', memory: '512Mi' },
  max: { cpu: '4', memory: '8Gi' },
};

const tierQuotaSchema = s.object<TierQuotaSpec>(
  {
    cpu: s.quantity("Sum of CPU requests of the tier's pods."),
    memory: s.quantity("Sum of memory requests of the tier's pods."),
    pods: s.integer({ min: 0 }),
  },
  { title: "a priority tier's quota" },
);

const cpuMemory = (title: string) => s.object<CpuMemory>({ cpu: s.quantity(), memory: s.quantity() }, { title });

/** defaultRequest <= defaultLimit <= max, per resource: otherwise the API server rejects the LimitRange. */
function checkLimitOrder(limits: DepartmentLimitsSpec, path: string, problems: Problems): void {
  const effective = { ...DEFAULT_LIMITS, ...limits };
  const steps: Array<[keyof DepartmentLimitsSpec, keyof DepartmentLimitsSpec]> = [
    ['defaultRequest', 'defaultLimit'],
    ['defaultLimit', 'max'],
  ];
  for (const resource of ['cpu', 'memory'] as const) {
    for (const [low, high] of steps) {
      const lowValue = effective[low][resource];
      const highValue = effective[high][resource];
      if (parseQuantity(lowValue)! > parseQuantity(highValue)!) {
        problems.add(
          `${path}.${low}.${resource}`,
          `${JSON.stringify(lowValue)} is more than ${high}.${resource} (${JSON.stringify(highValue)}); lower it or raise ${high}.${resource}`,
        );
      }
    }
  }
}

export const departmentSchema = s.object<DepartmentSpec>(
  {
    name: s.name('Department short name; also its namespace.'),
    displayName: s.string().optional(),
    clusters: s.list(s.name(), 'Clusters the department runs on. Default: every gov cluster.').optional(),
    podSecurity: s.enumOf(POD_SECURITY_LEVELS, 'Pod Security Standards level. Default: restricted.').optional(),
    defaultPriority: s.enumOf(PRIORITY_TIERS, 'Priority tier of its services that name none. Default: standard.').optional(),
    quota: s.object<DepartmentQuotaSpec>(
      {
        cpu: s.quantity('Sum of CPU requests.'),
        memory: s.quantity('Sum of memory requests.'),
        limitsCpu: s.quantity().optional(),
        limitsMemory: s.quantity().optional(),
        pods: s.integer({ min: 1 }).optional(),
        services: s.integer({ min: 0 }).optional(),
        persistentVolumeClaims: s.integer({ min: 0 }).optional(),
        storage: s.quantity().optional(),
        ephemeralStorage: s.quantity('Sum of ephemeral-storage requests.').optional(),
        tiers: s
          .object<TierQuotasSpec>(
            {
              'citizen-critical': tierQuotaSchema.optional(),
              standard: tierQuotaSchema.optional(),
              'burst-copy': tierQuotaSchema.optional(),
              batch: tierQuotaSchema.optional(),
            },
            { title: 'caps per priority tier', description: 'Default: citizen-critical capped at what its services request at their ceiling.' },
          )
          .optional(),
      },
      { title: 'a resource quota' },
    ),
    limits: s
      .object<DepartmentLimitsSpec>(
        {
          defaultRequest: cpuMemory('container default requests').optional(),
          defaultLimit: cpuMemory('container default limits').optional(),
          max: cpuMemory('container maximum').optional(),
        },
        { title: 'container limits', rules: [checkLimitOrder] },
      )
      .optional(),
    groups: s
      .object<DepartmentGroupsSpec>({ admins: s.list(s.string()).optional(), viewers: s.list(s.string()).optional() }, { title: 'RBAC groups' })
      .optional(),
    alertReceivers: s.namedList(alertReceiverSchema, "Receivers of the department's alerts.").optional(),
  },
  { title: 'a department' },
);
