/**
 * Cross-cloud monitoring (white paper 4.3, scenario 3) on the standard blueprint.
 *
 * "政府部门不是技术运维机构": departments are not operations teams. Today each department's
 * vendors run their systems on virtual machines without application monitoring, so a department
 * does not learn first when citizens cannot get through, and the data bureau (政数局) cannot tell
 * whether a department lacks resources or leaves them idle.
 *
 * Here that is two cities on two different government clouds, plus Changsha's public cloud,
 * feeding one view:
 * - Changsha (长沙) on the Hunan government cloud, with its public-cloud cluster on Huawei Cloud
 *   (the red-packet campaign's burst and standby side), runs the province's observability hub;
 * - Yueyang (岳阳) runs its government cluster on another vendor's e-government cloud (China
 *   Telecom's), in its own data centre, and remote-writes there too.
 * Every series carries its region, cluster and cloud; the data bureau's Grafana sees all of them,
 * each department's Grafana its own namespace in every city, and the fleet report lists which
 * clusters on which clouds feed the hub.
 */
import { type BlueprintOverrides, Fleet, changsha, citizenServices } from '../../index';

/** Yueyang: a government cluster on China Telecom's e-government cloud, a smaller city's capacity. */
export const yueyang: BlueprintOverrides = {
  clusters: [
    {
      name: 'gov',
      cloud: 'tianyi-gov-cloud',
      location: 'yueyang-dc1',
      connection: { kubeconfig: { context: 'yueyang-gov' } },
      capacity: { nodes: 4, nodeCpu: '16', nodeMemory: '64Gi' },
      network: { podCidr: '10.120.0.0/14', serviceCidr: '10.124.0.0/16' },
    },
  ],
  departments: [{ name: 'education', quota: { cpu: '16', memory: '48Gi' } }],
  // China Telecom's e-government cloud, by the hour (illustrative, like the blueprint's prices).
  costs: { prices: { 'tianyi-gov-cloud': { vcpuHour: 0.2, gibHour: 0.028 } } },
  services: [
    { name: 'citizen-app', autoscaling: { minReplicas: 2, maxReplicas: 12 } },
    { name: 'enrolment', autoscaling: { maxReplicas: 12 } },
  ],
};

/** The fleet of the example: Changsha (with the hub) and Yueyang, synthesized together. */
export function crossCloudViewFleet(outdir: string): Fleet {
  const fleet = new Fleet({ blueprint: citizenServices, outdir });
  fleet.addRegions({
    changsha: { overrides: changsha, source: 'examples/cross-cloud-view' },
    yueyang: { overrides: yueyang, source: 'examples/cross-cloud-view' },
  });
  return fleet;
}
