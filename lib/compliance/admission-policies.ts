import type { ClusterOutput, Json, Rule } from './compliance-rule';
import type { Suppression } from './evaluate';
import { manifestName } from './pod-templates';

// The rule pack at runtime: every rule with an `admission` check becomes a ValidatingAdmissionPolicy
// (admissionregistration.k8s.io/v1, GA since Kubernetes 1.30) with its bindings, so an object
// applied after deploy meets the same standard as the synthesized output. The policies match
// pod-bearing objects in department namespaces; a suppression turns Deny into Warn + Audit for
// exactly its scope (the cluster, a department, or one workload of a department).

export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';

/** Label on every policy and binding: the rule it enforces (`GCB-POD-01`). */
export const ADMISSION_RULE_LABEL = 'govcloud.io/compliance-rule';
/** Annotation on every policy and binding: the rule's title. */
export const ADMISSION_TITLE_ANNOTATION = 'govcloud.io/compliance-rule-title';
/** Annotation on a Warn + Audit binding: the reasons of the suppressions behind it. */
export const ADMISSION_WAIVER_ANNOTATION = 'govcloud.io/compliance-waiver';

/** What a binding does with a failed validation: enforce, or only warn the client and record it in the audit log. */
export const DENY: readonly string[] = ['Deny'];
export const WARN_AND_AUDIT: readonly string[] = ['Warn', 'Audit'];

const OPERATIONS = ['CREATE', 'UPDATE'];

/**
 * Every object that carries a pod spec, by API group; `pods/ephemeralcontainers` is how
 * `kubectl debug` adds a container to a running pod (the Pod Security Standards check it too).
 * Argo Rollouts are not matched: the library writes none.
 */
