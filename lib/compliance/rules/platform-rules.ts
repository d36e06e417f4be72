import { readYaml } from '../../output/canonical-yaml';
import { parseDuration, parsePrometheusDuration } from '../../duration';
import type { ClusterOutput, ManifestObject, ObjectRef, Rule, TerraformResource, Violation } from '../compliance-rule';
import {
  cis,
  MLPS_AREA_ACCESS_CONTROL,
  MLPS_AUDIT_RETENTION,
  MLPS_BOUNDARY_PROTECTION,
  MLPS_CENTRAL_MONITORING,
  MLPS_CONFIDENTIALITY,
  MLPS_HIGH_AVAILABILITY,
  MLPS_LEAST_PRIVILEGE,
  MLPS_LOCAL_BACKUP,
  MLPS_OFFSITE_BACKUP,
  MLPS_PERSONAL_INFORMATION,
  MLPS_TRANSMISSION,
  NSA_ENCRYPTION,
  NSA_ENFORCEMENT,
  NSA_LOGGING,
  NSA_NAMESPACES,
  NSA_NETWORK_POLICIES,
  NSA_RBAC,
  NSA_RESOURCES,
  NSA_SECRETS,
} from './controls';
import { containersOf, manifestRef, podTemplates, type PodTemplate } from '../pod-templates';

// The platform half of the pack: tenancy, network isolation, RBAC, secrets, availability,
// transport security, data placement, backups and retention. Every rule reads both layers as
// they are written: manifests in Kubernetes' camelCase, Terraform resources as cdktf writes them
// (snake_case keys, nested blocks as objects, repeated blocks as lists, references as
// `${type.name.metadata[0].name}`).

// ---------------------------------------------------------------------------------------------
// Reading loosely typed documents without `any`

type Obj = Readonly<Record<string, unknown>>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const obj = (value: unknown): Obj => (isObj(value) ? value : {});
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const strings = (value: unknown): string[] => list(value).filter((x): x is string => typeof x === 'string');
const stringRecord = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(value)).filter((e): e is [string, string] => typeof e[1] === 'string'));
const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || (isObj(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0);

function at(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') current = list(current)[key];
    else current = obj(current)[key];
  }
  return current;
}

