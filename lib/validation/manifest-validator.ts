import * as fs from 'fs';
import * as path from 'path';
import type { ErrorObject } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { BuiltinSchemas } from './builtin-schemas';
import { CrdSchemas, type CrdDocument } from './crd-schemas';

/**
 * Checks synthesized Kubernetes manifests against the schemas the API server would use: the
 * built-in kinds' OpenAPI schemas (kubernetes-models) and the CRDs of custom resources, rejecting
 * unknown fields as `kubectl apply` (strict field validation) does.
 */

export interface ManifestProblem {
  /** File the object came from, if known. */
  readonly file?: string;
  /** 0-based index of the YAML document in that file. */
  readonly document?: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Path inside the object, e.g. `spec.template.spec.containers[0].image`; empty for the whole object. */
  readonly path: string;
  /** What is wrong, with the value when useful and what is allowed. */
  readonly message: string;
}

/** Where an object was read from. */
export interface ManifestSource {
  readonly file?: string;
  readonly document?: number;
}

export interface ManifestValidatorOptions {
  /**
   * Folders holding CustomResourceDefinition YAML files (searched recursively; multi-document
   * files and non-CRD documents allowed). Read once, when the validator is created.
   * @default - no CRDs: every custom resource is reported as having no schema
   */
  readonly crdDirectories?: string[];
  /**
   * CustomResourceDefinitions already read (for example the library's bundled ones, see
   * bundled-crds.ts), checked after those of `crdDirectories`: for a group and kind, the first wins.
   * @default - none
   */
  readonly crdDocuments?: readonly CrdDocument[];
}

/** Kustomize's own config files sit among the manifests but are not API objects. */
const KUSTOMIZATION_FILE_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
const YAML_FILE_NAME = /\.ya?ml$/;
/** Problems are returned, never logged: keep the yaml library from printing warnings. */
const YAML_PARSE_OPTIONS = { logLevel: 'error' } as const;
/** Unknown-field messages list at most this many known fields. */
const MAX_LISTED_FIELDS = 20;
const MAX_SHOWN_STRING_LENGTH = 60;

type JsonObject = Record<string, unknown>;
type SchemaCheck = (object: object) => ErrorObject[];
type Finding = Pick<ManifestProblem, 'path' | 'message'>;

export class ManifestValidator {
  private readonly builtins = new BuiltinSchemas();
  private readonly crds: CrdSchemas;

  constructor(options: ManifestValidatorOptions = {}) {
    this.crds = new CrdSchemas([...(options.crdDirectories ?? []).flatMap(readCrdDocuments), ...(options.crdDocuments ?? [])]);
  }

  validateObject(obj: unknown, source: ManifestSource = {}): ManifestProblem[] {
    // What the API server would receive: JSON (drops undefined, and YAML anchors become copies).
    // Synthesized objects already are JSON data; copying each one was a sixth of the checks' time.
    const object: unknown = obj === undefined || isJsonTree(obj, new Set()) ? obj : jsonCopy(obj);
    try {
      return this.validateJson(object, source);
    } catch (error) {
      // The proxies that watch built-in kinds (builtin-schemas.ts) cannot stand in for read-only
      // properties (a frozen object): check a copy, as before.
      if (object !== obj || !(error instanceof TypeError)) throw error;
      return this.validateJson(jsonCopy(obj), source);
    }
  }

  /** `object` is JSON data: a tree of plain objects, arrays and JSON values. */
  private validateJson(object: unknown, source: ManifestSource): ManifestProblem[] {
    const located = (identity: Identity, findings: readonly Finding[]): ManifestProblem[] =>
      findings.map((finding) => ({ ...source, ...identity, ...finding }));

    if (!isJsonObject(object)) {
      const message = `expected a Kubernetes object (a mapping), got ${describeValue(object)}`;
      return located(NO_IDENTITY, [{ path: '', message }]);
    }
    const identity = identify(object);
    const findings = envelopeFindings(object);
    if (identity.apiVersion && identity.kind) {
      const schema = this.findSchema(identity.apiVersion, identity.kind);
      if (typeof schema === 'string') findings.push({ path: '', message: schema });
      else findings.push(...describeSchemaErrors(schema(object), object));
    }
    return located(identity, uniqueFindings(findings));
  }