export const ADMISSION_RESOURCE_RULES: readonly Json[] = [
  { apiGroups: [''], apiVersions: ['v1'], operations: OPERATIONS, resources: ['pods', 'pods/ephemeralcontainers'] },
  { apiGroups: ['apps'], apiVersions: ['v1'], operations: OPERATIONS, resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'] },
  { apiGroups: ['batch'], apiVersions: ['v1'], operations: OPERATIONS, resources: ['cronjobs', 'jobs'] },
];

/** The kinds of ADMISSION_RESOURCE_RULES, as objects name them. */
const POD_BEARING_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

/**
 * The variables every rule's expressions read (compliance-rule.ts, AdmissionCheck): the pod spec
 * wherever the kind keeps it, and every container of it in one list. `containers` is required in a
 * pod spec; the other two lists are guarded.
 */
export const ADMISSION_VARIABLES: readonly Json[] = [
  {
    name: 'podSpec',
    expression: "object.kind == 'Pod' ? object.spec : (object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec)",
  },
  {
    name: 'containers',
    expression:
      'variables.podSpec.containers' +
      ' + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : [])' +
      ' + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])',
  },
];

/**
 * Updates that leave the spec as it was (labels, annotations, finalizers, a deletion) are not
 * judged again, as Pod Security Admission exempts them: an object admitted before a policy existed
 * can still be relabelled and deleted.
 */
export const ADMISSION_MATCH_CONDITIONS: readonly Json[] = [
  { name: 'spec-written', expression: "request.operation != 'UPDATE' || object.spec != oldObject.spec" },
];

/**
 * A rule's admission check set to warn instead of deny where the rule is suppressed on this
 * cluster. A waiver with neither `department` nor `object` covers every department of the cluster.
 */
export interface AdmissionWaiver {
  /** The rule id, e.g. `GCB-POD-02`. Waivers of rules without an admission check are ignored. */
  readonly rule: string;
  /** The department (namespace) waived. @default every department of the cluster */
  readonly department?: string;
  /**
   * Only the objects of `department` (and the pods made from them) whose `objectLabel` label has
   * this value; needs `department` and `AdmissionPolicyOptions.objectLabel`. @default the whole department
   */
  readonly object?: string;
  /** Why: written to the Warn + Audit binding's annotation. @default none */
  readonly reason?: string;
}

export interface AdmissionPolicyOptions {
  /**
   * The namespace label every department namespace carries (`govcloud.io/department`); the
   * policies apply in the namespaces that have it, and a department waiver selects its value.
   */
  readonly departmentLabel: string;
  /**
   * The object label an object-scoped waiver selects by (`app.kubernetes.io/name`): workloads and
   * their pod templates must both carry it. @default - object-scoped waivers are an error
   */
  readonly objectLabel?: string;
  /** Where rules are suppressed on this cluster (see `admissionWaivers`). @default none: every binding denies */
  readonly waivers?: readonly AdmissionWaiver[];
  /** Labels every policy and binding carries besides the rule's (placement labels). @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A policy's name: the rule id in lower case (`GCB-POD-01` -> `gcb-pod-01`). */
export function admissionPolicyName(ruleId: string): string {
  return ruleId.toLowerCase();
}

/** A validation message as the API server shows it: `[GCB-POD-01] containers must not ...` (a leading `GCB-POD-01:` is not repeated). */
export function admissionMessage(ruleId: string, message: string): string {
  const own = [`[${ruleId}]`, `${ruleId}:`].find((prefix) => message.startsWith(prefix));
  return `[${ruleId}] ${own ? message.slice(own.length).trimStart() : message}`;
}

/**
 * One cluster's admission policies: per rule with an admission check (in rule id order), its
 * ValidatingAdmissionPolicy named after the rule (`gcb-pod-01`), then its bindings:
 * - `gcb-pod-01`: every department namespace not waived below; Deny, or Warn + Audit when the rule is
 *   waived for the whole cluster;
 * - `gcb-pod-01.<department>.waived`: Warn + Audit in a waived department, or for its waived objects
 *   only, which `gcb-pod-01.<department>` (Deny) then leaves out of that department.
 * Pure and deterministic: the same rules and options give the same objects, in the same order.
 */
export function admissionPolicies(rules: readonly Rule[], options: AdmissionPolicyOptions): Json[] {
  checkOptions(rules, options);
  const enforced = rules.filter((rule) => (rule.admission?.validations.length ?? 0) > 0).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return enforced.flatMap((rule) => [policy(rule, options), ...bindings(rule, options)]);
}

function policy(rule: Rule, options: AdmissionPolicyOptions): Json {
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: metadata(admissionPolicyName(rule.id), rule, options),
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        // The bindings select department namespaces too; here it holds even for a binding written by hand.
        namespaceSelector: { matchExpressions: [{ key: options.departmentLabel, operator: 'Exists' }] },
        resourceRules: ADMISSION_RESOURCE_RULES.map((r) => structuredClone(r)),
      },
      matchConditions: ADMISSION_MATCH_CONDITIONS.map((c) => ({ ...c })),
      variables: ADMISSION_VARIABLES.map((v) => ({ ...v })),
      validations: rule.admission!.validations.map((v) => ({ expression: v.expression, message: admissionMessage(rule.id, v.message) })),
    },
  };
}

interface DepartmentWaiver {
  /** Every object of the department, or only these values of the object label. */
  readonly objects: 'all' | string[];
  readonly reasons: string[];
}

