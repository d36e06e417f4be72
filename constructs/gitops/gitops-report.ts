import { table } from '../../lib/report/markdown';
import { isProgressive } from '../delivery/progressive-plan';
import { KARMADA_DIRECTORY } from '../karmada/karmada-spec';
import type { IRegion } from '../core/tree';
import { GITOPS_FILE, SYNC_WAVES, destinationName, managementCluster, repositoryPath } from './gitops-plan';
import { argoCdSettings } from './gitops-spec';

/** Whether the region's report has a GitOps section: only with `gitops`, so other reports stay as they were. */
export function hasGitOps(region: IRegion): boolean {
  return region.spec.gitops !== undefined;
}

/** The region report's GitOps section: what syncs where, from which repository and revision, in which order, and the deploy commands. */
export function gitopsSection(region: IRegion): string {
  const spec = region.spec.gitops!;
  const management = managementCluster(region.spec)!;
  const argocd = argoCdSettings(spec);
  const folders = [...region.clusters.map((c) => c.name), ...(region.spec.karmada ? [KARMADA_DIRECTORY] : [])];
  const gitopsFile = `manifests/${region.name}/${management}/${GITOPS_FILE}.yaml`;
  let out =
    `Argo CD on \`${management}\` (namespace \`${argocd.namespace}\`, ${argocd.install ? 'installed by its stack' : 'installed already'}) syncs every manifest folder from ` +
    `\`${spec.repository}\` at \`${spec.revision}\`, one Application each (project \`${argocd.project}\`, automated with prune and self-heal), in \`${gitopsFile}\`.\n\n`;
  out += table(
    ['Application', 'repository folder', 'destination', 'fields left to Argo Rollouts'],
    folders.map((folder) => {
      const cluster = region.clusters.find((c) => c.name === folder);
      const rollouts = (cluster?.departments ?? []).flatMap((d) => d.services.filter((s) => isProgressive(s.spec)).map((s) => `${d.spec.name}/${s.spec.name}`));
      return [
        `${region.name}-${folder}`,
        repositoryPath(spec, `${region.name}/${folder}`),
        destinationName(region.name, folder, management),
        rollouts.length > 0 ? `route weights and subset hashes of ${rollouts.join(', ')}` : 'none',
      ];
    }),
  );
  out +=
    `\nSync waves: ${SYNC_WAVES.namespace} namespaces (in Karmada mode), ${SYNC_WAVES.policy} admission and propagation policies, ${SYNC_WAVES.platform} configuration, Services, mesh, monitoring and backup objects, ` +
    `${SYNC_WAVES.workload} workloads (Deployments, StatefulSets, Rollouts), ${SYNC_WAVES.workloadControl} autoscalers and disruption budgets. ` +
    'Namespaces, quotas, LimitRanges, NetworkPolicies, RBAC, PriorityClasses and the operators come before all of them, from the platform layer.\n\n';
  out += 'Deploy order:\n\n```sh\n';
  out += `npx cdktf deploy '${region.name}-*'                      # the platform layer${argocd.install ? ', Argo CD included' : ''}\n`;
  // Each destination registered once under the name its Application uses (the management cluster is Argo CD's own `in-cluster`).
  for (const folder of folders.filter((f) => f !== management)) {
    const context = region.clusters.find((c) => c.name === folder)?.spec.connection.kubeconfig?.context;
    out += `argocd cluster add ${context ?? `<kube-context of ${folder}>`} --name ${destinationName(region.name, folder, management)}   # once\n`;
  }
  const folder = `${spec.path ?? 'manifests'}/${region.name}`;
  out += `rsync -a --delete out/manifests/${region.name}/ <checkout>/${folder}/   # <checkout>: ${spec.repository} at ${spec.revision}\n`;
  out += `git -C <checkout> add -A ${folder} && git -C <checkout> commit -m '${region.name}: manifests' && git -C <checkout> push\n`;
  out += `kubectl apply -f out/${gitopsFile}   # on ${management}, once and whenever it changes\n`;
  out += '```\n\nThen Argo CD syncs the application layer. Its repository credentials are its own (`argocd repo add`), never in the output.\n';
  return out;
}
