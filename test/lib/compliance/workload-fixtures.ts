import type { Json } from '../../../lib/compliance/compliance-rule';
import { FIXTURE_REGISTRY, type RuleFixture } from '../../support/compliance-fixtures';

// One compliant workload, shaped like the library's own Service output plus what it does not set
// yet (ephemeral storage, a priority class). Each failing fixture changes one field of it, so it
// breaks its rule and no other (WORKLOAD_ALSO_BROKEN lists where the API makes that impossible).

export const IMAGE = `${FIXTURE_REGISTRY}/citizen-services/enrolment:1.6.2`;

/** The compliant container; `changes` edits a copy. */
export function compliantContainer(name = 'enrolment'): Json {
  return {
    name,
    image: IMAGE,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    resources: {
      requests: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '256Mi' },
      limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '1Gi' },
    },
    readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 },
    livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

/** The compliant pod spec of every fixture workload. */
export function compliantPodSpec(): Json {
  return {
    serviceAccountName: 'enrolment',
    automountServiceAccountToken: false,
    priorityClassName: 'citizen-facing',
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [compliantContainer()],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
  };
}

interface Edits {
  /** Edits the pod spec (a copy). */
  readonly pod?: (pod: Json) => void;
  /** Edits the first container (a copy). */
  readonly container?: (container: Json) => void;
}

function edited(edits: Edits): Json {
  const pod = compliantPodSpec();
  edits.container?.(pod.containers[0] as Json);
  edits.pod?.(pod);
  return pod;
}

/** The fixture Deployment `education/enrolment`, compliant unless edited. */
export function deployment(edits: Edits = {}, name = 'enrolment'): Json {
  const labels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'education', labels },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: edited(edits) } },
  };
}

/** A compliant CronJob in `education`, unless edited: a workload that runs to completion. */
export function cronJob(edits: Edits = {}): Json {
  const spec = edited(edits);
  const container = spec.containers[0] as Json;
  // Jobs need neither probes nor ports.
  delete container.livenessProbe;
  delete container.readinessProbe;
  delete container.ports;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly-report', namespace: 'education' },
    spec: { schedule: '0 18 * * *', jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: 'OnFailure' } } } } },
  };
}

export const serviceAccount = (automount: boolean | undefined, name = 'enrolment'): Json => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'education' },
  ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
});

/** The compliant workload every passing fixture starts from. */
const compliant = [deployment(), serviceAccount(false)];

const fixture = (rule: string, failing: Edits, failingMessage: string | RegExp, passing: readonly Json[] = compliant): RuleFixture => ({
  rule,
  passing: { manifests: passing },
  failing: { manifests: [deployment(failing), serviceAccount(false)] },
  failingMessage,
});

const withoutKey = (holder: Json, key: string): void => {
  delete holder[key];
};

