import type { ServiceSpec } from './service-spec';

/**
 * The subset (and track) name of a version: "v" plus the tag with every character outside
 * [a-z0-9] as "-", e.g. "1.5.0-rc.1" -> "v1-5-0-rc-1". Also the suffix of a canary Deployment.
 */
export function versionSubset(version: string): string {
  return `v${version.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '')}`;
}

/** Every version a service serves: its own (stable) first, then the canary's others in spec order. */
export function servedVersions(spec: ServiceSpec): string[] {
  return [spec.version, ...canaryVersions(spec)];
}

/** The canary's versions other than the stable one. */
export function canaryVersions(spec: ServiceSpec): string[] {
  return Object.keys(spec.traffic?.canary?.weights ?? {}).filter((v) => v !== spec.version);
}

/**
 * Replicas of a canary version: its share of the stable floor (and, with autoscaling, of the
 * ceiling), at least one pod so testers always reach it.
 */
export function canaryReplicas(spec: ServiceSpec, version: string): { min: number; max: number } {
  const canary = spec.traffic!.canary!;
  const share = (canary.weights[version] ?? 0) / 100;
  const floor = spec.autoscaling?.minReplicas ?? spec.replicas ?? 2;
  const min = canary.replicas ?? Math.max(1, Math.ceil(floor * share));
  const max = spec.autoscaling ? Math.max(min, Math.ceil(spec.autoscaling.maxReplicas * share)) : min;
  return { min, max };
}
