import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import { toYaml } from '../../lib/output/canonical-yaml';
import type { ITerraformDependable } from '../../lib/cdktf';
import type { PodSecurityLevel } from '../tenancy/department-spec';
import { RELEASE_SAFETY } from './cluster-stack';
import { placementLabels, podSecurityLabels } from './labels';
import type { ICluster } from './tree';

/** A chart as a catalogue pins it. */
export interface PinnedChart {
  readonly chart: string;
  readonly chartVersion: string;
}

export interface PinnedChartReleaseProps {
  /** The Helm release name. */
  readonly name: string;
  readonly namespace: string;
  readonly chart: PinnedChart;
  /** The chart's values, written as one canonical YAML document. */
  readonly values: unknown;
  /** How long Helm waits for the release to be ready. */
  readonly timeoutSeconds: number;
  /** @default - none beyond the references in the other props */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A `helm_release` of a pinned chart from the cluster's chart repository (the mirror), with the
 * platform's release safety (atomic, waited for, cleaned up on failure). Every release the
 * library installs is written here, so they all read alike.
 */
export function pinnedChartRelease(scope: Construct, id: string, cluster: ICluster, props: PinnedChartReleaseProps): Release {
  return new Release(scope, id, {
    name: props.name,
    namespace: props.namespace,
    repository: cluster.supplyChain.chartRepository,
    chart: props.chart.chart,
    version: props.chart.chartVersion,
    values: [toYaml(props.values)],
    ...RELEASE_SAFETY,
    timeout: props.timeoutSeconds,
    ...(props.dependsOn ? { dependsOn: props.dependsOn } : {}),
  });
}

export interface PinnedChartInstallProps extends Omit<PinnedChartReleaseProps, 'name' | 'namespace'> {
  /** The Helm release name. */
  readonly release: string;
  /** The namespace made for the release. */
  readonly namespace: string;
  /**
   * The namespace's Pod Security levels.
   * @default - `restricted` enforced and audited
   */
  readonly podSecurity?: { readonly enforce: PodSecurityLevel; readonly audit: PodSecurityLevel };
}

/**
 * An operator on one cluster from a pinned chart: its own namespace (placement and Pod Security
 * labels) and the release in it. Lives in the cluster's Terraform stack under `id`, as
 * `<id>/namespace` and `<id>/release`.
 */
export class PinnedChartInstall extends Construct {
  readonly namespace: NamespaceV1;
  readonly release: Release;

  constructor(cluster: ICluster, id: string, props: PinnedChartInstallProps) {
    super(cluster.stack, id);
    const labels = placementLabels({ blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name });
    const podSecurity = props.podSecurity ?? { enforce: 'restricted', audit: 'restricted' };
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: { name: props.namespace, labels: { ...labels, ...podSecurityLabels(podSecurity.enforce, podSecurity.audit) } },
    });
    this.release = pinnedChartRelease(this, 'release', cluster, {
      name: props.release,
      namespace: this.namespace.metadata.name,
      chart: props.chart,
      values: props.values,
      timeoutSeconds: props.timeoutSeconds,
      dependsOn: props.dependsOn,
    });
  }
}
