import { Construct } from 'constructs';
import { Chart } from 'cdk8s';
import { type ClusterSpec } from './cluster-spec';
import type { SupplyChainSpec } from './supply-chain-spec';
import { ClusterStack } from './cluster-stack';
import { MiddlewareShelf } from '../middleware/middleware-shelf';
import { Mesh } from '../mesh/mesh';
import type { MeshSpec } from '../mesh/mesh-spec';
import type { ICluster, IDepartment, IMiddlewareInstance, IRegion, ManifestFileOptions } from './tree';

export interface ClusterProps {
  readonly spec: ClusterSpec;
}

export type { ManifestFileOptions } from './tree';

/**
 * A Kubernetes cluster of a region: one Terraform stack `<region>-<cluster>` for the platform
 * layer, and one manifest folder `<region>/<cluster>/` for the application layer.
 */
export class Cluster extends Construct implements ICluster {
  readonly region: IRegion;
  readonly spec: ClusterSpec;
  readonly stack: ClusterStack;
  private readonly files = new Map<string, Chart>();
  private readonly unkustomized = new Set<string>();
  private readonly departmentsByName = new Map<string, IDepartment>();
  private shelf?: MiddlewareShelf;
  private meshInstall?: Mesh;

  constructor(region: IRegion, id: string, props: ClusterProps) {
    super(region, id);
    this.region = region;
    this.spec = props.spec;
    this.stack = new ClusterStack(region.fleet.terraform, `${region.name}-${id}`, {
      connection: props.spec.connection,
      backend: region.spec.backend,
    });
  }

  /**
   * Where this cluster's images and charts come from: its own registry mirror when it has one
   * (a public cloud's), else the blueprint's. Charts are fetched by the pipeline, so they always
   * come from the blueprint's chart repository.
   */
  get supplyChain(): SupplyChainSpec {
    const blueprint = this.region.spec.supplyChain;
    return this.spec.registry ? { registry: this.spec.registry, chartRepository: blueprint.chartRepository } : blueprint;
  }

  /** The repository a blueprint image is pulled from on this cluster: the same path below the cluster's registry. */
  imageRepository(image: string): string {
    const blueprintRegistry = this.region.spec.supplyChain.registry;
    if (!this.spec.registry || !image.startsWith(`${blueprintRegistry}/`)) return image;
    return `${this.spec.registry}${image.slice(blueprintRegistry.length)}`;
  }

  get name(): string {
    return this.node.id;
  }

  /** Terraform stack name and address prefix for `cdktf deploy`. */
  get stackName(): string {
    return this.stack.node.id;
  }

  /** Folder of the cluster's manifests, relative to the manifest root. */
  get manifestDirectory(): string {
    return `${this.region.name}/${this.name}`;
  }

  /** Manifest files of this cluster by file stem, in creation order. */
  get manifestFiles(): ReadonlyMap<string, Chart> {
    return this.files;
  }

  /** Stems of the manifest files left out of the folder's kustomization.yaml. */
  get unkustomizedFiles(): ReadonlySet<string> {
    return this.unkustomized;
  }

  get departments(): IDepartment[] {
    return [...this.departmentsByName.values()];
  }

  department(name: string): IDepartment | undefined {
    return this.departmentsByName.get(name);
  }

  /** The cluster's middleware shelf, created with its namespace on first use. */
  middleware(): MiddlewareShelf {
    this.shelf ??= new MiddlewareShelf(this);
    return this.shelf;
  }

  /** The shelf instances on this cluster. */
  get middlewareInstances(): IMiddlewareInstance[] {
    return this.shelf?.instances ?? [];
  }

  /** The cluster's part of the region's mesh; undefined when the cluster is not meshed. */
  get mesh(): Mesh | undefined {
    return this.meshInstall;
  }

  /** Installs the mesh here, joined with the region's other meshed clusters. Call before adding departments. */
  joinMesh(spec: MeshSpec, peers: readonly ClusterSpec[]): Mesh {
    if (this.meshInstall) throw new Error(`[${this.node.path}] the cluster is already in the mesh`);
    if (this.departmentsByName.size > 0)
      throw new Error(`[${this.node.path}] join the mesh before adding departments: their namespaces need the injection label`);
    this.meshInstall = new Mesh(this, { spec, peers });
    return this.meshInstall;
  }

  /** Registers a department created on this cluster (called by `Department`). */
  registerDepartment(department: IDepartment): void {
    this.departmentsByName.set(department.spec.name, department);
  }

  /** A new manifest file `<stem>.yaml` in this cluster's folder (`drills/x` is `x.yaml` in its subfolder `drills/`). */
  addManifests(stem: string, options: ManifestFileOptions = {}): Chart {
    if (this.files.has(stem)) throw new Error(`[${this.node.path}] manifest file "${stem}.yaml" already exists; choose another name`);
    // A construct id may not hold "/".
    const id = `${this.stackName}-${stem.split('/').join('-')}`;
    const chart = new Chart(this.region.fleet.manifests, id, { namespace: options.namespace, disableResourceNameHashes: true });
    this.files.set(stem, chart);
    if (options.kustomized === false) this.unkustomized.add(stem);
    return chart;
  }
}
