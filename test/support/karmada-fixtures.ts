import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { type ServiceSpec } from '../../constructs/workload/service-spec';
import { minimalBlueprint } from './fleet-fixtures';

const capacity = { nodes: 6, nodeCpu: '16', nodeMemory: '64Gi' };
const quota = { cpu: '64', memory: '128Gi' };
const backup = { endpoint: 'https://obs.test.example', bucket: 'dr-backups', credentialsSecret: { name: 'velero-s3', key: 'cloud' } };

function service(name: string, department: string, more: Partial<ServiceSpec>): ServiceSpec {
  return {
    name,
    department,
    image: `registry.test.example/${department}/${name}`,
    version: '1.0.0',
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    resources: { requests: { cpu: '500m', memory: '512Mi' } },
    ...more,
  };
}

/**
 * Three clusters: `gov`; `burst`, a public cloud with its own registry mirror; `dr`, a second
 * government-cloud site. Services: `enrolment` (plain, autoscaled, gov only); `red-packet`
 * (bursts to `burst` for the `draw` event, hot standby on `dr`); `citizen-app` (active-active
 * with `burst`, a 10% canary of 1.1.0); `stats` (fixed replicas on gov and dr) and `reports` (autoscaled on both).
 * Meshed, so department files carry Istio objects and each cluster keeps a platform `mesh.yaml`.
 */
export function continuityBlueprint(change: (b: any) => void = () => undefined): BlueprintSpec {
  const b: any = minimalBlueprint();
  b.clusters[0].capacity = capacity;
  b.clusters.push(
    {
      name: 'burst',
      role: 'public',
      cloud: 'test-public-cloud',
      registry: 'swr.public.example',
      connection: { kubeconfig: { path: '~/.kube/config', context: 'burst' } },
      capacity,
      network: { podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/16' },
    },
    {
      name: 'dr',
      role: 'gov',
      cloud: 'test-gov-cloud',
      location: 'backup-site',
      connection: { kubeconfig: { path: '~/.kube/config', context: 'dr' } },
      capacity,
      network: { podCidr: '10.20.0.0/16', serviceCidr: '10.21.0.0/16' },
    },
  );
  b.mesh = { version: '1.30.3' };
  b.departments = [
    { name: 'education', clusters: ['gov'], quota },
    { name: 'finance', clusters: ['gov'], quota },
    { name: 'statistics', clusters: ['gov', 'dr'], quota },
  ];
  b.services = [
    service('enrolment', 'education', { autoscaling: { minReplicas: 2, maxReplicas: 6 } }),
    service('red-packet', 'finance', { dataClassification: 'internal', autoscaling: { minReplicas: 4, maxReplicas: 20 }, callers: ['citizen-app'] }),
    service('citizen-app', 'finance', {
      dataClassification: 'internal',
      autoscaling: { minReplicas: 2, maxReplicas: 8 },
      traffic: { canary: { weights: { '1.0.0': 90, '1.1.0': 10 } } },
    }),
    service('stats', 'statistics', { replicas: 3 }),
    service('reports', 'statistics', { autoscaling: { minReplicas: 1, maxReplicas: 4 } }),
  ];
  b.burst = [
    {
      name: 'red-packet-day',
      from: 'gov',
      to: 'burst',
      surgeFactor: 40,
      services: [{ name: 'red-packet', baselineRps: 50, rpsPerReplica: 100 }],
      events: [{ name: 'draw', start: '30 19 10 2 *', end: '0 23 10 2 *' }],
    },
  ];
  b.disasterRecovery = [
    {
      name: 'red-packet-dr',
      primary: 'gov',
      standby: 'dr',
      mode: 'hot-standby',
      rpo: '15m',
      rto: '10m',
      services: ['red-packet'],
      backup,
      failover: { tolerationSeconds: 30, purgeMode: 'Directly' },
    },
    { name: 'citizen-aa', primary: 'gov', standby: 'burst', mode: 'active-active', rpo: '15m', rto: '10m', services: ['citizen-app'], backup },
  ];
  change(b);
  return b;
}
