import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { Release } from '@cdktf/provider-helm/lib/release';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type { TerraformVariable } from '../../lib/cdktf';
import { toYaml } from '../../lib/output/canonical-yaml';
import { formatGoDuration, parseDuration } from '../../lib/duration';
import { LABELS } from '../core/labels';
import { RELEASE_SAFETY } from '../core/cluster-stack';
import { namespacePeer } from '../core/network-rules';
import { type MiddlewareSpec, type MiddlewareUseSpec } from './middleware-spec';
import { MIDDLEWARE_NAMESPACE, type MiddlewarePlan, connectionInput, connectionObjectNames, connectionReference, planMiddleware } from './middleware-plan';
import { credentialVariableName } from './middleware-plan';
import type { ConnectionReference, IDepartment, IMiddlewareInstance, IMiddlewareShelf } from '../core/tree';

export interface MiddlewareInstanceProps {
  readonly spec: MiddlewareSpec;
}

/** Helm waits this long for an instance to become ready; stateful sets with volumes are slow. */
const RELEASE_TIMEOUT_SECONDS = 900;

export { credentialVariableName } from './middleware-plan';

export { connectionObjectNames } from './middleware-plan';

/**
 * One shelf instance on one cluster: its credentials (from sensitive, ephemeral Terraform
 * variables, written with write-only attributes so no value reaches a file, a plan or the
 * state), the pinned Helm release, network isolation, a Velero backup schedule, and a grant per
 * department: ingress from that namespace only, plus the connection ConfigMap and credentials
 * Secret in it that the department's services reference.
 */
export class MiddlewareInstance extends Construct implements IMiddlewareInstance {
  readonly shelf: IMiddlewareShelf;
  readonly spec: MiddlewareSpec;
  readonly plan: MiddlewarePlan;
  readonly release: Release;
  /** Labels of the platform's objects for this instance, in any namespace. */
  readonly labels: Record<string, string>;
  private readonly credentials = new Map<string, TerraformVariable>();
  private readonly grantedDepartments: string[] = [];

  constructor(shelf: IMiddlewareShelf, id: string, props: MiddlewareInstanceProps) {
    super(shelf, id);
    this.shelf = shelf;
    this.spec = props.spec;
    const cluster = shelf.cluster;
    this.plan = planMiddleware(props.spec, cluster.spec);
    const { engine, pinned } = this.plan;
    this.labels = { ...shelf.labels(), [LABELS.middleware]: props.spec.name };
    const metadata = (name: string) => ({ name, namespace: shelf.namespaceName, labels: this.labels });

    for (const credential of engine.credentials) {
      const name = credentialVariableName(props.spec.name, credential.key);
      this.credentials.set(credential.key, cluster.stack.secretVariable(name, `${engine.product} "${props.spec.name}": ${credential.description}`));
    }
    const credentialsSecret = new SecretV1(this, 'credentials', {
      metadata: metadata(connectionObjectNames(props.spec.name).secret),
      dataWo: Object.fromEntries(engine.credentials.map((c) => [c.key, this.credentials.get(c.key)!.stringValue])),
      dataWoRevision: props.spec.credentialsRevision ?? 1,
    });

    this.release = new Release(this, 'release', {
      name: props.spec.name,
      namespace: shelf.namespaceName,
      repository: cluster.supplyChain.chartRepository,
      chart: engine.chart,
      version: pinned.chartVersion,
      values: [
        toYaml(
          engine.values({
            release: props.spec.name,
            pinned,
            registry: cluster.supplyChain.registry,
            highAvailability: this.plan.highAvailability,
            replicas: this.plan.replicas,
            resources: this.plan.resources,
            storage: this.plan.storage,
            metrics: this.plan.metrics,
            credentialsSecret: connectionObjectNames(props.spec.name).secret,
            resourceName: this.plan.resourceName,
          }),
        ),
      ],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
      dependsOn: [credentialsSecret],
    });

    const instancePods = { 'app.kubernetes.io/instance': props.spec.name };
    // Replication, clustering and sentinel traffic between the instance's own pods.
    shelf.allowTraffic(props.spec.name, instancePods, {
      ingress: [{ from: [{ podSelector: { matchLabels: instancePods } }] }],
      egress: [{ to: [{ podSelector: { matchLabels: instancePods } }] }],
    });
    if (engine.usesKubernetesApi) {
      // The API server's address is not known at synth time; its usual ports are.
      shelf.allowTraffic(props.spec.name, instancePods, { egress: [{ ports: KUBERNETES_API_PORTS.map((port) => ({ port: String(port), protocol: 'TCP' })) }] });
    }
    if (this.plan.backup) this.addBackupSchedule();
    shelf.register(this);
  }

