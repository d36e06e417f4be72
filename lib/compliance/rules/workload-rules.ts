import type { ClusterOutput, Json, Rule, Violation } from '../compliance-rule';
import {
  cis,
  pss,
  MLPS_CLOSE_PORTS,
  MLPS_HIGH_AVAILABILITY,
  MLPS_KNOWN_VULNERABILITIES,
  MLPS_LEAST_PRIVILEGE,
  MLPS_MALICIOUS_CODE,
  MLPS_MINIMAL_INSTALL,
  MLPS_SECURITY_LABELS,
  MLPS_TRUSTED_VERIFICATION,
  NSA_ENFORCEMENT,
  NSA_IMAGES,
  NSA_IMMUTABLE,
  NSA_NON_ROOT,
  NSA_RESOURCES,
  NSA_TOKENS,
} from './controls';
import { type ContainerAt, type PodTemplate, containersOf, podTemplates } from '../pod-templates';
import { parseQuantity } from '../../quantity';
import { imageIsFromRegistry } from '../../supply-chain';

// Pod security, resources, images, probes and priority of every pod template in the output.
//
// Severity: error where the library's own output complies and a violation opens a real hole
// (it can only come from an escape hatch or a hand-written object); warning where the rule is
// advice, or where the library does not comply yet (ephemeral storage, priority classes).
//
// Admission: error rules that CEL can say carry the same check for the API server. Warning rules
// carry none, so that a runtime Deny is never stricter than synth; the registry rule carries none
// because the expression cannot know the cluster's registry from the object.

// ---------------------------------------------------------------------------------------------
// Controls

/** MLPS 2.0 clauses are worded for systems in general: every mapping of a pod setting to one is our reading. */

// ---------------------------------------------------------------------------------------------
// Reading the output

interface Found {
  readonly field: string;
  readonly message: string;
}

type ContainerList = ContainerAt['list'];
const ALL_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];
/** Containers and init containers: ephemeral containers may set neither ports nor resources nor probes. */
const RUNNING_LISTS: readonly ContainerList[] = ['containers', 'initContainers'];

/** Kinds whose pods are meant to keep running: probes apply to their containers. Jobs and CronJobs run to completion. */
const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout']);

function perTemplate(output: ClusterOutput, check: (template: PodTemplate) => Found[]): Violation[] {
  return podTemplates(output).flatMap((template) => check(template).map((found) => ({ object: template.object, ...found })));
}

function perContainer(output: ClusterOutput, lists: readonly ContainerList[], check: (at: ContainerAt, template: PodTemplate) => Found[]): Violation[] {
  return perTemplate(output, (template) =>
    containersOf(template.spec, template.path)
      .filter((at) => lists.includes(at.list))
      .flatMap((at) => check(at, template)),
  );
}

/** The object at `key`, or an empty one: reads nested optional fields without letting `any` spread. */
function child(holder: Json | undefined, key: string): Json {
  const value: unknown = holder?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}
const securityContext = (holder: Json): Json => child(holder, 'securityContext');
const named = (at: ContainerAt): string => `${listLabel(at.list)} "${String(at.container.name)}"`;
const listLabel = (list: ContainerList): string =>
  ({ containers: 'container', initContainers: 'init container', ephemeralContainers: 'ephemeral container' })[list];
const shown = (value: unknown): string => (value === undefined ? 'unset' : JSON.stringify(value));

/** The pod template's annotations (the Pod's own for a Pod). */
function podAnnotations(template: PodTemplate): Record<string, string> {
  let holder: Json = template.owner;
  for (const key of template.path.split('.').slice(0, -1)) holder = child(holder, key);
  return child(child(holder, 'metadata'), 'annotations');
}

const FIX_LIBRARY_SETS =
  'the library sets this on every service it writes, so an escape hatch or a hand-written object changed it: drop the patch, or suppress the rule for that object with a reason';

// ---------------------------------------------------------------------------------------------
// Pod security

const privileged: Rule = {
  id: 'GCB-POD-01',
  title: 'No privileged or Windows HostProcess containers',
  severity: 'error',
  rationale: 'A privileged container has every capability and the host devices, so one compromised process owns the node and every department pod on it.',
  fix: `Remove securityContext.privileged (or set false) and windowsOptions.hostProcess; ${FIX_LIBRARY_SETS}.`,
  controls: [
    cis('5.2.2', 'Minimize the admission of privileged containers'),
    cis('5.2.11', 'Minimize the admission of Windows HostProcess containers'),
    NSA_ENFORCEMENT,
    pss('baseline: Privileged Containers', 'privileged must be false or unset'),
    pss('baseline: HostProcess', 'windowsOptions.hostProcess must be false or unset'),
    MLPS_LEAST_PRIVILEGE,
  ],
  check: (output) => [
    ...perTemplate(output, ({ spec, path }) =>
      child(securityContext(spec), 'windowsOptions').hostProcess === true
        ? [
            {
              field: `${path}.securityContext.windowsOptions.hostProcess`,
              message: 'the pod is a Windows HostProcess pod (hostProcess: true); allowed: false or unset',
            },
          ]
        : [],
    ),
    ...perContainer(output, ALL_LISTS, (at) => {
      const context = securityContext(at.container);
      const found: Found[] = [];
      if (context.privileged === true) {
        found.push({ field: `${at.path}.securityContext.privileged`, message: `${named(at)} is privileged (privileged: true); allowed: false or unset` });
      }
      if (child(context, 'windowsOptions').hostProcess === true) {
        found.push({
          field: `${at.path}.securityContext.windowsOptions.hostProcess`,
          message: `${named(at)} is a Windows HostProcess container (hostProcess: true); allowed: false or unset`,
        });
      }
      return found;
    }),
  ],
  admission: {
    validations: [
      {
        expression: 'variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false)',
        message: 'GCB-POD-01: containers must not be privileged (securityContext.privileged must be false or unset)',
      },
      {
        expression:
          '(!has(variables.podSpec.securityContext) || !has(variables.podSpec.securityContext.windowsOptions) || !has(variables.podSpec.securityContext.windowsOptions.hostProcess) || variables.podSpec.securityContext.windowsOptions.hostProcess == false) && variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.windowsOptions) || !has(c.securityContext.windowsOptions.hostProcess) || c.securityContext.windowsOptions.hostProcess == false)',
        message: 'GCB-POD-01: Windows HostProcess pods and containers are not allowed (windowsOptions.hostProcess must be false or unset)',
      },
    ],
  },
};

