import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { App as ManifestApp } from 'cdk8s';
import { AppTokens, TerraformApp } from '../../lib/cdktf';
import { type Problem, Problems, showValue, ValidationError } from '../../lib/errors';
import { isPlainObject, plainObjectFix } from '../../lib/schema';
import { collectConstructProblems } from '../../lib/construct-validation';
import { StagedOutput } from '../../lib/output/staged-output';
import { forgetWrittenYaml, toYaml, toYamlDocuments } from '../../lib/output/canonical-yaml';
import { type ManifestFile, manifestSchemaProblems } from '../../lib/validation/output-check';
import type { BlueprintSpec } from '../blueprint-spec';
import { blueprintSchema } from '../blueprint-schema';
import { checkPricedClouds, cloudsOf } from '../operations/cost-checks';
import { Region, type RegionProps } from './region';
import { setTerraformFolder, type TerraformFolder } from './cluster-stack';
import { fleetReport, regionReport } from './region-report';
import { FLEET_REPORT } from './core-checks';
import { type ManifestFolder, regionManifestFolders } from './manifest-folders';
import { foldRegion } from '../karmada/karmada-fold';
import { checkRegionCompliance, findingProblem } from '../compliance/region-compliance';
import { complianceSummary, type ComplianceSummary } from '../compliance/compliance-report';
import type { Finding } from '../../lib/compliance/evaluate';
import { withAdmissionPolicies } from '../compliance/admission-files';
import { withGitOps } from '../gitops/gitops-files';
import { rehearsalCharts } from '../burst/surge-rehearsal-report';
import { stackSupplyChainProblems } from './supply-chain-checks';
import { burstCharts } from '../burst/burst-report';
import { FLEET_TOPOLOGY_PATH, fleetTopology, fleetTopologyPicture, regionTopology, topologyPath, topologyPicture } from './topology-report';
import { toDot } from '../../lib/report/dot';
import { htmlPageFrame, htmlSection } from '../../lib/report/html';

/** The HTML report, under the output root. */
const HTML_REPORT = 'reports/index.html';
/**
 * The HTML report's region sections, staged as each region is done and moved to the end of the
 * page once the fleet's section, which goes first, is known. Never part of a committed output.
 */
const HTML_REGION_SECTIONS = 'reports/.index.html.regions';

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
  /**
   * The reports' charts, per burst link: `reports/<region>/<link>-rehearsal.svg` (the surge
   * rehearsal) and `reports/<region>/<link>-burst.svg` (the plan's replicas at baseline and at peak).
   */
  readonly charts: readonly string[];
  /** What the user should know although synth succeeded (a previous output it could not delete), one line each. */
  readonly warnings: readonly string[];
  /** The topology pictures: `reports/<region>/topology.svg` per region, then `reports/fleet-topology.svg`. */
  readonly pictures: readonly string[];
  /** Every report and picture on one page: `reports/index.html`. */
  readonly htmlReport: string;
}

/**
 * A step of `Fleet.synth()`: construct validation, cdktf's Terraform synth, the manifest checks
 * (Kubernetes and CRD schemas, the rule pack, admission policies), manifest YAML, the reports and
 * writing the output. After the Terraform synth, each region in turn is checked, then its
 * manifests alternate `yaml` and `write` per file, then `reports`; the fleet's reports come last.
 */
export type SynthPhase = 'validate' | 'terraform' | 'checks' | 'yaml' | 'reports' | 'write';

export interface SynthOptions {
  /**
   * Called as each phase begins (and once with `done` at the end), for a caller that times them
   * (`npm run bench`) or shows progress (the command line); synth itself reads no clock. `region`
   * names the region a `checks`, `yaml`, `reports` or `write` step works on, when it works on one.
   * @default - no calls
   */
  readonly onPhase?: (phase: SynthPhase | 'done', region?: string) => void;
  /**
   * Output root to write instead of the fleet's `outdir` (the command line's `--out`, or a staging
   * folder for `diff`).
   * @default - the fleet's outdir
   */
  readonly outdir?: string;
  /**
   * Where the Terraform part (cdktf's `manifest.json` and `stacks/`) goes inside the output root:
   * `terraform`, or `.` for the root itself, as `cdktf synth` expects when cdktf.json's `output`
   * (CDKTF_OUTDIR) names the output root (`cdktf.out`).
   * @default "terraform"
   */
  readonly terraformFolder?: TerraformFolder;
}

export type { TerraformFolder };

/** A topology picture of `Fleet.topologyPictures()`. */
export interface TopologyPicture {
  /** The region it shows, or undefined for the fleet picture. */
  readonly region?: string;
  /** Where synth writes it under the output root (`.dot` instead of `.svg` for DOT). */
  readonly path: string;
  readonly content: string;
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
  /** The cdktf app's tokens, out of cdktf's process-wide map between synths (see AppTokens). */
  private readonly tokens: AppTokens;

