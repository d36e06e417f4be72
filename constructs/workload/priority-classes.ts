import { Construct } from 'constructs';
import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import { placementLabels } from '../core/labels';
import type { ICluster } from '../core/tree';
import { PRIORITY_CLASSES, PRIORITY_TIERS } from './priority-catalogue';

/**
 * The priority tiers of one cluster as PriorityClasses (platform layer, Terraform), which every
 * service's pods name. None is the global default: pods the library does not write keep priority 0,
 * below every tier. Lives in the cluster's stack as `priority-classes`.
 */
export class PriorityClasses extends Construct {
  constructor(cluster: ICluster) {
    super(cluster.stack, 'priority-classes');
    const labels = placementLabels({ blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name });
    for (const tier of PRIORITY_TIERS) {
      const priority = PRIORITY_CLASSES[tier];
      new PriorityClassV1(this, tier, {
        metadata: { name: priority.className, labels },
        value: priority.value,
        preemptionPolicy: priority.preemptionPolicy,
        description: priority.description,
      });
    }
  }
}