/** One rule per host namespace: each is its own CIS recommendation, and a waiver for one must not cover the others. */
function hostNamespaceRule(id: string, field: 'hostNetwork' | 'hostPID' | 'hostIPC', cisId: string, what: string, rationale: string): Rule {
  return {
    id,
    title: `No ${field}: pods do not share the node's ${what}`,
    severity: 'error',
    rationale,
    fix: `Remove ${field} (or set false); ${FIX_LIBRARY_SETS}.`,
    controls: [
      cis(cisId, `Minimize the admission of containers wishing to share the host ${what}`),
      NSA_ENFORCEMENT,
      pss('baseline: Host Namespaces', 'hostNetwork, hostPID and hostIPC must be false or unset'),
      MLPS_LEAST_PRIVILEGE,
    ],
    check: (output) =>
      perTemplate(output, ({ spec, path }) =>
        spec[field] === true ? [{ field: `${path}.${field}`, message: `the pod shares the node's ${what} (${field}: true); allowed: false or unset` }] : [],
      ),
    admission: {
      validations: [
        {
          expression: `!has(variables.podSpec.${field}) || variables.podSpec.${field} == false`,
          message: `${id}: pods must not share the node's ${what} (${field} must be false or unset)`,
        },
      ],
    },
  };
}

const hostNetwork = hostNamespaceRule(
  'GCB-POD-02',
  'hostNetwork',
  '5.2.5',
  'network namespace',
  "A pod on the host network bypasses every NetworkPolicy and the mesh, and can listen on or sniff the node's interfaces.",
);
const hostPid = hostNamespaceRule(
  'GCB-POD-03',
  'hostPID',
  '5.2.3',
  'process ID namespace',
  "A pod in the host's PID namespace sees every process on the node, other departments' included, and can signal or inspect them.",
);
const hostIpc = hostNamespaceRule(
  'GCB-POD-04',
  'hostIPC',
  '5.2.4',
  'IPC namespace',
  "A pod in the host's IPC namespace can read and write other processes' shared memory on the node.",
);

const hostPort: Rule = {
  id: 'GCB-POD-05',
  title: 'No hostPort',
  severity: 'error',
  rationale:
    "A hostPort opens the node's own address to the pod, outside the Service and NetworkPolicy model, and pins the pod to nodes where the port is free.",
  fix: `Remove ports[].hostPort and reach the pod through its Service; ${FIX_LIBRARY_SETS}.`,
  controls: [
    cis('5.2.13', 'Minimize the admission of containers which use HostPorts'),
    pss('baseline: Host Ports', 'hostPort must be 0 or unset'),
    MLPS_CLOSE_PORTS,
  ],
  check: (output) =>
    perContainer(output, RUNNING_LISTS, (at) =>
      ((at.container.ports ?? []) as Json[]).flatMap((port, i) =>
        port.hostPort !== undefined && port.hostPort !== 0
          ? [{ field: `${at.path}.ports[${i}].hostPort`, message: `${named(at)} opens hostPort ${String(port.hostPort)} on the node; allowed: 0 or unset` }]
          : [],
      ),
    ),
  admission: {
    validations: [
      {
        expression: 'variables.containers.all(c, !has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0))',
        message: 'GCB-POD-05: containers must not open a hostPort (hostPort must be 0 or unset)',
      },
    ],
  },
};

const hostPath: Rule = {
  id: 'GCB-POD-06',
  title: 'No hostPath volumes',
  severity: 'error',
  rationale:
    "A hostPath volume mounts the node's file system into the pod: the container runtime socket, kubelet credentials or other pods' data are one path away.",
  fix: `Use an emptyDir, a ConfigMap or Secret, or a PersistentVolumeClaim instead; ${FIX_LIBRARY_SETS}.`,
  controls: [
    cis('5.2.12', 'Minimize the admission of HostPath volumes'),
    NSA_ENFORCEMENT,
    pss('baseline: HostPath Volumes', 'no hostPath volumes'),
    MLPS_LEAST_PRIVILEGE,
  ],
  check: (output) =>
    perTemplate(output, ({ spec, path }) =>
      ((spec.volumes ?? []) as Json[]).flatMap((volume, i) =>
        volume.hostPath !== undefined
          ? [
              {
                field: `${path}.volumes[${i}].hostPath`,
                message: `volume "${String(volume.name)}" mounts the node's path ${shown(child(volume, 'hostPath').path)} (hostPath); allowed: no hostPath volume`,
              },
            ]
          : [],
      ),
    ),
  admission: {
    validations: [
      {
        expression: '!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath))',
        message: 'GCB-POD-06: hostPath volumes are not allowed',
      },
    ],
  },
};

