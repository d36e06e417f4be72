import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * Schemas of custom resources, taken from CustomResourceDefinitions and checked the way the API
 * server checks them: structural-schema semantics (unknown fields rejected unless preserved,
 * int-or-string, nullable, embedded resources) on top of plain JSON Schema.
 *
 * Not checked, as they need the API server's own machinery: `x-kubernetes-validations` (CEL),
 * `format`, list-type/map-type uniqueness.
 */

/** One YAML document from a CRD folder; non-CRD documents are ignored. */
export interface CrdDocument {
  readonly file: string;
  readonly value: unknown;
}

/** Checks one custom resource (plain JSON data) and returns ajv errors. */
export type CrdSchemaCheck = (object: object) => ErrorObject[];

export type CrdLookup =
  | { readonly status: 'found'; readonly check: CrdSchemaCheck }
  /** The CRD for the group and kind exists but does not serve the requested version. */
  | { readonly status: 'versionNotServed'; readonly servedVersions: readonly string[] };

type SchemaNode = Record<string, unknown>;

interface VersionSchema {
  /** The version's openAPIV3Schema as written in the CRD; never modified. */
  readonly schema: SchemaNode;
  readonly file: string;
}

/** Keyed by version name, served versions only. */
type VersionSchemas = Map<string, VersionSchema>;

const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
/** A version without a schema accepts anything, as the API server does. */
const SCHEMALESS: SchemaNode = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

export class CrdSchemas {
  /** Keyed by `group|kind`; the first CRD read for a group and kind wins. */
  private readonly kinds = new Map<string, VersionSchemas>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({
    strict: false, // CRD schemas carry x-kubernetes-* and other keywords ajv does not know
    allErrors: true,
    verbose: true, // errors carry their schema: known fields and oneOf branches make better messages
    validateFormats: false, // CRD formats (int32, date-time, duration ...) are the API server's, not ajv's
    logger: false,
    // ajv's optimizer pass costs more than it saves here: CRD schemas are big (AlertmanagerConfig
    // compiles in 0.35 s without it, 1.3 s with it) and each is compiled once per process.
    code: { regExp: goPattern, optimize: false },
    // Keep shared subschemas (see shareRepeatedSubschemas) as one function each instead of a copy per use.
    inlineRefs: false,
  });

  constructor(documents: Iterable<CrdDocument>) {
    for (const document of documents) this.register(document);
  }

  /** undefined when no CRD defines this group and kind. */
  lookup(apiVersion: string, kind: string): CrdLookup | undefined {
    const slash = apiVersion.indexOf('/');
    if (slash < 0) return undefined; // core group: never a custom resource
    const group = apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    const versions = this.kinds.get(`${group}|${kind}`);
    if (!versions) return undefined;
    const versionSchema = versions.get(version);
    if (!versionSchema) return { status: 'versionNotServed', servedVersions: [...versions.keys()] };
    const validate = this.compile(`${apiVersion} ${kind}`, versionSchema);
    return { status: 'found', check: (object) => runValidator(validate, object) };
  }

  private register({ file, value }: CrdDocument): void {
    if (!isObject(value) || value.apiVersion !== CRD_API_VERSION || value.kind !== 'CustomResourceDefinition') {
      return;
    }
    const spec = isObject(value.spec) ? value.spec : {};
    const names = isObject(spec.names) ? spec.names : {};
    const { group } = spec;
    const { kind } = names;
    if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec.versions)) {
      throw new Error(`${file}: CustomResourceDefinition needs spec.group, spec.names.kind and spec.versions`);
    }
    const key = `${group}|${kind}`;
    if (this.kinds.has(key)) return;
    const versions: VersionSchemas = new Map();
    for (const version of spec.versions.filter(isObject)) {
      if (version.served !== true || typeof version.name !== 'string') continue;
      const schema = isObject(version.schema) && isObject(version.schema.openAPIV3Schema) ? version.schema.openAPIV3Schema : SCHEMALESS;
      versions.set(version.name, { schema, file });
    }
    this.kinds.set(key, versions);
  }

  private compile(resource: string, { schema, file }: VersionSchema): ValidateFunction {
    let validate = this.compiled.get(resource);
    if (!validate) {
      try {
        validate = this.ajv.compile(toResourceJsonSchema(schema));
      } catch (error) {
        throw new Error(`cannot compile the schema of ${resource} from ${file}: ${(error as Error).message}`, { cause: error });
      }
      this.compiled.set(resource, validate);
    }
    return validate;
  }
}

/**
 * CRD patterns are Go RE2 expressions. JavaScript has no inline flag groups like `(?i)` (in RE2
 * they apply from there on); they become flags of the whole expression, slightly more lenient.
 */
const goPattern = Object.assign(
  (pattern: string, unicodeFlag: string): RegExp => {
    const flags = new Set(unicodeFlag);
    const source = pattern.replace(/\(\?([ims]+)\)/g, (_group, inlineFlags: string) => {
      for (const flag of inlineFlags) flags.add(flag);
      return '';
    });
    return new RegExp(source, [...flags].join(''));
  },
  { code: 'goPattern' }, // ajv names the engine in standalone code generation, unused here
);

function runValidator(validate: ValidateFunction, object: object): ErrorObject[] {
  if (validate(object)) return [];
  return (validate.errors ?? []).map(withKnownProperties);
}

/** Unknown-field errors name the fields the schema does know, for "did you mean" hints. */
function withKnownProperties(error: ErrorObject): ErrorObject {
  if (error.keyword !== 'additionalProperties') return error;
  const declared = isObject(error.parentSchema) && isObject(error.parentSchema.properties) ? Object.keys(error.parentSchema.properties).sort() : [];
  return { ...error, params: { ...error.params, knownProperties: declared } };
}

