/**
 * The health-code case (white paper 4.2, scenario 1) on the standard blueprint.
 *
 * When the epidemic struck, every city had to put a health code (健康码) in citizens' hands within
 * days, and then keep changing it as the rules changed: "time is life". Shipping fast is only
 * safe if a bad release cannot reach every citizen at once, and if nobody has to watch a graph at
 * 2 a.m. to stop it.
 *
 * Here the citizen-services blueprint runs on the mesh, and its health-code service is delivered
 * progressively: a release goes to 10% of requests for 5 minutes, then 50% for 10 minutes, then
 * all of them, while Argo Rollouts measures the new version's own requests against the service's
 * SLOs (99.9% of requests succeed, 99% faster than 500ms) every minute, from the mesh's metrics on
 * the cluster's Prometheus. Two failed measurements abort: every request goes back to the version
 * running before. Changsha ships 2.4.0 first; the blueprint's 2.3.1 is what it runs until then.
 * The release itself is a commit: Argo CD syncs each cluster's manifest folder from Git.
 */
import { type BlueprintOverrides, type BlueprintSpec, Fleet, type ServiceSpec, changsha, citizenServices } from '../../index';

/** Health code's objectives: the analysis holds each release to them, and the alerts the running service. */
const healthCodeDelivery: Partial<ServiceSpec> = {
  slos: [
    { name: 'availability', objective: 99.9 },
    { name: 'latency', objective: 99, latency: { threshold: '500ms' } },
  ],
  traffic: {
    timeout: '5s',
    canary: {
      progressive: {
        steps: [
          { weight: 10, pause: '5m' },
          { weight: 50, pause: '10m' },
        ],
      },
    },
  },
};

/** The standard blueprint, meshed (Istio 1.30, objects in `v1`), with health code delivered progressively. */
export const healthCodeBlueprint: BlueprintSpec = {
  ...citizenServices,
  mesh: { version: '1.30.3', apiVersion: 'v1' },
  // The health commission owns health code's SLO alerts: its duty desk is paged, not the data bureau.
  departments: citizenServices.departments.map((d) =>
    d.name === 'health' ? { ...d, alertReceivers: [{ name: 'health-duty', webhook: { urlSecret: { name: 'health-duty-webhook', key: 'url' } } }] } : d,
  ),
  services: citizenServices.services.map((s) => (s.name === 'health-code' ? { ...s, ...healthCodeDelivery } : s)),
  // Releases go out by commit: Argo CD, installed on each city's gov cluster with the platform
  // layer, syncs its clusters from the bureau's repository, and leaves the route weights to Argo
  // Rollouts while a release is under way.
  gitops: { repository: 'https://git.gov.hunan.example/platform/manifests.git', revision: 'main', argocd: { install: true } },
};

/** Changsha's regional overrides, plus the release: health code 2.4.0, pinned by its digest. */
export const changshaRelease: BlueprintOverrides = {
  ...changsha,
  services: [
    ...(changsha.services ?? []),
    { name: 'health-code', version: '2.4.0', digest: 'sha256:5be1b3f4c0b7a3a4f0b9a1e8d2c6f7e3a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4' },
  ],
};

/** The fleet of the example: Changsha only. */
export function healthCodeFleet(outdir: string): Fleet {
  const fleet = new Fleet({ blueprint: healthCodeBlueprint, outdir });
  fleet.addRegions({ changsha: { overrides: changshaRelease, source: 'examples/health-code' } });
  return fleet;
}