const runAsNonRoot: Rule = {
  id: 'GCB-POD-07',
  title: 'Containers run as non-root (runAsNonRoot true, never runAsUser 0)',
  severity: 'error',
  rationale:
    'Root in a container is root on the node the moment any isolation layer fails; runAsNonRoot makes the kubelet refuse an image that would run as UID 0.',
  fix: `Set securityContext.runAsNonRoot: true on the pod (or on every container) and a non-zero runAsUser (the service spec's runAsUser, default 10001); ${FIX_LIBRARY_SETS}.`,
  controls: [
    cis('5.2.7', 'Minimize the admission of root containers'),
    NSA_NON_ROOT,
    pss('restricted: Running as Non-root', 'runAsNonRoot true on the pod, or on every container'),
    pss('restricted: Running as Non-root user', 'runAsUser must not be 0'),
    MLPS_LEAST_PRIVILEGE,
  ],
  // The Pod Security Standards' own logic: a container may leave runAsNonRoot unset only when the pod sets it true.
  check: (output) =>
    perTemplate(output, ({ spec, path }) => {
      const pod = securityContext(spec);
      const found: Found[] = [];
      if (pod.runAsNonRoot === false) found.push({ field: `${path}.securityContext.runAsNonRoot`, message: 'the pod sets runAsNonRoot: false; allowed: true' });
      if (pod.runAsUser === 0)
        found.push({ field: `${path}.securityContext.runAsUser`, message: 'the pod runs as root (runAsUser: 0); allowed: a non-zero UID' });
      for (const at of containersOf(spec, path)) {
        const own = securityContext(at.container);
        if (own.runAsNonRoot === false) {
          found.push({ field: `${at.path}.securityContext.runAsNonRoot`, message: `${named(at)} sets runAsNonRoot: false; allowed: true` });
        } else if (own.runAsNonRoot === undefined && pod.runAsNonRoot !== true) {
          found.push({
            field: `${at.path}.securityContext.runAsNonRoot`,
            message: `${named(at)} leaves runAsNonRoot unset and the pod does not set it true (pod: ${shown(pod.runAsNonRoot)}); set true on the pod or on every container`,
          });
        }
        if (own.runAsUser === 0)
          found.push({ field: `${at.path}.securityContext.runAsUser`, message: `${named(at)} runs as root (runAsUser: 0); allowed: a non-zero UID` });
      }
      return found;
    }),
  admission: {
    validations: [
      {
        expression:
          '(has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.runAsNonRoot)) ? (variables.podSpec.securityContext.runAsNonRoot == true && variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.runAsNonRoot) || c.securityContext.runAsNonRoot == true)) : variables.containers.all(c, has(c.securityContext) && has(c.securityContext.runAsNonRoot) && c.securityContext.runAsNonRoot == true)',
        message: 'GCB-POD-07: runAsNonRoot must be true on the pod or on every container, and never false',
      },
      {
        expression:
          '(!has(variables.podSpec.securityContext) || !has(variables.podSpec.securityContext.runAsUser) || variables.podSpec.securityContext.runAsUser != 0) && variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.runAsUser) || c.securityContext.runAsUser != 0)',
        message: 'GCB-POD-07: pods and containers must not run as root (runAsUser must not be 0)',
      },
    ],
  },
};

const privilegeEscalation: Rule = {
  id: 'GCB-POD-08',
  title: 'allowPrivilegeEscalation false on every container',
  severity: 'error',
  rationale:
    'Unset, allowPrivilegeEscalation is true: a setuid binary or file capability in the image can raise the process above the privileges it started with.',
  fix: `Set securityContext.allowPrivilegeEscalation: false on every container, init container included; ${FIX_LIBRARY_SETS}.`,
  controls: [
    cis('5.2.6', 'Minimize the admission of containers with allowPrivilegeEscalation'),
    NSA_ENFORCEMENT,
    pss('restricted: Privilege Escalation', 'allowPrivilegeEscalation must be false'),
    MLPS_LEAST_PRIVILEGE,
  ],
  check: (output) =>
    perContainer(output, ALL_LISTS, (at) => {
      const value: unknown = securityContext(at.container).allowPrivilegeEscalation;
      return value === false
        ? []
        : [
            {
              field: `${at.path}.securityContext.allowPrivilegeEscalation`,
              message: `${named(at)} has allowPrivilegeEscalation ${shown(value)}${value === undefined ? ' (true by default)' : ''}; allowed: false`,
            },
          ];
    }),
  admission: {
    validations: [
      {
        expression:
          'variables.containers.all(c, has(c.securityContext) && has(c.securityContext.allowPrivilegeEscalation) && c.securityContext.allowPrivilegeEscalation == false)',
        message: 'GCB-POD-08: every container must set securityContext.allowPrivilegeEscalation: false',
      },
    ],
  },
};

const dropAll: Rule = {
  id: 'GCB-POD-09',
  title: 'Capabilities: drop ALL',
  severity: 'error',
  rationale:
    "The runtime's default capability set includes NET_RAW (packet spoofing on the pod network) and others no service needs; dropping ALL leaves only what is added back.",
  fix: `Set securityContext.capabilities.drop: [ALL] on every container; ${FIX_LIBRARY_SETS}.`,
  controls: [
    cis('5.2.10', 'Minimize the admission of containers with capabilities assigned'),
    cis('5.2.8', 'Minimize the admission of containers with the NET_RAW capability'),
    pss('restricted: Capabilities', 'containers must drop ALL'),
    MLPS_LEAST_PRIVILEGE,
  ],
  check: (output) =>
    perContainer(output, ALL_LISTS, (at) => {
      const drop: unknown = child(securityContext(at.container), 'capabilities').drop;
      return Array.isArray(drop) && drop.includes('ALL')
        ? []
        : [{ field: `${at.path}.securityContext.capabilities.drop`, message: `${named(at)} drops ${shown(drop)}; it must drop ALL` }];
    }),
  admission: {
    validations: [
      {
        expression:
          "variables.containers.all(c, has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.drop) && 'ALL' in c.securityContext.capabilities.drop)",
        message: 'GCB-POD-09: every container must drop ALL capabilities (securityContext.capabilities.drop: [ALL])',
      },
    ],
  },
};

