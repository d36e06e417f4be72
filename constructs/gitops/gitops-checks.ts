import type { Problems } from '../../lib/errors';
import { unknownNameMessage } from '../../lib/did-you-mean';
import type { BlueprintSpec } from '../blueprint-spec';
import { GITOPS_FILE } from './gitops-plan';

/**
 * The management cluster exists and is in the government cloud (Argo CD holds every cluster's
 * credentials: it stays on the province's own infrastructure), and no department's manifest file
 * would take the name of its Applications' file.
 */
export function checkGitOps(spec: BlueprintSpec, path: string, problems: Problems): void {
  if (!spec.gitops) return;
  const at = `${path}.gitops.argocd.cluster`;
  const name = spec.gitops.argocd?.cluster;
  if (name !== undefined) {
    const cluster = spec.clusters.find((c) => c.name === name);
    const gov = spec.clusters.filter((c) => c.role === 'gov').map((c) => c.name);
    if (!cluster)
      problems.add(
        at,
        `${unknownNameMessage(
          'cluster',
          name,
          spec.clusters.map((c) => c.name),
        )}; name the gov cluster that runs Argo CD`,
      );
    else if (cluster.role !== 'gov')
      problems.add(
        at,
        `"${name}" is a ${cluster.role} cluster; Argo CD holds the credentials of every cluster it syncs, so it runs on the government cloud: name a gov cluster (${gov.join(', ')})`,
      );
  }
  if (spec.departments.some((d) => d.name === GITOPS_FILE)) {
    problems.add(
      `${path}.departments.${GITOPS_FILE}`,
      `a department named "${GITOPS_FILE}" would share its manifest file with the Argo CD Applications (${GITOPS_FILE}.yaml); rename the department, or remove gitops`,
    );
  }
}
