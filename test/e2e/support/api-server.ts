import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { type ChildProcess, spawn } from 'child_process';
import { runOk } from './run';
import { type Toolchain } from './toolchain';

/** A throwaway Kubernetes control plane on loopback: etcd, kube-apiserver and the quota controller. */
export interface TestApiServer {
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** A kubeconfig with one context, `e2e`, holding a system:masters token. */
  readonly kubeconfig: string;
  readonly context: string;
  /** Stops every process and removes the temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

const SUPERVISE = path.join(__dirname, 'supervise.sh');
const READY_TIMEOUT_MS = 120_000;

/**
 * Starts etcd and kube-apiserver on free loopback ports with throwaway certificates and a static
 * token, plus kube-controller-manager running only the resourcequota controller (the kubernetes
 * provider waits for a ResourceQuota's status, and quota admission needs it). No kubelet and no
 * other controllers: objects are admitted, defaulted and stored; pods never run.
 *
 * The kubeconfig is written to `kubeconfigPath` when given (the caller may have synthesized a
 * stack that points at it), else into the temporary directory.
 */
export async function startTestApiServer(toolchain: Toolchain, kubeconfigPath?: string): Promise<TestApiServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-e2e-apiserver-'));
  const processes: Supervised[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregisterEmergencyStop(emergencyStop);
    // Reverse start order: clients before the store.
    for (const { child } of processes.reverse()) await terminate(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const emergencyStop = () => {
    for (const { child } of processes) if (child.exitCode === null) child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  registerEmergencyStop(emergencyStop);

  try {
    const certs = await makeCertificates(dir);
    const token = crypto.randomBytes(24).toString('hex');
    fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},e2e-admin,e2e-admin,"system:masters"\n`, { mode: 0o600 });
    const [etcdClientPort, etcdPeerPort, apiPort] = await freePorts(3);
    const url = `https://127.0.0.1:${apiPort}`;

    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    processes.push(
      supervised(dir, 'etcd', toolchain.bin.etcd, [
        '--name=e2e',
        `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=e2e=${peerUrl}`,
        // A throwaway store: durability is not needed, speed is.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ]),
    );
    await waitFor('etcd', dir, processes, () => httpGet(`${etcdUrl}/health`).then((r) => r.status === 200 && r.body.includes('"health":"true"')));

    processes.push(
      supervised(dir, 'kube-apiserver', toolchain.bin.kubeApiserver, [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--cert-dir=${path.join(dir, 'apiserver-certs')}`,
        `--tls-cert-file=${certs.servingCert}`,
        `--tls-private-key-file=${certs.servingKey}`,
        `--client-ca-file=${certs.caCert}`,
        `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
        // RBAC as in a real cluster: Role and RoleBinding objects go through the escalation checks.
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${certs.serviceAccountPublicKey}`,
        `--service-account-signing-key-file=${certs.serviceAccountKey}`,
        '--service-cluster-ip-range=10.0.0.0/16',
        '--profiling=false',
      ]),
    );
    const ca = fs.readFileSync(certs.caCert);
    await waitFor('kube-apiserver', dir, processes, () => httpGet(`${url}/readyz`, { ca, token }).then((r) => r.status === 200));

    const kubeconfig = kubeconfigPath ?? path.join(dir, 'kubeconfig');
    fs.mkdirSync(path.dirname(kubeconfig), { recursive: true });
    fs.writeFileSync(kubeconfig, kubeconfigYaml(url, ca, token), { mode: 0o600 });

    processes.push(
      supervised(dir, 'kube-controller-manager', toolchain.bin.kubeControllerManager, [
        `--kubeconfig=${kubeconfig}`,
        '--controllers=resourcequota',
        '--leader-elect=false',
        '--secure-port=0',
      ]),
    );
    // No readiness to wait for: the controller serves nothing here (--secure-port=0), and on start it
    // syncs every quota that exists, so a quota created before it is up still gets its status.
    return { url, kubeconfig, context: 'e2e', stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface Supervised {
  readonly name: string;
  readonly child: ChildProcess;
}

/** Starts a server under supervise.sh; `<dir>/<name>.log` keeps its output, whose tail explains a failed start. */
function supervised(dir: string, name: string, binary: string, args: string[]): Supervised {
  const log = fs.openSync(path.join(dir, `${name}.log`), 'a');
  const child = spawn('bash', [SUPERVISE, String(process.pid), binary, ...args], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  return { name, child };
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') child.kill('SIGKILL');
  await exited;
}

async function waitFor(name: string, dir: string, processes: readonly Supervised[], ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const dead = processes.find((p) => p.child.exitCode !== null);
    if (dead) throw new Error(`${dead.name} exited with ${dead.child.exitCode} while waiting for ${name}${logTail(dir, dead.name)}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s${logTail(dir, name)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function logTail(dir: string, name: string): string {
  const file = path.join(dir, `${name}.log`);
  if (!fs.existsSync(file)) return '';
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-30);
  return `\nlast lines of ${name}'s log:\n${lines.map((l) => `  | ${l}`).join('\n')}`;
}

interface Certificates {
  readonly caCert: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
}

/** A one-day CA, the API server's serving certificate for 127.0.0.1, and a service-account signing key. */
async function makeCertificates(dir: string): Promise<Certificates> {
  const file = (name: string) => path.join(dir, name);
  const serving = await makeServingCertificate(dir, 'kube-apiserver');
  await runOk('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', file('service-account.key')]);
  await runOk('openssl', ['pkey', '-in', file('service-account.key'), '-pubout', '-out', file('service-account.pub')]);
  return {
    caCert: serving.caCert,
    servingCert: serving.cert,
    servingKey: serving.key,
    serviceAccountKey: file('service-account.key'),
    serviceAccountPublicKey: file('service-account.pub'),
  };
}

/**
 * A one-day CA of its own (`ca.crt`) and a certificate it signs for a server on 127.0.0.1
 * (`<name>.crt`, `<name>.key`), written into `dir`.
 */
export async function makeServingCertificate(dir: string, name: string): Promise<{ caCert: string; cert: string; key: string }> {
  const file = (base: string) => path.join(dir, base);
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await runOk('openssl', [
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '1',
    '-subj',
    '/CN=govcloud-e2e-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await runOk('openssl', [
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.crt`),
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-addext',
    'extendedKeyUsage=serverAuth',
    '-addext',
    'basicConstraints=critical,CA:FALSE',
  ]);
  return { caCert: file('ca.crt'), cert: file(`${name}.crt`), key: file(`${name}.key`) };
}

function kubeconfigYaml(url: string, ca: Buffer, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: e2e',
    '  cluster:',
    `    server: ${url}`,
    `    certificate-authority-data: ${ca.toString('base64')}`,
    'users:',
    '- name: e2e-admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: e2e',
    '  context: { cluster: e2e, user: e2e-admin }',
    'current-context: e2e',
    '',
  ].join('\n');
}

/** Ports the OS reports free on 127.0.0.1, all held at once so they differ. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function httpGet(url: string, auth?: { ca: Buffer; token: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options = auth ? { ca: auth.ca, headers: { Authorization: `Bearer ${auth.token}` } } : {};
    const request = (url.startsWith('https:') ? https : http).get(url, { ...options, timeout: 2000 }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error('timeout')));
  });
}

// Interrupts (Ctrl-C, CI cancelling the job) and exits stop every server still running.
const emergencyStops = new Set<() => void>();
let handlersInstalled = false;
function registerEmergencyStop(stop: () => void): void {
  emergencyStops.add(stop);
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', runEmergencyStops);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runEmergencyStops();
      process.kill(process.pid, signal);
    });
  }
}
function unregisterEmergencyStop(stop: () => void): void {
  emergencyStops.delete(stop);
}
function runEmergencyStops(): void {
  for (const stop of emergencyStops) stop();
  emergencyStops.clear();
}
