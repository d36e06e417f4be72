import { Construct } from 'constructs';
import { type Chart } from 'cdk8s';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { NetworkPolicySet } from '../core/network-policy-set';
import { placementLabels, podSecurityLabels } from '../core/labels';
import { DNS_EGRESS } from '../core/network-rules';
import { MIDDLEWARE_NAMESPACE } from './middleware-plan';
import type { ICluster, IMiddlewareInstance, IMiddlewareShelf, TrafficRules } from '../core/tree';

import { VELERO_NAMESPACE } from '../disaster-recovery/velero-catalogue';

export { VELERO_NAMESPACE };

/**
 * The shared middleware shelf (货架) on one cluster: a namespace owned by the platform, closed by
 * default (deny-all plus DNS), in which each instance opens exactly what its grants allow.
 */
export class MiddlewareShelf extends Construct implements IMiddlewareShelf {
  readonly cluster: ICluster;
  readonly namespace: NamespaceV1;
  /** The namespace name, as a reference that orders dependants after the namespace. */
  readonly namespaceName: string;
  private backupChart?: Chart;
  private readonly instancesByName = new Map<string, IMiddlewareInstance>();
  private readonly traffic: NetworkPolicySet;

  /** Lives in the cluster's Terraform stack as `middleware`. */
  constructor(cluster: ICluster) {
    super(cluster.stack, 'middleware');
    this.cluster = cluster;
    const labels = this.labels();
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: MIDDLEWARE_NAMESPACE,
        labels: {
          ...labels,
          ...podSecurityLabels('restricted'),
        },
      },
    });
    this.namespaceName = this.namespace.metadata.name;
    const metadata = (name: string) => ({ name, namespace: this.namespaceName, labels });
    new NetworkPolicyV1(this, 'network-policy-deny-all', { metadata: metadata('deny-all'), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    this.traffic = new NetworkPolicySet(this, metadata);
    this.allowTraffic('namespace', {}, { egress: [DNS_EGRESS] });
  }

  /**
   * Allows `rules` for the pods `podSelector` selects in the shelf namespace. Rules for the same
   * pods share one NetworkPolicy, `traffic-<subject>` (Terraform resource
   * `middleware/network-policy-traffic-<subject>`), or `baseline-traffic` for every pod.
   */
  allowTraffic(subject: string, podSelector: Readonly<Record<string, string>>, rules: TrafficRules): void {
    this.traffic.allow(subject, podSelector, rules);
  }

  /** Labels of the platform's objects in the shelf namespace. */
  labels(): Record<string, string> {
    return placementLabels({ blueprint: this.cluster.region.blueprint.name, region: this.cluster.region.name, cluster: this.cluster.name });
  }

  get instances(): IMiddlewareInstance[] {
    return [...this.instancesByName.values()];
  }

  instance(name: string): IMiddlewareInstance | undefined {
    return this.instancesByName.get(name);
  }

  /** Registers an instance created on this shelf (called by `MiddlewareInstance`). */
  register(instance: IMiddlewareInstance): void {
    this.instancesByName.set(instance.spec.name, instance);
  }

  /** The cluster's `middleware-backups.yaml` manifest file (Velero Schedules), created on first use. */
  backups(): Chart {
    this.backupChart ??= this.cluster.addManifests('middleware-backups', { namespace: VELERO_NAMESPACE });
    return this.backupChart;
  }
}