  /** Every document of a (multi-document) YAML file; empty documents are skipped. */
  validateFile(file: string): ManifestProblem[] {
    return parseAllDocuments(fs.readFileSync(file, 'utf8'), YAML_PARSE_OPTIONS).flatMap((document, index) => {
      const source = { file, document: index };
      if (document.errors.length > 0) {
        const message = `invalid YAML: ${firstLine(document.errors[0].message)}`;
        return [{ ...source, ...NO_IDENTITY, path: '', message }];
      }
      const value: unknown = document.toJS();
      return value === null || value === undefined ? [] : this.validateObject(value, source);
    });
  }

  /** Every *.yaml / *.yml file below `dir` in sorted order, except Kustomize's kustomization files. */
  validateDirectory(dir: string): ManifestProblem[] {
    return findYamlFiles(dir)
      .filter((file) => !KUSTOMIZATION_FILE_NAMES.has(path.basename(file)))
      .flatMap((file) => this.validateFile(file));
  }

  /** The check for this kind, or why there is none. */
  private findSchema(apiVersion: string, kind: string): SchemaCheck | string {
    const builtin = this.builtins.lookup(apiVersion, kind);
    if (builtin) return builtin;
    const crd = this.crds.lookup(apiVersion, kind);
    if (crd?.status === 'found') return crd.check;
    if (crd?.status === 'versionNotServed') {
      const served = crd.servedVersions.length > 0 ? `serves only ${crd.servedVersions.join(', ')}` : 'serves no version';
      return `no schema for ${apiVersion} ${kind}: its CRD ${served}`;
    }
    return `no schema for ${apiVersion} ${kind}: install its CRD into crdDirectories`;
  }
}

/** One line per problem: `<file>#<doc> <kind>/<name>: <path>: <message>`. */
export function formatManifestProblems(problems: readonly ManifestProblem[]): string {
  return problems.map(formatProblem).join('\n');
}

function formatProblem(problem: ManifestProblem): string {
  const location = `${problem.file ?? ''}${problem.document === undefined ? '' : `#${problem.document}`}`;
  const object = `${problem.kind || '<no kind>'}/${problem.name || '<no name>'}`;
  const where = problem.path ? `${problem.path}: ` : '';
  return `${location ? `${location} ` : ''}${object}: ${where}${problem.message}`;
}

type Identity = Pick<ManifestProblem, 'apiVersion' | 'kind' | 'name'>;
const NO_IDENTITY: Identity = { apiVersion: '', kind: '', name: '' };

function identify(object: JsonObject): Identity {
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  return {
    apiVersion: typeof object.apiVersion === 'string' ? object.apiVersion : '',
    kind: typeof object.kind === 'string' ? object.kind : '',
    name: typeof metadata.name === 'string' ? metadata.name : '',
  };
}

