import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { App as ManifestApp } from 'cdk8s';
import { TerraformApp } from '../../lib/cdktf';
import { type Problem, Problems, ValidationError } from '../../lib/errors';
import { collectConstructProblems } from '../../lib/construct-validation';
import { StagedOutput } from '../../lib/output/staged-output';
import { toYaml, toYamlDocuments } from '../../lib/output/canonical-yaml';
import { type ManifestFile, manifestSchemaProblems } from '../../lib/validation/output-check';
import type { BlueprintSpec } from '../blueprint-spec';
import { blueprintSchema } from '../blueprint-schema';
import { checkPricedClouds, cloudsOf } from '../operations/cost-checks';
import { Region, type RegionProps } from './region';
import { fleetReport, regionReport } from './region-report';
import { FLEET_REPORT } from './core-checks';
import { type ManifestFolder, regionManifestFolders } from './manifest-folders';
import { foldRegion } from '../karmada/karmada-fold';
import { checkRegionCompliance, findingProblem } from '../compliance/region-compliance';
import { withAdmissionPolicies } from '../compliance/admission-files';
import { withGitOps } from '../gitops/gitops-files';
import { rehearsalCharts } from '../burst/surge-rehearsal-report';

export interface FleetProps {
  /** The standard every region copies. */
  readonly blueprint: BlueprintSpec;
  /** Output root that `synth()` replaces. @default "out" */
  readonly outdir?: string;
}

/** What one synth wrote, as paths relative to the output root. */
export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly string[];
  readonly manifestFiles: readonly string[];
  readonly reports: readonly string[];
  /** The reports' charts: `reports/<region>/<link>-rehearsal.svg` per burst link. */
  readonly charts: readonly string[];
}

/**
 * The province's estate: the root of the domain tree (regions, clusters), owner of the one cdktf
 * app (platform layer, one stack per region and cluster) and the one cdk8s app (application
 * layer, one manifest folder per region and cluster). `synth()` validates everything first and
 * writes the whole output root at once, or nothing.
 */
export class Fleet extends Construct {
  readonly blueprint: BlueprintSpec;
  readonly outdir: string;
  /** The cdktf app; stacks are named `<region>-<cluster>`. */
  readonly terraform: TerraformApp;
  /** The cdk8s app; one chart per manifest file. */
  readonly manifests: ManifestApp;

