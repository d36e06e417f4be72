import type { ErrorObject } from 'ajv';

/**
 * Schemas of the built-in Kubernetes kinds, as shipped by kubernetes-models.
 *
 * kubernetes-models ships its schemas as precompiled ajv validators (`_schemas/*.js`), not as JSON
 * Schema, and those validators accept unknown fields. A real API server with strict field
 * validation rejects them, so unknown fields are found by watching the compiled validator work:
 * it reads every property its schema declares (`data.replicas`, even when absent) and enumerates
 * only objects that are maps (`for (key in data)`, e.g. labels). Whatever an object holds that the
 * validator neither read nor enumerated is a field the schema does not know.
 */

/** A kind's class as exported by `kubernetes-models/<apiVersion>/<Kind>`. */
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(): void };
}

/** Checks one object (plain JSON data) and returns ajv-style errors, unknown fields included. */
export type BuiltinSchemaCheck = (object: object) => ErrorObject[];

/** `v1`, `apps/v1`, `networking.k8s.io/v1beta1`: also keeps the module id below inside the package. */
const API_VERSION = /^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
/** How require() says "no such module" (plain Node and jest) or "subpath not exported" (unknown group). */
const MODULE_MISSING_CODES = new Set(['MODULE_NOT_FOUND', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);

export class BuiltinSchemas {
  private readonly models = new Map<string, ModelClass | undefined>();

  /** The check for a built-in kind, or undefined when kubernetes-models has no such apiVersion/kind. */
  lookup(apiVersion: string, kind: string): BuiltinSchemaCheck | undefined {
    const model = this.model(apiVersion, kind);
    return model && ((object) => validateModel(model, object));
  }

  private model(apiVersion: string, kind: string): ModelClass | undefined {
    const key = `${apiVersion} ${kind}`;
    if (!this.models.has(key)) this.models.set(key, loadModel(apiVersion, kind));
    return this.models.get(key);
  }
}

function loadModel(apiVersion: string, kind: string): ModelClass | undefined {
  if (!API_VERSION.test(apiVersion) || !KIND.test(kind)) return undefined;
  let exports: Record<string, unknown>;
  try {
    // The package lays kinds out by apiVersion: core `v1` -> v1/Service, `apps/v1` -> apps/v1/Deployment.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the kind's module is known only at run time
    exports = require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, unknown>;
  } catch (error) {
    if (MODULE_MISSING_CODES.has((error as { code?: string }).code ?? '')) return undefined;
    throw error;
  }
  const model = exports[kind];
  // Nested types (v1/Container) have no apiVersion/kind; a case-insensitive disk may resolve `DEPLOYMENT`.
  return isModelOf(model, apiVersion, kind) ? model : undefined;
}

function isModelOf(candidate: unknown, apiVersion: string, kind: string): candidate is ModelClass {
  const model = candidate as Partial<ModelClass> | undefined;
  return typeof candidate === 'function' && model?.apiVersion === apiVersion && model.kind === kind;
}

function validateModel(model: ModelClass, object: object): ErrorObject[] {
  const tracker = new FieldReadTracker();
  const schemaErrors = runCompiledValidator(model, tracker.track(object));
  return [...schemaErrors, ...tracker.unknownFieldErrors()];
}

/** The model's validate() runs its compiled validator on `this` and throws ajv's ValidationError. */
function runCompiledValidator(model: ModelClass, object: object): ErrorObject[] {
  try {
    model.prototype.validate.call(object);
    return [];
  } catch (error) {
    const errors = (error as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return errors as ErrorObject[];
    throw error;
  }
}

/**
 * One object the validator was handed, as the proxy's handler: records which properties the
 * validator reads and whether it enumerates them.
 */
class ObjectVisit implements ProxyHandler<object> {
  readonly proxy: object;
  readonly readKeys = new Set<string>();
  enumerated = false;

  /** `parent` and `key`: where the object was first reached (undefined for the object checked). */
  constructor(
    readonly value: object,
    private readonly tracker: FieldReadTracker,
    private readonly parent?: ObjectVisit,
    private readonly key?: string,
  ) {
    this.proxy = new Proxy(value, this);
  }

  get(target: object, key: string | symbol): unknown {
    const child: unknown = Reflect.get(target, key);
    if (typeof key !== 'string') return child;
    this.readKeys.add(key);
    const isOwnObject = typeof child === 'object' && child !== null && Object.hasOwn(target, key);
    return isOwnObject ? this.tracker.track(child, this, key) : child;
  }

  ownKeys(target: object): ArrayLike<string | symbol> {
    this.enumerated = true;
    return Reflect.ownKeys(target);
  }

  /** JSON pointer of the object, as ajv writes instancePath; made only for an object with unknown fields. */
  instancePath(): string {
    return this.parent ? `${this.parent.instancePath()}/${escapePointerToken(this.key!)}` : '';
  }
}

/** Hands the validator proxies that record which properties of each object it looks at. */
class FieldReadTracker {
  private readonly visits = new Map<object, ObjectVisit>();

  track(value: object, parent?: ObjectVisit, key?: string): object {
    let visit = this.visits.get(value);
    if (!visit) {
      visit = new ObjectVisit(value, this, parent, key);
      this.visits.set(value, visit);
    }
    return visit.proxy;
  }

  unknownFieldErrors(): ErrorObject[] {
    const errors: ErrorObject[] = [];
    for (const visit of this.visits.values()) {
      // Nothing read means a free-form schema ({type: object}: RawExtension, FieldsV1); enumerated means a map.
      if (Array.isArray(visit.value) || visit.enumerated || visit.readKeys.size === 0) continue;
      const unknownKeys = Object.keys(visit.value).filter((key) => !visit.readKeys.has(key));
      if (unknownKeys.length === 0) continue;
      const knownProperties = [...visit.readKeys].sort();
      const instancePath = visit.instancePath();
      for (const key of unknownKeys) {
        errors.push({
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key, knownProperties },
          message: 'must NOT have additional properties',
        });
      }
    }
    return errors;
  }
}

function escapePointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