/** The only capability the restricted profile lets a container add back: binding ports below 1024. */
const ADDABLE_CAPABILITY = 'NET_BIND_SERVICE';

const addedCapabilities: Rule = {
  id: 'GCB-POD-10',
  title: `Capabilities: add nothing beyond ${ADDABLE_CAPABILITY}`,
  severity: 'error',
  rationale:
    'Each added capability is a slice of root (SYS_ADMIN nearly all of it, NET_RAW packet forging, SYS_PTRACE reading other processes); services need none but low ports.',
  fix: `Remove securityContext.capabilities.add entries other than ${ADDABLE_CAPABILITY}; ${FIX_LIBRARY_SETS}.`,
  controls: [
    cis('5.2.9', 'Minimize the admission of containers with added capabilities'),
    cis('5.2.8', 'Minimize the admission of containers with the NET_RAW capability'),
    pss('baseline: Capabilities', 'add nothing beyond the default set'),
    pss('restricted: Capabilities', `add nothing but ${ADDABLE_CAPABILITY}`),
    MLPS_LEAST_PRIVILEGE,
  ],
  check: (output) =>
    perContainer(output, ALL_LISTS, (at) =>
      ((child(securityContext(at.container), 'capabilities').add ?? []) as unknown[]).flatMap((capability, i) =>
        capability === ADDABLE_CAPABILITY
          ? []
          : [
              {
                field: `${at.path}.securityContext.capabilities.add[${i}]`,
                message: `${named(at)} adds the capability ${shown(capability)}; only ${ADDABLE_CAPABILITY} may be added`,
              },
            ],
      ),
    ),
  admission: {
    validations: [
      {
        expression: `variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.capabilities) || !has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(a, a == '${ADDABLE_CAPABILITY}'))`,
        message: `GCB-POD-10: containers may add no capability but ${ADDABLE_CAPABILITY}`,
      },
    ],
  },
};

const CONFINING_SECCOMP = ['RuntimeDefault', 'Localhost'];

const seccomp: Rule = {
  id: 'GCB-POD-11',
  title: 'Seccomp profile RuntimeDefault or Localhost',
  severity: 'error',
  rationale:
    "Without a seccomp profile a container can make every system call, the kernel's whole attack surface; RuntimeDefault blocks the ones container escapes use.",
  fix: `Set securityContext.seccompProfile.type: RuntimeDefault on the pod (containers may then leave it unset, or set RuntimeDefault or Localhost); ${FIX_LIBRARY_SETS}.`,
  controls: [
    cis('5.7.2', 'Ensure that the seccomp profile is set to docker/default (RuntimeDefault) in pod definitions'),
    NSA_ENFORCEMENT,
    pss('baseline: Seccomp', 'the profile must not be Unconfined'),
    pss('restricted: Seccomp', 'RuntimeDefault or Localhost on the pod, or on every container'),
    MLPS_MALICIOUS_CODE,
  ],
  // As the Pod Security Standards read it: a container may leave the profile unset only when the pod sets a confining one.
  check: (output) =>
    perTemplate(output, ({ spec, path }) => {
      const podType: unknown = child(securityContext(spec), 'seccompProfile').type;
      const found: Found[] = [];
      if (podType !== undefined && !CONFINING_SECCOMP.includes(String(podType))) {
        found.push({
          field: `${path}.securityContext.seccompProfile.type`,
          message: `the pod's seccomp profile is ${shown(podType)}; allowed: RuntimeDefault or Localhost`,
        });
      }
      for (const at of containersOf(spec, path)) {
        const type: unknown = child(securityContext(at.container), 'seccompProfile').type;
        if (type !== undefined && !CONFINING_SECCOMP.includes(String(type))) {
          found.push({
            field: `${at.path}.securityContext.seccompProfile.type`,
            message: `${named(at)} has seccomp profile ${shown(type)}; allowed: RuntimeDefault or Localhost`,
          });
        } else if (type === undefined && podType === undefined) {
          found.push({
            field: `${at.path}.securityContext.seccompProfile.type`,
            message: `${named(at)} has no seccomp profile and the pod sets none; set RuntimeDefault or Localhost on the pod or on every container`,
          });
        }
      }
      return found;
    }),
  admission: {
    validations: [
      {
        expression:
          "(has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.seccompProfile)) ? (variables.podSpec.securityContext.seccompProfile.type in ['RuntimeDefault', 'Localhost'] && variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.seccompProfile) || c.securityContext.seccompProfile.type in ['RuntimeDefault', 'Localhost'])) : variables.containers.all(c, has(c.securityContext) && has(c.securityContext.seccompProfile) && c.securityContext.seccompProfile.type in ['RuntimeDefault', 'Localhost'])",
        message: 'GCB-POD-11: the seccomp profile must be RuntimeDefault or Localhost, set on the pod or on every container',
      },
    ],
  },
};