/** What every object needs, whatever its kind; the kind's schema checks the rest of metadata. */
function envelopeFindings(object: JsonObject): Finding[] {
  const findings: Finding[] = [];
  for (const field of ['apiVersion', 'kind']) {
    const value = object[field];
    if (isMissing(value)) findings.push({ path: field, message: 'required field is missing' });
    else if (typeof value !== 'string') {
      findings.push({ path: field, message: `must be string, got ${describeValue(value)}` });
    }
  }
  const name = isJsonObject(object.metadata) ? object.metadata.name : undefined;
  if (isMissing(name)) findings.push({ path: 'metadata.name', message: 'required field is missing' });
  return findings;
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Turns ajv errors into readable findings, one per problem. Alternatives (oneOf/anyOf) get special care:
 * ajv reports every failed branch, which reads as noise, so branch errors are folded into one.
 */
function describeSchemaErrors(errors: readonly ErrorObject[], object: JsonObject): Finding[] {
  const alternatives = errors.filter(isAlternative);
  // In schemas compiled here (CRDs) branch errors sit under the alternative's schema and value.
  const isBranchError = (error: ErrorObject): boolean =>
    alternatives.some(
      (alternative) =>
        alternative !== error && error.schemaPath.startsWith(`${alternative.schemaPath}/`) && error.instancePath.startsWith(alternative.instancePath),
    );
  const outsideBranches = errors.filter((error) => !isBranchError(error));

  const byInstancePath = new Map<string, ErrorObject[]>();
  for (const error of outsideBranches) {
    byInstancePath.set(error.instancePath, [...(byInstancePath.get(error.instancePath) ?? []), error]);
  }
  return [...byInstancePath.values()].flatMap((group) => describeErrorGroup(group, object));
}

/** Errors about one value. */
function describeErrorGroup(group: readonly ErrorObject[], object: JsonObject): Finding[] {
  let errors = [...group];
  const value = valueAt(object, errors[0].instancePath);
  const path = readablePath(object, errors[0].instancePath);
  // Precompiled validators (built-in kinds) report branch errors beside the alternative, at the same
  // path: int-or-string and quantity. The branch errors say more; a non-type one (a bad quantity
  // string) says the most.
  if (errors.some(isAlternative) && errors.some((error) => !isAlternative(error))) {
    errors = errors.filter((error) => !isAlternative(error));
    if (errors.some((error) => error.keyword !== 'type')) errors = errors.filter((error) => error.keyword !== 'type');
  }
  const typeErrors = errors.filter((error) => error.keyword === 'type');
  const findings: Finding[] = [];
  if (typeErrors.length > 0) {
    const types = typeErrors.flatMap((error) => String(error.params.type).split(','));
    findings.push({ path, message: `must be ${[...new Set(types)].join(' or ')}, got ${describeValue(value)}` });
  }
  for (const error of errors.filter((candidate) => candidate.keyword !== 'type')) {
    findings.push(describeError(error, path, value));
  }
  return findings;
}

/** `path` and `value` are those of error.instancePath. */
function describeError(error: ErrorObject, path: string, value: unknown): Finding {
  const params = error.params as Record<string, unknown>;
  const got = `got ${describeValue(value)}`;
  switch (error.keyword) {
    case 'required':
      return { path: joinPath(path, String(params.missingProperty)), message: 'required field is missing' };
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Array.isArray(params.knownProperties) ? params.knownProperties.map(String) : [];
      return { path: joinPath(path, field), message: unknownFieldMessage(field, known) };
    }
    case 'enum':
      return { path, message: `must be one of ${listValues(params.allowedValues)}, ${got}` };
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}, ${got}` };
    case 'oneOf':
    case 'anyOf':
      return { path, message: alternativesMessage(error, value) };
    case 'format':
      return { path, message: `must be a valid ${String(params.format)}, ${got}` };
    case 'pattern':
      return { path, message: `must match /${String(params.pattern)}/, ${got}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `must be ${String(params.comparison)} ${String(params.limit)}, ${got}` };
    case 'minLength':
    case 'maxLength':
      return { path, message: `must be ${bound(error.keyword, params.limit, 'character')} long, ${got}` };
    case 'minItems':
    case 'maxItems':
      return { path, message: `must have ${bound(error.keyword, params.limit, 'item')}, has ${sizeOf(value)}` };
    case 'minProperties':
    case 'maxProperties':
      return { path, message: `must have ${bound(error.keyword, params.limit, 'field')}, has ${sizeOf(value)}` };
    default:
      return { path, message: `${error.message ?? `fails "${error.keyword}"`}, ${got}` };
  }
}

function isAlternative(error: ErrorObject): boolean {
  return error.keyword === 'oneOf' || error.keyword === 'anyOf';
}

/**
 * CRDs express "one of these fields" as oneOf branches of `required` (Istio adds a
 * `not: {anyOf: ...}` branch for "or none"); say that in words.
 */
function alternativesMessage(error: ErrorObject, value: unknown): string {
  const branches = Array.isArray(error.schema) ? error.schema.filter(isJsonObject) : [];
  const fields = [...new Set(branches.flatMap((branch) => (Array.isArray(branch.required) ? (branch.required as string[]) : [])))];
  if (fields.length > 0) {
    const present = isJsonObject(value) ? fields.filter((field) => Object.hasOwn(value, String(field))) : [];
    const howMany = branches.some((branch) => branch.not !== undefined) ? 'at most' : 'exactly';
    return `set ${howMany} one of ${fields.join(', ')}; found ${present.length > 0 ? present.join(', ') : 'none'}`;
  }
  const types = branches.map((branch) => branch.type).filter((type): type is string => typeof type === 'string');
  if (types.length > 0 && types.length === branches.length) {
    return `must be ${types.join(' or ')}, got ${describeValue(value)}`;
  }
  const howMany = error.keyword === 'oneOf' ? 'exactly one' : 'at least one';
  const forms = branches.length > 0 ? `${branches.length} allowed forms` : 'allowed forms';
  return `must match ${howMany} of the ${forms}, got ${describeValue(value)}`;
}

