import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { isSecretAttribute } from '../terraform/sensitive-attributes';

/** One Terraform resource or block, Kubernetes object or kustomization that differs between two outputs. */
export interface ObjectChange {
  /**
   * `kubernetes_namespace_v1.gov` (a resource address), `provider.kubernetes`, `terraform` (a
   * stack's other blocks), or `Deployment edu/enrolment` (kind, namespace/name), `kustomization.yaml`.
   */
  readonly key: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** For `changed`: each differing attribute path, with its values unless sensitive. */
  readonly attributes?: readonly AttributeChange[];
}

export interface AttributeChange {
  /** `spec.template.spec.containers[0].image` */
  readonly path: string;
  /** The old and new values as JSON, or undefined when sensitive (Secret data, passwords, tokens) or too long. */
  readonly before?: string;
  readonly after?: string;
  /** The values are sensitive and not shown. */
  readonly redacted?: boolean;
}

/** The changes of one Terraform stack or one manifest folder. */
export interface GroupDiff {
  /** The stack name, or the manifest folder under `manifests/` (`changsha/gov`). */
  readonly name: string;
  readonly changes: readonly ObjectChange[];
}

export interface RegionDiff {
  readonly region: string;
  readonly stacks: readonly GroupDiff[];
  readonly manifests: readonly GroupDiff[];
}

export interface OutputDiff {
  /** Whether there was a previous output to compare with. */
  readonly previousExists: boolean;
  readonly regions: readonly RegionDiff[];
  readonly counts: { readonly added: number; readonly removed: number; readonly changed: number };
}

/** An output root and where its Terraform part is inside it. */
export interface OutputRoot {
  readonly root: string;
  readonly terraformFolder: string;
}

/**
 * A name that says its value is a secret: a `{ name, value }` pair's name (an env variable, a Helm
 * `set` entry), or an attribute path in a manifest or a stack block other than a resource, data
 * source or provider (no schema says there which fields are secret).
 * Resource, data source and provider attributes are judged by the providers' schemas instead (`isSecretAttribute`).
 */
const SENSITIVE_NAME = /password|passwd|secret|token|credential|private.?key|client.?key|api.?key|access.?key|sensitive|cert/i;
/** Values longer than this are not shown (a values file, a dashboard): only that they changed. */
const MAX_SHOWN = 80;
/** At most this many attribute paths per object. */
const MAX_PATHS = 20;

/**
 * Compares a new output with the previous one: per region (of `regions`, the regions the new
 * output was made for), each stack's cdk.tf.json (its resources and data sources by address, and
 * every other top-level block: `terraform` with the backend and required providers, each
 * `provider`, `variable`, `output` and `module` by name, `locals`, and any other as a whole) and
 * each manifest folder's objects by kind, namespace and name, and its kustomization.yaml. Reports
 * are not compared: they follow from the rest.
 */
export function diffOutputs(previous: OutputRoot, next: OutputRoot, regions: readonly string[]): OutputDiff {
  const previousExists = fs.existsSync(previous.root);
  const before = previousExists ? readOutput(previous) : emptyOutput();
  const after = readOutput(next);
  const counts = { added: 0, removed: 0, changed: 0 };
  const regionDiffs: RegionDiff[] = [];
  for (const region of regions) {
    const inRegion = (name: string) => regionOf(name, regions) === region;
    const stacks = diffGroups(filterKeys(before.stacks, inRegion), filterKeys(after.stacks, inRegion), 'terraform');
    const inFolder = (folder: string) => folder.split('/')[0] === region;
    const manifests = diffGroups(filterKeys(before.manifests, inFolder), filterKeys(after.manifests, inFolder), 'kubernetes');
    for (const group of [...stacks, ...manifests]) for (const change of group.changes) counts[change.change]++;
    if (stacks.length > 0 || manifests.length > 0) regionDiffs.push({ region, stacks, manifests });
  }
  return { previousExists, regions: regionDiffs, counts };
}

/** The region a stack (`<region>-<cluster>`) belongs to: the longest region name it starts with. */
function regionOf(stack: string, regions: readonly string[]): string | undefined {
  return regions.filter((r) => stack.startsWith(`${r}-`)).sort((a, b) => b.length - a.length)[0];
}

type Objects = Map<string, unknown>;
interface ReadOutput {
  readonly stacks: Map<string, Objects>;
  readonly manifests: Map<string, Objects>;
}

function emptyOutput(): ReadOutput {
  return { stacks: new Map(), manifests: new Map() };
}

function filterKeys<T>(map: Map<string, T>, keep: (key: string) => boolean): Map<string, T> {
  return new Map([...map].filter(([key]) => keep(key)));
}