  constructor(props: FleetProps) {
    super(undefined as unknown as Construct, '');
    if (!isPlainObject(props)) {
      throw new ValidationError('the fleet has no props', [
        {
          path: 'props',
          message: `must be the fleet's props { blueprint, outdir? }, got ${showValue(props)}${plainObjectFix(props)}; write new Fleet({ blueprint })`,
        },
      ]);
    }
    const problems = new Problems();
    blueprintSchema.validate(props.blueprint, 'blueprint', 'full', problems);
    if (problems.empty) checkPricedClouds(Object.keys(props.blueprint.costs?.prices ?? {}), cloudsOf(props.blueprint), 'blueprint', problems);
    const name = isPlainObject(props.blueprint) ? props.blueprint.name : undefined;
    problems.throwIfAny(`blueprint ${typeof name === 'string' ? showValue(name) : 'without a name'} is invalid`);
    this.blueprint = props.blueprint;
    this.outdir = props.outdir ?? 'out';
    // cdktf creates its output directory on construction; a private scratch directory keeps that
    // away from the real output root until synth() moves a complete tree into place.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-terraform-'));
    this.terraform = new TerraformApp({ outdir: scratch, stackTraces: false, hclOutput: false, skipValidation: true });
    this.manifests = new ManifestApp({ outdir: scratch, recordConstructMetadata: false });
    this.tokens = new AppTokens(this.terraform);
    // Nothing is written there before synth(), which makes it again: a Fleet that is never
    // synthesized (a check, a test) leaves no folder behind.
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  get regions(): Region[] {
    return this.node.children.filter((c): c is Region => c instanceof Region);
  }

  /** Adds several regions, reporting the problems of all of them together. */
  addRegions(regions: Readonly<Record<string, RegionProps>>): Region[] {
    if (!isPlainObject(regions)) {
      throw new ValidationError('the regions are invalid', [
        {
          path: 'regions',
          message: `must be a map of region name to its props ({ changsha: { overrides } }), got ${showValue(regions)}${plainObjectFix(regions)}; pass one entry per region`,
        },
      ]);
    }
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
   * The topology pictures synth writes, without synthesizing: each region's, then the fleet's
   * (its regions' clusters, burst links and DR pairs). `dot` gives the Graphviz source instead
   * of the SVG, with every link (the SVG of a region Graphviz cannot lay out with its mesh links
   * leaves them out).
   */
  topologyPictures(format: 'svg' | 'dot' = 'svg'): TopologyPicture[] {
    this.tokens.restore();
    try {
      const regions = this.regions;
      if (format === 'dot') {
        return [
          ...regions.map((region) => ({
            region: region.name,
            path: `reports/${topologyPath(region.name).replace(/\.svg$/, '.dot')}`,
            content: toDot(regionTopology(region)),
          })),
          { path: `reports/${FLEET_TOPOLOGY_PATH.replace(/\.svg$/, '.dot')}`, content: toDot(fleetTopology(this.blueprint, regions)) },
        ];
      }
      return [...regions.map((region) => ({ region: region.name, ...topologyPicture(region) })), fleetTopologyPicture(this.blueprint, regions)];
    } finally {
      this.tokens.release();
    }
  }

  /**
   * Writes `terraform/` (cdktf layout), `manifests/<region>/<cluster>/` (with kustomization.yaml,
   * which lists every file but the un-kustomized ones such as `drills/`; plus
   * `manifests/<region>/karmada/` in Karmada mode), `reports/<region>.md` (with its topology and charts in
   * `reports/<region>/`), `reports/fleet.md` (with `reports/fleet-topology.svg`) and
   * `reports/index.html` (all of them on one page) under the output root, replacing it only when all of it is written (and only
   * when it is missing, empty or a previous output: see `StagedOutput`). The supply-chain check (every
   * helm_release as its stack is written), the security rule pack and the Kubernetes and CRD schemas
   * check the final output first: an error finding or an invalid object writes nothing. Regions
   * are checked and written one at a time, and only a summary of each is kept for the fleet's
   * reports, so memory does not grow with every region's output; the problems of all regions are
   * still reported together.
   */
  synth(options: SynthOptions = {}): SynthResult {
    const phase = options.onPhase ?? noPhase;
    const outdir = options.outdir ?? this.outdir;
    const terraformFolder = options.terraformFolder ?? 'terraform';
    if (terraformFolder !== 'terraform' && terraformFolder !== '.') {
      throw new ValidationError('the synth options are invalid', [
        { path: 'terraformFolder', message: `must be "terraform" or ".", got ${showValue(terraformFolder)}; leave it out for "terraform"` },
      ]);
    }
    this.tokens.restore();
    phase('validate');
    const invalid = this.validate();
    if (invalid) throw invalid;
    const output = new StagedOutput(outdir);
    const manifestFiles: string[] = [];
    const reports: string[] = [];
    const charts: string[] = [];
    const warnings: string[] = [];
    const pictures: string[] = [];
    try {
      // What cdktf's constructor made and the Fleet's constructor removed: the scratch and its stacks/.
      fs.mkdirSync(path.join(this.terraform.outdir, 'stacks'), { recursive: true });
      phase('terraform');
      setTerraformFolder(this.terraform, terraformFolder);
      this.terraform.synth();
      const stacksDirectory = path.join(this.terraform.outdir, 'stacks');
      // Charts and images of the stacks as written: escape hatches (values, `set` blocks, a
      // stack-level override) cannot take a release off the mirror.
      const offMirror = this.regions.flatMap((region) =>
        region.clusters.flatMap((cluster) =>
          stackSupplyChainProblems(
            JSON.parse(fs.readFileSync(path.join(stacksDirectory, cluster.stackName, 'cdk.tf.json'), 'utf8')) as unknown,
            cluster.supplyChain,
            cluster.stackName,
          ),
        ),
      );
      if (offMirror.length > 0) throw new ValidationError("the Terraform stacks install charts or images from outside the blueprint's mirror", offMirror);
      phase('write');
      // The page is written last, with the fleet's section first on it: the region sections wait in the staged tree.
      output.write(HTML_REGION_SECTIONS, '');
      // One region at a time: its manifests are made, checked, written and let go before the
      // next region's, so a synth holds one region's output plus each region's summary (its
      // report and compliance counts), however many regions there are. A problem stops the
      // writing (the staging folder is dropped) but not the checking, so every region's
      // problems are still reported together, in the order of the checks below.
      const problems: FleetProblems = { schema: [], addedSchema: [], broken: [] };
      const summaries: RegionSummary[] = [];
      for (const region of this.regions) {
        const written = synthRegion(region, { stacksDirectory, output, phase, problems });
        if (!written) continue;
        const { markdown, ...summary } = written;
        summaries.push(summary);
        reports.push(`reports/${region.name}.md`);
        manifestFiles.push(...summary.manifestFiles);
        charts.push(...summary.charts);
        pictures.push(summary.picture);
        output.append(HTML_REGION_SECTIONS, `\n${htmlSection({ id: `region-${region.name}`, title: region.name, markdown })}`);
      }
      throwIfSchemaProblems(problems.schema);
      throwIfSchemaProblems(problems.addedSchema);
      // The rule pack runs on the final objects: an error finding fails synth before anything is written.
      if (problems.broken.length > 0) {
        throw new ValidationError(
          `the output breaks ${new Set(problems.broken.map((f) => f.rule.id)).size} rule(s) of the security rule pack`,
          problems.broken.map(findingProblem),
        );
      }
      phase('reports');
      const fleet = fleetReport(
        this.blueprint,
        summaries.map(({ region, compliance }) => ({ region, result: compliance })),
      );
      output.write(`reports/${FLEET_REPORT}.md`, fleet);
      reports.push(`reports/${FLEET_REPORT}.md`);
      const fleetTopology = fleetTopologyPicture(
        this.blueprint,
        summaries.map((r) => r.region),
      );
      output.write(fleetTopology.path, fleetTopology.content);
      pictures.push(fleetTopology.path);
      // One page for a reader without a Markdown viewer: the fleet first, then each region; the
      // images are the same files the Markdown links, by the same relative paths.
      const fleetSection = { id: 'fleet', title: 'fleet', markdown: fleet };
      const page = htmlPageFrame(`Fleet ${this.blueprint.name}: synth reports`, [
        fleetSection,
        ...summaries.map(({ region }) => ({ id: `region-${region.name}`, title: region.name })),
      ]);
      output.write(HTML_REPORT, page.head + htmlSection(fleetSection));
      output.appendStagedFile(HTML_REPORT, HTML_REGION_SECTIONS);
      output.append(HTML_REPORT, page.tail);
      phase('write');
      // Moved, not copied, once no region reads its stack any more: no copy and no deletion of every stack.
      output.moveDirectory(this.terraform.outdir, terraformFolder);
      const committed = output.commit();
      if (committed.warning) warnings.push(committed.warning);
    } catch (error) {
      output.abort();
      throw error;
    } finally {
      fs.rmSync(this.terraform.outdir, { recursive: true, force: true });
      // Nothing outside this Fleet keeps its tree alive once synth is over: a process that builds
      // fleet after fleet (a test run, a server) does not grow.
      this.tokens.release();
      forgetWrittenYaml();
    }
    const stacks = this.regions.flatMap((r) => r.clusters.map((c) => c.stackName));
    phase('done');
    return { outdir, stacks, manifestFiles, reports, charts, pictures, htmlReport: HTML_REPORT, warnings };
  }
}

function noPhase(): void {}

/** The problems synth reports together, by check; the first non-empty list (in this order) fails it. */
interface FleetProblems {
  /** The Kubernetes and CRD schemas on the manifests the constructs made. */
  readonly schema: Problem[];
  /** The same schemas on the files added after the rule pack ran (admission policies, GitOps). */
  readonly addedSchema: Problem[];
  /** Error findings of the rule pack. */
  readonly broken: Finding[];
}

/** What the fleet-level reports keep of a region once its output is written: no manifest objects, no report text. */
interface RegionSummary {
  readonly region: Region;
  readonly compliance: ComplianceSummary;
  readonly manifestFiles: readonly string[];
  readonly charts: readonly string[];
  readonly picture: string;
}

/**
 * Checks one region's manifests and, while nothing has failed anywhere, writes them with the
 * region's report, charts and picture. A problem is added to `problems` (the later checks are
 * skipped as synth would skip them: the rule pack does not run on objects that fail the schemas)
 * and the region gives no summary: synth fails once every region is checked.
 */
function synthRegion(
  region: Region,
  context: { stacksDirectory: string; output: StagedOutput; phase: (phase: SynthPhase, region?: string) => void; problems: FleetProblems },
): (RegionSummary & { readonly markdown: string }) | undefined {
  const { stacksDirectory, output, phase, problems } = context;
  // Every manifest is checked as the API server would (the library's own objects, escape-hatch
  // patches and a user's blueprint alike) before the rule pack reads it, and the admission
  // policies once they are added: an invalid object writes nothing.
  phase('checks', region.name);
  const karmadaFold = region.spec.karmada ? foldRegion(region) : undefined;
  const checked = regionManifestFolders(region, karmadaFold);
  const checkedFiles = manifestFilesOf(checked);
  problems.schema.push(...manifestSchemaProblems(checkedFiles));
  if (problems.schema.length > 0) return undefined;
  const compliance = checkRegionCompliance(region, checked, stacksDirectory);
  // The same rules for the API server: each cluster's admission policies, written beside what they judge;
  // then, with GitOps, the sync waves and the management cluster's Applications.
  const folders = withGitOps(region, withAdmissionPolicies(region, checked, compliance.checked));
  const checkedPaths = new Set(checkedFiles.map((f) => f.file));
  problems.addedSchema.push(...manifestSchemaProblems(manifestFilesOf(folders).filter((f) => !checkedPaths.has(f.file))));
  problems.broken.push(...compliance.errors);
  if (problems.addedSchema.length > 0 || problems.broken.length > 0) return undefined;

  const manifestFiles: string[] = [];
  for (const { directory, files } of folders) {
    const folder = `manifests/${directory}`;
    for (const { stem, objects } of files) {
      phase('yaml', region.name);
      const text = toYamlDocuments(objects);
      phase('write', region.name);
      output.write(`${folder}/${stem}.yaml`, text);
      manifestFiles.push(`${folder}/${stem}.yaml`);
    }
    const resources = files.filter((file) => !file.unkustomized).map(({ stem }) => `${stem}.yaml`);
    phase('write', region.name);
    output.write(`${folder}/kustomization.yaml`, toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
  }
  phase('reports', region.name);
  const markdown = regionReport(region, karmadaFold, compliance);
  output.write(`reports/${region.name}.md`, markdown);
  const charts: string[] = [];
  for (const chart of [...rehearsalCharts(region), ...burstCharts(region)]) {
    output.write(chart.path, chart.content);
    charts.push(chart.path);
  }
  const topology = topologyPicture(region);
  output.write(topology.path, topology.content);
  return {
    region,
    compliance: complianceSummary(compliance),
    markdown,
    manifestFiles,
    charts,
    picture: topology.path,
  };
}

/** The manifest files of some folders, as paths under the output root and their objects. */
function manifestFilesOf(folders: readonly ManifestFolder[]): ManifestFile[] {
  return folders.flatMap(({ directory, files }) => files.map(({ stem, objects }) => ({ file: `manifests/${directory}/${stem}.yaml`, objects })));
}

function throwIfSchemaProblems(problems: readonly Problem[]): void {
  if (problems.length > 0) throw new ValidationError('the manifests do not match the Kubernetes and CRD schemas', problems);
}