const readOnlyRootFilesystem: Rule = {
  id: 'GCB-POD-12',
  title: 'Read-only root file system',
  severity: 'error',
  rationale:
    'An attacker who cannot write to the image cannot drop tools or change binaries and configuration; scratch space comes from an emptyDir (the library mounts one at /tmp).',
  fix: `Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir where the process writes; ${FIX_LIBRARY_SETS}.`,
  controls: [NSA_IMMUTABLE, { ...cis('5.7.3', 'Apply SecurityContext to your Pods and Containers'), certain: false }, MLPS_MALICIOUS_CODE],
  // Ephemeral containers are exempt: `kubectl debug` needs somewhere to put its tools, and the Pod
  // Security Standards ask nothing of the root file system.
  check: (output) =>
    perContainer(output, RUNNING_LISTS, (at) => {
      const value: unknown = securityContext(at.container).readOnlyRootFilesystem;
      return value === true
        ? []
        : [{ field: `${at.path}.securityContext.readOnlyRootFilesystem`, message: `${named(at)} has readOnlyRootFilesystem ${shown(value)}; allowed: true` }];
    }),
  admission: {
    validations: [
      {
        expression:
          '(variables.podSpec.containers + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : [])).all(c, has(c.securityContext) && has(c.securityContext.readOnlyRootFilesystem) && c.securityContext.readOnlyRootFilesystem == true)',
        message: 'GCB-POD-12: every container and init container must set securityContext.readOnlyRootFilesystem: true',
      },
    ],
  },
};

const serviceAccountToken: Rule = {
  id: 'GCB-POD-13',
  title: 'No service account token where the pod does not need the API',
  severity: 'warning',
  rationale:
    'A mounted token lets anyone who takes over the pod talk to the API server as its service account; services that never call the API should not carry one. A warning: only the workload knows whether it needs the API.',
  fix: 'Set automountServiceAccountToken: false on the pod or on its ServiceAccount (the library does both for every service); a workload that calls the API keeps its token: suppress with the reason.',
  controls: [cis('5.1.6', 'Ensure that Service Account Tokens are only mounted where necessary'), NSA_TOKENS, MLPS_LEAST_PRIVILEGE],
  check: (output) =>
    perTemplate(output, ({ owner, spec, path }) => {
      const own = spec.automountServiceAccountToken as unknown;
      if (own === false) return [];
      const field = `${path}.automountServiceAccountToken`;
      if (own === true) return [{ field, message: 'the pod mounts its service account token (automountServiceAccountToken: true); allowed: false' }];
      // Unset on the pod: the ServiceAccount decides (the pod's field wins when set).
      const name = String(spec.serviceAccountName ?? spec.serviceAccount ?? 'default');
      const namespace: unknown = child(owner, 'metadata').namespace;
      const account = output.manifests.find(
        ({ object }) => object.kind === 'ServiceAccount' && child(object, 'metadata').name === name && child(object, 'metadata').namespace === namespace,
      )?.object;
      if (account?.automountServiceAccountToken === false) return [];
      const why = account
        ? `its ServiceAccount "${name}" does not disable it (${shown(account.automountServiceAccountToken)})`
        : `its ServiceAccount "${name}" is not in this output`;
      return [
        { field, message: `automountServiceAccountToken is unset on the pod and ${why}, so the token is mounted; set false on the pod or the ServiceAccount` },
      ];
    }),
};

/** Sysctls the Pod Security Standards (Kubernetes 1.33) count as namespaced and isolated per pod. */
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
];

const celList = (values: readonly string[]): string => `[${values.map((v) => `'${v}'`).join(', ')}]`;

const sysctls: Rule = {
  id: 'GCB-POD-14',
  title: 'Only safe sysctls',
  severity: 'error',
  rationale: 'A sysctl outside the safe set is not isolated per pod: it changes the kernel for every pod on the node, or can disable its protections.',
  fix: `Remove the sysctl from the pod's securityContext.sysctls; allowed: ${SAFE_SYSCTLS.join(', ')}.`,
  controls: [pss('baseline: Sysctls', 'only the safe, namespaced sysctls'), NSA_ENFORCEMENT, MLPS_LEAST_PRIVILEGE],
  check: (output) =>
    perTemplate(output, ({ spec, path }) =>
      ((securityContext(spec).sysctls ?? []) as Json[]).flatMap((sysctl, i) =>
        SAFE_SYSCTLS.includes(String(sysctl.name))
          ? []
          : [
              {
                field: `${path}.securityContext.sysctls[${i}].name`,
                message: `the pod sets the unsafe sysctl ${shown(sysctl.name)}; allowed: ${SAFE_SYSCTLS.join(', ')}`,
              },
            ],
      ),
    ),
  admission: {
    validations: [
      {
        expression: `!has(variables.podSpec.securityContext) || !has(variables.podSpec.securityContext.sysctls) || variables.podSpec.securityContext.sysctls.all(s, s.name in ${celList(SAFE_SYSCTLS)})`,
        message: 'GCB-POD-14: only the safe sysctls of the Pod Security Standards are allowed',
      },
    ],
  },
};

/** SELinux types the baseline profile allows (Kubernetes 1.31+ adds container_engine_t); "" means the runtime's default. */
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const CONFINING_APPARMOR = ['RuntimeDefault', 'Localhost'];
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function seLinuxProblems(context: Json, field: string, who: string): Found[] {
  const options = context.seLinuxOptions as Json | undefined;
  if (!options) return [];
  const found: Found[] = [];
  if (options.type !== undefined && !SELINUX_TYPES.includes(String(options.type))) {
    found.push({
      field: `${field}.seLinuxOptions.type`,
      message: `${who} sets the SELinux type ${shown(options.type)}; allowed: ${SELINUX_TYPES.filter(Boolean).join(', ')} or unset`,
    });
  }
  for (const key of ['user', 'role'] as const) {
    if (options[key] !== undefined && options[key] !== '') {
      found.push({ field: `${field}.seLinuxOptions.${key}`, message: `${who} sets the SELinux ${key} ${shown(options[key])}; allowed: unset` });
    }
  }
  return found;
}

function appArmorProblem(context: Json, field: string, who: string): Found[] {
  const type: unknown = child(context, 'appArmorProfile').type;
  return type !== undefined && !CONFINING_APPARMOR.includes(String(type))
    ? [{ field: `${field}.appArmorProfile.type`, message: `${who} sets the AppArmor profile ${shown(type)}; allowed: RuntimeDefault, Localhost or unset` }]
    : [];
}

