import { type Problems } from '../../lib/errors';
import { unknownNameMessage } from '../../lib/did-you-mean';
import { imageIsFromRegistry } from '../../lib/supply-chain';
import type { BlueprintSpec } from '../blueprint-spec';
import { departmentHomeClusters } from './placement-plan';
import { checkImageDigests } from './supply-chain-checks';

/** Cross-references between clusters, departments and services; service images from the mirror, with the digests it asks for. */
export function checkCoreReferences(spec: BlueprintSpec, path: string, problems: Problems): void {
  const clusterNames = spec.clusters.map((c) => c.name);
  const departmentNames = spec.departments.map((d) => d.name);
  if (!spec.clusters.some((c) => c.role === 'gov')) {
    problems.add(
      `${path}.clusters`,
      `needs at least one cluster with role "gov" (the government private cloud), got ${clusterNames.length === 0 ? 'no clusters' : `only ${clusterNames.join(', ')}`}; add one or stop removing it`,
    );
  }
  for (const department of spec.departments) {
    department.clusters?.forEach((name, i) => {
      if (!clusterNames.includes(name))
        problems.add(`${path}.departments.${department.name}.clusters[${i}]`, unknownNameMessage('cluster', name, clusterNames));
    });
  }
  for (const service of spec.services) {
    const servicePath = `${path}.services.${service.name}`;
    const department = spec.departments.find((d) => d.name === service.department);
    if (!department) {
      problems.add(`${servicePath}.department`, `${unknownNameMessage('department', service.department, departmentNames)}; add the department or fix the name`);
      continue;
    }
    if (!imageIsFromRegistry(service.image, spec.supplyChain.registry)) {
      problems.add(
        `${servicePath}.image`,
        `${JSON.stringify(service.image)} is not served by the blueprint's registry mirror ${JSON.stringify(spec.supplyChain.registry)}; mirror the image there and name it as ${JSON.stringify(`${spec.supplyChain.registry}/...`)}`,
      );
    }
    const allowed = departmentHomeClusters(spec, department);
    service.clusters?.forEach((name, i) => {
      if (!allowed.includes(name)) {
        problems.add(
          `${servicePath}.clusters[${i}]`,
          `department "${department.name}" does not run on cluster "${name}" (it runs on ${allowed.join(', ') || 'no cluster'}); add the cluster to the department's clusters or remove it here`,
        );
      }
    });
  }
  checkImageDigests(spec, path, problems);
}

/** Name of the fleet report, `reports/fleet.md`: no region may be called this. */
export const FLEET_REPORT = 'fleet';
