import type { PodGroup } from '../../lib/capacity';
import type { PinnedImage } from '../middleware/engine';

/**
 * The vetted CloudNativePG operator: the `cloudnative-pg` chart of cloudnative-pg/charts,
 * mirrored into the chart repository. Chart 0.29.0 installs operator 1.30.0, the release whose
 * CRDs the manifests are validated against (`../shared/crds/cloudnative-pg`).
 */
export const CLOUDNATIVE_PG = {
  chart: 'cloudnative-pg',
  chartVersion: '0.29.0',
  appVersion: '1.30.0',
  /** The operator; it also injects its instance manager into every PostgreSQL pod. */
  operator: { repository: 'cloudnative-pg/cloudnative-pg', tag: '1.30.0' } satisfies PinnedImage,
} as const;

/** Namespace and Helm release name of the operator. */
export const CNPG_NAMESPACE = 'cnpg-system';
export const CNPG_RELEASE = 'cnpg';

/**
 * CloudNativePG's PostgreSQL operand images by major version (`ghcr.io/cloudnative-pg/postgresql`,
 * mirrored under `cloudnative-pg/postgresql`). A physical replica runs the primary's major
 * version; its minor may be newer. `standard`: PostgreSQL without Barman Cloud, on Debian trixie.
 */
export const CNPG_POSTGRESQL_IMAGES: Readonly<Record<string, PinnedImage>> = {
  '17': { repository: 'cloudnative-pg/postgresql', tag: '17.6-standard-trixie' },
};

/** The operand image for a PostgreSQL version ("17.6.0"), or undefined when no major of it is pinned. */
export function cnpgPostgresqlImage(version: string): PinnedImage | undefined {
  return CNPG_POSTGRESQL_IMAGES[version.split('.')[0]];
}

/** Port of the instance manager's status endpoint, which the operator polls on every pod. */
export const CNPG_STATUS_PORT = 8000;

/** Label CloudNativePG puts on every pod (instances and jobs) of a Cluster. */
export const CNPG_CLUSTER_LABEL = 'cnpg.io/cluster';

const OPERATOR_RESOURCES = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } as const;

/** The operator's pods (the chart's one replica). */
export function cloudNativePgPods(): PodGroup[] {
  return [{ name: 'cloudnative-pg', count: 1, containers: [OPERATOR_RESOURCES.requests] }];
}

/** Chart values (keys of the chart's values.yaml): the operator image from the mirror, CRDs from the chart. */
export function cloudNativePgValues(registry: string): Record<string, unknown> {
  return {
    image: { repository: `${registry}/${CLOUDNATIVE_PG.operator.repository}`, tag: CLOUDNATIVE_PG.operator.tag, pullPolicy: 'IfNotPresent' },
    crds: { create: true },
    // No Prometheus Operator is assumed on the standby; PodMonitors would fail without its CRDs.
    monitoring: { podMonitorEnabled: false, grafanaDashboard: { create: false } },
    resources: { requests: { ...OPERATOR_RESOURCES.requests }, limits: { ...OPERATOR_RESOURCES.limits } },
  };
}
