import { type IConstruct } from 'constructs';
import { type ApiObject, type JsonPatch } from 'cdk8s';

/** A raw change outside the typed spec, kept with its reason so every report shows it. */
export interface EscapeHatch {
  /** Construct path of the patched resource or object. */
  readonly target: string;
  /** `terraform` for a cdktf raw override, `manifest` for a cdk8s JSON patch. */
  readonly layer: 'terraform' | 'manifest';
  /** The change, as JSON: `{ path, value }` for Terraform, the JSON patch operation for manifests. */
  readonly change: unknown;
  /** Why the typed spec could not express it; required, like a suppression. */
  readonly reason: string;
}

/** Anything with cdktf's `addOverride` (every Terraform resource, provider and stack element). */
export interface TerraformOverridable extends IConstruct {
  addOverride(path: string, value: unknown): void;
}

/** Records escape hatches as they are applied; the region report lists them. */
export class EscapeHatches {
  private readonly applied: EscapeHatch[] = [];

  get list(): readonly EscapeHatch[] {
    return this.applied;
  }

  /** cdktf `addOverride` on a resource, recorded with its reason. */
  overrideTerraform(resource: TerraformOverridable, path: string, value: unknown, reason: string): void {
    this.requireReason(reason, resource);
    resource.addOverride(path, value);
    this.applied.push({ target: resource.node.path, layer: 'terraform', change: { path, value }, reason });
  }

  /** cdk8s JSON patch on a manifest object, recorded with its reason. */
  patchManifest(object: ApiObject, patch: JsonPatch, reason: string): void {
    this.requireReason(reason, object);
    object.addJsonPatch(patch);
    this.applied.push({ target: object.node.path, layer: 'manifest', change: patch._toJson(), reason });
  }

  private requireReason(reason: string, target: IConstruct): void {
    if (!reason.trim()) throw new Error(`[${target.node.path}] an escape hatch needs a reason: say why the typed spec cannot express this change`);
  }
}
