import { type IConstruct } from 'constructs';
import { ApiObject, type JsonPatch } from 'cdk8s';
import { Problems, showValue } from '../../lib/errors';
import { jsonPatchProblem } from '../../lib/json-patch-check';
import { TerraformDataSource, TerraformProvider, TerraformResource, TerraformVariable, Token, Tokenization } from '../../lib/cdktf';
import { type TerraformElementKind, secretValuesOfOverride, withoutSecretValues } from '../../lib/terraform/sensitive-attributes';

/** What a report prints instead of a secret value. */
export const NOT_SHOWN = '(sensitive, not shown)';

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
  /**
   * The change as reports print it: every secret value (an attribute the provider's schema marks
   * sensitive or write-only, a provider credential, a Secret's data) replaced by
   * `(sensitive, not shown)`, its path kept.
   */
  readonly shown: unknown;
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
    const element = problems.empty ? terraformElement(resource) : undefined;
    if (problems.empty) {
      for (const secret of secretValues(resource, element, path, value)) {
        if (isLiteral(secret.value)) {
          problems.add(
            target,
            `escape hatch value at ${secret.path}: is a secret attribute (${secretKind(element)}) and must not be a literal, which would be written into cdk.tf.json, the plan and the region report; got a literal ${describeLiteral(secret.value)}. Pass a sensitive TerraformVariable's value instead (\`new TerraformVariable(stack, 'x', { type: 'string', sensitive: true }).stringValue\`) and set it in the pipeline (\`TF_VAR_x\`)`,
          );
        }
      }
    }
    requireReason(reason, target, problems);
    problems.throwIfAny(`the escape hatch on ${target} is refused`);
    resource.addOverride(path, value);
    const shown = { path, value: isSensitiveDefault(resource, path) ? NOT_SHOWN : withoutSecretValues(element, path, value, NOT_SHOWN) };
    this.applied.push({ target, layer: 'terraform', change: { path, value }, reason, shown });
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
      else if (writesSecretData(object, operation)) {
        problems.add(
          target,
          `escape hatch patch ${describePatch(operation)} writes the data of Secret ${object.name} into the manifests, which go to the GitOps repository as they are (values not shown); create the Secret in the Terraform layer from a sensitive variable (\`data_wo\`) or with an external secret store, and reference it by name`,
        );
      }
    }
    requireReason(reason, target, problems);
    problems.throwIfAny(`the escape hatch on ${target} is refused`);
    object.addJsonPatch(patch);
    const shown = ApiObject.isApiObject(object) && touchesSecretData(object, operation) ? { ...(operation as object), value: NOT_SHOWN } : operation;
    this.applied.push({ target, layer: 'manifest', change: operation, reason, shown });
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

/** The kind and Terraform type of an element, or `undefined` for a stack (its override paths start at `resource`, `data`, `provider`). */
function terraformElement(target: TerraformOverridable): { kind: TerraformElementKind; type: string } | undefined {
  if (TerraformResource.isTerraformResource(target)) return { kind: 'resource', type: target.terraformResourceType };
  if (TerraformDataSource.isTerraformDataSource(target)) return { kind: 'data', type: target.terraformResourceType };
  if (TerraformProvider.isTerraformProvider(target)) return { kind: 'provider', type: target.terraformResourceType };
  return undefined;
}

/** The secret values an override writes: by the provider schemas, or a sensitive variable's default. */
function secretValues(target: TerraformOverridable, element: { kind: TerraformElementKind; type: string } | undefined, path: string, value: unknown) {
  return isSensitiveDefault(target, path) ? [{ path, value }] : secretValuesOfOverride(element, path, value);
}

function isSensitiveDefault(target: TerraformOverridable, path: string): boolean {
  return target instanceof TerraformVariable && target.sensitive === true && path.split('.')[0] === 'default';
}

function secretKind(element: { kind: TerraformElementKind; type: string } | undefined): string {
  if (element === undefined) return 'sensitive: a sensitive variable, or sensitive or write-only in the provider schema';
  return element.kind === 'provider' ? `a credential of the ${element.type} provider` : 'sensitive or write-only in the provider schema';
}

/**
 * A value written into the file as it is: anything but a cdktf reference (a variable's value, a
 * function of one). Text around a reference is written too, so it counts; blank text holds nothing.
 */
function isLiteral(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') {
    const literals = Token.isUnresolved(value) ? Tokenization.reverseString(value).literals.map(String) : [value];
    return literals.some((text) => text.trim() !== '');
  }
  return !Token.isUnresolved(value);
}

function describeLiteral(value: unknown): string {
  return typeof value === 'string' ? `string (${value.length} characters, not shown)` : `${typeof value} (not shown)`;
}

/** `/data`, `/stringData` or below, or the whole object: where a Secret keeps its values. */
function isSecretDataPath(object: ApiObject, path: unknown): boolean {
  return object.kind === 'Secret' && typeof path === 'string' && (path === '' || /^\/(data|stringData)(\/|$)/.test(path));
}

/** A patch that puts a value into a Secret's data (a `test` only reads it). */
function writesSecretData(object: ApiObject, operation: unknown): boolean {
  const { op, path } = operation as { op?: unknown; path?: unknown };
  return op !== 'remove' && op !== 'test' && isSecretDataPath(object, path);
}

/** A patch whose value is (or is compared with) a Secret's data: reports leave its value out. */
function touchesSecretData(object: ApiObject, operation: unknown): boolean {
  const { path, value } = operation as { path?: unknown; value?: unknown };
  return value !== undefined && isSecretDataPath(object, path);
}

function requireReason(reason: unknown, target: string, problems: Problems): void {
  if (typeof reason !== 'string' || reason.trim() === '') {
    problems.add(
      target,
      `escape hatch reason: must say why the typed spec cannot express this change (a non-blank string; the region report lists it), got ${showValue(reason)}`,
    );
  }
}
