import * as fs from 'fs';
import * as https from 'https';
import { parse } from 'yaml';
import { type KubeObject, objectKey } from './kubectl';

/** What the API server answered to one dry-run create. */
export interface Admission {
  /** `Kind namespace/name` of the object sent. */
  readonly object: string;
  /** The server's refusal (its Status message, as kubectl prints it after "Error from server"), if any. */
  readonly refusal?: string;
  /** The server's warnings (PodSecurity `warn`, deprecations), as kubectl prints them: `Warning: ...`. */
  readonly warnings: string[];
}

/** How many requests are in flight at once: enough to keep the API server busy, few enough not to queue. */
const CONCURRENCY = 8;

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly warnings: string[];
}

/**
 * Requests straight to the API server of a kubeconfig's context (as startTestApiServer writes it:
 * a CA and a bearer token), for what would otherwise take one kubectl process per object.
 */
export class ApiClient {
  private readonly url: string;
  private readonly ca: Buffer;
  private readonly token: string;

  constructor(kubeconfig: string, contextName: string) {
    const config = parse(fs.readFileSync(kubeconfig, 'utf8')) as {
      clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
      users: Array<{ name: string; user: { token?: string } }>;
      contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
    };
    const context = config.contexts.find((c) => c.name === contextName)?.context;
    const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
    const token = config.users.find((u) => u.name === context?.user)?.user.token;
    if (!cluster || !token) throw new Error(`${kubeconfig}: context ${contextName} names no cluster with a server and a user with a token`);
    this.url = cluster.server;
    this.ca = Buffer.from(cluster['certificate-authority-data'], 'base64');
    this.token = token;
  }

  /**
   * The items of a list (`/api/v1/serviceaccounts`), only their kind, apiVersion and metadata (the
   * server's PartialObjectMetadataList: a CRD list in full is megabytes of schemas); fails on any
   * answer but 200.
   */
  async listMetadata(apiPath: string): Promise<KubeObject[]> {
    const answer = await this.request('GET', apiPath, undefined, 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    if (answer.status !== 200) throw new Error(`GET ${this.url}${apiPath}: ${answer.status}: ${statusMessage(answer.body)}`);
    // An empty list comes back with `items: null`.
    return (JSON.parse(answer.body) as { items: KubeObject[] | null }).items ?? [];
  }

  /** Creates an object (POST to its collection, e.g. `/api/v1/namespaces/<ns>/serviceaccounts`); fails on any answer but 201. */
  async create(collectionPath: string, object: KubeObject): Promise<void> {
    const answer = await this.request('POST', `${collectionPath}?fieldValidation=Strict`, JSON.stringify(object));
    if (answer.status !== 201)
      throw new Error(`creating ${objectKey(object)}: POST ${this.url}${collectionPath}: ${answer.status}: ${statusMessage(answer.body)}`);
  }

  /**
   * `kubectl create --dry-run=server` of each Pod, without a kubectl process per Pod: the same
   * request (POST with `dryRun=All` and strict field validation, so every admission plugin and
   * policy runs and nothing is stored). Each answer keeps its own refusal and warnings, so every
   * one is attributed to its Pod (one `kubectl create -f` of a List prints its warnings without
   * saying which item drew them).
   */
  async dryRunCreatePods(pods: readonly KubeObject[]): Promise<Admission[]> {
    const results = new Array<Admission>(pods.length);
    let next = 0;
    const worker = async () => {
      while (next < pods.length) {
        const index = next++;
        const pod = pods[index];
        const namespace = encodeURIComponent(pod.metadata.namespace ?? 'default');
        const answer = await this.request('POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All&fieldValidation=Strict`, JSON.stringify(pod));
        results[index] = {
          object: objectKey(pod),
          refusal: answer.status >= 200 && answer.status < 300 ? undefined : `${answer.status}: ${statusMessage(answer.body)}`,
          warnings: answer.warnings,
        };
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pods.length) }, worker));
    return results;
  }

  private request(method: string, apiPath: string, body?: string, accept = 'application/json'): Promise<Answer> {
    const headers: Record<string, string | number> = { Authorization: `Bearer ${this.token}`, Accept: accept };
    if (body !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    return new Promise((resolve, reject) => {
      const request = https.request(`${this.url}${apiPath}`, { method, ca: this.ca, headers, timeout: 60_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), warnings: warningHeaders(response.rawHeaders) }),
        );
      });
      request.on('error', (error) => reject(new Error(`${method} ${this.url}${apiPath}: ${error.message}`)));
      request.on('timeout', () => request.destroy(new Error('no answer within 60 s')));
      request.end(body);
    });
  }
}

/** `Warning: <text>` for each `Warning: 299 - "<text>"` header (RFC 7234), as kubectl prints them. */
function warningHeaders(rawHeaders: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() !== 'warning') continue;
    const match = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(rawHeaders[i + 1]);
    found.push(`Warning: ${match ? match[1].replace(/\\(.)/g, '$1') : rawHeaders[i + 1]}`);
  }
  return found;
}

function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: string };
    return status.message ?? body;
  } catch {
    return body;
  }
}
