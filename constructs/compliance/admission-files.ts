import { admissionPolicies, admissionWaivers } from '../../lib/compliance/admission-policies';
import type { ClusterOutput } from '../../lib/compliance/compliance-rule';
import { RULES } from '../../lib/compliance/rule-pack';
import { LABELS, placementLabels } from '../core/labels';
import type { ManifestFolder } from '../core/manifest-folders';
import type { IRegion } from '../core/tree';
import { KARMADA_DIRECTORY } from '../karmada/karmada-spec';

/** The manifest file of each cluster's ValidatingAdmissionPolicies and their bindings. */
export const ADMISSION_POLICIES_FILE = 'admission-policies';

/**
 * The region's manifest folders with each cluster's admission policies added (the rules of the
 * pack that CEL can say, bound to the department namespaces; Warn and Audit where the region's
 * suppressions waive a rule). Made from the outputs the rule pack checked, since a waiver of one
 * object selects it by the label its workload and pod template carry there. In Karmada mode the
 * department workloads are in the Karmada folder and run on the member clusters, whose policies
 * judge them: each member's waivers read them too. The Karmada API server runs no pods and gets
 * none, nor does a cluster without departments.
 */
export function withAdmissionPolicies(region: IRegion, folders: readonly ManifestFolder[], outputs: readonly ClusterOutput[]): ManifestFolder[] {
  const suppressions = region.spec.compliance?.suppressions ?? [];
  const karmada = outputs.find((o) => o.cluster === KARMADA_DIRECTORY);
  return folders.map((folder) => {
    const cluster = region.clusters.find((c) => c.manifestDirectory === folder.directory);
    const output = outputs.find((o) => o.cluster === cluster?.name);
    // A cluster with no department namespace has nothing for the policies to judge.
    if (!cluster || !output || cluster.departments.length === 0) return folder;
    const judged: ClusterOutput = karmada ? { ...output, manifests: [...output.manifests, ...karmada.manifests] } : output;
    const objects = admissionPolicies(RULES, {
      departmentLabel: LABELS.department,
      objectLabel: LABELS.name,
      labels: placementLabels({ blueprint: region.blueprint.name, region: region.name, cluster: cluster.name }),
      waivers: admissionWaivers(suppressions, judged, LABELS.name),
    });
    return objects.length === 0 ? folder : { ...folder, files: [...folder.files, { stem: ADMISSION_POLICIES_FILE, objects }] };
  });
}