/** `prefix.key`, or `prefix["key"]` for keys that are not plain words (label keys, `tls.key`). */
function field(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  if (/^[A-Za-z_][\w-]*$/.test(key)) return prefix ? `${prefix}.${key}` : key;
  return `${prefix}[${JSON.stringify(key)}]`;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes objects of either layer

type Layer = 'manifest' | 'terraform';

/** Kinds the platform rules read, with their Terraform resource stem (`kubernetes_<stem>_v1`, or unversioned). */
const TERRAFORM_STEMS = {
  Namespace: 'namespace',
  NetworkPolicy: 'network_policy',
  ResourceQuota: 'resource_quota',
  LimitRange: 'limit_range',
  Role: 'role',
  ClusterRole: 'cluster_role',
  RoleBinding: 'role_binding',
  ClusterRoleBinding: 'cluster_role_binding',
  Secret: 'secret',
  ConfigMap: 'config_map',
  PodDisruptionBudget: 'pod_disruption_budget',
  Service: 'service',
  PersistentVolumeClaim: 'persistent_volume_claim',
} as const;
type Kind = keyof typeof TERRAFORM_STEMS;

/** A Kubernetes object found in either layer, with where it is. */
interface KubeObject {
  readonly layer: Layer;
  readonly kind: Kind;
  readonly ref: ObjectRef;
  readonly name: string;
  readonly namespace?: string;
  readonly metadata: Obj;
  /** The whole manifest, or the Terraform resource's body. */
  readonly body: Obj;
}

/** Terraform writes repeated blocks in the singular. */
const TERRAFORM_BLOCKS: Readonly<Record<string, string>> = { rules: 'rule', subjects: 'subject', limits: 'limit' };

/** A field's name as the layer spells it: `podSelector` in a manifest, `pod_selector` in Terraform. */
function key(layer: Layer, camel: string): string {
  if (layer === 'manifest') return camel;
  return TERRAFORM_BLOCKS[camel] ?? camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function terraformMetadata(body: Obj): Obj {
  return Array.isArray(body.metadata) ? obj(body.metadata[0]) : obj(body.metadata);
}

const METADATA_REFERENCE = /^\$\{([\w-]+)\.([\w-]+)\.metadata(?:\[0\])?\.(name|namespace)\}$/;

/** A name as Terraform will see it: `${kubernetes_namespace_v1.x.metadata[0].name}` becomes the namespace's name. */
function resolveName(output: ClusterOutput, value: unknown, depth = 0): string | undefined {
  const text = str(value);
  const match = text === undefined ? null : METADATA_REFERENCE.exec(text);
  if (!match || depth > 3) return text;
  const target = terraformByAddress(output).get(`${match[1]}.${match[2]}`);
  return target ? resolveName(output, terraformMetadata(target.body)[match[3]], depth + 1) : text;
}

export function terraformFile(output: ClusterOutput): string {
  return `terraform/stacks/${output.region}-${output.cluster}/cdk.tf.json`;
}

/** Reference of a Terraform resource, with its department when it lives in one's namespace (or is one's namespace). */
export function terraformRef(output: ClusterOutput, resource: TerraformResource, department?: string): ObjectRef {
  return {
    layer: 'terraform',
    name: `${resource.type}.${resource.name}`,
    file: terraformFile(output),
    ...(department !== undefined && output.departments.includes(department) ? { department } : {}),
  };
}

/**
 * What the rules derive from one output, kept for as long as the output object lives (a weak
 * key: nothing outlives a synth) and while it still holds the same lists: every rule asks for
 * the same Kubernetes objects and references, and computing them per call made the rule pack
 * quadratic in the size of a stack.
 */
function derivedPerOutput<Value>(compute: (output: ClusterOutput) => Value): (output: ClusterOutput) => Value {
  const cache = new WeakMap<
    ClusterOutput,
    {
      readonly manifests: readonly unknown[];
      readonly terraform: readonly unknown[];
      readonly departments: readonly string[];
      /** The lengths of the three lists when the value was computed. */
      readonly sizes: readonly [number, number, number];
      readonly value: Value;
    }
  >();
  return (output) => {
    const cached = cache.get(output);
    if (
      cached &&
      cached.manifests === output.manifests &&
      cached.terraform === output.terraform &&
      cached.departments === output.departments &&
      cached.sizes[0] === output.manifests.length &&
      cached.sizes[1] === output.terraform.length &&
      cached.sizes[2] === output.departments.length
    )
      return cached.value;
    const sizes = [output.manifests.length, output.terraform.length, output.departments.length] as const;
    const value = compute(output);
    cache.set(output, { manifests: output.manifests, terraform: output.terraform, departments: output.departments, sizes, value });
    return value;
  };
}

/** Terraform resources by address (`type.name`), the first of each as a search in order would find. */
const terraformByAddress = derivedPerOutput((output): ReadonlyMap<string, TerraformResource> => {
  const byAddress = new Map<string, TerraformResource>();
  for (const resource of output.terraform) {
    const address = `${resource.type}.${resource.name}`;
    if (!byAddress.has(address)) byAddress.set(address, resource);
  }
  return byAddress;
});

/** Every object of the kinds above, from both layers. */
const kubeObjects = derivedPerOutput(findKubeObjects);

function findKubeObjects(output: ClusterOutput): readonly KubeObject[] {
  const kinds = Object.keys(TERRAFORM_STEMS) as Kind[];
  const found: KubeObject[] = [];
  for (const { file, object } of output.manifests) {
    const kind = kinds.find((k) => k === object.kind);
    // Only core and RBAC kinds: an Istio or Velero object of the same kind name is another thing.
    const group = String(object.apiVersion ?? '').split('/');
    if (!kind || (group.length > 1 && !/(^|\.)k8s\.io$/.test(group[0]) && group[0] !== 'policy')) continue;
    const metadata = obj(object.metadata);
    const name = str(metadata.name) ?? '';
    const namespace = str(metadata.namespace);
    const ref = manifestRef(output, file, object);
    found.push({
      layer: 'manifest',
      kind,
      ref: kind === 'Namespace' && output.departments.includes(name) ? { ...ref, department: name } : ref,
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      metadata,
      body: object,
    });
  }
  for (const resource of output.terraform) {
    const kind = kinds.find((k) => resource.type === `kubernetes_${TERRAFORM_STEMS[k]}_v1` || resource.type === `kubernetes_${TERRAFORM_STEMS[k]}`);
    if (!kind) continue;
    const body: Obj = resource.body;
    const metadata = terraformMetadata(body);
    const name = resolveName(output, metadata.name) ?? '';
    const namespace = resolveName(output, metadata.namespace);
    found.push({
      layer: 'terraform',
      kind,
      ref: terraformRef(output, resource, kind === 'Namespace' ? name : namespace),
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      metadata,
      body,
    });
  }
  return found;
}

function objectsOf(output: ClusterOutput, ...kinds: readonly Kind[]): KubeObject[] {
  return kubeObjects(output).filter((o) => kinds.includes(o.kind));
}

/** Marks a namespace Karmada keeps on its own API server, where no pod runs (the members' namespaces are their stacks'). */
const KARMADA_ONLY_LABEL = 'namespace.karmada.io/skip-auto-propagation';

/**
 * Department namespaces whose Namespace object is in this output. A department whose namespace
 * another output creates is checked there; so is one the Karmada folder writes only for its own
 * API server (the members' namespaces are in their Terraform stacks).
 */
function departmentNamespaces(output: ClusterOutput): { department: string; namespace: KubeObject }[] {
  const namespaces = objectsOf(output, 'Namespace').filter((n) => obj(n.metadata.labels)[KARMADA_ONLY_LABEL] !== 'true');
  return output.departments.flatMap((department) => {
    const namespace = namespaces.find((n) => n.name === department);
    return namespace ? [{ department, namespace }] : [];
  });
}

const inDepartment = (output: ClusterOutput, namespace: string | undefined): namespace is string =>
  namespace !== undefined && output.departments.includes(namespace);

function violation(object: ObjectRef, fieldPath: string, message: string): Violation {
  return { object, field: fieldPath, message };
}

/** Every manifest of an API group (any version) and kind. */
function manifestsOf(output: ClusterOutput, group: string | RegExp, kind: string) {
  return output.manifests.filter(({ object }) => {
    if (object.kind !== kind) return false; // before the group, which costs a split
    const apiGroup = String(object.apiVersion ?? '').split('/')[0];
    return typeof group === 'string' ? apiGroup === group : group.test(apiGroup);
  });
}

// ---------------------------------------------------------------------------------------------
// Label selectors

function selectorMatches(selector: unknown, labels: Readonly<Record<string, unknown>>, layer: Layer): boolean {
  const matchLabels = obj(obj(selector)[key(layer, 'matchLabels')]);
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return list(obj(selector)[key(layer, 'matchExpressions')]).every((e) => {
    const expression = obj(e);
    const label = str(expression.key) ?? '';
    const values = strings(expression.values);
    const value = labels[label];
    switch (expression.operator) {
      case 'In':
        return typeof value === 'string' && values.includes(value);
      case 'NotIn':
        return typeof value !== 'string' || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
}

function selectsEverything(selector: unknown, layer: Layer): boolean {
  return isEmpty(obj(selector)[key(layer, 'matchLabels')]) && isEmpty(obj(selector)[key(layer, 'matchExpressions')]);
}

// ---------------------------------------------------------------------------------------------
// Credentials

/** Names of things that hold a credential: DB_PASSWORD, apiKey, redis-password, client_secret. */
const CREDENTIAL_WORD = /pass(?:word|wd|phrase)|secret|token|api[-_.]?key|private[-_.]?key|credential|cookie/i;
/** Keys that are credentials though the word before `key` is not one above (MinIO's SECRET_KEY, ACCESS_KEY). */
const CREDENTIAL_KEY = /(?:secret|api|private|access|encryption|signing|master|client)[-_.]?key$/i;
/** Names that point at a credential rather than hold one: PASSWORD_FILE, existingSecret, passwordKey, TOKEN_URL. */
const POINTER_SUFFIX = /(?:files?|paths?|dir|names?|refs?|url|uri|endpoint|host|port|namespace|ttl|type|enabled|length)$/i;

export function looksLikeCredential(name: string): boolean {
  if (!CREDENTIAL_WORD.test(name) && !CREDENTIAL_KEY.test(name)) return false;
  // `rootPasswordSecretKey`: a chart's name for the key of an existing Secret (camelCase before `SecretKey`).
  if (POINTER_SUFFIX.test(name) || /^existing/i.test(name) || /[a-z\d]SecretKey$/.test(name)) return false;
  // `passwordKey`, `userPasswordKey`: the key of an existing Secret to read, not a value.
  return !/key$/i.test(name) || CREDENTIAL_KEY.test(name);
}

/** Keys of a Secret whose value may be written as a literal: identities and public certificates, never keys or passwords. */
const NOT_SECRET_KEY = /(?:^|[-_.])(?:user|username|login|host|port|database|db|endpoint|url|ca\.crt|tls\.crt|crt|cert|certificate)$/i;

/**
 * A Terraform expression whose value comes from elsewhere (`${var.x}`, `${base64encode(var.x)}`,
 * `${random_password.p.result}`), not a literal written into the file. An interpolation with a
 * quoted string or a bare number is a literal, and so is `$${...}` (Terraform's escape).
 */
export function isTerraformReference(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return [...value.matchAll(/(?<!\$)\$\{([^{}]*)\}/g)].some(
    ([, expression]) => !/["'<]/.test(expression) && /\b[a-z_][\w-]*\.[A-Za-z_][\w-]*/i.test(expression),
  );
}

/** A literal value worth reporting: a non-empty string that is no reference. Its length is reported, never the value. */
const literalSecret = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && !isTerraformReference(value);

const describeLiteral = (value: string) => `a literal value (${value.length} characters, not shown)`;

// ---------------------------------------------------------------------------------------------
// Helm values

interface HelmValue {
  readonly value: unknown;
  readonly field: string;
}

/** The `values` documents of a helm_release, parsed (an unparsable document is left to Helm's own error). */
function helmValueDocuments(resource: TerraformResource): { index: number; values: Obj }[] {
  return list(resource.body.values).flatMap((text, index) => {
    if (typeof text !== 'string') return [];
    try {
      return [{ index, values: obj(readYaml(text)) }];
    } catch {
      return [];
    }
  });
}

/** A value as Helm merges it: the last `set` entry naming the path, else the last values document holding it. */
function helmValue(resource: TerraformResource, path: readonly string[]): HelmValue | undefined {
  const name = path.join('.');
  const sets = [...list(resource.body.set).entries()].filter(([, s]) => obj(s).name === name);
  const lastSet = sets[sets.length - 1];
  if (lastSet) return { value: obj(lastSet[1]).value, field: `set[${lastSet[0]}].value` };
  for (const { index, values } of helmValueDocuments(resource).reverse()) {
    const value = at(values, path);
    if (value !== undefined) return { value, field: path.reduce(field, `values[${index}]`) };
  }
  return undefined;
}

const helmReleases = (output: ClusterOutput, chart?: string) =>
  output.terraform.filter((r) => r.type === 'helm_release' && (chart === undefined || String(r.body.chart).split('/').pop() === chart));

/** Calls `visit` on every object of the values documents, with its field path. */
function walkValues(resource: TerraformResource, visit: (value: Obj, path: string) => void): void {
  const walk = (value: unknown, path: string): void => {
    // Only objects and arrays are visited: a scalar's path is never needed (values are mostly scalars).
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === 'object' && item !== null) walk(item, field(path, i));
      });
    } else if (isObj(value)) {
      visit(value, path);
      for (const [k, v] of Object.entries(value)) if (typeof v === 'object' && v !== null) walk(v, field(path, k));
    }
  };
  for (const { index, values } of helmValueDocuments(resource)) walk(values, `values[${index}]`);
}

// ---------------------------------------------------------------------------------------------
// Controls

// MLPS 2.0 clauses are worded for systems in general: every mapping to one is our reading
// (certain: false). Ids and titles shared with the workload rules are written the same way, so the
// report groups them under one control.

// ---------------------------------------------------------------------------------------------
// Network

/** Policy types as the API server reads them: unset means Ingress, plus Egress when egress rules are given. */
function policyTypes(policy: KubeObject): string[] {
  const spec = obj(policy.body.spec);
  const explicit = strings(spec[key(policy.layer, 'policyTypes')]);
  if (explicit.length > 0) return explicit;
  return ['Ingress', ...(list(spec.egress).length > 0 ? ['Egress'] : [])];
}

/** The policy denies every pod of its namespace all traffic in `direction` (any other policy may allow some). */
function deniesAll(policy: KubeObject, direction: 'Ingress' | 'Egress'): boolean {
  const spec = obj(policy.body.spec);
  return (
    selectsEverything(spec[key(policy.layer, 'podSelector')], policy.layer) &&
    policyTypes(policy).includes(direction) &&
    list(spec[direction.toLowerCase()]).length === 0
  );
}

const NET_01: Rule = {
  id: 'GCB-NET-01',
  title: 'Every department namespace denies all ingress and egress by default',
  severity: 'error',
  rationale:
    'Without a default-deny policy every pod of the namespace accepts connections from, and opens them to, every pod of the cluster and beyond: one compromised service reaches all departments.',
  fix: "Keep the Department construct's `deny-all` NetworkPolicy (empty pod selector, policy types Ingress and Egress, no rules); if an escape hatch removed or changed it, restore it, and allow traffic with narrower policies (`callers`, middleware grants).",
  controls: [cis('5.3.2', 'Ensure that all Namespaces have NetworkPolicies defined'), NSA_NETWORK_POLICIES, MLPS_AREA_ACCESS_CONTROL],
  check(output) {
    const policies = objectsOf(output, 'NetworkPolicy');
    return departmentNamespaces(output).flatMap(({ department, namespace }) => {
      const here = policies.filter((p) => p.namespace === department);
      const missing = (['Ingress', 'Egress'] as const).filter((direction) => !here.some((p) => deniesAll(p, direction)));
      if (missing.length === 0) return [];
      return [
        violation(
          namespace.ref,
          '',
          `namespace ${department} has no default-deny NetworkPolicy for ${missing.join(' and ').toLowerCase()} in either layer (${here.length} other ${here.length === 1 ? 'policy' : 'policies'} found); allowed: a policy with an empty pod selector, policy types ${missing.join(' and ')}, and no ${missing.map((d) => d.toLowerCase()).join(' or ')} rules`,
        ),
      ];
    });
  },
};

/** What a peer list admits, when it admits everything: no peers, 0.0.0.0/0, or every namespace. */
function openPeers(peers: readonly unknown[], layer: Layer): string | undefined {
  if (peers.length === 0) return 'every peer';
  for (const p of peers) {
    const peer = obj(p);
    const cidr = str(obj(peer[key(layer, 'ipBlock')]).cidr);
    if (cidr === '0.0.0.0/0' || cidr === '::/0') return `every address (${cidr})`;
    const namespaces = peer[key(layer, 'namespaceSelector')];
    const pods = peer[key(layer, 'podSelector')];
    if (namespaces !== undefined && selectsEverything(namespaces, layer) && (pods === undefined || selectsEverything(pods, layer)))
      return 'every pod of every namespace';
  }
  return undefined;
}

const NET_02: Rule = {
  id: 'GCB-NET-02',
  title: 'No NetworkPolicy rule in a department namespace admits every peer on every port',
  severity: 'error',
  rationale:
    'NetworkPolicies add up: one rule without peers and ports, or with 0.0.0.0/0 or every namespace and no ports, undoes the default deny for the pods it selects.',
  fix: 'Name the peers (pods, namespaces, address blocks narrower than 0.0.0.0/0) or the ports of every rule; use `callers` and middleware grants, which write narrow policies, instead of an escape hatch.',
  controls: [NSA_NETWORK_POLICIES, MLPS_AREA_ACCESS_CONTROL],
  check(output) {
    return objectsOf(output, 'NetworkPolicy')
      .filter((p) => inDepartment(output, p.namespace))
      .flatMap((policy) =>
        (
          [
            ['ingress', 'from'],
            ['egress', 'to'],
          ] as const
        ).flatMap(([direction, peersKey]) =>
          list(obj(policy.body.spec)[direction]).flatMap((r, i) => {
            const rule = obj(r);
            const open = openPeers(list(rule[peersKey]), policy.layer);
            if (!open || list(rule.ports).length > 0) return [];
            return [
              violation(
                policy.ref,
                `spec.${direction}[${i}]`,
                `${direction} rule admits ${open} on every port; allowed: rules naming their peers (pods, namespaces, address blocks narrower than 0.0.0.0/0) or their ports`,
              ),
            ];
          }),
        ),
      );
  },
};

const NET_03: Rule = {
  id: 'GCB-NET-03',
  title: 'Department services are published through the ingress gateway, not as LoadBalancer or NodePort',
  severity: 'warning',
  rationale:
    'A LoadBalancer or NodePort Service opens the pods to the network outside the cluster past the gateway that terminates TLS, checks callers and is watched; the output cannot show what sits in front of it.',
  fix: "Publish the service with `traffic.expose: { hosts, tlsSecret }` (an Istio Gateway with HTTPS), and keep the Service's type ClusterIP.",
  controls: [NSA_NETWORK_POLICIES, MLPS_BOUNDARY_PROTECTION],
  check(output) {
    return objectsOf(output, 'Service')
      .filter((s) => inDepartment(output, s.namespace))
      .flatMap((service) => {
        const type = str(obj(service.body.spec).type);
        return type === 'LoadBalancer' || type === 'NodePort'
          ? [
              violation(
                service.ref,
                'spec.type',
                `is ${type}: the pods are reachable from outside the cluster past the gateway; allowed: ClusterIP behind the ingress gateway`,
              ),
            ]
          : [];
      });
  },
};

// ---------------------------------------------------------------------------------------------
// Tenancy

/** The quota keys that bound CPU and memory. */
const QUOTA_CPU = ['requests.cpu', 'cpu', 'limits.cpu'];
const QUOTA_MEMORY = ['requests.memory', 'memory', 'limits.memory'];

const TEN_01: Rule = {
  id: 'GCB-TEN-01',
  title: 'Every department namespace has a ResourceQuota on CPU and memory',
  severity: 'error',
  rationale: 'Without a quota one department can take the whole cluster and starve the others (and the platform) of CPU and memory.',
  fix: "Keep the Department construct's `department-quota` ResourceQuota: set `quota: { cpu, memory }` on the department in the spec.",
  controls: [NSA_RESOURCES, cis('5.7.1', 'Create administrative boundaries between resources using namespaces')],
  check(output) {
    const quotas = objectsOf(output, 'ResourceQuota');
    return departmentNamespaces(output).flatMap(({ department, namespace }) => {
      const here = quotas.filter((q) => q.namespace === department);
      if (here.length === 0)
        return [
          violation(namespace.ref, '', `namespace ${department} has no ResourceQuota in either layer; allowed: a quota with hard limits on CPU and memory`),
        ];
      const unscoped = here.filter((q) => {
        const spec = obj(q.body.spec);
        return isEmpty(spec.scopes) && isEmpty(spec[key(q.layer, 'scopeSelector')]);
      });
      const hard = unscoped.flatMap((q) => Object.keys(obj(obj(q.body.spec).hard)));
      const missing = [!QUOTA_CPU.some((k) => hard.includes(k)) && 'CPU', !QUOTA_MEMORY.some((k) => hard.includes(k)) && 'memory'].filter(
        (m): m is string => !!m,
      );
      if (missing.length === 0) return [];
      const quota = unscoped[0] ?? here[0];
      return [
        violation(
          quota.ref,
          unscoped.length > 0 ? 'spec.hard' : 'spec',
          unscoped.length > 0
            ? `bounds ${hard.join(', ') || 'nothing'} but not ${missing.join(' or ')}; allowed: hard limits on ${QUOTA_CPU[0]} (or cpu) and ${QUOTA_MEMORY[0]} (or memory)`
            : `every quota of namespace ${department} is scoped (scopes or scopeSelector), so some pods escape it; allowed: an unscoped quota with hard limits on CPU and memory`,
        ),
      ];
    });
  },
};

const TEN_02: Rule = {
  id: 'GCB-TEN-02',
  title: 'Every department namespace has a LimitRange with container defaults',
  severity: 'error',
  rationale:
    'A container without requests and limits is refused by a quota on requests, or runs unbounded where there is none; a LimitRange gives every container defaults, so the quota holds.',
  fix: "Keep the Department construct's `container-defaults` LimitRange (set `limits` on the department to change its defaults).",
  controls: [NSA_RESOURCES],
  check(output) {
    const ranges = objectsOf(output, 'LimitRange');
    return departmentNamespaces(output).flatMap(({ department, namespace }) => {
      const here = ranges.filter((r) => r.namespace === department);
      if (here.length === 0)
        return [
          violation(
            namespace.ref,
            '',
            `namespace ${department} has no LimitRange in either layer; allowed: a LimitRange with a Container item setting default and defaultRequest`,
          ),
        ];
      const complete = here.some((r) =>
        list(obj(r.body.spec)[key(r.layer, 'limits')]).some((item) => {
          const limit = obj(item);
          return limit.type === 'Container' && !isEmpty(limit.default) && !isEmpty(limit[key(r.layer, 'defaultRequest')]);
        }),
      );
      if (complete) return [];
      const range = here[0];
      return [
        violation(
          range.ref,
          `spec.${key(range.layer, 'limits')}`,
          `has no Container item with both default and defaultRequest, so containers without resources get none; allowed: type Container with default and defaultRequest`,
        ),
      ];
    });
  },
};

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

function enforcedLevel(namespace: KubeObject): string | undefined {
  return str(obj(namespace.metadata.labels)[ENFORCE_LABEL]);
}

const TEN_03: Rule = {
  id: 'GCB-TEN-03',
  title: 'Department namespaces enforce Pod Security baseline or restricted',
  severity: 'error',
  rationale:
    "Pod Security Admission is the API server's own check that pods do not take the node (privileged, host namespaces, hostPath); a namespace without an enforce level admits all of it.",
  fix: 'Leave `podSecurity` of the department at its default, `restricted`; never lower it to `privileged`.',
  controls: [
    cis('5.2.1', 'Ensure that the cluster has at least one active policy control mechanism in place'),
    NSA_ENFORCEMENT,
    { framework: 'PSS', id: 'baseline', title: 'The Baseline profile, enforced by Pod Security Admission' },
  ],
  check(output) {
    return departmentNamespaces(output).flatMap(({ department, namespace }) => {
      const level = enforcedLevel(namespace);
      if (level === 'restricted' || level === 'baseline') return [];
      return [
        violation(
          namespace.ref,
          field('metadata.labels', ENFORCE_LABEL),
          `namespace ${department} enforces ${level === undefined ? 'no Pod Security level (the label is missing: the cluster default, privileged unless configured)' : `"${level}"`}; allowed: restricted (or baseline)`,
        ),
      ];
    });
  },
};

const TEN_04: Rule = {
  id: 'GCB-TEN-04',
  title: 'Department namespaces enforce Pod Security restricted, not only baseline',
  severity: 'warning',
  rationale:
    "Baseline stops pods taking the node but still admits root containers, privilege escalation and unconfined seccomp; restricted is the library's default and what every department's workloads meet.",
  fix: "Set the department's `podSecurity` back to `restricted` once its workloads run as non-root with dropped capabilities.",
  controls: [NSA_ENFORCEMENT, { framework: 'PSS', id: 'restricted', title: 'The Restricted profile, enforced by Pod Security Admission' }],
  check(output) {
    return departmentNamespaces(output).flatMap(({ department, namespace }) =>
      enforcedLevel(namespace) === 'baseline'
        ? [violation(namespace.ref, field('metadata.labels', ENFORCE_LABEL), `namespace ${department} enforces "baseline"; advised: restricted`)]
        : [],
    );
  },
};

// ---------------------------------------------------------------------------------------------
// RBAC

/** Groups that hold every department's users or service accounts. */
const EVERYONE = ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'];

/** The department a binding subject belongs to (`*` for everyone), or undefined. */
function subjectDepartment(output: ClusterOutput, binding: KubeObject, s: unknown): string | undefined {
  const subject = obj(s);
  const name = str(subject.name) ?? '';
  // The longest department name first: `data-bureau-admins` is data-bureau's even if a `data` department exists.
  const namedAfter = (prefix: string) =>
    [...output.departments]
      .sort((a, b) => b.length - a.length)
      .find((d) => name === `${prefix}${d}` || name.startsWith(`${prefix}${d}-`) || name.startsWith(`${prefix}${d}:`));
  switch (subject.kind) {
    case 'ServiceAccount': {
      const namespace = str(subject.namespace) ?? binding.namespace;
      return inDepartment(output, namespace) ? namespace : undefined;
    }
    case 'Group':
      if (EVERYONE.includes(name)) return '*';
      return namedAfter('system:serviceaccounts:') ?? namedAfter('');
    case 'User':
      return namedAfter('system:serviceaccount:') ?? namedAfter('');
    default:
      return undefined;
  }
}

interface Binding {
  readonly binding: KubeObject;
  readonly roleKind: string;
  readonly roleName: string;
  /** Departments it grants to (`*`: every one), by subject index. */
  readonly departments: readonly { readonly index: number; readonly department: string }[];
}

function bindings(output: ClusterOutput): Binding[] {
  return objectsOf(output, 'RoleBinding', 'ClusterRoleBinding').map((binding) => {
    const roleRef = obj(binding.body[key(binding.layer, 'roleRef')]);
    const subjects = list(binding.body[key(binding.layer, 'subjects')]);
    const inNamespace = binding.kind === 'RoleBinding' && inDepartment(output, binding.namespace) ? binding.namespace : undefined;
    return {
      binding,
      roleKind: str(roleRef.kind) ?? '',
      roleName: resolveName(output, roleRef.name) ?? '',
      departments: subjects.flatMap((s, index) => {
        const department = subjectDepartment(output, binding, s) ?? inNamespace;
        return department ? [{ index, department }] : [];
      }),
    };
  });
}

const describeBinding = (b: Binding) => `${b.binding.kind} ${b.binding.namespace ? `${b.binding.namespace}/` : ''}${b.binding.name}`;
const describeDepartments = (b: Binding) => {
  const names = [...new Set(b.departments.map((d) => d.department))];
  return names.includes('*') ? 'every department (a system-wide group)' : `department ${names.join(', ')}`;
};

/** Roles that department subjects hold: Roles in department namespaces, and (Cluster)Roles bound to department subjects. */
function departmentRoles(output: ClusterOutput): { role: KubeObject; via: string }[] {
  const roles = objectsOf(output, 'Role', 'ClusterRole');
  const found = new Map<KubeObject, string>();
  for (const role of roles)
    if (role.kind === 'Role' && inDepartment(output, role.namespace)) found.set(role, `it lives in department namespace ${role.namespace}`);
  for (const b of bindings(output)) {
    if (b.departments.length === 0) continue;
    const role = roles.find((r) => r.kind === b.roleKind && r.name === b.roleName && (r.kind === 'ClusterRole' || r.namespace === b.binding.namespace));
    if (role && !found.has(role)) found.set(role, `${describeBinding(b)} grants it to ${describeDepartments(b)}`);
  }
  return [...found].map(([role, via]) => ({ role, via }));
}

/** Each rule of a role with its field path. */
function roleRules(role: KubeObject): { rule: Obj; path: string }[] {
  const rulesKey = key(role.layer, 'rules');
  return list(role.body[rulesKey]).map((r, i) => ({ rule: obj(r), path: `${rulesKey}[${i}]` }));
}

const RBAC_01: Rule = {
  id: 'GCB-RBAC-01',
  title: 'Department roles name their verbs, resources and API groups: no wildcards',
  severity: 'error',
  rationale:
    'A `*` grants everything the API has now and everything a future CRD or Kubernetes version adds, including secrets and RBAC itself; department roles must name what they allow.',
  fix: "Use the Department construct's admin and viewer Roles, which name every verb and resource; replace each `*` of an added role with the list it needs.",
  controls: [cis('5.1.3', 'Minimize wildcard use in Roles and ClusterRoles'), NSA_RBAC, MLPS_LEAST_PRIVILEGE],
  check(output) {
    return departmentRoles(output).flatMap(({ role, via }) =>
      roleRules(role).flatMap(({ rule, path }) =>
        (['apiGroups', 'resources', 'verbs'] as const).flatMap((name) => {
          const values = strings(rule[key(role.layer, name)]);
          const wild = values.filter((v) => v.includes('*'));
          return wild.length > 0
            ? [
                violation(
                  role.ref,
                  `${path}.${key(role.layer, name)}`,
                  `grants ${wild.map((w) => JSON.stringify(w)).join(', ')} in ${name} (${via}); allowed: ${name} named one by one`,
                ),
              ]
            : [];
        }),
      ),
    );
  },
};

const CLUSTER_ADMIN = 'cluster-admin';
/** Built-in roles that are whole-namespace administration; bound cluster-wide they are every namespace's. */
const ADMIN_ROLES = ['admin', 'edit'];

const RBAC_02: Rule = {
  id: 'GCB-RBAC-02',
  title: 'No department is bound to cluster-admin, or to admin or edit cluster-wide',
  severity: 'error',
  rationale:
    "cluster-admin is every right on every object (in a RoleBinding, every right in the namespace, RBAC and the namespace itself included); admin or edit in a ClusterRoleBinding is every department's namespace.",
  fix: "Give department groups the Department construct's `<department>-admin` and `<department>-viewer` Roles (groups `<department>-admins`, `<department>-viewers`), bound in their own namespace.",
  controls: [cis('5.1.1', 'Ensure that the cluster-admin role is only used where required'), NSA_RBAC, MLPS_LEAST_PRIVILEGE],
  check(output) {
    return bindings(output).flatMap((b) => {
      if (b.departments.length === 0 || b.roleKind !== 'ClusterRole') return [];
      const clusterWide = b.binding.kind === 'ClusterRoleBinding';
      if (b.roleName !== CLUSTER_ADMIN && !(clusterWide && ADMIN_ROLES.includes(b.roleName))) return [];
      return [
        violation(
          b.binding.ref,
          `${key(b.binding.layer, 'roleRef')}.name`,
          `binds ClusterRole ${b.roleName}${clusterWide ? ' cluster-wide' : ''} to ${describeDepartments(b)}; allowed: the department's own Roles in its namespace`,
        ),
      ];
    });
  },
};

const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];

const RBAC_03: Rule = {
  id: 'GCB-RBAC-03',
  title: 'Department roles do not grant escalate, bind or impersonate',
  severity: 'error',
  rationale: 'escalate and bind let a subject grant itself roles it does not hold, impersonate lets it act as anyone: each is a path to cluster-admin.',
  fix: 'Remove the verbs from the role; RBAC changes go through the platform pipeline, not department credentials.',
  controls: [cis('5.1.8', 'Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster'), NSA_RBAC, MLPS_LEAST_PRIVILEGE],
  check(output) {
    return departmentRoles(output).flatMap(({ role, via }) =>
      roleRules(role).flatMap(({ rule, path }) => {
        const verbs = strings(rule.verbs).filter((v) => ESCALATING_VERBS.includes(v));
        return verbs.length > 0
          ? [violation(role.ref, `${path}.verbs`, `grants ${verbs.join(', ')} (${via}); allowed: none of escalate, bind, impersonate`)]
          : [];
      }),
    );
  },
};

const RBAC_04: Rule = {
  id: 'GCB-RBAC-04',
  title: 'Departments hold rights in their own namespaces only',
  severity: 'warning',
  rationale:
    "A ClusterRoleBinding to a department's group or service account reaches every namespace, other departments' included; department rights belong in RoleBindings.",
  fix: "Bind the role with a RoleBinding in the department's namespace; keep cluster-wide bindings for the platform.",
  controls: [cis('5.7.1', 'Create administrative boundaries between resources using namespaces'), NSA_NAMESPACES, MLPS_LEAST_PRIVILEGE],
  check(output) {
    return bindings(output).flatMap((b) => {
      if (b.binding.kind !== 'ClusterRoleBinding' || b.roleName === CLUSTER_ADMIN || ADMIN_ROLES.includes(b.roleName)) return []; // GCB-RBAC-02's
      const subjectsKey = key(b.binding.layer, 'subjects');
      return b.departments.map(({ index, department }) =>
        violation(
          b.binding.ref,
          `${subjectsKey}[${index}]`,
          `grants ${b.roleKind} ${b.roleName} in every namespace to ${department === '*' ? 'a system-wide group (every department)' : `department ${department}`}; advised: a RoleBinding in the department's namespace`,
        ),
      );
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Secrets

const SECRET_TYPES = ['kubernetes_secret_v1', 'kubernetes_secret'];
const CONFIG_MAP_TYPES = ['kubernetes_config_map_v1', 'kubernetes_config_map'];

const SEC_01: Rule = {
  id: 'GCB-SEC-01',
  title: 'No credential is written into a Terraform stack',
  severity: 'error',
  rationale:
    'A literal in `cdk.tf.json` is in every copy of the output, the Git history and the pipeline logs; credentials come from sensitive Terraform variables.',
  fix: 'Write Secrets with `data_wo = { key = "${var.<sensitive variable>}" }` as the middleware shelf and monitoring do, and set the variable in the pipeline (`TF_VAR_...`); a ConfigMap never holds a credential.',
  controls: [NSA_SECRETS, MLPS_CONFIDENTIALITY],
  check(output) {
    const found: Violation[] = [];
    for (const resource of output.terraform) {
      const namespace = resolveName(output, terraformMetadata(resource.body).namespace);
      const ref = () => terraformRef(output, resource, namespace);
      if (SECRET_TYPES.includes(resource.type)) {
        for (const attribute of ['data', 'binary_data']) {
          for (const [k, v] of Object.entries(obj(resource.body[attribute]))) {
            if (literalSecret(v))
              found.push(
                violation(ref(), field(attribute, k), `holds ${describeLiteral(v)}; allowed: a reference to a sensitive variable, written with data_wo`),
              );
          }
        }
        for (const [k, v] of Object.entries(obj(resource.body.data_wo))) {
          if (literalSecret(v) && !NOT_SECRET_KEY.test(k)) {
            found.push(violation(ref(), field('data_wo', k), `holds ${describeLiteral(v)}; allowed: a reference to a sensitive variable ("\${var.<name>}")`));
          }
        }
      } else if (CONFIG_MAP_TYPES.includes(resource.type)) {
        for (const [k, v] of Object.entries(obj(resource.body.data))) {
          if (looksLikeCredential(k) && literalSecret(v))
            found.push(
              violation(
                ref(),
                field('data', k),
                `names a credential and holds ${describeLiteral(v)}; allowed: credentials in a Secret written from a sensitive variable`,
              ),
            );
        }
      }
    }
    return found;
  },
};

const SEC_02: Rule = {
  id: 'GCB-SEC-02',
  title: 'Terraform writes Secrets with write-only attributes, so no value reaches the state',
  severity: 'error',
  rationale:
    "A Secret's `data` or `binary_data` is stored in the Terraform state and shown in plans, even when it comes from a sensitive variable; `data_wo` is sent to the API server and kept nowhere.",
  fix: 'Move the values to `data_wo` with a `data_wo_revision` (bump it to rotate), as the library writes every Secret; `data_wo` needs Terraform 1.11 or later.',
  controls: [NSA_SECRETS, MLPS_CONFIDENTIALITY],
  check(output) {
    return output.terraform
      .filter((r) => SECRET_TYPES.includes(r.type))
      .flatMap((resource) =>
        ['data', 'binary_data'].flatMap((attribute) => {
          // Literals are GCB-SEC-01's; here the values that come from elsewhere but still land in the state.
          const keys = Object.entries(obj(resource.body[attribute]))
            .filter(([, v]) => !literalSecret(v))
            .map(([k]) => k);
          return keys.length > 0
            ? [
                violation(
                  terraformRef(output, resource, resolveName(output, terraformMetadata(resource.body).namespace)),
                  attribute,
                  `sets ${keys.join(', ')} through ${attribute}, which Terraform keeps in its state; allowed: data_wo with data_wo_revision`,
                ),
              ]
            : [];
        }),
      );
  },
};

const SEC_03: Rule = {
  id: 'GCB-SEC-03',
  title: 'No Secret value in the manifests',
  severity: 'error',
  rationale:
    'Manifests go to the GitOps repository, where base64 is no protection and history is forever; a Secret manifest with data puts the credential there.',
  fix: "Create Secrets in the Terraform layer from sensitive variables (`data_wo`), or with an external secret store, and reference them by name (`secret: { name, key }` in a service's env).",
  controls: [NSA_SECRETS, MLPS_CONFIDENTIALITY],
  check(output) {
    return output.manifests.flatMap(({ file, object }) => {
      if (String(object.apiVersion) !== 'v1') return [];
      const ref = manifestRef(output, file, object);
      if (object.kind === 'Secret') {
        return (['data', 'stringData'] as const).flatMap((attribute) => {
          const keys = Object.keys(obj(object[attribute]));
          return keys.length > 0
            ? [
                violation(
                  ref,
                  attribute,
                  `holds values for ${keys.join(', ')} (not shown); allowed: a Secret created from a sensitive Terraform variable or an external store`,
                ),
              ]
            : [];
        });
      }
      if (object.kind === 'ConfigMap') {
        return Object.entries(obj(object.data)).flatMap(([k, v]) =>
          looksLikeCredential(k) && literalSecret(v)
            ? [violation(ref, field('data', k), `names a credential and holds ${describeLiteral(v)}; allowed: credentials in a Secret, referenced by name`)]
            : [],
        );
      }
      return [];
    });
  },
};

/** Container env entries whose name says credential and whose value is written out. */
const ENV_CREDENTIAL_CEL =
  '(?i)(pass(word|wd|phrase)|secret|token|api[-_.]?key|private[-_.]?key|credential|cookie|(secret|api|private|access|encryption|signing|master|client)[-_.]?key$)';
const ENV_POINTER_CEL = '(?i)(^existing|(files?|paths?|dir|names?|refs?|url|uri|endpoint|host|port|namespace|ttl|type|enabled|length)$|key$)';

const SEC_04: Rule = {
  id: 'GCB-SEC-04',
  title: 'No credential written into a container environment',
  severity: 'error',
  rationale:
    'An env value is in the manifest, the Git history and `kubectl describe`; a variable named as a password, token or key must come from a Secret (valueFrom), never be written out.',
  fix: "Give the env entry `secret: { name, key }` in the service spec (or connect through `middleware`, which mounts the grant's Secret) instead of `value`.",
  controls: [NSA_SECRETS, MLPS_CONFIDENTIALITY],
  check(output) {
    return podTemplates(output).flatMap((template: PodTemplate) =>
      containersOf(template.spec, template.path).flatMap(({ container, path }) =>
        list(container.env).flatMap((e, i) => {
          const env = obj(e);
          const name = str(env.name) ?? '';
          if (!looksLikeCredential(name) || env.valueFrom !== undefined || !literalSecret(env.value)) return [];
          return [violation(template.object, `${path}.env[${i}].value`, `${name} holds ${describeLiteral(env.value)}; allowed: valueFrom.secretKeyRef`)];
        }),
      ),
    );
  },
  admission: {
    validations: [
      {
        // Mirrors looksLikeCredential: a `...Key` other than a credential key names a Secret key, not a value.
        expression: `variables.containers.all(c, !has(c.env) || c.env.all(e, !e.name.matches('${ENV_CREDENTIAL_CEL}') || (e.name.matches('${ENV_POINTER_CEL}') && !e.name.matches('(?i)(secret|api|private|access|encryption|signing|master|client)[-_.]?key$')) || e.name.matches('[a-z0-9]SecretKey$') || has(e.valueFrom) || !has(e.value) || !e.value.matches('[^ ]')))`,
        message: 'GCB-SEC-04: an env variable named as a password, secret, token or key has a literal value; use valueFrom.secretKeyRef',
      },
    ],
  },
};

const SEC_05: Rule = {
  id: 'GCB-SEC-05',
  title: 'No credential written into Helm values',
  severity: 'error',
  rationale: "Helm values are in the stack file, the Terraform state and the release's own Secret; a chart reads credentials from an existing Secret instead.",
  fix: "Point the chart at an existing Secret (the shelf's `existingSecret`, `admin.existingSecret` for Grafana) written from a sensitive variable with data_wo; never a password in values or `set`.",
  controls: [NSA_SECRETS, MLPS_CONFIDENTIALITY],
  check(output) {
    const found: Violation[] = [];
    for (const release of helmReleases(output)) {
      const ref = terraformRef(output, release, resolveName(output, release.body.namespace));
      walkValues(release, (values, path) => {
        for (const [k, v] of Object.entries(values)) {
          if (!looksLikeCredential(k)) continue;
          if (literalSecret(v))
            found.push(
              violation(
                ref,
                field(path, k),
                `holds ${describeLiteral(v)}; allowed: the chart's existingSecret naming a Secret written from a sensitive variable`,
              ),
            );
          list(v).forEach((item, i) => {
            if (literalSecret(item)) found.push(violation(ref, field(field(path, k), i), `holds ${describeLiteral(item)}; allowed: an existing Secret`));
          });
        }
        // A Secret smuggled in through extraDeploy or the like.
        if (values.kind === 'Secret') {
          for (const attribute of ['data', 'stringData']) {
            if (!isEmpty(values[attribute]))
              found.push(violation(ref, field(path, attribute), `defines a Secret with values (not shown) in the chart values; allowed: an existing Secret`));
          }
        }
      });
      for (const attribute of ['set', 'set_sensitive']) {
        list(release.body[attribute]).forEach((s, i) => {
          const entry = obj(s);
          const name = (str(entry.name) ?? '').split(/(?<!\\)\./).pop() ?? '';
          if ((attribute === 'set_sensitive' || looksLikeCredential(name)) && literalSecret(entry.value)) {
            found.push(
              violation(
                ref,
                `${attribute}[${i}].value`,
                `${String(entry.name)} holds ${describeLiteral(entry.value)}; allowed: a reference to a sensitive variable, or an existing Secret`,
              ),
            );
          }
        });
      }
    }
    return found;
  },
};

const SEC_06: Rule = {
  id: 'GCB-SEC-06',
  title: 'Credentials reach containers as files, not environment variables',
  // Advice, not an error: the library mounts middleware credentials as files, so what is left is a
  // service's opt-in (`credentials: env`, for an application that cannot read a file) or its own
  // `env[].secret`, both deliberate.
  severity: 'warning',
  rationale:
    'Environment variables are inherited by child processes and often logged whole when an application fails; a Secret mounted as a file is read only where needed and follows rotation without a restart.',
  fix: "Middleware connections pass credentials as files by default (`<PREFIX>_PASSWORD_FILE`): drop `credentials: env` from the service's `middleware` entry once the application reads the file. A service's own `env[].secret` is env by definition: mount that Secret as a volume through an escape hatch and point the application at the file (many images read `<NAME>_FILE`), or suppress the finding with a reason.",
  controls: [cis('5.4.1', 'Prefer using secrets as files over secrets as environment variables'), NSA_SECRETS],
  check(output) {
    return podTemplates(output).flatMap((template) =>
      containersOf(template.spec, template.path).flatMap(({ container, path }) => {
        const fromSecrets = [
          ...list(container.env)
            .filter((e) => obj(obj(e).valueFrom).secretKeyRef !== undefined)
            .map((e) => String(obj(e).name)),
          ...list(container.envFrom)
            .filter((e) => obj(e).secretRef !== undefined)
            .map((e) => `all of Secret ${String(obj(obj(e).secretRef).name)}`),
        ];
        return fromSecrets.length > 0
          ? [
              violation(
                template.object,
                list(container.env).length > 0 ? `${path}.env` : `${path}.envFrom`,
                `container ${String(container.name)} takes ${fromSecrets.join(', ')} from Secrets as environment variables; advised: a Secret volume`,
              ),
            ]
          : [];
      }),
    );
  },
};

// ---------------------------------------------------------------------------------------------
// Availability

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Rollout'];
const SCALER_KINDS = ['HorizontalPodAutoscaler', 'ScaledObject', 'FederatedHPA'];

/** Most replicas a workload may run: its replicas field, or the ceiling of a scaler targeting it (HPA, KEDA, Karmada). */
function replicaCeiling(output: ClusterOutput, template: PodTemplate): number {
  const owner = template.owner;
  const namespace = str(obj(owner.metadata).namespace);
  const name = str(obj(owner.metadata).name);
  const ceilings = output.manifests
    .map(({ object }) => object)
    .filter((o) => SCALER_KINDS.includes(String(o.kind)) && str(obj(o.metadata).namespace) === namespace)
    .filter((o) => {
      const target = obj(obj(o.spec).scaleTargetRef);
      return target.name === name && (target.kind ?? 'Deployment') === owner.kind;
    })
    .map((o) => Number(obj(o.spec).maxReplicas ?? obj(o.spec).maxReplicaCount ?? (o.kind === 'ScaledObject' ? 100 : 1)));
  const replicas = obj(owner.spec).replicas;
  return Math.max(typeof replicas === 'number' ? replicas : 1, ...ceilings);
}

/** Department workloads that may run two or more replicas. */
function replicatedWorkloads(output: ClusterOutput): { template: PodTemplate; ceiling: number; namespace: string }[] {
  return podTemplates(output).flatMap((template) => {
    const namespace = str(obj(template.owner.metadata).namespace);
    if (!WORKLOAD_KINDS.includes(String(template.owner.kind)) || !inDepartment(output, namespace)) return [];
    const ceiling = replicaCeiling(output, template);
    return ceiling >= 2 ? [{ template, ceiling, namespace }] : [];
  });
}

const AVL_01: Rule = {
  id: 'GCB-AVL-01',
  title: 'Every department workload with two or more replicas has a PodDisruptionBudget',
  severity: 'error',
  rationale:
    'Without a disruption budget a node drain or cluster upgrade may evict every replica at once, taking a citizen-facing service down for no failure at all.',
  fix: "Keep the Service construct's PodDisruptionBudget (`disruptionBudget` in the service spec, default maxUnavailable 1); it must select the workload's pod labels.",
  controls: [MLPS_HIGH_AVAILABILITY],
  check(output) {
    const budgets = objectsOf(output, 'PodDisruptionBudget');
    return replicatedWorkloads(output).flatMap(({ template, ceiling, namespace }) => {
      // policy/v1: an empty selector selects every pod of the namespace, a missing one none.
      const covered = budgets.some(
        (b) => b.namespace === namespace && obj(b.body.spec).selector !== undefined && selectorMatches(obj(b.body.spec).selector, template.labels, b.layer),
      );
      return covered
        ? []
        : [
            violation(
              template.object,
              '',
              `runs up to ${ceiling} replicas but no PodDisruptionBudget in ${namespace} selects its pods; allowed: a budget whose selector matches the pod template's labels`,
            ),
          ];
    });
  },
};

const AVL_02: Rule = {
  id: 'GCB-AVL-02',
  title: 'Every department workload with two or more replicas spreads them over nodes or zones',
  severity: 'error',
  rationale:
    'Replicas the scheduler packs onto one node or zone fail together; spread constraints or pod anti-affinity keep one failure from taking all of them.',
  fix: "Keep the Service construct's zone and node topologySpreadConstraints (their labelSelector must match the pod labels), or add pod anti-affinity on kubernetes.io/hostname.",
  controls: [MLPS_HIGH_AVAILABILITY],
  check(output) {
    return replicatedWorkloads(output).flatMap(({ template, ceiling }) => {
      const spec = template.spec;
      // A constraint or term without a labelSelector counts no pods, so it spreads nothing.
      const selects = (selector: unknown) => selector !== undefined && selectorMatches(selector, template.labels, 'manifest');
      const spreads = list(spec.topologySpreadConstraints).some((c) => selects(obj(c).labelSelector));
      const antiAffinity = obj(obj(spec.affinity).podAntiAffinity);
      const terms = [
        ...list(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution),
        ...list(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution).map((p) => obj(p).podAffinityTerm),
      ];
      const repels = terms.some((t) => selects(obj(t).labelSelector));
      return spreads || repels
        ? []
        : [
            violation(
              template.object,
              `${template.path}.topologySpreadConstraints`,
              `runs up to ${ceiling} replicas with no topologySpreadConstraints or podAntiAffinity selecting its own pods; allowed: a spread over topology.kubernetes.io/zone or kubernetes.io/hostname matching the pod labels`,
            ),
          ];
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Transport security

const isIstio = (apiVersion: unknown) => /^[\w.-]*\.istio\.io\//.test(String(apiVersion));

/** TLS modes of an Istio Gateway server that carry TLS end to end or terminate it with a certificate. */
const TERMINATING_MODES = ['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL'];
const PASSING_MODES = ['PASSTHROUGH', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL'];
const PLAIN_HTTP = ['HTTP', 'HTTP2', 'GRPC'];

function gatewayServerProblem(server: Obj): { at: string; message: string } | undefined {
  const port = obj(server.port);
  const protocol = String(port.protocol ?? '').toUpperCase();
  const tls = obj(server.tls);
  const mode = str(tls.mode) ?? 'SIMPLE'; // Istio's default when tls is set
  const hasCertificate = !!tls.credentialName || strings(tls.credentialNames).length > 0 || (!!tls.serverCertificate && !!tls.privateKey);
  const where = `port ${String(port.number)} (${protocol || 'no protocol'})`;
  if (PLAIN_HTTP.includes(protocol)) {
    return tls.httpsRedirect === true
      ? undefined
      : { at: 'tls.httpsRedirect', message: `${where} serves plain HTTP; allowed: an HTTP server only with tls.httpsRedirect: true` };
  }
  if (protocol === 'HTTPS' || protocol === 'TLS') {
    if (isEmpty(server.tls)) return { at: 'tls', message: `${where} has no tls settings; allowed: mode SIMPLE or MUTUAL with a credentialName` };
    if (TERMINATING_MODES.includes(mode)) {
      return hasCertificate
        ? undefined
        : { at: 'tls.credentialName', message: `${where} terminates TLS (mode ${mode}) without a certificate; allowed: a credentialName` };
    }
    // Passthrough hands TLS to the backend (TLS servers only); ISTIO_MUTUAL is the mesh's own mTLS.
    if (PASSING_MODES.includes(mode) && (protocol === 'TLS' || mode === 'ISTIO_MUTUAL')) return undefined;
    return {
      at: 'tls.mode',
      message: `${where} has tls mode ${mode}; allowed: SIMPLE or MUTUAL with a credentialName${protocol === 'TLS' ? ', or PASSTHROUGH / AUTO_PASSTHROUGH / ISTIO_MUTUAL' : ''}`,
    };
  }
  return { at: 'port.protocol', message: `${where} is not TLS; allowed: HTTPS or TLS, or HTTP that only redirects to HTTPS` };
}

const TLS_01: Rule = {
  id: 'GCB-TLS-01',
  title: 'Every Istio Gateway server uses TLS; plain HTTP only redirects to HTTPS',
  severity: 'error',
  rationale:
    "Citizens' requests carry personal data and session tokens; a gateway port without TLS sends them in clear over networks the platform does not own.",
  fix: 'Publish with `traffic.expose: { hosts, tlsSecret }`: the library writes an HTTPS server (mode SIMPLE, credentialName) and an HTTP server that only redirects.',
  controls: [NSA_ENCRYPTION, MLPS_TRANSMISSION],
  check(output) {
    return output.manifests
      .filter(({ object }) => object.kind === 'Gateway' && isIstio(object.apiVersion))
      .flatMap(({ file, object }) =>
        list(obj(object.spec).servers).flatMap((server, i) => {
          const problem = gatewayServerProblem(obj(server));
          return problem ? [violation(manifestRef(output, file, object), `spec.servers[${i}].${problem.at}`, problem.message)] : [];
        }),
      );
  },
};

const TLS_02: Rule = {
  id: 'GCB-TLS-02',
  title: 'Every Ingress host is served with TLS',
  severity: 'error',
  rationale: 'An Ingress rule whose host has no TLS entry is served over plain HTTP by the ingress controller.',
  fix: 'Prefer `traffic.expose` (Istio Gateway with HTTPS); for an Ingress, list every rule host under spec.tls with a secretName.',
  controls: [NSA_ENCRYPTION, MLPS_TRANSMISSION],
  check(output) {
    return manifestsOf(output, 'networking.k8s.io', 'Ingress').flatMap(({ file, object }) => {
      const spec = obj(object.spec);
      const covered = list(spec.tls)
        .filter((t) => !!obj(t).secretName)
        .flatMap((t) => strings(obj(t).hosts));
      return list(spec.rules).flatMap((r, i) => {
        const host = str(obj(r).host);
        if (host !== undefined && covered.includes(host)) return [];
        return [
          violation(
            manifestRef(output, file, object),
            `spec.rules[${i}].host`,
            `${host === undefined ? 'a rule without a host (every host)' : `host ${host}`} has no spec.tls entry with a secretName; allowed: every host under spec.tls`,
          ),
        ];
      });
    });
  },
};

const MESH_ROOT_NAMESPACE = 'istio-system';

/** A PeerAuthentication that covers every workload of its namespace (no selector) with STRICT mTLS. */
function strictNamespaceWide(object: Readonly<Record<string, unknown>>): boolean {
  const spec = obj(object.spec);
  return isEmpty(spec.selector) && obj(spec.mtls).mode === 'STRICT';
}

const TLS_03: Rule = {
  id: 'GCB-TLS-03',
  title: 'Meshed clusters require STRICT mutual TLS',
  severity: 'error',
  rationale:
    'Without STRICT mTLS a sidecar also accepts plain text, so traffic between services (and from anything outside the mesh) is neither encrypted nor authenticated, and AuthorizationPolicies cannot trust the caller.',
  fix: "Keep the mesh's `PeerAuthentication` `default` in istio-system with mtls.mode STRICT (written by `mesh` in the spec), or one per department namespace.",
  controls: [NSA_ENCRYPTION, MLPS_TRANSMISSION],
  check(output) {
    const meshed = output.manifests.some(({ object }) => isIstio(object.apiVersion)) || helmReleases(output, 'istiod').length > 0;
    if (!meshed) return [];
    const peerAuthentications = manifestsOf(output, 'security.istio.io', 'PeerAuthentication').map(({ object }) => object);
    if (peerAuthentications.some((p) => str(obj(p.metadata).namespace) === MESH_ROOT_NAMESPACE && strictNamespaceWide(p))) return [];
    return departmentNamespaces(output).flatMap(({ department, namespace }) =>
      peerAuthentications.some((p) => str(obj(p.metadata).namespace) === department && strictNamespaceWide(p))
        ? []
        : [
            violation(
              namespace.ref,
              '',
              `the cluster runs Istio, but neither istio-system nor namespace ${department} has a PeerAuthentication without selector in mode STRICT; allowed: one of them`,
            ),
          ],
    );
  },
};

const WEAK_PEER_MODES = ['PERMISSIVE', 'DISABLE'];

const TLS_04: Rule = {
  id: 'GCB-TLS-04',
  title: 'No PeerAuthentication or DestinationRule weakens mutual TLS',
  severity: 'error',
  rationale:
    'A PERMISSIVE or DISABLE PeerAuthentication, or a DestinationRule with tls mode DISABLE, switches mTLS off for the workloads or hosts it names, whatever the mesh-wide STRICT default says.',
  fix: 'Remove the override; a workload that must accept plain text (a legacy caller) needs a suppression with its reason and review date.',
  controls: [NSA_ENCRYPTION, MLPS_TRANSMISSION],
  check(output) {
    const found: Violation[] = [];
    for (const { file, object } of manifestsOf(output, 'security.istio.io', 'PeerAuthentication')) {
      const spec = obj(object.spec);
      const mode = str(obj(spec.mtls).mode);
      if (mode && WEAK_PEER_MODES.includes(mode))
        found.push(violation(manifestRef(output, file, object), 'spec.mtls.mode', `is ${mode}; allowed: STRICT (or UNSET, inheriting it)`));
      for (const [port, settings] of Object.entries(obj(spec.portLevelMtls))) {
        const portMode = str(obj(settings).mode);
        if (portMode && WEAK_PEER_MODES.includes(portMode)) {
          found.push(
            violation(
              manifestRef(output, file, object),
              `spec.portLevelMtls[${JSON.stringify(port)}].mode`,
              `is ${portMode} on port ${port}; allowed: STRICT or UNSET`,
            ),
          );
        }
      }
    }
    for (const { file, object } of manifestsOf(output, 'networking.istio.io', 'DestinationRule')) {
      const spec = obj(object.spec);
      const policies: { policy: unknown; path: string }[] = [
        { policy: spec.trafficPolicy, path: 'spec.trafficPolicy' },
        ...list(spec.subsets).map((s, i) => ({ policy: obj(s).trafficPolicy, path: `spec.subsets[${i}].trafficPolicy` })),
      ];
      for (const { policy, path } of policies) {
        const settings = [
          { tls: obj(policy).tls, at: `${path}.tls.mode` },
          ...list(obj(policy).portLevelSettings).map((p, i) => ({ tls: obj(p).tls, at: `${path}.portLevelSettings[${i}].tls.mode` })),
        ];
        for (const { tls, at: where } of settings) {
          if (obj(tls).mode === 'DISABLE')
            found.push(
              violation(
                manifestRef(output, file, object),
                where,
                `is DISABLE: calls to ${String(spec.host)} go in plain text; allowed: ISTIO_MUTUAL (the default in the mesh), SIMPLE or MUTUAL`,
              ),
            );
        }
      }
    }
    return found;
  },
};

/** Remote-write endpoints of Prometheus: in Helm values (kube-prometheus-stack) and in Prometheus objects. */
function remoteWrites(output: ClusterOutput): { ref: ObjectRef; entry: Obj; path: string }[] {
  const found: { ref: ObjectRef; entry: Obj; path: string }[] = [];
  for (const release of helmReleases(output)) {
    const ref = terraformRef(output, release, resolveName(output, release.body.namespace));
    walkValues(release, (values, path) =>
      list(values.remoteWrite).forEach((entry, i) => found.push({ ref, entry: obj(entry), path: `${field(path, 'remoteWrite')}[${i}]` })),
    );
  }
  for (const { file, object } of manifestsOf(output, 'monitoring.coreos.com', 'Prometheus')) {
    list(obj(object.spec).remoteWrite).forEach((entry, i) =>
      found.push({ ref: manifestRef(output, file, object), entry: obj(entry), path: `spec.remoteWrite[${i}]` }),
    );
  }
  return found;
}

const TLS_05: Rule = {
  id: 'GCB-TLS-05',
  title: 'Metrics leave the cluster over verified TLS',
  severity: 'error',
  rationale:
    'Remote write crosses clouds and carries labels that name departments, services and namespaces; without https, or with certificate checks off, it can be read or forged on the way.',
  fix: "Keep `observability.hub.remoteWriteUrl` an https:// URL (the spec requires it) and the library's tlsConfig (client certificate, the hub's CA, insecureSkipVerify false).",
  controls: [NSA_ENCRYPTION, MLPS_TRANSMISSION],
  check(output) {
    return remoteWrites(output).flatMap(({ ref, entry, path }) => {
      const found: Violation[] = [];
      const url = str(entry.url) ?? '';
      if (!url.startsWith('https://')) found.push(violation(ref, `${path}.url`, `remote write goes to ${url || 'no URL'}; allowed: an https:// URL`));
      if (obj(entry.tlsConfig).insecureSkipVerify === true)
        found.push(
          violation(ref, `${path}.tlsConfig.insecureSkipVerify`, "is true: the receiver's certificate is not checked; allowed: false, with the hub's CA"),
        );
      return found;
    });
  },
};

const ENCRYPTED_SSL_MODES = ['require', 'verify-ca', 'verify-full'];

const TLS_06: Rule = {
  id: 'GCB-TLS-06',
  title: 'Database replication between clusters is encrypted',
  // A real hole, but a warning while the library's own DR replicas break it (see fix); raise it
  // to error once the shelf's PostgreSQL serves TLS.
  severity: 'warning',
  rationale:
    "A CloudNativePG replica streams the primary's whole database across clouds; with sslmode prefer (libpq's default) or weaker the stream may fall back to plain text, and an attacker on the path can force it.",
  fix: "Serve TLS on the primary and connect with sslmode verify-full and the primary's CA (at least require). For the library's DR replicas: the shelf's PostgreSQL writes no TLS settings today, and constructs/disaster-recovery/replica-database.ts writes sslmode prefer, so the stream crosses clouds in plain text.",
  controls: [NSA_ENCRYPTION, MLPS_TRANSMISSION],
  check(output) {
    return manifestsOf(output, 'postgresql.cnpg.io', 'Cluster').flatMap(({ file, object }) =>
      list(obj(object.spec).externalClusters).flatMap((c, i) => {
        const parameters = obj(c).connectionParameters;
        if (parameters === undefined) return []; // an object-store source, no connection
        const mode = str(obj(parameters).sslmode);
        return mode && ENCRYPTED_SSL_MODES.includes(mode)
          ? []
          : [
              violation(
                manifestRef(output, file, object),
                `spec.externalClusters[${i}].connectionParameters.sslmode`,
                `connects to ${String(obj(parameters).host ?? 'its source')} with sslmode ${mode ?? 'unset (prefer)'}, which allows plain text; allowed: verify-full, verify-ca or require`,
              ),
            ];
      }),
    );
  },
};

// ---------------------------------------------------------------------------------------------
// Data placement

/**
 * The label (or annotation) marking what an object's workload stores: `personal`, `internal` or
 * `public`, as `dataClassification` in the spec. The rules read it where it is written; the
 * library does not write it today, so unmarked workloads on public clusters are GCB-DATA-02's.
 */
export const DATA_CLASSIFICATION_KEY = 'govcloud.io/data-classification';

/** Field path of a pod template's metadata: `spec.template.metadata`, or `metadata` for a Pod. */
function templateMetadataPath(podSpecPath: string): string {
  const base = podSpecPath.split('.').slice(0, -1).join('.');
  return base ? `${base}.metadata` : 'metadata';
}

/** Where an object says what data it holds: its own labels and annotations, and its pod template's. */
function classificationMarks(body: Obj, podSpecPath?: string): { value: string; field: string }[] {
  const places = [{ metadata: Array.isArray(body.metadata) ? obj(body.metadata[0]) : obj(body.metadata), path: 'metadata' }];
  const templatePath = podSpecPath === undefined ? 'metadata' : templateMetadataPath(podSpecPath);
  if (templatePath !== 'metadata') places.push({ metadata: obj(at(body, templatePath.split('.'))), path: templatePath });
  return places.flatMap(({ metadata, path }) =>
    (['labels', 'annotations'] as const).flatMap((kind) => {
      const value = str(obj(metadata[kind])[DATA_CLASSIFICATION_KEY]);
      return value !== undefined ? [{ value, field: field(`${path}.${kind}`, DATA_CLASSIFICATION_KEY) }] : [];
    }),
  );
}

const DATA_01: Rule = {
  id: 'GCB-DATA-01',
  title: 'Nothing marked as citizen personal data runs on a public-cloud cluster',
  severity: 'error',
  rationale:
    "Citizen personal data stays in the government cloud (the white paper's data rules, 4.4; the spec's dataClassification check); a public-cloud cluster is outside it, so a workload marked personal there is a placement the spec should have refused.",
  fix: 'Keep the workload on gov clusters (`clusters: [...]`, no burst link or DR standby on the public cluster), or, if it holds no personal data, mark it `dataClassification: internal` or `public` in the spec.',
  controls: [MLPS_PERSONAL_INFORMATION],
  check(output) {
    if (output.role !== 'public') return [];
    const found: Violation[] = [];
    const templates = new Map(podTemplates(output).map((t) => [t.owner, t] as const));
    for (const { file, object } of output.manifests) {
      for (const mark of classificationMarks(object, templates.get(object)?.path)) {
        if (mark.value === 'personal')
          found.push(
            violation(
              manifestRef(output, file, object),
              mark.field,
              `marks citizen personal data on public-cloud cluster ${output.cluster}; allowed here: internal or public`,
            ),
          );
      }
    }
    for (const resource of output.terraform) {
      for (const mark of classificationMarks(resource.body)) {
        if (mark.value === 'personal') {
          found.push(
            violation(
              terraformRef(output, resource, resolveName(output, terraformMetadata(resource.body).namespace)),
              mark.field,
              `marks citizen personal data on public-cloud cluster ${output.cluster}; allowed here: internal or public`,
            ),
          );
        }
      }
    }
    return found;
  },
};

const DATA_02: Rule = {
  id: 'GCB-DATA-02',
  title: 'Workloads on a public-cloud cluster say what data they hold',
  severity: 'warning',
  rationale:
    "An unmarked workload is treated as holding personal data (the library's default); on a public cluster the output then cannot show it is allowed there, only the spec's own check can.",
  fix: `Mark the workload's pod template with the label ${DATA_CLASSIFICATION_KEY}: internal or public (its spec's dataClassification), so an assessor reading the output sees why it may run outside the government cloud.`,
  controls: [MLPS_PERSONAL_INFORMATION],
  check(output) {
    if (output.role !== 'public') return [];
    return podTemplates(output)
      .filter((t) => inDepartment(output, str(obj(t.owner.metadata).namespace)) && classificationMarks(t.owner, t.path).length === 0)
      .map((t) =>
        violation(
          t.object,
          field(`${templateMetadataPath(t.path)}.labels`, DATA_CLASSIFICATION_KEY),
          `runs on public-cloud cluster ${output.cluster} without a data-classification mark, so it counts as personal data; advised: the label ${DATA_CLASSIFICATION_KEY} with internal or public`,
        ),
      );
  },
};

// ---------------------------------------------------------------------------------------------
// Backups

/** The label the shelf puts on every object of an instance (constructs/core/labels.ts, LABELS.middleware). */
const MIDDLEWARE_LABEL = 'govcloud.io/middleware';
const HELM_INSTANCE_LABEL = 'app.kubernetes.io/instance';

interface Schedule {
  readonly ref: ObjectRef;
  readonly object: Obj;
  readonly namespace: string | undefined;
  readonly template: Obj;
}

function schedules(output: ClusterOutput): Schedule[] {
  return manifestsOf(output, 'velero.io', 'Schedule').map(scheduleOf(output));
}

/** The output's own Schedules and those of the clusters its objects run on (a Karmada control plane's members). */
function backupSchedules(output: ClusterOutput): Schedule[] {
  const members = (output.memberSchedules ?? []).filter(({ object }) => object.kind === 'Schedule');
  return [...schedules(output), ...members.map(scheduleOf(output))];
}

const scheduleOf =
  (output: ClusterOutput) =>
  ({ file, object }: ManifestObject): Schedule => ({
    ref: manifestRef(output, file, object),
    object,
    namespace: str(obj(object.metadata).namespace),
    template: obj(obj(object.spec).template),
  });

/** The Schedule backs up objects of `namespace` carrying `labels` (label selectors by matchLabels; expressions are not guessed). */
function scheduleCovers(schedule: Schedule, namespace: string, labels: Readonly<Record<string, string>>): boolean {
  const t = schedule.template;
  const included = strings(t.includedNamespaces);
  if (included.length > 0 && !included.includes('*') && !included.includes(namespace)) return false;
  if (strings(t.excludedNamespaces).includes(namespace)) return false;
  if (obj(schedule.object.spec).paused === true) return false;
  const selectors = [t.labelSelector, ...list(t.orLabelSelectors)].filter((s) => s !== undefined);
  if (selectors.length === 0) return true;
  return selectors.some((s) => isEmpty(obj(s).matchExpressions) && selectorMatches(s, labels, 'manifest'));
}

interface StatefulStore {
  readonly ref: ObjectRef;
  readonly what: string;
  readonly namespace: string;
  /** The labels a Schedule's label selector is matched against. */
  readonly labels: Readonly<Record<string, string>>;
}

const notPersonal = (body: Obj, podSpecPath?: string) => classificationMarks(body, podSpecPath).some((m) => m.value === 'internal' || m.value === 'public');

/** Department StatefulSets with volume claim templates, and department claims: presumed personal unless marked otherwise. */
function departmentVolumes(output: ClusterOutput): StatefulStore[] {
  const found: StatefulStore[] = [];
  for (const template of podTemplates(output)) {
    const namespace = str(obj(template.owner.metadata).namespace);
    if (template.owner.kind !== 'StatefulSet' || !inDepartment(output, namespace) || list(obj(template.owner.spec).volumeClaimTemplates).length === 0) continue;
    if (notPersonal(template.owner, template.path)) continue;
    found.push({ ref: template.object, what: `StatefulSet ${namespace}/${String(obj(template.owner.metadata).name)}`, namespace, labels: template.labels });
  }
  for (const claim of objectsOf(output, 'PersistentVolumeClaim')) {
    if (!inDepartment(output, claim.namespace) || notPersonal(claim.body)) continue;
    found.push({
      ref: claim.ref,
      what: `PersistentVolumeClaim ${claim.namespace}/${claim.name}`,
      namespace: claim.namespace,
      labels: stringRecord(claim.metadata.labels),
    });
  }
  return found;
}

/**
 * Shelf instances: a helm_release named by the shelf label of objects in its own namespace (the
 * release itself carries no labels, so those objects also say what it holds).
 */
function shelfInstances(output: ClusterOutput): StatefulStore[] {
  return helmReleases(output).flatMap((release) => {
    const name = str(release.body.name);
    const namespace = resolveName(output, release.body.namespace);
    if (!name || !namespace) return [];
    const own = objectsOf(output, 'Secret', 'ConfigMap', 'NetworkPolicy').filter(
      (o) => o.namespace === namespace && obj(o.metadata.labels)[MIDDLEWARE_LABEL] === name,
    );
    if (own.length === 0 || own.some((o) => notPersonal(o.body))) return [];
    return [{ ref: terraformRef(output, release, namespace), what: `shelf instance ${name}`, namespace, labels: { [HELM_INSTANCE_LABEL]: name } }];
  });
}

function unscheduled(output: ClusterOutput, stores: readonly StatefulStore[]): Violation[] {
  const all = backupSchedules(output);
  return stores.flatMap((store) =>
    all.some((s) => scheduleCovers(s, store.namespace, store.labels))
      ? []
      : [
          violation(
            store.ref,
            '',
            `${store.what} keeps data in namespace ${store.namespace}, but no unpaused Velero Schedule includes that namespace and selects it; allowed: a Schedule covering it`,
          ),
        ],
  );
}

const BAK_01: Rule = {
  id: 'GCB-BAK-01',
  title: 'Department volumes of (presumed) personal data are in a Velero backup Schedule',
  severity: 'error',
  rationale:
    "A StatefulSet's or claim's volume without a backup loses citizen records with the disk. A stateful service's volumes get a Velero Schedule of their own (or their DR pair's) unless its backup is switched off; a volume from an escape hatch or a hand-written object has neither.",
  fix: "Leave the stateful service's `statefulSet.backup` on (a daily Velero Schedule of its volumes), keep state on the middleware shelf (backed up by default), or add the department to a DR pair (`disasterRecovery`, whose Schedule covers its namespace); mark the workload dataClassification internal or public if it holds no personal data.",
  controls: [MLPS_LOCAL_BACKUP],
  check: (output) => unscheduled(output, departmentVolumes(output)),
};

const BAK_02: Rule = {
  id: 'GCB-BAK-02',
  title: 'Every shelf instance is in a Velero backup Schedule',
  severity: 'warning',
  rationale:
    "A shelf database, queue or bucket without a backup loses its data with its volumes. A warning: the spec's own check already requires a reason to switch an instance's backups off on a production cluster (a cache rebuilt from its database), and the output shows neither that reason nor what the instance holds.",
  fix: "Leave the instance's `backup` on (a daily Velero Schedule per instance), or cover the `middleware` namespace with a DR pair; for a cache, `backup: { enabled: false, reason }` records why.",
  controls: [MLPS_LOCAL_BACKUP],
  check: (output) => unscheduled(output, shelfInstances(output)),
};

/** An object-store endpoint inside the cluster it protects (a Service, a bare service name, loopback): backups there fail with it. */
export function inClusterEndpoint(url: string): boolean {
  const host = url
    .replace(/^[a-z][a-z\d+.-]*:\/\//i, '')
    .split(/[/:?#]/)[0]
    .toLowerCase();
  return host === 'localhost' || host.startsWith('127.') || /\.svc(?:\.cluster\.local)?$/.test(host) || host.endsWith('.cluster.local') || !host.includes('.');
}

const BAK_03: Rule = {
  id: 'GCB-BAK-03',
  title: 'Backups go to a writable, off-cluster location the output defines',
  severity: 'warning',
  rationale:
    "A Schedule whose BackupStorageLocation is not in the output (the cluster's default location, installed by hand) cannot be shown to leave the site; a location inside the cluster, or a read-only one, loses or never takes the backups.",
  fix: "Give the cluster a DR pair (`disasterRecovery`, whose off-site BackupStorageLocation becomes the default) or name a location with `backup.storageLocation` on the shelf instance; the location's s3Url must be an object store outside the cluster.",
  controls: [MLPS_OFFSITE_BACKUP],
  check(output) {
    const locations = manifestsOf(output, 'velero.io', 'BackupStorageLocation').map(({ file, object }) => ({ ref: manifestRef(output, file, object), object }));
    return schedules(output).flatMap((schedule) => {
      const named = str(schedule.template.storageLocation);
      const sameNamespace = locations.filter((l) => str(obj(l.object.metadata).namespace) === schedule.namespace);
      const location =
        named !== undefined ? sameNamespace.find((l) => obj(l.object.metadata).name === named) : sameNamespace.find((l) => obj(l.object.spec).default === true);
      const at = 'spec.template.storageLocation';
      if (!location) {
        return [
          violation(
            schedule.ref,
            at,
            named !== undefined
              ? `names BackupStorageLocation ${named}, which is not in this cluster's output: where the backups go cannot be shown; advised: a location defined with the Schedule`
              : "names no location, and the output defines no default BackupStorageLocation: the backups go wherever the cluster's Velero was configured by hand; advised: a location the output defines",
          ),
        ];
      }
      const spec = obj(location.object.spec);
      const endpoint = str(obj(spec.config).s3Url);
      if (spec.accessMode === 'ReadOnly')
        return [
          violation(
            schedule.ref,
            at,
            `writes to BackupStorageLocation ${String(obj(location.object.metadata).name)}, which is ReadOnly: no backup is taken; allowed: a ReadWrite location`,
          ),
        ];
      if (endpoint !== undefined && inClusterEndpoint(endpoint)) {
        return [
          violation(
            schedule.ref,
            at,
            `writes to BackupStorageLocation ${String(obj(location.object.metadata).name)} at ${endpoint}, inside the cluster it protects; allowed: an object store off the cluster, in another region or cloud`,
          ),
        ];
      }
      return [];
    });
  },
};

/** Robfig cron descriptors Velero accepts, in seconds between runs (a month and a year at their longest). */
const DESCRIPTORS: Readonly<Record<string, number>> = {
  '@hourly': 3600,
  '@daily': 86400,
  '@midnight': 86400,
  '@weekly': 7 * 86400,
  '@monthly': 31 * 86400,
  '@yearly': 366 * 86400,
  '@annually': 366 * 86400,
};

/** The values of one cron field (`*`, `5`, `1-5`, `*\/15`, `5/15`, lists of these), or undefined. */
function cronField(text: string, min: number, max: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(?:(\*)|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const step = match[4] ? Number(match[4]) : 1;
    const from = match[1] ? min : Number(match[2]);
    // `5/15` runs from 5 to the end of the range, as robfig/cron reads it.
    const to = match[1] ? max : match[3] ? Number(match[3]) : match[4] ? max : from;
    if (from < min || to > max || from > to || step < 1) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * Longest time between two runs of a Velero Schedule's cron line, in seconds: Infinity when some
 * days have no run at all (restricted day of month, month or weekday), undefined when it does not parse.
 */
export function longestCronGap(schedule: string): number | undefined {
  const line = schedule.trim().replace(/^(?:CRON_)?TZ=\S+\s+/, '');
  if (line.startsWith('@every ')) return parseDuration(line.slice('@every '.length).trim());
  if (line.startsWith('@')) return DESCRIPTORS[line];
  const fields = line.split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const minutes = cronField(minute, 0, 59);
  const hours = cronField(hour, 0, 23);
  if (!minutes || !hours) return undefined;
  if (![dayOfMonth, month, dayOfWeek].every((f) => f === '*' || f === '?')) return Infinity;
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m));
  const gaps = times.map((t, i) => (i + 1 < times.length ? times[i + 1] - t : 1440 - t + times[0]));
  return Math.max(...gaps) * 60;
}

const DAY = 86400;

const BAK_04: Rule = {
  id: 'GCB-BAK-04',
  title: 'Backup Schedules run, at least daily',
  severity: 'warning',
  rationale:
    "The pair's RPO is not in the output (the DR checks hold every pair's Schedule to it at synth); what the output shows is that each Schedule runs, and a backup older than a day is more than a working day of citizens' records lost.",
  fix: "Keep the shelf's daily schedule (`backup.schedule`, default `0 18 * * *`) or a DR pair's RPO-derived one; unpause paused Schedules.",
  controls: [MLPS_LOCAL_BACKUP],
  check(output) {
    return schedules(output).flatMap((schedule) => {
      const spec = obj(schedule.object.spec);
      if (spec.paused === true) return [violation(schedule.ref, 'spec.paused', 'is paused: no backups are taken; allowed: unpaused')];
      const line = str(spec.schedule) ?? '';
      const gap = longestCronGap(line);
      if (gap === undefined)
        return [violation(schedule.ref, 'spec.schedule', `"${line}" is not a cron line Velero runs; allowed: five fields, @every <duration> or a descriptor`)];
      if (gap <= DAY) return [];
      const how = gap === Infinity ? 'does not run every day' : `leaves up to ${Math.round(gap / 3600)} hours between backups`;
      return [violation(schedule.ref, 'spec.schedule', `"${line}" ${how}; advised: at least daily`)];
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Retention

/** Cybersecurity Law art. 21(3): network logs kept at least six months. */
const RETENTION_SECONDS = 180 * DAY;

/** Bitnami thanos chart's defaults, used when the values leave a resolution out. */
const THANOS_CHART_RETENTION: Readonly<Record<string, string>> = { retentionResolutionRaw: '30d', retentionResolution5m: '30d', retentionResolution1h: '10y' };

const RET_01: Rule = {
  id: 'GCB-RET-01',
  title: 'The metrics hub keeps metrics at least 180 days',
  severity: 'error',
  rationale:
    "The Cybersecurity Law (art. 21) requires network logs to be kept at least six months and MLPS level 3 asks that audit records be kept as the law requires; the hub's long-term store is where the fleet's records of what ran, where and how it behaved live.",
  fix: "Keep the hub's Thanos compactor retention at or above 180 days for a resolution it keeps (the library writes raw 30d, 5m 180d, 1h 2y); `0d` keeps forever.",
  controls: [MLPS_AUDIT_RETENTION, NSA_LOGGING],
  check(output) {
    return helmReleases(output, 'thanos').flatMap((release) => {
      if (helmValue(release, ['compactor', 'enabled'])?.value !== true) return []; // no compactor: nothing is ever deleted
      const flags = strings(helmValue(release, ['compactor', 'extraFlags'])?.value);
      const downsampled = !flags.some((f) => f === '--downsampling.disable' || f.startsWith('--downsampling.disable='));
      const kept = (downsampled ? Object.keys(THANOS_CHART_RETENTION) : ['retentionResolutionRaw']).map((name) => {
        const set = helmValue(release, ['compactor', name]);
        const text = String(set?.value ?? THANOS_CHART_RETENTION[name]);
        const seconds = parsePrometheusDuration(text);
        return { name, text, field: set?.field ?? 'values', seconds: seconds === 0 ? Infinity : seconds };
      });
      const ref = terraformRef(output, release, resolveName(output, release.body.namespace));
      const broken = kept.filter((k) => k.seconds === undefined);
      if (broken.length > 0)
        return broken.map((k) => violation(ref, k.field, `compactor.${k.name} "${k.text}" is not a duration; allowed: e.g. 180d, 1y, or 0d (forever)`));
      const longest = kept.reduce((a, b) => ((b.seconds ?? 0) > (a.seconds ?? 0) ? b : a));
      if ((longest.seconds ?? 0) >= RETENTION_SECONDS) return [];
      return [
        violation(
          ref,
          longest.field,
          `keeps metrics at most ${longest.text} (${kept.map((k) => `${k.name} ${k.text}`).join(', ')}${downsampled ? '' : ', downsampling disabled'}); allowed: at least 180d for one resolution kept`,
        ),
      ];
    });
  },
};

const RET_02: Rule = {
  id: 'GCB-RET-02',
  title: "Every cluster's Prometheus keeps metrics 180 days or sends them to long-term storage",
  severity: 'warning',
  rationale:
    'A Prometheus that keeps days of data and writes them nowhere loses the record after a few days; the output shows the remote write, not how long the receiver keeps it.',
  fix: 'Turn on `observability` with a hub (every cluster remote-writes to it), or raise `prometheus.retention` to 180d with storage to match.',
  controls: [MLPS_CENTRAL_MONITORING, MLPS_AUDIT_RETENTION, NSA_LOGGING],
  check(output) {
    return helmReleases(output, 'kube-prometheus-stack').flatMap((release) => {
      const retention = helmValue(release, ['prometheus', 'prometheusSpec', 'retention']);
      const text = String(retention?.value ?? '10d'); // the chart's default
      const seconds = parsePrometheusDuration(text);
      if (seconds === 0 || (seconds ?? 0) >= RETENTION_SECONDS) return [];
      const writes = list(helmValue(release, ['prometheus', 'prometheusSpec', 'remoteWrite'])?.value).filter((w) => !!str(obj(w).url));
      if (writes.length > 0) return [];
      return [
        violation(
          terraformRef(output, release, resolveName(output, release.body.namespace)),
          retention?.field ?? 'values',
          `Prometheus keeps ${text} and remote-writes nowhere; advised: a remote write to the hub, or retention of at least 180d`,
        ),
      ];
    });
  },
};

/** Tenancy, network, RBAC, secrets, availability, transport security, data placement, backups and retention. */
export const PLATFORM_RULES: readonly Rule[] = [
  NET_01,
  NET_02,
  NET_03,
  TEN_01,
  TEN_02,
  TEN_03,
  TEN_04,
  RBAC_01,
  RBAC_02,
  RBAC_03,
  RBAC_04,
  SEC_01,
  SEC_02,
  SEC_03,
  SEC_04,
  SEC_05,
  SEC_06,
  AVL_01,
  AVL_02,
  TLS_01,
  TLS_02,
  TLS_03,
  TLS_04,
  TLS_05,
  TLS_06,
  DATA_01,
  DATA_02,
  BAK_01,
  BAK_02,
  BAK_03,
  BAK_04,
  RET_01,
  RET_02,
];
