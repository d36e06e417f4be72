import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../package-root';
import type { CrdDocument } from './crd-schemas';

/**
 * The CustomResourceDefinitions of the custom resources the library writes (Istio, KEDA, Velero,
 * Prometheus Operator, Karmada, CloudNativePG, Argo), shipped inside the package so `Fleet.synth`
 * checks every manifest wherever the library is installed. Generated from `../shared/crds` by
 * `npm run crds` (write-crd-bundle.ts); a test fails when the file is stale.
 *
 * Only what validation reads is kept: group, kind and the served versions' schemas, without their
 * `description` texts (two thirds of the bytes).
 */

/** Relative to the package root; listed in package.json `files`. */
export const CRD_BUNDLE_FILE = 'lib/validation/crds.json';

/** The bundle's entries: the file each CRD came from (relative to the CRD folder) and the trimmed CRD. */
export function bundleCrds(documents: readonly CrdDocument[], root: string): CrdDocument[] {
  return documents.flatMap(({ file, value }) => (isCrd(value) ? [{ file: path.relative(root, file).split(path.sep).join('/'), value: trimCrd(value) }] : []));
}

/** The bundle as written to CRD_BUNDLE_FILE: one CRD per line, so a regenerated file diffs per CRD. */
export function formatCrdBundle(bundle: readonly CrdDocument[]): string {
  return `[\n${bundle.map((entry) => JSON.stringify(entry)).join(',\n')}\n]\n`;
}

/** Reads the shipped bundle (about 2 MB of JSON; read once per validator). */
export function readBundledCrds(): CrdDocument[] {
  const file = path.join(packageRoot(__dirname), CRD_BUNDLE_FILE);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CrdDocument[];
}

type Json = Record<string, unknown>;

function isCrd(value: unknown): value is Json {
  return isObject(value) && value.apiVersion === 'apiextensions.k8s.io/v1' && value.kind === 'CustomResourceDefinition';
}

function trimCrd(crd: Json): Json {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const versions = (Array.isArray(spec.versions) ? spec.versions : []).filter(isObject).map((version) => ({
    name: version.name,
    served: version.served,
    ...(isObject(version.schema) ? { schema: withoutDescriptions(version.schema) } : {}),
  }));
  return { apiVersion: crd.apiVersion, kind: crd.kind, spec: { group: spec.group, names: { kind: names.kind }, versions } };
}

/** A schema without its `description` texts; a property *named* description (an object) stays. */
function withoutDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (!isObject(node)) return node;
  const kept: Json = {};
  for (const [key, child] of Object.entries(node)) if (!(key === 'description' && typeof child === 'string')) kept[key] = withoutDescriptions(child);
  return kept;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
