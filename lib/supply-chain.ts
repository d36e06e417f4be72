import { childPath } from './errors';
import type { Problem } from './errors';
import { type HelmPathStep, parseHelmSet, setHelmValue } from './helm-set';
import { readYaml } from './output/canonical-yaml';

/** Where every image and chart must come from: the blueprint's mirror. */
export interface SupplyChainSources {
  /** Registry host, optionally with a path: "harbor.gov.example" or "harbor.gov.example/mirror". */
  readonly registry: string;
  /** Helm repository URL: "oci://harbor.gov.example/charts" or "https://charts.gov.example". */
  readonly chartRepository: string;
}

/** An image found in Helm values, with the registry it would be pulled from. */
export interface ImageReference {
  /** Path of the image block or string inside the values, e.g. `metrics.image`. */
  readonly path: string;
  /** The registry that would serve it; "docker.io" when nothing names one. */
  readonly registry: string;
  readonly repository: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every image a chart would pull, as its values describe it. Understands the shapes charts use:
 * an image block (`{ registry?, repository, tag? }`, with `global.imageRegistry` taking
 * precedence as in the Bitnami and most community charts), a full reference string under a key
 * named `image`, and Istio's hub convention (`image: pilot` is a name below the nearest `hub`:
 * the block's own, else `global.hub`; `image: auto` is filled in by sidecar injection).
 */
export function imageReferences(values: Json): ImageReference[] {
  const global = isObject(values.global) ? values.global : {};
  const globalRegistry = typeof global.imageRegistry === 'string' && global.imageRegistry !== '' ? global.imageRegistry : undefined;
  const found: ImageReference[] = [];
  // `underImage`: inside an `image` map whose children are image blocks by role (KEDA's `image.keda`).
  const walk = (node: unknown, path: string, key: string | undefined, hub: string | undefined, underImage = false): void => {
    if (Array.isArray(node)) {
      // List items belong to the list's key: only the values root is an image block without one.
      node.forEach((item, i) => walk(item, `${path}[${i}]`, key ?? '', hub, underImage));
      return;
    }
    if (typeof node === 'string' && key !== undefined && /^image$/i.test(key) && /^\S+$/.test(node)) {
      if (node === ISTIO_INJECTED_IMAGE) return;
      const { registry, repository } = splitReference(hub !== undefined && !node.includes('/') ? `${hub}/${node}` : node);
      found.push({ path, registry, repository });
      return;
    }
    if (!isObject(node)) return;
    const ownHub = typeof node.hub === 'string' && node.hub !== '' ? node.hub : hub;
    // `{ registry, image }` is the ingress-nginx spelling of `{ registry, repository }`.
    const name =
      typeof node.repository === 'string' ? node.repository : typeof node.image === 'string' && typeof node.registry === 'string' ? node.image : undefined;
    if (name !== undefined && (key === undefined || underImage || /image$/i.test(key))) {
      const own = typeof node.registry === 'string' && node.registry !== '' ? node.registry : undefined;
      const fromRepository = splitReference(name);
      const registry = globalRegistry ?? own ?? (fromRepository.explicit ? fromRepository.registry : 'docker.io');
      found.push({ path, registry, repository: fromRepository.explicit ? fromRepository.repository : name });
      return;
    }
    const imageMap = key !== undefined && /^image$/i.test(key);
    for (const [childKey, child] of Object.entries(node)) walk(child, childPath(path, childKey), childKey, ownHub, imageMap);
  };
  walk(values, '', undefined, typeof global.hub === 'string' && global.hub !== '' ? global.hub : undefined);
  return found;
}

/** Istio's gateway chart leaves its image to the injector, which takes istiod's hub and tag. */
const ISTIO_INJECTED_IMAGE = 'auto';

/** Splits "host[:port]/path/name[:tag]" into registry and repository; Docker Hub when no host is named. */
function splitReference(reference: string): { registry: string; repository: string; explicit: boolean } {
  const withoutDigest = reference.split('@')[0];
  const slash = withoutDigest.indexOf('/');
  const first = slash < 0 ? '' : withoutDigest.slice(0, slash);
  // Docker's rule: the first component is a host only if it has a dot or a port, or is localhost.
  const explicit = first.includes('.') || first.includes(':') || first === 'localhost';
  const rest = explicit ? withoutDigest.slice(slash + 1) : withoutDigest;
  const repository = rest.replace(/:[^/]*$/, '');
  return { registry: explicit ? first : 'docker.io', repository, explicit };
}

/** True when `registry` is the mirror itself or a path below it. */
export function isFromRegistry(registry: string, mirror: string): boolean {
  const base = mirror.replace(/\/+$/, '');
  return registry === base || registry.startsWith(`${base}/`);
}

/** True when an image reference (with or without tag) is served by the mirror: a path below it. */
export function imageIsFromRegistry(image: string, mirror: string): boolean {
  return image !== mirror.replace(/\/+$/, '') && isFromRegistry(image, mirror);
}

/**
 * Where a `set`-style entry of a helm_release changed the values: its field (`set[0]`), its name
 * and the paths it assigned. A sensitive entry's value is never shown.
 */
export interface HelmSetOrigin {
  readonly field: string;
  readonly name: string;
  readonly paths: readonly (readonly HelmPathStep[])[];
  readonly sensitive: boolean;
}

/**
 * Problems for a Helm release whose chart or any image would not come from the mirror. `where`
 * names the release (a construct path) in each problem; `sets` are the `set`-style entries already
 * merged into `values`, so a problem names the entry that put the image there.
 */
export function releaseSupplyChainProblems(
  release: { readonly repository: string; readonly chart: string; readonly values: Json },
  sources: SupplyChainSources,
  where: string,
  sets: readonly HelmSetOrigin[] = [],
): Problem[] {
  const problems: Problem[] = [];
  if (release.repository.replace(/\/+$/, '') !== sources.chartRepository.replace(/\/+$/, '')) {
    problems.push({
      path: where,
      message: `chart "${release.chart}" would come from ${JSON.stringify(release.repository)}, not the blueprint's chart repository ${JSON.stringify(sources.chartRepository)}; mirror the chart there`,
    });
  }
  for (const image of imageReferences(release.values)) {
    // The mirror may have a path that the values split between registry and repository.
    if (imageIsFromRegistry(`${image.registry}/${image.repository}`, sources.registry)) continue;
    const origins = sets.filter((set) => set.paths.some((path) => touchesImage(path, image.path)));
    const path = `${where} values.${image.path}${origins.length > 0 ? ` (from ${origins.map((o) => `${o.field} ${JSON.stringify(o.name)}`).join(', ')})` : ''}`;
    if (origins.some((o) => o.sensitive)) {
      problems.push({
        path,
        message: `the image set there (value not shown: the entry is sensitive) would not be pulled from the blueprint's registry mirror ${JSON.stringify(sources.registry)}; name an image below the mirror`,
      });
    } else if (`${image.registry}/${image.repository}`.includes('${')) {
      problems.push({
        path,
        message: `image "${image.repository}" holds a Terraform template sequence, which synth cannot check against the blueprint's registry mirror ${JSON.stringify(sources.registry)}; write the image literally, below the mirror`,
      });
    } else {
      problems.push({
        path,
        message: `image "${image.repository}" would be pulled from ${JSON.stringify(image.registry)}, not the blueprint's registry mirror ${JSON.stringify(sources.registry)}; set its registry to the mirror (or global.imageRegistry)`,
      });
    }
  }
  return problems;
}

/**
 * True when an assignment at `path` can change the image found at `imagePath`: it sets the image
 * block, something inside it or around it, or a key every image block defers to (a registry or hub).
 */
function touchesImage(path: readonly HelmPathStep[], imagePath: string): boolean {
  const assigned = path.reduce<string>((joined, step) => childPath(joined, step), '');
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`) || outer === '';
  const last = path[path.length - 1];
  return within(assigned, imagePath) || within(imagePath, assigned) || last === 'imageRegistry' || last === 'hub';
}

/** The `set`-style attributes of a helm_release, in the order the helm provider applies them. */
const SET_ATTRIBUTES = [
  { attribute: 'set', sensitive: false, list: false },
  { attribute: 'set_list', sensitive: false, list: true },
  { attribute: 'set_sensitive', sensitive: true, list: false },
  { attribute: 'set_wo', sensitive: true, list: false },
] as const;

/**
 * The values a `helm_release` as written in a stack (`cdk.tf.json`) installs its chart with: the
 * `values` documents merged in order, then every `set`, `set_list`, `set_sensitive` and `set_wo`
 * entry over them, as the helm provider passes them to Helm. `unreadable` lists the values
 * documents that are not a YAML map (a Terraform expression, broken YAML), which no check can see into.
 */
export function helmReleaseValues(release: Json): { values: Json; sets: HelmSetOrigin[]; unreadable: Problem[] } {
  const unreadable: Problem[] = [];
  let values: Json = {};
  (Array.isArray(release.values) ? (release.values as unknown[]) : []).forEach((text, index) => {
    let document: unknown;
    try {
      document = typeof text === 'string' ? readYaml(text) : text;
    } catch (error) {
      unreadable.push({ path: `values[${index}]`, message: `is not valid YAML (${(error as Error).message.split('\n')[0]}); fix the document` });
      return;
    }
    if (document === null || document === undefined) return;
    if (!isObject(document)) {
      unreadable.push({
        path: `values[${index}]`,
        message: `is not a YAML map (a Terraform expression?), so the supply-chain check cannot see the images it names; write the values literally`,
      });
      return;
    }
    values = mergeHelmValues(values, document);
  });
  const sets: HelmSetOrigin[] = [];
  for (const { attribute, sensitive, list } of SET_ATTRIBUTES) {
    const entries = release[attribute];
    (Array.isArray(entries) ? (entries as unknown[]) : []).forEach((entry, index) => {
      if (!isObject(entry) || typeof entry.name !== 'string') return;
      const value = list ? `{${(Array.isArray(entry.value) ? (entry.value as unknown[]) : []).map(String).join(',')}}` : String(entry.value ?? '');
      const assignments = parseHelmSet(`${entry.name}=${value}`, entry.type === 'string');
      for (const assignment of assignments) values = setHelmValue(values, assignment.path, assignment.value);
      sets.push({ field: `${attribute}[${index}]`, name: entry.name, paths: assignments.map((a) => a.path), sensitive });
    });
  }
  return { values, sets, unreadable };
}

/**
 * Problems of a helm_release as written in a stack: its chart and every image its final values
 * name (values documents and `set`-style entries together) must come from the mirror.
 */
export function writtenReleaseSupplyChainProblems(release: Json, sources: SupplyChainSources, where: string): Problem[] {
  const { values, sets, unreadable } = helmReleaseValues(release);
  return [
    ...unreadable.map((p) => ({ path: `${where} ${p.path}`, message: p.message })),
    ...releaseSupplyChainProblems(
      { repository: typeof release.repository === 'string' ? release.repository : '', chart: String(release.chart), values },
      sources,
      where,
      sets,
    ),
  ];
}

/** Helm's rule for several values files: maps merge key by key, anything else is replaced. */
export function mergeHelmValues(base: Json, next: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(next)) merged[key] = isObject(value) && isObject(merged[key]) ? mergeHelmValues(merged[key], value) : value;
  return merged;
}