function readOutput(output: OutputRoot): ReadOutput {
  const stacks = new Map<string, Objects>();
  const stacksDirectory = path.join(output.root, output.terraformFolder, 'stacks');
  for (const stack of listDirectories(stacksDirectory)) {
    const file = path.join(stacksDirectory, stack, 'cdk.tf.json');
    if (!fs.existsSync(file)) continue;
    stacks.set(stack, stackEntries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>));
  }
  const manifests = new Map<string, Objects>();
  const manifestRoot = path.join(output.root, 'manifests');
  for (const file of listFiles(manifestRoot)) {
    if (!file.endsWith('.yaml')) continue;
    const folder = path.dirname(file);
    const objects = manifests.get(folder) ?? new Map<string, unknown>();
    manifests.set(folder, objects);
    if (path.basename(file) === KUSTOMIZATION) {
      // What `kubectl apply -k` applies: a file dropped from its resources is a change too.
      const documents = parseAllDocuments(fs.readFileSync(path.join(manifestRoot, file), 'utf8')).map((d) => d.toJS() as unknown);
      objects.set(KUSTOMIZATION, documents.length === 1 ? documents[0] : documents);
      continue;
    }
    for (const document of parseAllDocuments(fs.readFileSync(path.join(manifestRoot, file), 'utf8'))) {
      const object = document.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (!object || typeof object !== 'object') continue;
      const name = `${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '(no name)'}`;
      let key = `${object.kind ?? '(no kind)'} ${name}`;
      // The same object twice in one folder (a drill beside the live one): keep both, by file.
      if (objects.has(key)) key = `${key} (${path.basename(file)})`;
      objects.set(key, object);
    }
  }
  return { stacks, manifests };
}

const KUSTOMIZATION = 'kustomization.yaml';
/** Top-level blocks of cdk.tf.json compared per entry (`provider.kubernetes`, `output.x`); `resource` and `data` are by address. */
const BLOCKS_BY_NAME = new Set(['provider', 'variable', 'output', 'module']);

/**
 * A stack's entries by key: resources `type.name`, data sources `data.type.name`, the blocks of
 * `BLOCKS_BY_NAME` as `block.name`, and every other top-level key (`terraform` with the backend
 * and required providers, `locals`, cdktf's `//` metadata) whole, under its own name.
 */
function stackEntries(json: Record<string, unknown>): Objects {
  const entries: Objects = new Map();
  for (const [block, body] of Object.entries(json)) {
    if ((block === 'resource' || block === 'data') && isContainer(body)) {
      for (const [type, byName] of Object.entries(body)) {
        for (const [name, element] of Object.entries(isContainer(byName) ? byName : {}))
          entries.set(`${block === 'data' ? 'data.' : ''}${type}.${name}`, element);
      }
    } else if (BLOCKS_BY_NAME.has(block) && isContainer(body) && !Array.isArray(body)) {
      for (const [name, element] of Object.entries(body)) entries.set(`${block}.${name}`, element);
    } else {
      entries.set(block, body);
    }
  }
  return entries;
}

function diffGroups(before: Map<string, Objects>, after: Map<string, Objects>, flavour: 'terraform' | 'kubernetes'): GroupDiff[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const groups: GroupDiff[] = [];
  for (const name of names) {
    const old = before.get(name) ?? new Map<string, unknown>();
    const neu = after.get(name) ?? new Map<string, unknown>();
    const changes: ObjectChange[] = [];
    for (const key of [...new Set([...old.keys(), ...neu.keys()])].sort()) {
      if (!old.has(key)) changes.push({ key, change: 'added' });
      else if (!neu.has(key)) changes.push({ key, change: 'removed' });
      else {
        const attributes: AttributeChange[] = [];
        const isSecret = flavour === 'terraform' ? terraformSecrets(key, old.get(key), neu.get(key)) : kubernetesSecrets(key);
        compare(old.get(key), neu.get(key), '', [], isSecret, attributes);
        if (attributes.length > 0) changes.push({ key, change: 'changed', attributes });
      }
    }
    if (changes.length > 0) groups.push({ name, changes });
  }
  return groups;
}

/** Whether an attribute's value is a secret: by its path (as printed, and as names without list indices). */
type IsSecret = (at: string, steps: readonly string[]) => boolean;

/**
 * A Terraform resource (`type.name`), data source (`data.type.name`) or provider (`provider.type`):
 * the attributes the providers' schemas mark. Any other block (`terraform`, `variable.x`,
 * `output.x`, `locals` ...): every path whose name says secret, and all of a variable or output
 * marked `sensitive`.
 */
function terraformSecrets(address: string, before: unknown, after: unknown): IsSecret {
  const parts = address.split('.');
  if (parts[0] === 'provider') return (_at, steps) => isSecretAttribute({ kind: 'provider', type: parts[1] }, steps);
  // A resource is `type.name`, a data source `data.type.name`; a whole block has no dot.
  if (parts.length > 1 && !BLOCKS_BY_NAME.has(parts[0])) {
    const element = parts[0] === 'data' ? { kind: 'data' as const, type: parts[1] } : { kind: 'resource' as const, type: parts[0] };
    return (_at, steps) => isSecretAttribute(element, steps);
  }
  const sensitive = [before, after].some((body) => isContainer(body) && body.sensitive === true);
  return (at) => sensitive || SENSITIVE_NAME.test(at);
}

