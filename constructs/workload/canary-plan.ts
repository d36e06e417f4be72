import type { ServiceSpec } from './service-spec';

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
  const share = (canary.weights?.[version] ?? 0) / 100;
  const floor = spec.autoscaling?.minReplicas ?? spec.replicas ?? 2;
  const min = canary.replicas ?? Math.max(1, Math.ceil(floor * share));
  const max = spec.autoscaling ? Math.max(min, Math.ceil(spec.autoscaling.maxReplicas * share)) : min;
  return { min, max };
}

/** The image digest of a version the service serves: its own `digest` for the stable one, the canary's `digests` for the others. */
export function versionDigest(spec: ServiceSpec, version: string): string | undefined {
  return version === spec.version ? spec.digest : spec.traffic?.canary?.digests?.[version];
}

/**
 * What a version's pods pull from `repository`: `<repository>:<version>`, plus `@<digest>` when
 * the version has a digest. The runtime then pulls by digest; the tag stays for people.
 */
export function imageReference(repository: string, spec: ServiceSpec, version: string): string {
  const digest = versionDigest(spec, version);
  return `${repository}:${version}${digest !== undefined ? `@${digest}` : ''}`;
}
