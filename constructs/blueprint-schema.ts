import * as s from '../lib/schema';
import type { BlueprintSpec } from './blueprint-spec';
import { backendSchema } from './core/backend-spec';
import { clusterSchema } from './core/cluster-spec';
import { supplyChainSchema } from './core/supply-chain-spec';
import { checkCoreReferences } from './core/core-checks';
import { checkStatefulServices } from './workload/stateful-checks';
import { departmentSchema } from './tenancy/department-spec';
import { serviceSchema } from './workload/service-spec';
import { middlewareSchema } from './middleware/middleware-spec';
import { checkMiddlewareReferences } from './middleware/middleware-checks';
import { meshSchema } from './mesh/mesh-spec';
import { checkMeshReferences } from './mesh/mesh-checks';
import { checkProgressiveDelivery } from './delivery/progressive-checks';
import { burstLinkSchema } from './burst/burst-spec';
import { drPairSchema } from './disaster-recovery/disaster-recovery-spec';
import { karmadaSchema } from './karmada/karmada-spec';
import { observabilitySchema } from './observability/observability-spec';
import { checkObservabilityReferences } from './observability/observability-checks';
import { complianceSchema } from './compliance/compliance-spec';
import { checkSuppressions } from './compliance/compliance-checks';
import { checkBurstLinks } from './burst/burst-checks';
import { planBurst } from './burst/burst-plan';
import { checkDrPairs } from './disaster-recovery/disaster-recovery-checks';
import { planDisasterRecovery } from './disaster-recovery/disaster-recovery-plan';
import { checkKarmadaReferences } from './karmada/karmada-checks';
import { checkDataClassification } from './core/data-classification-checks';
import { checkDepartmentQuotas } from './tenancy/department-checks';
import { checkContainerLimits } from './workload/limits-checks';
import { costSchema } from './operations/cost-spec';
import { checkCosts } from './operations/cost-checks';
import { gitopsSchema } from './gitops/gitops-spec';
import { checkGitOps } from './gitops/gitops-checks';
import { checkScheduledScaling } from './workload/schedule-checks';
import type { Problems } from '../lib/errors';

/**
 * Burst links, disaster-recovery pairs, the data-classification rule and the Karmada control
 * plane. Capacity plans run for each link and pair whose references hold.
 */
function checkContinuityReferences(spec: BlueprintSpec, path: string, problems: Problems): void {
  const clusterNames = spec.clusters.map((c) => c.name);
  const burstChecked = checkBurstLinks(spec, path, problems, clusterNames);
  const pairsChecked = checkDrPairs(spec, path, problems, clusterNames);
  checkDataClassification(spec, path, problems);
  for (const link of burstChecked) for (const p of planBurst(spec, link).problems) problems.add(`${path}.${p.path}`, p.message);
  for (const pair of pairsChecked) for (const p of planDisasterRecovery(spec, pair).problems) problems.add(`${path}.${p.path}`, p.message);
  checkKarmadaReferences(spec, path, problems);
}

/**
 * The blueprint's schema: every concept's spec schema, then the reference checks that run on the
 * whole (merged) spec, in this order: the core tree, stateful services, the middleware shelf, the
 * mesh, progressive delivery, continuity (burst, disaster recovery, Karmada, data classification),
 * observability, suppressions, the services' own scheduled events, the department and tier quotas
 * and the price table (the last three need every plan before them to hold), and GitOps.
 */
export const blueprintSchema = s.object<BlueprintSpec>(
  {
    name: s.name('Blueprint name; the app.kubernetes.io/part-of label.'),
    description: s.string().optional(),
    backend: backendSchema.optional(),
    supplyChain: supplyChainSchema,
    clusters: s.namedList(clusterSchema, 'Clusters of each region: at least one gov cluster.'),
    departments: s.namedList(departmentSchema, 'Departments (tenants), one namespace each.'),
    services: s.namedList(serviceSchema, 'Standard services: stateless, or stateful with volumes of their own.'),
    middleware: s.namedList(middlewareSchema, 'The shared middleware shelf.').optional(),
    mesh: meshSchema.optional(),
    burst: s.namedList(burstLinkSchema, 'Burst links from gov clusters to public clusters.').optional(),
    disasterRecovery: s.namedList(drPairSchema, 'Disaster-recovery pairs.').optional(),
    karmada: karmadaSchema.optional(),
    observability: observabilitySchema.optional(),
    compliance: complianceSchema.optional(),
    costs: costSchema.optional(),
    gitops: gitopsSchema.optional(),
  },
  {
    title: 'a blueprint',
    rules: [
      checkCoreReferences,
      checkContainerLimits,
      checkStatefulServices,
      checkMiddlewareReferences,
      checkMeshReferences,
      checkProgressiveDelivery,
      checkContinuityReferences,
      checkObservabilityReferences,
      checkSuppressions,
      checkScheduledScaling,
      checkDepartmentQuotas,
      checkCosts,
      checkGitOps,
    ],
  },
);
