import { childPath } from './errors';
import type { Problem } from './errors';

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
 * Problems for a Helm release whose chart or any image would not come from the mirror. `where`
 * names the release (a construct path) in each problem.
 */
export function releaseSupplyChainProblems(
  release: { readonly repository: string; readonly chart: string; readonly values: Json },
  sources: SupplyChainSources,
  where: string,
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
    if (!imageIsFromRegistry(`${image.registry}/${image.repository}`, sources.registry)) {
      problems.push({
        path: `${where} values.${image.path}`,
        message: `image "${image.repository}" would be pulled from ${JSON.stringify(image.registry)}, not the blueprint's registry mirror ${JSON.stringify(sources.registry)}; set its registry to the mirror (or global.imageRegistry)`,
      });
    }
  }
  return problems;
}

/** Helm's rule for several values files: maps merge key by key, anything else is replaced. */
export function mergeHelmValues(base: Json, next: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(next)) merged[key] = isObject(value) && isObject(merged[key]) ? mergeHelmValues(merged[key], value) : value;
  return merged;
}