export const WORKLOAD_FIXTURES: RuleFixture[] = [
  // The API rejects privileged with allowPrivilegeEscalation false, so this one breaks GCB-POD-08 too.
  fixture(
    'GCB-POD-01',
    { container: (c) => (c.securityContext = { ...c.securityContext, privileged: true, allowPrivilegeEscalation: true }) },
    'privileged: true',
  ),
  fixture('GCB-POD-02', { pod: (p) => (p.hostNetwork = true) }, 'hostNetwork: true'),
  fixture('GCB-POD-03', { pod: (p) => (p.hostPID = true) }, 'hostPID: true'),
  fixture('GCB-POD-04', { pod: (p) => (p.hostIPC = true) }, 'hostIPC: true'),
  fixture('GCB-POD-05', { container: (c) => (c.ports[0].hostPort = 8080) }, 'hostPort 8080'),
  fixture('GCB-POD-06', { pod: (p) => p.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }) }, '/var/run/docker.sock'),
  fixture(
    'GCB-POD-07',
    { container: (c) => (c.securityContext.runAsNonRoot = false) },
    'runAsNonRoot: false',
    // Passes with the setting on every container instead of the pod.
    [deployment({ pod: (p) => withoutKey(p.securityContext, 'runAsNonRoot') }), serviceAccount(false)],
  ),
  fixture('GCB-POD-08', { container: (c) => withoutKey(c.securityContext, 'allowPrivilegeEscalation') }, 'true by default'),
  fixture('GCB-POD-09', { container: (c) => (c.securityContext.capabilities = { drop: ['NET_RAW'] }) }, 'it must drop ALL'),
  fixture('GCB-POD-10', { container: (c) => (c.securityContext.capabilities.add = ['NET_RAW']) }, 'adds the capability "NET_RAW"', [
    deployment({ container: (c) => (c.securityContext.capabilities.add = ['NET_BIND_SERVICE']) }),
    serviceAccount(false),
  ]),
  fixture(
    'GCB-POD-11',
    { container: (c) => (c.securityContext.seccompProfile = { type: 'Unconfined' }) },
    'seccomp profile "Unconfined"',
    // Passes with a Localhost profile on the container and none on the pod.
    [
      deployment({
        pod: (p) => withoutKey(p.securityContext, 'seccompProfile'),
        container: (c) => (c.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/enrolment.json' }),
      }),
      serviceAccount(false),
    ],
  ),
  fixture('GCB-POD-12', { container: (c) => (c.securityContext.readOnlyRootFilesystem = false) }, 'readOnlyRootFilesystem false'),
  fixture(
    'GCB-POD-13',
    { pod: (p) => (p.automountServiceAccountToken = true) },
    'automountServiceAccountToken: true',
    // Passes with the pod's field unset when its ServiceAccount disables the token.
    [deployment({ pod: (p) => withoutKey(p, 'automountServiceAccountToken') }), serviceAccount(false)],
  ),
  fixture('GCB-POD-14', { pod: (p) => (p.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]) }, 'unsafe sysctl "kernel.msgmax"', [
    deployment({ pod: (p) => (p.securityContext.sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }]) }),
    serviceAccount(false),
  ]),
  fixture('GCB-POD-15', { container: (c) => (c.securityContext.seLinuxOptions = { type: 'spc_t' }) }, 'SELinux type "spc_t"', [
    deployment({ container: (c) => (c.securityContext.appArmorProfile = { type: 'RuntimeDefault' }) }),
    serviceAccount(false),
  ]),
  fixture(
    'GCB-POD-16',
    { pod: (p) => p.volumes.push({ name: 'archive', nfs: { server: 'nfs.education.example', path: '/exports/archive' } }) },
    'is a nfs volume',
    [deployment({ pod: (p) => p.volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'enrolment-data' } }) }), serviceAccount(false)],
  ),
  fixture('GCB-RES-01', { container: (c) => withoutKey(c.resources.limits, 'memory') }, 'no memory limit'),
  // The API server rejects this object too; the rule names the spec before an apply fails.
  fixture('GCB-RES-02', { container: (c) => (c.resources.requests.cpu = '2') }, 'requests 2 cpu, above its limit 1'),
  fixture('GCB-RES-03', { container: (c) => withoutKey(c.resources.requests, 'ephemeral-storage') }, 'no ephemeral-storage request'),
  fixture(
    'GCB-IMG-01',
    { container: (c) => (c.image = 'harbor.gov.example/mirror-other/enrolment:1.6.2') },
    "not below the cluster's registry harbor.gov.example/mirror/",
  ),
  fixture('GCB-IMG-02', { container: (c) => (c.image = `${FIXTURE_REGISTRY}/citizen-services/enrolment:latest`) }, 'tag latest', [
    deployment({ container: (c) => (c.image = `${FIXTURE_REGISTRY}/citizen-services/enrolment@sha256:${'0'.repeat(64)}`) }),
    // What the library writes for a service with a digest: the tag for people, the digest for the runtime.
    deployment({ container: (c) => (c.image = `${FIXTURE_REGISTRY}/citizen-services/enrolment:1.6.2@sha256:${'0'.repeat(64)}`) }, 'enrolment-pinned'),
    serviceAccount(false),
  ]),
  fixture(
    'GCB-PRB-01',
    { container: (c) => withoutKey(c, 'livenessProbe') },
    'has no livenessProbe',
    // A CronJob runs to completion: no probes needed.
    [...compliant, cronJob()],
  ),
  fixture('GCB-PRB-02', { container: (c) => withoutKey(c, 'readinessProbe') }, 'has no readinessProbe', [...compliant, cronJob()]),
  fixture('GCB-PRI-01', { pod: (p) => withoutKey(p, 'priorityClassName') }, 'no priorityClassName'),
];

/** Rules a failing fixture breaks besides its own, where a valid object cannot break one alone. */
export const WORKLOAD_ALSO_BROKEN: Readonly<Record<string, readonly string[]>> = {
  'GCB-POD-01': ['GCB-POD-08'],
};
