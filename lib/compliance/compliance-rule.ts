// The compliance engine's vocabulary: a rule is a pure function over one cluster's final
// synthesized output (both layers, after escape hatches), returning where it is violated. The
// engine knows nothing of the constructs: it reads the objects a user would apply.

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Severity = 'error' | 'warning';

/** The control catalogues a rule maps to. */
export type Framework = 'MLPS 2.0 L3' | 'CIS Kubernetes' | 'NSA/CISA' | 'PSS';

/**
 * One control a rule helps meet. `id` is the catalogue's own reference: for MLPS 2.0 the clause of
 * GB/T 22239-2019 (e.g. "8.1.4.2"), for the CIS Kubernetes Benchmark its recommendation number
 * (e.g. "5.2.2"), for the NSA/CISA Kubernetes Hardening Guide its section name, for the Pod
 * Security Standards the level and control ("restricted: Privilege Escalation").
 */
export interface ControlRef {
  readonly framework: Framework;
  readonly id: string;
  /** What the control asks, in a few words. */
  readonly title: string;
  /**
   * False where the mapping is our reading and not the catalogue's own text (MLPS clauses are
   * worded for systems in general, not for Kubernetes). @default true
   */
  readonly certain?: boolean;
}

/** A manifest object as written to `manifests/<region>/<cluster>/<file>.yaml`. */
export interface ManifestObject {
  readonly file: string;
  readonly object: Json;
}

/** A Terraform resource as written to the cluster's `cdk.tf.json`. */
export interface TerraformResource {
  /** e.g. `kubernetes_namespace_v1` */
  readonly type: string;
  /** The resource's name in the stack (its logical id). */
  readonly name: string;
  /** The construct path cdktf records (`//.metadata.path`), e.g. `changsha-gov/education/namespace`. */
  readonly constructPath: string;
  readonly body: Json;
}

/** One cluster's final output: what the rules read. */
export interface ClusterOutput {
  readonly region: string;
  readonly cluster: string;
  readonly role: 'gov' | 'public';
  readonly production: boolean;
  /** Every manifest of the cluster's folder (and, in Karmada mode, the cluster's share of the region's folded department files). */
  readonly manifests: readonly ManifestObject[];
  /** Every resource of the cluster's Terraform stack. */
  readonly terraform: readonly TerraformResource[];
  /** The registry (host and path) every image on this cluster must come from. */
  readonly registry: string;
  /** Department namespaces on this cluster. */
  readonly departments: readonly string[];
  /**
   * Velero Schedules written to other outputs that back up this one's objects: a Karmada control
   * plane's templates run, and are backed up, on its member clusters. @default none
   */
  readonly memberSchedules?: readonly ManifestObject[];
}

/** Which object a violation is about, as a user finds it in the output. */
export interface ObjectRef {
  readonly layer: 'manifest' | 'terraform';
  /** `Deployment education/enrolment` or `kubernetes_namespace_v1.education_namespace_F8846ED0`. */
  readonly name: string;
  /** The department (namespace) it belongs to, when it belongs to one: suppressions can be scoped by it. */
  readonly department?: string;
  /** Where it is written: `manifests/changsha/gov/education.yaml`, `terraform/stacks/changsha-gov/cdk.tf.json`. */
  readonly file?: string;
}

/** One place a rule is broken. */
export interface Violation {
  readonly object: ObjectRef;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  readonly field: string;
  /** What is wrong there, with the value found. */
  readonly message: string;
}

/**
 * A check the API server itself can run (a ValidatingAdmissionPolicy in CEL), so that what is
 * applied after deploy meets the same rule. The policy matches pod-bearing objects (Pods,
 * Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs) in department namespaces and
 * binds two variables the expressions read:
 * - `variables.podSpec`: the pod spec (a Pod's `spec`, a CronJob's job template's, else the template's);
 * - `variables.containers`: its containers, init containers and ephemeral containers in one list.
 * Each expression must hold (true) for an admissible object; `message` is what `kubectl` shows.
 */
export interface AdmissionCheck {
  readonly validations: ReadonlyArray<{ readonly expression: string; readonly message: string }>;
}

export interface Rule {
  /** Stable id, `GCB-<AREA>-<NN>`: suppressions name it. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Why the rule exists, in a sentence or two. */
  readonly rationale: string;
  /** What to change, in the spec's terms where the library writes the object. */
  readonly fix: string;
  readonly controls: readonly ControlRef[];
  check(output: ClusterOutput): Violation[];
  /** The same rule for the API server, where CEL can say it. */
  readonly admission?: AdmissionCheck;
}
