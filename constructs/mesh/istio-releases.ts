/**
 * Istio releases the blueprint can install, pinned. Each is mirrored as four charts (`base`,
 * `cni`, `istiod`, `gateway`; chart version = release) and three images below
 * `<registry>/istio/`, all tagged with the release: `pilot`, `proxyv2` and `install-cni`.
 * Adding a release is one line here once its charts and images are on the mirror.
 */
export const ISTIO_RELEASES = ['1.30.3'] as const;
export type IstioRelease = (typeof ISTIO_RELEASES)[number];

/** The four Istio charts, by role; each is installed at the mesh's release. */
export const ISTIO_CHARTS = { base: 'base', cni: 'cni', istiod: 'istiod', gateway: 'gateway' } as const;

/** Path of the Istio images on the registry mirror. */
export const ISTIO_IMAGE_PATH = 'istio';