/** A Kubernetes object (`Kind namespace/name`): a Secret's data, and any path whose name says secret. */
function kubernetesSecrets(key: string): IsSecret {
  const secretObject = /^Secret /.test(key);
  return (at) => (secretObject && /^(data|stringData)\b/.test(at)) || SENSITIVE_NAME.test(at);
}

/** `pairValue`: the value of a `{ name, value }` pair whose name says secret. */
function compare(before: unknown, after: unknown, at: string, steps: readonly string[], isSecret: IsSecret, out: AttributeChange[], pairValue = false): void {
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const secretPair = nameIsSensitive(before) || nameIsSensitive(after);
    const keys = Array.isArray(before)
      ? Array.from({ length: Math.max(before.length, (after as unknown as unknown[]).length) }, (_, i) => i)
      : [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const child = typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key;
      const childSteps = typeof key === 'number' ? steps : [...steps, key];
      compare(
        (before as Record<string | number, unknown>)[key],
        (after as Record<string | number, unknown>)[key],
        child,
        childSteps,
        isSecret,
        out,
        secretPair && key === 'value',
      );
    }
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const hidden = pairValue || isSecret(at, steps) || nameIsSensitive(before) || nameIsSensitive(after);
  const show = (value: unknown) => {
    if (hidden || value === undefined) return undefined;
    const text = JSON.stringify(value);
    return text.length > MAX_SHOWN ? undefined : text;
  };
  out.push({ path: at, before: show(before), after: show(after), ...(hidden ? { redacted: true } : {}) });
}

/** A `{ name, value }` pair (a Helm `set` entry, an env variable) whose name says its value is a secret. */
function nameIsSensitive(value: unknown): boolean {
  return isContainer(value) && !Array.isArray(value) && typeof value.name === 'string' && SENSITIVE_NAME.test(value.name);
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The folders directly under `directory`, sorted; none when it does not exist. */
export function listDirectories(directory: string): string[] {
  return fs.existsSync(directory)
    ? fs
        .readdirSync(directory, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
}

/** Files under `directory`, relative to it, with forward slashes. */
function listFiles(directory: string, prefix = ''): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(directory, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

/** Colours for a diff; identity functions when colour is off. */
export interface DiffColors {
  readonly added: (text: string) => string;
  readonly removed: (text: string) => string;
  readonly changed: (text: string) => string;
  readonly heading: (text: string) => string;
}

/** The diff as text for review: a block per region, stack and folder, then the summary line. */
export function formatDiff(diff: OutputDiff, colors: DiffColors, previousRoot: string): string {
  const lines: string[] = [];
  if (!diff.previousExists) lines.push(`no previous output in ${previousRoot}: everything is new`, '');
  const sign = { added: colors.added('+'), removed: colors.removed('-'), changed: colors.changed('~') };
  for (const region of diff.regions) {
    lines.push(colors.heading(`region ${region.region}`));
    const groups = [
      ...region.stacks.map((g) => ({ ...g, title: `stack ${g.name}` })),
      ...region.manifests.map((g) => ({ ...g, title: `manifests/${g.name}` })),
    ];
    for (const group of groups) {
      lines.push(`  ${group.title}`);
      for (const change of group.changes) {
        lines.push(`    ${sign[change.change]} ${change.key}${change.change === 'changed' ? '' : ` (${change.change})`}`);
        const attributes = change.attributes ?? [];
        for (const attribute of attributes.slice(0, MAX_PATHS)) {
          const values =
            attribute.before !== undefined || attribute.after !== undefined
              ? `: ${attribute.before ?? '(none)'} -> ${attribute.after ?? '(none)'}`
              : attribute.redacted
                ? ' (sensitive: redacted)'
                : ' (long value, not shown)';
          lines.push(`        ${attribute.path}${values}`);
        }
        if (attributes.length > MAX_PATHS) lines.push(`        ... and ${attributes.length - MAX_PATHS} more`);
      }
    }
    lines.push('');
  }
  lines.push(diffSummary(diff));
  return lines.join('\n');
}

/** `diff: 1 added, 2 changed, 0 removed in 1 region (Terraform resources and blocks, Kubernetes objects and kustomizations)` or `diff: no differences`. */
export function diffSummary(diff: OutputDiff): string {
  const { added, changed, removed } = diff.counts;
  if (added + changed + removed === 0) return 'diff: no differences';
  const regions = diff.regions.length;
  return `diff: ${added} added, ${changed} changed, ${removed} removed in ${regions} region${regions === 1 ? '' : 's'} (Terraform resources and blocks, Kubernetes objects and kustomizations)`;
}