  constructor(props: FleetProps) {
    super(undefined as unknown as Construct, '');
    const problems = new Problems();
    blueprintSchema.check(props.blueprint, 'blueprint', 'full', problems);
    if (problems.empty) checkPricedClouds(Object.keys(props.blueprint.costs?.prices ?? {}), cloudsOf(props.blueprint), 'blueprint', problems);
    problems.throwIfAny(`blueprint "${String((props.blueprint as { name?: unknown })?.name)}" is invalid`);
    this.blueprint = props.blueprint;
    this.outdir = props.outdir ?? 'out';
    // cdktf creates its output directory on construction; a private scratch directory keeps that
    // away from the real output root until synth() moves a complete tree into place.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-terraform-'));
    this.terraform = new TerraformApp({ outdir: scratch, stackTraces: false, hclOutput: false, skipValidation: true });
    this.manifests = new ManifestApp({ outdir: scratch, recordConstructMetadata: false });
    // Nothing is written there before synth(), which makes it again: a Fleet that is never
    // synthesized (a check, a test) leaves no folder behind.
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  get regions(): Region[] {
    return this.node.children.filter((c): c is Region => c instanceof Region);
  }

  /** Adds several regions, reporting the problems of all of them together. */
  addRegions(regions: Readonly<Record<string, RegionProps>>): Region[] {
    const added: Region[] = [];
    const failures: Array<[string, ValidationError]> = [];
    for (const [name, props] of Object.entries(regions)) {
      try {
        added.push(new Region(this, name, props));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        failures.push([name, error]);
      }
    }
    if (failures.length === 1) throw failures[0][1];
    if (failures.length > 1) {
      throw new ValidationError(
        `regions ${failures.map(([name]) => name).join(', ')} are invalid`,
        failures.flatMap(([, error]) => error.problems),
      );
    }
    return added;
  }

  /** Every construct-level problem of the three trees, all at once. */
  validate(): ValidationError | undefined {
    const problems = collectConstructProblems([this, this.terraform, this.manifests]);
    return problems.length > 0 ? new ValidationError('the fleet does not validate', problems) : undefined;
  }

  /**
   * Writes `terraform/` (cdktf layout), `manifests/<region>/<cluster>/` (with kustomization.yaml,
   * which lists every file but the un-kustomized ones such as `drills/`; plus
   * `manifests/<region>/karmada/` in Karmada mode), `reports/<region>.md` (with its charts in
   * `reports/<region>/`) and `reports/fleet.md` under the output root, replacing it only when all of it is written. The
   * security rule pack and the Kubernetes and CRD schemas check the final output first: an error
   * finding or an invalid object writes nothing.
   */
  synth(): SynthResult {
    const invalid = this.validate();
    if (invalid) throw invalid;
    const output = new StagedOutput(this.outdir);
    const manifestFiles: string[] = [];
    const reports: string[] = [];
    const charts: string[] = [];
    try {
      // What cdktf's constructor made and the Fleet's constructor removed: the scratch and its stacks/.
      fs.mkdirSync(path.join(this.terraform.outdir, 'stacks'), { recursive: true });
      this.terraform.synth();
      const stacksDirectory = path.join(this.terraform.outdir, 'stacks');
      // Every manifest is checked as the API server would (the library's own objects, escape-hatch
      // patches and a user's blueprint alike) before the rule pack reads it, and the admission
      // policies once they are added: an invalid object writes nothing.
      const built = this.regions.map((region) => {
        const karmadaFold = region.spec.karmada ? foldRegion(region) : undefined;
        return { region, karmadaFold, checked: regionManifestFolders(region, karmadaFold) };
      });
      const checkedFiles = manifestFilesOf(built.flatMap((b) => b.checked));
      throwIfSchemaProblems(manifestSchemaProblems(checkedFiles));
      const regions = built.map(({ region, karmadaFold, checked }) => {
        const compliance = checkRegionCompliance(region, checked, stacksDirectory);
        // The same rules for the API server: each cluster's admission policies, written beside what they judge;
        // then, with GitOps, the sync waves and the management cluster's Applications.
        return { region, karmadaFold, folders: withGitOps(region, withAdmissionPolicies(region, checked, compliance.checked)), compliance };
      });
      const checkedPaths = new Set(checkedFiles.map((f) => f.file));
      const addedFiles = manifestFilesOf(regions.flatMap((r) => r.folders)).filter((f) => !checkedPaths.has(f.file));
      throwIfSchemaProblems(manifestSchemaProblems(addedFiles));
      // The rule pack runs on the final objects: an error finding fails synth before anything is written.
      const broken = regions.flatMap((r) => r.compliance.errors);
      if (broken.length > 0) {
        throw new ValidationError(
          `the output breaks ${new Set(broken.map((f) => f.rule.id)).size} rule(s) of the security rule pack`,
          broken.map(findingProblem),
        );
      }
      output.copyDirectory(this.terraform.outdir, 'terraform');
      for (const { region, karmadaFold, folders, compliance } of regions) {
        for (const { directory, files } of folders) {
          const folder = `manifests/${directory}`;
          for (const { stem, objects } of files) {
            output.write(`${folder}/${stem}.yaml`, toYamlDocuments(objects));
            manifestFiles.push(`${folder}/${stem}.yaml`);
          }
          const resources = files.filter((file) => !file.unkustomized).map(({ stem }) => `${stem}.yaml`);
          output.write(`${folder}/kustomization.yaml`, toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
        }
        output.write(`reports/${region.name}.md`, regionReport(region, karmadaFold, compliance));
        reports.push(`reports/${region.name}.md`);
        for (const chart of rehearsalCharts(region)) {
          output.write(chart.path, chart.content);
          charts.push(chart.path);
        }
      }
      output.write(
        `reports/${FLEET_REPORT}.md`,
        fleetReport(
          this.blueprint,
          regions.map(({ region, compliance }) => ({ region, result: compliance })),
        ),
      );
      reports.push(`reports/${FLEET_REPORT}.md`);
      output.commit();
    } catch (error) {
      output.abort();
      throw error;
    } finally {
      fs.rmSync(this.terraform.outdir, { recursive: true, force: true });
    }
    const stacks = this.regions.flatMap((r) => r.clusters.map((c) => c.stackName));
    return { outdir: this.outdir, stacks, manifestFiles, reports, charts };
  }
}

/** The manifest files of some folders, as paths under the output root and their objects. */
function manifestFilesOf(folders: readonly ManifestFolder[]): ManifestFile[] {
  return folders.flatMap(({ directory, files }) => files.map(({ stem, objects }) => ({ file: `manifests/${directory}/${stem}.yaml`, objects })));
}

function throwIfSchemaProblems(problems: readonly Problem[]): void {
  if (problems.length > 0) throw new ValidationError('the manifests do not match the Kubernetes and CRD schemas', problems);
}