function bindings(rule: Rule, options: AdmissionPolicyOptions): Json[] {
  const name = admissionPolicyName(rule.id);
  const waivers = (options.waivers ?? []).filter((w) => w.rule === rule.id);
  const department = options.departmentLabel;
  const inDepartments = { key: department, operator: 'Exists' };

  const clusterWide = waivers.filter((w) => w.department === undefined);
  if (clusterWide.length > 0) {
    return [binding(name, name, rule, options, WARN_AND_AUDIT, { matchExpressions: [inDepartments] }, undefined, reasonsOf(clusterWide))];
  }

  const byDepartment = new Map<string, DepartmentWaiver>();
  for (const waiver of waivers) {
    const entry = byDepartment.get(waiver.department!) ?? { objects: [], reasons: [] };
    const objects = entry.objects === 'all' || waiver.object === undefined ? 'all' : [...entry.objects, waiver.object];
    byDepartment.set(waiver.department!, { objects, reasons: waiver.reason ? [...entry.reasons, waiver.reason] : entry.reasons });
  }
  const departments = [...byDepartment.keys()].sort();
  const main = binding(
    name,
    name,
    rule,
    options,
    DENY,
    { matchExpressions: [inDepartments, ...(departments.length > 0 ? [{ key: department, operator: 'NotIn', values: departments }] : [])] },
    undefined,
    [],
  );
  const perDepartment = departments.flatMap((d) => {
    const { objects, reasons } = byDepartment.get(d)!;
    const namespaceSelector = { matchLabels: { [department]: d } };
    const waived = `${name}.${d}.waived`;
    if (objects === 'all') return [binding(waived, name, rule, options, WARN_AND_AUDIT, namespaceSelector, undefined, unique(reasons))];
    const values = unique(objects).sort();
    const key = options.objectLabel!;
    return [
      binding(`${name}.${d}`, name, rule, options, DENY, namespaceSelector, { matchExpressions: [{ key, operator: 'NotIn', values }] }, []),
      binding(waived, name, rule, options, WARN_AND_AUDIT, namespaceSelector, { matchExpressions: [{ key, operator: 'In', values }] }, unique(reasons)),
    ];
  });
  return [main, ...perDepartment];
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

function reasonsOf(waivers: readonly AdmissionWaiver[]): string[] {
  return unique(waivers.flatMap((w) => (w.reason ? [w.reason] : [])));
}

function binding(
  name: string,
  policyName: string,
  rule: Rule,
  options: AdmissionPolicyOptions,
  actions: readonly string[],
  namespaceSelector: Json,
  objectSelector: Json | undefined,
  reasons: readonly string[],
): Json {
  const meta = metadata(name, rule, options);
  if (reasons.length > 0) (meta.annotations as Record<string, string>)[ADMISSION_WAIVER_ANNOTATION] = reasons.join('; ');
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: meta,
    spec: {
      policyName,
      validationActions: [...actions],
      matchResources: { namespaceSelector, ...(objectSelector ? { objectSelector } : {}) },
    },
  };
}

function metadata(name: string, rule: Rule, options: AdmissionPolicyOptions): Json {
  return {
    name,
    labels: { ...options.labels, [ADMISSION_RULE_LABEL]: rule.id },
    annotations: { [ADMISSION_TITLE_ANNOTATION]: rule.title },
  };
}

// ---------------------------------------------------------------------------------------------
// Checks of the input: the API server would reject what they catch, later and less clearly.

/** A label value: 63 characters at most, alphanumeric at both ends, `-`, `_` and `.` inside. */
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)$/;
/** A qualified label key: an optional DNS subdomain prefix and a name as above. */
const LABEL_KEY = /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
/** A department namespace: a DNS-1123 label. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A rule id becomes a policy name: a DNS-1123 subdomain once in lower case. */
const RULE_ID = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