function unknownFieldMessage(field: string, known: readonly string[]): string {
  const suggestion = closestName(field, known);
  if (suggestion) return `unknown field "${field}"; did you mean "${suggestion}"?`;
  if (known.length === 0) return `unknown field "${field}"; no fields are allowed here`;
  const listed = known.slice(0, MAX_LISTED_FIELDS).join(', ');
  const more = known.length > MAX_LISTED_FIELDS ? `, ... (${known.length - MAX_LISTED_FIELDS} more)` : '';
  return `unknown field "${field}"; known fields: ${listed}${more}`;
}

/** A known name within a typo's reach (edit distance <= 2, case-insensitive), if any. */
function closestName(field: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(field.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && distance < field.length && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** `at least 1 item`, `at most 63 characters`. */
function bound(keyword: string, limit: unknown, noun: string): string {
  return `${keyword.startsWith('min') ? 'at least' : 'at most'} ${String(limit)} ${noun}${limit === 1 ? '' : 's'}`;
}

function sizeOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return isJsonObject(value) ? Object.keys(value).length : 0;
}

function listValues(values: unknown): string {
  return Array.isArray(values) ? values.map((value) => JSON.stringify(value)).join(', ') : String(values);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN_STRING_LENGTH ? `${value.slice(0, MAX_SHOWN_STRING_LENGTH)}...` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  return `${typeof value} ${String(value)}`;
}

/** JSON pointer tokens of an ajv instancePath (`/spec/containers/0/name`). */
function pointerTokens(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(object: JsonObject, instancePath: string): unknown {
  let current: unknown = object;
  for (const token of pointerTokens(instancePath)) {
    current = isJsonObject(current) || Array.isArray(current) ? (current as Record<string, unknown>)[token] : undefined;
  }
  return current;
}

/** `/spec/containers/0/name` -> `spec.containers[0].name`; arrays are told apart by the data itself. */
function readablePath(object: JsonObject, instancePath: string): string {
  let current: unknown = object;
  let readable = '';
  for (const token of pointerTokens(instancePath)) {
    readable = Array.isArray(current) ? `${readable}[${token}]` : joinPath(readable, token);
    current = isJsonObject(current) || Array.isArray(current) ? (current as Record<string, unknown>)[token] : undefined;
  }
  return readable;
}

/** Appends an object key; keys such as `app.kubernetes.io/name` are quoted. */
function joinPath(base: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base ? `${base}.${key}` : key;
}

function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.path}\n${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function jsonCopy(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/**
 * Whether `value` already is what `jsonCopy` would make of it, so the copy can be skipped: strings,
 * booleans, null, finite numbers (not -0) and extensible plain objects and arrays holding only
 * those, each reached once (YAML anchors share an object; the copy unshares it), with no property
 * JSON would leave out (undefined, functions, non-enumerable) and no hole in an array (copied as null).
 */
function isJsonTree(value: unknown, seen: Set<object>): boolean {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object') return false;
  if (seen.has(value) || !Object.isExtensible(value)) return false;
  seen.add(value);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    for (let index = 0; index < array.length; index++) if (!(index in array) || !isJsonTree(array[index], seen)) return false;
    return true;
  }
  if (prototype !== Object.prototype) return false;
  // for...in: the fastest walk; it also counts inherited enumerable properties, which fail the count.
  let enumerable = 0;
  for (const key in value) {
    enumerable++;
    if (!isJsonTree((value as JsonObject)[key], seen)) return false;
  }
  return Object.getOwnPropertyNames(value).length === enumerable;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** Sorted (by path, locale-independent) so results do not depend on the file system's order. */
function findYamlFiles(dir: string): string[] {
  const files: string[] = [];
  const visit = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const entryPath = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(entryPath);
      else if (entry.isFile() && YAML_FILE_NAME.test(entry.name)) files.push(entryPath);
    }
  };
  visit(dir);
  return files.sort();
}

/** Every YAML document below `dir`, for CrdSchemas (which ignores the documents that are not CRDs). */
export function readCrdDocuments(dir: string): CrdDocument[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`CRD directory not found: ${dir} (check ManifestValidatorOptions.crdDirectories)`);
  }
  return findYamlFiles(dir).flatMap((file) =>
    parseAllDocuments(fs.readFileSync(file, 'utf8'), YAML_PARSE_OPTIONS).map((document, index) => {
      if (document.errors.length > 0) {
        throw new Error(`${file}#${index}: invalid YAML in CRD file: ${firstLine(document.errors[0].message)}`);
      }
      return { file, value: document.toJS() as unknown };
    }),
  );
}
