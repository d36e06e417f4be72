import type { K8sObject } from './fleet-fixtures';

/**
 * What Karmada does to a resource template before it reaches one member cluster, written from
 * Karmada's documented behaviour and independently of the library's own diff: every
 * OverridePolicy selecting the template, each rule targeting the member, applied as image
 * overriders, then label overriders, then plaintext JSON patch operations.
 */
export function applyOverrides(template: K8sObject, policies: readonly K8sObject[], member: string): K8sObject {
  const object = JSON.parse(JSON.stringify(template));
  const selected = policies.filter(
    (p) =>
      p.kind === 'OverridePolicy' && p.metadata.namespace === template.metadata.namespace && p.spec.resourceSelectors.some((s: any) => selects(s, template)),
  );
  for (const policy of selected) {
    for (const rule of policy.spec.overrideRules ?? []) {
      if (!(rule.targetCluster?.clusterNames ?? []).includes(member)) continue;
      for (const image of rule.overriders.imageOverrider ?? []) applyImage(object, image);
      for (const labels of rule.overriders.labelsOverrider ?? []) applyLabels(object, labels);
      for (const op of rule.overriders.plaintext ?? []) applyOperation(object, op);
    }
  }
  return object;
}

function selects(selector: any, object: K8sObject): boolean {
  return selector.apiVersion === object.apiVersion && selector.kind === object.kind && (selector.name === undefined || selector.name === object.metadata.name);
}

/**
 * Karmada splits an image at its first "/" into registry host and the rest, and rebuilds it with
 * a tag or a digest, never both (pkg/util/imageparser): `repo:tag@digest` comes back as `repo:tag`.
 */
function applyImage(object: any, overrider: any): void {
  if (overrider.component !== 'Registry' || overrider.operator !== 'replace' || !overrider.predicate)
    throw new Error(`unexpected image overrider ${JSON.stringify(overrider)}`);
  const tokens = parsePointer(overrider.predicate.path);
  const image: string = get(object, tokens);
  const rest = image.slice(image.indexOf('/') + 1);
  const [name, digest] = rest.split('@');
  const tagged = name.lastIndexOf(':') > name.lastIndexOf('/');
  set(object, tokens, `${overrider.value}/${tagged || digest === undefined ? name : `${name}@${digest}`}`);
}

/** add sets every key; replace and remove touch only keys that exist. */
function applyLabels(object: any, overrider: any): void {
  const labels = (object.metadata.labels ??= {});
  for (const [key, value] of Object.entries(overrider.value)) {
    if (overrider.operator === 'add') labels[key] = value;
    else if (key in labels) {
      if (overrider.operator === 'replace') labels[key] = value;
      else delete labels[key];
    }
  }
}

function applyOperation(object: any, op: any): void {
  const tokens = parsePointer(op.path);
  if (op.operator === 'remove') {
    const parent = get(object, tokens.slice(0, -1));
    const last = tokens[tokens.length - 1];
    if (!(last in parent)) throw new Error(`remove of missing ${op.path}`);
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (op.operator === 'add' && Array.isArray(get(object, tokens.slice(0, -1)))) {
    // JSON patch inserts at an array index (or appends at "-").
    const list = get(object, tokens.slice(0, -1));
    const last = tokens[tokens.length - 1];
    list.splice(last === '-' ? list.length : Number(last), 0, JSON.parse(JSON.stringify(op.value)));
  } else {
    if (op.operator === 'replace' && get(object, tokens) === undefined) throw new Error(`replace of missing ${op.path}`);
    set(object, tokens, JSON.parse(JSON.stringify(op.value)));
  }
}

function parsePointer(path: string): string[] {
  if (!path.startsWith('/')) throw new Error(`not a JSON pointer: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(object: any, tokens: readonly string[]): any {
  return tokens.reduce((current, token) => (current === undefined ? undefined : current[token]), object);
}

function set(object: any, tokens: readonly string[], value: unknown): void {
  const parent = get(object, tokens.slice(0, -1));
  if (parent === undefined || typeof parent !== 'object') throw new Error(`no parent for /${tokens.join('/')}`);
  parent[tokens[tokens.length - 1]] = value;
}