/**
 * The JSON Schema ajv checks a whole custom resource against: the version's schema with structural
 * semantics made explicit, and the top-level envelope (apiVersion, kind, metadata) that CRD schemas
 * leave to the API server.
 */
function toResourceJsonSchema(openApiSchema: SchemaNode): SchemaNode {
  const schema = structuredClone(openApiSchema); // the CRD's own schema is shared: transform a copy
  schema.properties = {
    ...(isObject(schema.properties) ? schema.properties : {}),
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    // The API server validates metadata as ObjectMeta itself; only name and namespace matter here.
    metadata: {
      type: 'object',
      properties: { name: { type: 'string' }, namespace: { type: 'string' } },
      'x-kubernetes-preserve-unknown-fields': true,
    },
  };
  applyStructuralSemantics(schema);
  return shareRepeatedSubschemas(schema);
}

/** A repeated subschema shorter than this (as JSON) stays a copy: a call costs more than it saves. */
const MIN_SHARED_SUBSCHEMA_LENGTH = 500;

/**
 * Each subschema a schema repeats becomes one definition (`$defs`), referenced where each copy
 * stood: ajv compiles a definition once, where it compiles a copy every time, and CRDs repeat a
 * lot (Prometheus Operator's AlertmanagerConfig spells out the same HTTP client settings for each
 * of a dozen receiver types: 0.75 s to compile, a quarter of that shared). A reference accepts
 * and rejects exactly what its copy did. Only value positions (properties, items,
 * additionalProperties) outside allOf/anyOf/oneOf/not are shared, so an alternative and the
 * errors of its branches always come from one compiled function, with schema paths that match.
 */
function shareRepeatedSubschemas(schema: SchemaNode): SchemaNode {
  const json = new Map<SchemaNode, string>();
  const uses = new Map<string, number>();
  const count = (node: SchemaNode): void => {
    const text = JSON.stringify(node);
    json.set(node, text);
    uses.set(text, (uses.get(text) ?? 0) + 1);
    valuePositions(node).forEach(count);
  };
  valuePositions(schema).forEach(count);

  const defs: Record<string, SchemaNode> = {};
  const names = new Map<string, string>();
  const share = (node: SchemaNode): void => {
    for (const [key, child] of valueEntries(node)) {
      const text = json.get(child)!;
      if (uses.get(text)! < 2 || text.length < MIN_SHARED_SUBSCHEMA_LENGTH) {
        share(child);
        continue;
      }
      let name = names.get(text);
      if (!name) {
        name = `shared${names.size}`;
        names.set(text, name);
        defs[name] = child;
        share(child);
      }
      key.set({ $ref: `#/$defs/${name}` });
    }
  };
  share(schema);
  return names.size === 0 ? schema : { ...schema, $defs: defs };
}

/** The subschemas of a node in value positions, with a way to replace each. */
function valueEntries(node: SchemaNode): [{ set(replacement: SchemaNode): void }, SchemaNode][] {
  const entries: [{ set(replacement: SchemaNode): void }, SchemaNode][] = [];
  if (isObject(node.properties)) {
    const properties = node.properties;
    for (const [name, child] of Object.entries(properties)) {
      if (isObject(child)) entries.push([{ set: (replacement) => void (properties[name] = replacement) }, child]);
    }
  }
  if (isObject(node.items)) entries.push([{ set: (replacement) => void (node.items = replacement) }, node.items]);
  if (isObject(node.additionalProperties)) {
    entries.push([{ set: (replacement) => void (node.additionalProperties = replacement) }, node.additionalProperties]);
  }
  return entries;
}

function valuePositions(node: SchemaNode): SchemaNode[] {
  return valueEntries(node).map(([, child]) => child);
}

/** Rewrites one schema node (and the nodes below it) in place into plain JSON Schema. */
function applyStructuralSemantics(node: SchemaNode): void {
  const describesObject = node.type === 'object' || isObject(node.properties);

  if (node['x-kubernetes-int-or-string'] === true) {
    node.type = ['integer', 'string'];
    // Structural schemas spell this out as anyOf [{type: integer}, {type: string}]: now redundant.
    if (Array.isArray(node.anyOf) && node.anyOf.every(isTypeOnlyBranch)) delete node.anyOf;
  }

  if (node['x-kubernetes-embedded-resource'] === true) {
    node.properties = {
      ...(isObject(node.properties) ? node.properties : {}),
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    };
  }

  if (node.nullable === true) {
    if (typeof node.type === 'string') node.type = [node.type, 'null'];
    else if (Array.isArray(node.type)) node.type = [...(node.type as unknown[]), 'null'];
    if (Array.isArray(node.enum)) node.enum = [...(node.enum as unknown[]), null];
  }
  delete node.nullable; // ajv's own `nullable` insists on `type`; it is expressed above instead

  // The API server prunes (strict validation: rejects) every field an object schema does not
  // specify, unless the node preserves unknown fields. This holds even with no `properties`.
  const preservesUnknownFields = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (describesObject && node.additionalProperties === undefined && !preservesUnknownFields) {
    node.additionalProperties = false;
  }

  // Only value positions are rewritten. allOf/anyOf/oneOf/not branches of a structural schema
  // restate constraints on fields declared here; closing them to other fields would be wrong.
  if (isObject(node.properties)) Object.values(node.properties).filter(isObject).forEach(applyStructuralSemantics);
  if (isObject(node.items)) applyStructuralSemantics(node.items);
  if (isObject(node.additionalProperties)) applyStructuralSemantics(node.additionalProperties);
}

function isTypeOnlyBranch(branch: unknown): boolean {
  return isObject(branch) && Object.keys(branch).every((key) => key === 'type');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
