import { BlueprintOverrides } from '../../constructs/blueprint-spec';

/**
 * Zhuzhou (株洲): its own kubeconfig context and address plan; the tax bureau's e-filing runs on
 * the provincial tax cloud, so the city does not deploy its copy; a smaller enrolment ceiling.
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
};