const kernelConfinement: Rule = {
  id: 'GCB-POD-15',
  title: 'SELinux, AppArmor and /proc masking not loosened',
  severity: 'error',
  rationale:
    "Custom SELinux users, roles or types, an unconfined AppArmor profile or an unmasked /proc switch off the runtime's mandatory access control around the container.",
  fix: `Remove seLinuxOptions user, role and custom type, AppArmor profiles other than RuntimeDefault or Localhost (field or annotation) and procMount other than Default; ${FIX_LIBRARY_SETS}.`,
  controls: [
    pss('baseline: SELinux', 'no custom SELinux user or role; type one of the container types'),
    pss('baseline: AppArmor', 'AppArmor profile RuntimeDefault, Localhost or unset'),
    pss('baseline: /proc Mount Type', 'procMount Default or unset'),
    NSA_ENFORCEMENT,
    MLPS_SECURITY_LABELS,
  ],
  check: (output) =>
    perTemplate(output, (template) => {
      const { spec, path } = template;
      const pod = securityContext(spec);
      const found: Found[] = [...seLinuxProblems(pod, `${path}.securityContext`, 'the pod'), ...appArmorProblem(pod, `${path}.securityContext`, 'the pod')];
      for (const at of containersOf(spec, path)) {
        const own = securityContext(at.container);
        found.push(...seLinuxProblems(own, `${at.path}.securityContext`, named(at)), ...appArmorProblem(own, `${at.path}.securityContext`, named(at)));
        if (own.procMount !== undefined && own.procMount !== 'Default') {
          found.push({
            field: `${at.path}.securityContext.procMount`,
            message: `${named(at)} sets procMount ${shown(own.procMount)}; allowed: Default or unset`,
          });
        }
      }
      const metadataPath = template.path.split('.').slice(0, -1).concat('metadata', 'annotations').join('.');
      for (const [key, value] of Object.entries(podAnnotations(template))) {
        if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !(value === '' || value === 'runtime/default' || value.startsWith('localhost/'))) {
          found.push({
            field: `${metadataPath}.${key}`,
            message: `the annotation ${key} sets the AppArmor profile ${shown(value)}; allowed: runtime/default or localhost/<profile>`,
          });
        }
      }
      return found;
    }),
  // The deprecated AppArmor annotations are checked at synth only: the variables carry the pod spec, not its metadata.
  admission: {
    validations: [
      {
        expression: `!has(variables.podSpec.securityContext) || !has(variables.podSpec.securityContext.seLinuxOptions) || ((!has(variables.podSpec.securityContext.seLinuxOptions.type) || variables.podSpec.securityContext.seLinuxOptions.type in ${celList(SELINUX_TYPES)}) && (!has(variables.podSpec.securityContext.seLinuxOptions.user) || variables.podSpec.securityContext.seLinuxOptions.user == '') && (!has(variables.podSpec.securityContext.seLinuxOptions.role) || variables.podSpec.securityContext.seLinuxOptions.role == ''))`,
        message: 'GCB-POD-15: the pod must not set a custom SELinux user, role or type',
      },
      {
        expression: `variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.seLinuxOptions) || ((!has(c.securityContext.seLinuxOptions.type) || c.securityContext.seLinuxOptions.type in ${celList(SELINUX_TYPES)}) && (!has(c.securityContext.seLinuxOptions.user) || c.securityContext.seLinuxOptions.user == '') && (!has(c.securityContext.seLinuxOptions.role) || c.securityContext.seLinuxOptions.role == '')))`,
        message: 'GCB-POD-15: containers must not set a custom SELinux user, role or type',
      },
      {
        expression: `(!has(variables.podSpec.securityContext) || !has(variables.podSpec.securityContext.appArmorProfile) || variables.podSpec.securityContext.appArmorProfile.type in ${celList(CONFINING_APPARMOR)}) && variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.appArmorProfile) || c.securityContext.appArmorProfile.type in ${celList(CONFINING_APPARMOR)})`,
        message: 'GCB-POD-15: the AppArmor profile must be RuntimeDefault or Localhost',
      },
      {
        expression: "variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.procMount) || c.securityContext.procMount == 'Default')",
        message: 'GCB-POD-15: containers must keep the default /proc masking (procMount Default or unset)',
      },
    ],
  },
};

/** Volume sources the restricted profile allows (Kubernetes 1.33 adds image volumes); hostPath is GCB-POD-06's. */
const RESTRICTED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

const volumeTypes: Rule = {
  id: 'GCB-POD-16',
  title: 'Only restricted volume types',
  severity: 'error',
  rationale:
    'Inline NFS, iSCSI, RBD, gitRepo and similar sources reach storage or run code on the node without the PersistentVolume controls the platform applies; claims and projected sources cover what services need.',
  fix: `Use a PersistentVolumeClaim (or configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral) instead of the inline source; ${FIX_LIBRARY_SETS}.`,
  controls: [
    pss('restricted: Volume Types', 'only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret'),
    MLPS_LEAST_PRIVILEGE,
  ],
  check: (output) =>
    perTemplate(output, ({ spec, path }) =>
      ((spec.volumes ?? []) as Json[]).flatMap((volume, i) => {
        const sources = Object.keys(volume).filter((key) => key !== 'name' && key !== 'hostPath');
        return sources
          .filter((source) => !RESTRICTED_VOLUME_SOURCES.includes(source))
          .map((source) => ({
            field: `${path}.volumes[${i}].${source}`,
            message: `volume "${String(volume.name)}" is a ${source} volume; allowed: ${RESTRICTED_VOLUME_SOURCES.join(', ')}`,
          }));
      }),
    ),
  admission: {
    validations: [
      {
        // hostPath passes here: GCB-POD-06 denies it with its own message.
        expression: `!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, ${[...RESTRICTED_VOLUME_SOURCES, 'hostPath'].map((s) => `has(v.${s})`).join(' || ')})`,
        message: `GCB-POD-16: volumes must be one of ${RESTRICTED_VOLUME_SOURCES.join(', ')}`,
      },
    ],
  },
};