function checkOptions(rules: readonly Rule[], options: AdmissionPolicyOptions): void {
  const problems: string[] = [];
  if (!LABEL_KEY.test(options.departmentLabel)) problems.push(`departmentLabel ${JSON.stringify(options.departmentLabel)} is not a label key`);
  if (options.objectLabel !== undefined && !LABEL_KEY.test(options.objectLabel))
    problems.push(`objectLabel ${JSON.stringify(options.objectLabel)} is not a label key`);
  for (const [key, value] of Object.entries(options.labels ?? {})) {
    if (!LABEL_KEY.test(key) || !LABEL_VALUE.test(value)) problems.push(`labels: ${JSON.stringify(key)}: ${JSON.stringify(value)} is not a valid label`);
  }
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push(`rule ${rule.id} is given twice`);
    seen.add(rule.id);
    if (!rule.admission) continue;
    if (!RULE_ID.test(rule.id)) problems.push(`rule id ${JSON.stringify(rule.id)} cannot name a policy (letters, digits, "-" and "." only)`);
    rule.admission.validations.forEach((v, i) => {
      if (v.expression.trim() === '') problems.push(`${rule.id}: admission validation ${i} has no expression`);
      if (/[\r\n]/.test(v.message)) problems.push(`${rule.id}: admission validation ${i}'s message has a line break, which the API server rejects`);
    });
  }
  (options.waivers ?? []).forEach((waiver, i) => {
    const at = `waivers[${i}] (${waiver.rule})`;
    if (waiver.department !== undefined && !DNS_LABEL.test(waiver.department))
      problems.push(`${at}: department ${JSON.stringify(waiver.department)} is not a namespace name`);
    if (waiver.object === undefined) return;
    if (waiver.department === undefined) problems.push(`${at}: an object waiver needs its department`);
    if (options.objectLabel === undefined) problems.push(`${at}: an object waiver needs options.objectLabel, the label it selects by`);
    if (!LABEL_VALUE.test(waiver.object)) problems.push(`${at}: object ${JSON.stringify(waiver.object)} is not a label value (63 characters at most)`);
  });
  if (problems.length > 0)
    throw new Error(`cannot write the admission policies (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
}

// ---------------------------------------------------------------------------------------------
// From suppressions to waivers

/**
 * The waivers of one cluster: the suppressions whose region and cluster match it, each narrowed to
 * what the policies can select.
 * - region and/or cluster only: the whole cluster;
 * - a department of the cluster: that department (other departments are not on this cluster: none);
 * - an object (`Deployment education/enrolment`) of the cluster's output in a department namespace:
 *   that object and its pods, by the value of `objectLabel` they both carry; where they do not
 *   (or no `objectLabel` is given), its whole department, so the suppressed object still deploys.
 *   Objects outside department namespaces and objects not in the output need no waiver.
 */
export function admissionWaivers(suppressions: readonly Suppression[], output: ClusterOutput, objectLabel?: string): AdmissionWaiver[] {
  const waivers: AdmissionWaiver[] = [];
  for (const suppression of suppressions) {
    const { region, cluster, department, object } = suppression.scope;
    if ((region !== undefined && region !== output.region) || (cluster !== undefined && cluster !== output.cluster)) continue;
    if (department !== undefined && !output.departments.includes(department)) continue;
    const reason = suppression.reason;
    if (object === undefined) {
      waivers.push({ rule: suppression.rule, ...(department !== undefined ? { department } : {}), reason });
      continue;
    }
    const found = output.manifests.find((m) => manifestName(m.object) === object)?.object;
    const namespace = at(found, 'metadata', 'namespace');
    if (!found || typeof namespace !== 'string' || !output.departments.includes(namespace) || (department !== undefined && department !== namespace)) continue;
    if (!POD_BEARING_KINDS.has(String(found.kind))) continue; // the policies never see it
    const value = objectLabel === undefined ? undefined : selectableValue(found, objectLabel);
    waivers.push({ rule: suppression.rule, department: namespace, ...(value !== undefined ? { object: value } : {}), reason });
  }
  return waivers;
}

/** The object label's value when the object and its pod template both carry it (so the pods made from it are selected too). */
function selectableValue(object: Json, key: string): string | undefined {
  const own = at(object, 'metadata', 'labels', key);
  const template =
    object.kind === 'Pod' ? object : object.kind === 'CronJob' ? at(object, 'spec', 'jobTemplate', 'spec', 'template') : at(object, 'spec', 'template');
  const podLabel = at(template, 'metadata', 'labels', key);
  return typeof own === 'string' && own === podLabel && LABEL_VALUE.test(own) ? own : undefined;
}

/** The value at a path of nested objects, or undefined where one is missing. */
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}
