import * as s from '../../lib/schema';

/**
 * Supply-chain continuity (white paper, scenario 4): every image and chart comes from a mirror
 * the province controls, not from upstream registries that may move or vanish (as Bitnami's
 * versioned images did in 2025, to `bitnamilegacy`). Anything else is a synth error.
 */
export interface SupplyChainSpec {
  /**
   * Registry mirror, host with an optional path, e.g. "registry.gov.hunan.example". Upstream
   * images are mirrored below it under their upstream path (`<registry>/bitnamilegacy/redis`);
   * service images must be named below it too.
   */
  readonly registry: string;
  /** Helm chart repository mirror, e.g. "oci://registry.gov.hunan.example/charts". */
  readonly chartRepository: string;
  /**
   * Where every service image must be pinned by digest (`digest`, and `traffic.canary.digests`
   * for canary versions), so what runs is exactly what was scanned: `production` on production
   * clusters (burst copies and standbys included), `always` everywhere. A missing digest is a
   * spec error naming the service and the cluster.
   * @default "never"
   */
  readonly requireDigests?: RequireDigests;
}

/** Where service images must carry a digest. */
export type RequireDigests = 'never' | 'production' | 'always';
export const REQUIRE_DIGESTS: readonly RequireDigests[] = ['never', 'production', 'always'];

/** A registry host with an optional path, without scheme. */
export const registrySchema = (description: string) =>
  s.string({
    description,
    pattern: {
      regex: /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/,
      meaning: 'a registry host with an optional path, without scheme, such as "registry.gov.example/mirror"',
    },
  });

export const supplyChainSchema = s.object<SupplyChainSpec>(
  {
    registry: registrySchema('Registry mirror every image comes from.'),
    chartRepository: s.string({
      description: 'Helm chart repository every chart comes from.',
      pattern: {
        regex: /^(oci|https):\/\/[^\s/]+(\/\S*)?$/,
        meaning: 'an oci:// or https:// chart repository URL such as "oci://registry.gov.example/charts"',
      },
    }),
    requireDigests: s.enumOf(REQUIRE_DIGESTS, 'Where service images must be pinned by digest: never, on production clusters, always.').optional(),
  },
  { title: 'a supply chain' },
);