// ---------------------------------------------------------------------------------------------
// Resources

/** One violation per missing request or limit, each at its own field. */
function missingResources(at: ContainerAt, resources: readonly string[]): Found[] {
  const found: Found[] = [];
  for (const kind of ['requests', 'limits'] as const) {
    const given = child(child(at.container, 'resources'), kind);
    for (const resource of resources) {
      if (given[resource] === undefined) {
        found.push({
          field: `${at.path}.resources.${kind}.${resource}`,
          message: `${named(at)} has no ${resource} ${kind === 'requests' ? 'request' : 'limit'}; every container needs ${resources.join(' and ')} requests and limits`,
        });
      }
    }
  }
  return found;
}

const cpuMemory: Rule = {
  id: 'GCB-RES-01',
  title: 'CPU and memory requests and limits on every container',
  severity: 'error',
  rationale:
    "Without limits one leaking or compromised pod can exhaust a node shared with other departments; without requests the scheduler and the department's quota cannot account for it.",
  fix: `Set resources.requests and resources.limits for cpu and memory on every container and init container (the service spec's resources; limits default from the requests); ${FIX_LIBRARY_SETS}.`,
  controls: [NSA_RESOURCES, MLPS_HIGH_AVAILABILITY],
  check: (output) => perContainer(output, RUNNING_LISTS, (at) => missingResources(at, ['cpu', 'memory'])),
  // Ephemeral containers may not set resources, so the checks read the two lists that may.
  admission: {
    validations: [
      {
        expression:
          "variables.podSpec.containers.all(c, has(c.resources) && has(c.resources.requests) && has(c.resources.limits) && ['cpu', 'memory'].all(r, r in c.resources.requests && r in c.resources.limits))",
        message: 'GCB-RES-01: every container needs cpu and memory requests and limits',
      },
      {
        expression:
          "!has(variables.podSpec.initContainers) || variables.podSpec.initContainers.all(c, has(c.resources) && has(c.resources.requests) && has(c.resources.limits) && ['cpu', 'memory'].all(r, r in c.resources.requests && r in c.resources.limits))",
        message: 'GCB-RES-01: every init container needs cpu and memory requests and limits',
      },
    ],
  },
};

const requestWithinLimit: Rule = {
  id: 'GCB-RES-02',
  title: 'Requests do not exceed limits',
  severity: 'error',
  rationale:
    'A request above its limit is rejected by the API server, so the workload would never deploy; catching it at synth names the spec instead of a failed apply.',
  fix: 'Lower the request or raise the limit in the service spec (resources.requests, resources.limits), or fix the patch that changed one of them.',
  controls: [NSA_RESOURCES, MLPS_HIGH_AVAILABILITY],
  check: (output) =>
    perContainer(output, RUNNING_LISTS, (at) => {
      const requests = child(child(at.container, 'resources'), 'requests');
      const limits = child(child(at.container, 'resources'), 'limits');
      return Object.keys(requests)
        .filter((resource) => limits[resource] !== undefined)
        .flatMap((resource) => {
          const request = parseQuantity(requests[resource] as string | number);
          const limit = parseQuantity(limits[resource] as string | number);
          const field = `${at.path}.resources.requests.${resource}`;
          if (request === undefined || limit === undefined) {
            return [
              {
                field,
                message: `${named(at)} has a ${resource} request ${shown(requests[resource])} or limit ${shown(limits[resource])} that is not a Kubernetes quantity`,
              },
            ];
          }
          return request > limit
            ? [
                {
                  field,
                  message: `${named(at)} requests ${String(requests[resource])} ${resource}, above its limit ${String(limits[resource])}; the request must not exceed the limit`,
                },
              ]
            : [];
        });
    }),
  // No admission check: the API server's own validation already rejects a request above its limit.
};

const ephemeralStorage: Rule = {
  id: 'GCB-RES-03',
  title: 'Ephemeral-storage requests and limits on every container',
  severity: 'error',
  rationale:
    "Without an ephemeral-storage limit a container's logs and scratch files can fill the node's disk and get every pod on it evicted, other departments' pods included.",
  fix: 'The library sets them on every service (resources.ephemeralStorage, default request 256Mi and limit 1Gi); an escape hatch removed them: drop the patch, or set resources.requests and resources.limits for ephemeral-storage on the container.',
  // No admission check: at runtime the department's LimitRange gives every Pod the defaults (the
  // LimitRanger runs before validating policies), while a workload's template would be denied for
  // what the LimitRange fills in.
  controls: [{ ...NSA_RESOURCES, certain: false }, MLPS_HIGH_AVAILABILITY],
  check: (output) => perContainer(output, RUNNING_LISTS, (at) => missingResources(at, ['ephemeral-storage'])),
};

// ---------------------------------------------------------------------------------------------
// Images

