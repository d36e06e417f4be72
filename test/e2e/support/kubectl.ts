import { type RunResult, run, runOk } from './run';

/** A Kubernetes object as the API server returns it (the fields the suite reads). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly resourceVersion?: string; readonly generation?: number };
  readonly [key: string]: unknown;
}

/** The field manager the suite applies as, like a GitOps controller would. */
const FIELD_MANAGER = 'govcloud-e2e';

/** kubectl against one kubeconfig context, with the user's own KUBECONFIG out of the way. */
export class Kubectl {
  constructor(
    readonly kubeconfig: string,
    readonly context: string,
  ) {}

  run(args: readonly string[], input?: string): Promise<RunResult> {
    return run('kubectl', ['--kubeconfig', this.kubeconfig, '--context', this.context, ...args], { input, env: { KUBECONFIG: undefined } });
  }

  async ok(args: readonly string[], input?: string): Promise<RunResult> {
    return runOk('kubectl', ['--kubeconfig', this.kubeconfig, '--context', this.context, ...args], { input, env: { KUBECONFIG: undefined } });
  }

  /**
   * `kubectl apply --server-side` of a kustomize folder (`-k`) or files (`-f`), with kubectl's
   * default strict field validation: the server rejects unknown and duplicate fields. Returns the
   * result, failing or not.
   */
  applyServerSide(source: { kustomization: string } | { file: string } | { stdin: string }): Promise<RunResult> {
    const args = ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--validate=strict'];
    if ('kustomization' in source) return this.run([...args, '-k', source.kustomization]);
    if ('file' in source) return this.run([...args, '-R', '-f', source.file]);
    return this.run([...args, '-f', '-'], source.stdin);
  }

  /** Every object of a kustomize folder, read back from the server. */
  async getKustomization(folder: string): Promise<KubeObject[]> {
    const result = await this.ok(['get', '-k', folder, '-o', 'json']);
    const parsed = JSON.parse(result.stdout) as { kind: string; items?: KubeObject[] };
    return parsed.kind === 'List' ? (parsed.items ?? []) : [parsed as unknown as KubeObject];
  }
}

/** The server's warnings (PodSecurity, deprecations, ...) that kubectl printed. */
export function warnings(result: RunResult): string[] {
  return result.stderr.split('\n').filter((line) => line.startsWith('Warning:'));
}

/** `Kind namespace/name`, the way kubectl names objects. */
export function objectKey(object: KubeObject): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}