  /** Names of the Terraform variables that hold this instance's credentials. */
  get credentialVariables(): string[] {
    return [...this.credentials.values()].map((v) => v.node.id);
  }

  get departments(): readonly string[] {
    return this.grantedDepartments;
  }

  /**
   * Lets the department's services reach the instance: ingress on the client ports from that
   * namespace only, egress to it from there, and the connection settings and client credentials
   * as a ConfigMap and a Secret in the department's namespace.
   */
  grant(department: IDepartment): void {
    const { engine } = this.plan;
    const name = this.spec.name;
    const dept = department.spec.name;
    const scope = new Construct(this, `grant-${dept}`);
    const ports = engine.clientPorts.map((p) => ({ port: String(p.port), protocol: 'TCP' }));
    const serverPods = engine.serverPodLabels(name);
    this.shelf.allowTraffic(`${name}-servers`, serverPods, { ingress: [{ from: [namespacePeer(department.namespaceName)], ports }] });
    department.allowTraffic(
      'namespace',
      {},
      { egress: [{ to: [{ ...namespacePeer(this.shelf.namespaceName), podSelector: { matchLabels: serverPods } }], ports }] },
    );
    const deptLabels = { ...this.labels, [LABELS.department]: dept };
    const names = connectionObjectNames(name);
    new ConfigMapV1(scope, 'connection', {
      metadata: { name: names.configMap, namespace: department.namespaceName, labels: deptLabels },
      data: engine.connection(connectionInput(this.plan)),
    });
    const clientCredentials = engine.credentials.filter((c) => c.clientKey);
    new SecretV1(scope, 'credentials', {
      metadata: { name: names.secret, namespace: department.namespaceName, labels: deptLabels },
      dataWo: Object.fromEntries(clientCredentials.map((c) => [c.clientKey!, this.credentials.get(c.key)!.stringValue])),
      dataWoRevision: this.spec.credentialsRevision ?? 1,
    });
    this.grantedDepartments.push(dept);
  }

  /** How a service of a granted department gets the connection: references to the grant's objects, never values. */
  connectionFor(use: MiddlewareUseSpec): ConnectionReference {
    return connectionReference(this.plan, use);
  }

  private addBackupSchedule(): void {
    const backup = this.plan.backup!;
    new ApiObject(this.shelf.backups(), `${this.shelf.cluster.stackName}-${this.spec.name}`, {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: `middleware-${this.spec.name}`, labels: this.labels },
      spec: {
        schedule: backup.schedule,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [MIDDLEWARE_NAMESPACE],
          labelSelector: { matchLabels: { 'app.kubernetes.io/instance': this.spec.name } },
          ttl: formatGoDuration(parseDuration(backup.retention)!),
          // CSI snapshots, with their data moved to the backup storage location (off the cluster).
          snapshotVolumes: true,
          snapshotMoveData: true,
          ...(backup.storageLocation ? { storageLocation: backup.storageLocation } : {}),
        },
      },
    });
  }
}

/** Ports a Kubernetes API server listens on, in managed and self-hosted clusters. */
export const KUBERNETES_API_PORTS = [443, 6443, 8443];