const mirrorRegistry: Rule = {
  id: 'GCB-IMG-01',
  title: "Images only from the cluster's registry",
  severity: 'error',
  rationale:
    "Every image must come from the province's mirror, where it is scanned and kept; an image from anywhere else escapes that control and may vanish or change upstream.",
  fix: "Name the image below the cluster's registry (the blueprint's supplyChain.registry; a burst cluster's own registry), mirroring it there first; the library checks service images at synth, so an escape hatch or a hand-written object changed it.",
  controls: [
    { ...cis('5.5.1', 'Configure Image Provenance using ImagePolicyWebhook admission controller'), certain: false },
    NSA_IMAGES,
    MLPS_KNOWN_VULNERABILITIES,
    MLPS_MINIMAL_INSTALL,
  ],
  check: (output) => {
    const registry = output.registry.replace(/\/+$/, '');
    return perContainer(output, ALL_LISTS, (at) => {
      const image = at.container.image as unknown;
      if (typeof image !== 'string') return []; // GCB-IMG-02 reports a missing image
      return imageIsFromRegistry(image, registry)
        ? []
        : [{ field: `${at.path}.image`, message: `${named(at)} pulls ${image}, which is not below the cluster's registry ${registry}/` }];
    });
  },
  // No admission check: the expression cannot know the cluster's registry from the object.
};

const pinnedImage: Rule = {
  id: 'GCB-IMG-02',
  title: 'Images pinned by tag or digest, never latest',
  severity: 'error',
  rationale:
    'An untagged or latest image changes under the workload without a change to the blueprint: pods of one Deployment can run different code, and a rollback does not roll back.',
  fix: "Give the image a version tag (the service spec's version) or a digest (@sha256:...); the library writes image:version, or image:version@digest when the service spec has a digest, so an escape hatch or a hand-written object changed it.",
  controls: [NSA_IMAGES, MLPS_TRUSTED_VERIFICATION],
  check: (output) =>
    perContainer(output, ALL_LISTS, (at) => {
      const image = at.container.image as unknown;
      const field = `${at.path}.image`;
      if (typeof image !== 'string' || image === '') return [{ field, message: `${named(at)} names no image; give a repository with a version tag or digest` }];
      if (image.includes('@')) return [];
      const lastSlash = image.lastIndexOf('/');
      const lastColon = image.lastIndexOf(':');
      if (lastColon <= lastSlash) return [{ field, message: `${named(at)} pulls ${image} without a tag (latest by default); pin a version tag or a digest` }];
      const tag = image.slice(lastColon + 1);
      return tag === 'latest' ? [{ field, message: `${named(at)} pulls ${image}, tag latest; pin a version tag or a digest` }] : [];
    }),
  admission: {
    validations: [
      {
        // A tag is a colon after the last slash (a colon before it is a registry port).
        expression:
          "variables.containers.all(c, has(c.image) && (c.image.contains('@') || (c.image.lastIndexOf(':') > c.image.lastIndexOf('/') && !c.image.endsWith(':latest'))))",
        message: 'GCB-IMG-02: images must be pinned by a version tag or a digest, never latest or untagged',
      },
    ],
  },
};

// ---------------------------------------------------------------------------------------------
// Probes and priority

function probeRule(id: string, probe: 'livenessProbe' | 'readinessProbe', title: string, rationale: string): Rule {
  return {
    id,
    title,
    severity: 'warning',
    rationale,
    fix: `Give every container of a long-running workload a ${probe} (the service spec's probes; the library writes TCP probes on the first port by default), or suppress with the reason the workload has none.`,
    controls: [MLPS_HIGH_AVAILABILITY],
    check: (output) =>
      perContainer(output, ['containers'], (at, template) =>
        LONG_RUNNING_KINDS.has(String(template.owner.kind)) && at.container[probe] === undefined
          ? [{ field: `${at.path}.${probe}`, message: `${named(at)} of a ${String(template.owner.kind)} has no ${probe}` }]
          : [],
      ),
  };
}

const livenessProbe = probeRule(
  'GCB-PRB-01',
  'livenessProbe',
  'Liveness probe on long-running containers',
  'Without a liveness probe a hung process keeps its pod Running forever; the kubelet restarts only what it can see fail. A warning: advice for availability, not a hole.',
);
const readinessProbe = probeRule(
  'GCB-PRB-02',
  'readinessProbe',
  'Readiness probe on long-running containers',
  'Without a readiness probe a pod gets traffic before it can serve and during its shutdown, so rollouts and scale-ups drop citizen requests. A warning: advice for availability, not a hole.',
);

const priorityClass: Rule = {
  id: 'GCB-PRI-01',
  title: 'A priorityClassName on department workloads',
  severity: 'error',
  rationale:
    'Under node pressure the scheduler preempts and the kubelet evicts by priority; without a class per service tier a batch job or a burst copy can push out a citizen-facing service.',
  fix: "The library gives every service its tier's PriorityClass (`priority`, or the department's `defaultPriority`); an escape hatch removed it: drop the patch, or set the pod's priorityClassName to a govcloud-* class.",
  // No admission check: the Priority admission plugin already refuses a Pod naming a class that
  // does not exist, and a workload template cannot be judged against the cluster's classes by CEL.
  controls: [MLPS_HIGH_AVAILABILITY],
  check: (output) =>
    perTemplate(output, ({ object, spec, path }) =>
      object.department !== undefined && (spec.priorityClassName === undefined || spec.priorityClassName === '')
        ? [
            {
              field: `${path}.priorityClassName`,
              message: `the pod has no priorityClassName in department namespace ${object.department}; set its service tier's PriorityClass`,
            },
          ]
        : [],
    ),
};

/** Pod security, resources, images, probes and priority of every workload. */
export const WORKLOAD_RULES: readonly Rule[] = [
  privileged,
  hostNetwork,
  hostPid,
  hostIpc,
  hostPort,
  hostPath,
  runAsNonRoot,
  privilegeEscalation,
  dropAll,
  addedCapabilities,
  seccomp,
  readOnlyRootFilesystem,
  serviceAccountToken,
  sysctls,
  kernelConfinement,
  volumeTypes,
  cpuMemory,
  requestWithinLimit,
  ephemeralStorage,
  mirrorRegistry,
  pinnedImage,
  livenessProbe,
  readinessProbe,
  priorityClass,
];
