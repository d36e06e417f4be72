import { type IConstruct } from 'constructs';
import { ApiObject, type JsonPatch } from 'cdk8s';
import { Problems, showValue } from '../../lib/errors';
import { jsonPatchProblem } from '../../lib/json-patch-check';

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

/**
 * Records escape hatches as they are applied; the region report lists them. A hatch is refused
 * (a ValidationError naming the construct path) without a reason, with a malformed path or patch,
 * or with a JSON patch that does not apply to the object as it is. What a hatch changes is checked
 * again at synth on the final output: the supply-chain check, the schemas and the rule pack.
 */
export class EscapeHatches {
  private readonly applied: EscapeHatch[] = [];

  get list(): readonly EscapeHatch[] {
    return this.applied;
  }

  /**
   * cdktf `addOverride` on a resource, recorded with its reason. `path` is a dotted attribute path
   * as written in cdk.tf.json (`metadata.annotations`, `set`).
   */
  overrideTerraform(resource: TerraformOverridable, path: string, value: unknown, reason: string): void {
    const target = targetPath(resource);
    const problems = new Problems();
    if (typeof (resource as Partial<TerraformOverridable> | undefined)?.addOverride !== 'function') {
      problems.add(target, `escape hatch target: must be a Terraform resource, provider or stack (anything with addOverride), got ${showValue(resource)}`);
    }
    if (typeof path !== 'string' || path.split('.').some((step) => step.trim() === '')) {
      problems.add(
        target,
        `escape hatch path: must be a dotted Terraform attribute path without empty steps, as written in cdk.tf.json ("metadata.annotations", "set"), got ${showValue(path)}`,
      );
    }
    requireReason(reason, target, problems);
    problems.throwIfAny(`the escape hatch on ${target} is refused`);
    resource.addOverride(path, value);
    this.applied.push({ target, layer: 'terraform', change: { path, value }, reason });
  }

  /**
   * cdk8s JSON patch on a manifest object, recorded with its reason. The patch must apply to the
   * object as it is now (earlier patches included): a path it reads must exist, a path it writes
   * must have a parent, a `test` must hold.
   */
  patchManifest(object: ApiObject, patch: JsonPatch, reason: string): void {
    const target = targetPath(object);
    const problems = new Problems();
    const operation = typeof (patch as Partial<JsonPatch> | undefined)?._toJson === 'function' ? (patch._toJson() as unknown) : undefined;
    if (!ApiObject.isApiObject(object)) {
      problems.add(target, `escape hatch target: must be a cdk8s ApiObject (a manifest object of a chart), got ${showValue(object)}`);
    } else if (operation === undefined) {
      problems.add(
        target,
        `escape hatch patch: must be a cdk8s JsonPatch (JsonPatch.add('/spec/x', 1), .replace, .remove, .move, .copy, .test), got ${showValue(patch)}`,
      );
    } else {
      const wrong = jsonPatchProblem(object.toJson(), operation);
      if (wrong) problems.add(target, `escape hatch patch ${describePatch(operation)} does not apply to ${object.kind} ${object.name}: ${wrong}`);
    }
    requireReason(reason, target, problems);
    problems.throwIfAny(`the escape hatch on ${target} is refused`);
    object.addJsonPatch(patch);
    this.applied.push({ target, layer: 'manifest', change: operation, reason });
  }
}

/** The construct path of a target, or what was received when it is no construct. */
function targetPath(target: IConstruct | undefined): string {
  const path: unknown = (target as { node?: { path?: unknown } } | undefined)?.node?.path;
  return typeof path === 'string' ? path : '<not a construct>';
}

/** A patch without its value (a value can be long, or hold what should not be printed). */
function describePatch(operation: unknown): string {
  const { op, path, from } = operation as { op?: unknown; path?: unknown; from?: unknown };
  return JSON.stringify(from === undefined ? { op, path } : { op, from, path });
}

function requireReason(reason: unknown, target: string, problems: Problems): void {
  if (typeof reason !== 'string' || reason.trim() === '') {
    problems.add(
      target,
      `escape hatch reason: must say why the typed spec cannot express this change (a non-blank string; the region report lists it), got ${showValue(reason)}`,
    );
  }
}
