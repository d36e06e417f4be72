/**
 * Business continuity (white paper 4.4) on the standard blueprint.
 *
 * "业务连续性": citizen-facing services such as the citizen app must stay available around the
 * clock, so the infrastructure and the data need redundancy, high availability and disaster
 * recovery, and the supply chain must not stop.
 *
 * Here that is Hengyang (衡阳) on the citizen-services blueprint plus:
 * - a second government cluster `gov-b` on another government cloud (China Telecom's
 *   e-government cloud, in its own data centre: another failure domain, its own network);
 * - an `active-active` DR pair `citizen-continuity` from `gov` to `gov-b` for the citizen app, the
 *   health code and the other users of the citizen records (enrolment, social insurance): both
 *   clusters serve all the time, each copy scaled like the primary; no service is classified, so
 *   each is presumed to hold personal data and may only stand by on a government cloud;
 * - the citizen records (`citizen-db`) streamed to `gov-b` as a CloudNativePG replica cluster: the
 *   copies there connect to it (`citizen-db-replica-rw`), read-only until the operator promotes
 *   it after a failover (the report's steps, budgeted in the RTO), and `gov-b`'s shelf installs no
 *   PostgreSQL of its own; the cache and the event bus are not replicated: the copies use
 *   `gov-b`'s own, which start empty;
 * - off-site backups of their namespaces (and the shelf's) to the province's S3-compatible archive
 *   outside both clouds, every 15 minutes (the RPO), ReadWrite on `gov` and ReadOnly on `gov-b`;
 * - a recovery drill: a Velero Restore of the latest backup on `gov-b`, into `<namespace>-drill`
 *   namespaces, in a file the cluster's kustomization leaves out (`kubectl create -f` runs it);
 * - the RTO budget per service in the report's Disaster recovery section.
 * Supply-chain continuity comes from the blueprint: every image and chart from the provincial mirror.
 */
import { type BlueprintOverrides, Fleet, citizenServices } from '../../index';

/** Hengyang: the blueprint's `gov` cluster plus `gov-b` on another government cloud, and the pair between them. */
export const hengyang: BlueprintOverrides = {
  clusters: [
    {
      name: 'gov',
      location: 'hengyang-dc1',
      connection: { kubeconfig: { context: 'hengyang-gov' } },
      capacity: { nodes: 4 },
    },
    {
      name: 'gov-b',
      role: 'gov',
      cloud: 'tianyi-gov-cloud',
      location: 'hengyang-dc2',
      production: true,
      zones: ['az1', 'az2'],
      connection: { kubeconfig: { path: '~/.kube/config', context: 'hengyang-gov-b' } },
      capacity: { nodes: 4, nodeCpu: '32', nodeMemory: '128Gi' },
      network: { podCidr: '10.120.0.0/14', serviceCidr: '10.124.0.0/16' },
    },
  ],
  services: [
    // The protected services are declared on the primary; the pair keeps their copies on gov-b.
    { name: 'citizen-app', clusters: ['gov'], autoscaling: { minReplicas: 3, maxReplicas: 24 } },
    { name: 'health-code', clusters: ['gov'] },
    // The other users of the citizen records fail over with them: on gov-b the database is the replica.
    { name: 'enrolment', clusters: ['gov'] },
    { name: 'social-insurance', clusters: ['gov'] },
  ],
  disasterRecovery: [
    {
      name: 'citizen-continuity',
      primary: 'gov',
      standby: 'gov-b',
      mode: 'active-active',
      rpo: '15m',
      rto: '2m',
      services: ['citizen-app', 'health-code', 'enrolment', 'social-insurance'],
      // The citizen records stream to gov-b as a CloudNativePG replica: the copies there read
      // them at once and write to them once the replica is promoted.
      databases: [{ name: 'citizen-db', primaryHost: 'pg-citizen.hengyang-dc1.gov.hunan.example' }],
      backup: {
        // The province's archive, outside both government clouds.
        endpoint: 'https://archive.hunan.gov.example',
        bucket: 'hengyang-continuity',
        credentialsSecret: { name: 'dr-object-store', key: 'cloud' },
      },
      drill: {},
    },
  ],
  // gov-b's government cloud, by the hour (illustrative, like the blueprint's prices).
  costs: { prices: { 'tianyi-gov-cloud': { vcpuHour: 0.24, gibHour: 0.032 } } },
};

/** The fleet of the example: Hengyang with its two government clouds. */
export function continuityFleet(outdir: string): Fleet {
  const fleet = new Fleet({ blueprint: citizenServices, outdir });
  fleet.addRegions({ hengyang: { overrides: hengyang, source: 'examples/continuity' } });
  return fleet;
}
