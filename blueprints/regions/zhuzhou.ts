import { type BlueprintOverrides } from '../../constructs/blueprint-spec';

/**
 * Zhuzhou (株洲): its own kubeconfig context and address plan; the tax bureau's e-filing runs on
 * the provincial tax cloud, so the city does not deploy its copy (nor its document store); a
 * smaller enrolment ceiling; the database stays on the previous PostgreSQL until its audit.
 */
export const zhuzhou: BlueprintOverrides = {
  clusters: [
    {
      name: 'gov',
      connection: { kubeconfig: { context: 'zhuzhou-gov' } },
      network: { podCidr: '10.104.0.0/14', serviceCidr: '10.108.0.0/16' },
    },
  ],
  services: [
    { name: 'tax-e-filing', $remove: true },
    { name: 'enrolment', autoscaling: { maxReplicas: 16 } },
  ],
  middleware: [
    { name: 'citizen-db', version: '17.5.0', versionChangeReason: 'Zhuzhou data audit runs on 17.5 until the 2027 Q1 window' },
    { name: 'documents', $remove: true },
  ],
};
