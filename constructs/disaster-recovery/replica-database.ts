import { Construct } from 'constructs';
import { KUBERNETES_API_PORTS } from '../middleware/middleware-instance';
import { ApiObject } from 'cdk8s';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { LABELS } from '../core/labels';
import type { TerraformVariable } from '../../lib/cdktf';
import type { ClusterStack } from '../core/cluster-stack';
import type { DrDatabaseSpec } from './disaster-recovery-spec';
import type { MiddlewareSpec } from '../middleware/middleware-spec';
import { MIDDLEWARE_NAMESPACE, type MiddlewarePlan, planMiddleware } from '../middleware/middleware-plan';
import { connectionObjectNames, credentialVariableName } from '../middleware/middleware-plan';
import { bitnamiPodLabels } from '../middleware/engines/bitnami';
import { namespacePeer } from '../core/network-rules';
import { ClusterDisasterRecovery } from './cluster-disaster-recovery';
import { CNPG_CLUSTER_LABEL, CNPG_STATUS_PORT, cnpgPostgresqlImage } from './cloudnative-pg-catalogue';
import type { ICluster } from '../core/tree';
import {
  BITNAMI_REPLICATION_USER,
  POSTGRESQL_PORT,
  REPLICATION_PASSWORD_KEY,
  primaryAddress,
  replicaClusterName,
  replicaConnectionSettings,
  replicationSecretName,
} from './disaster-recovery-plan';

/**
 * The Bitnami primary keeps `max_wal_senders = 16`; a hot standby refuses to start with a lower
 * value than its primary, and CloudNativePG's default is 10.
 */
const STANDBY_PARAMETERS = { max_wal_senders: '16' } as const;

export interface ReplicaDatabaseProps {
  readonly pair: string;
  readonly primary: ICluster;
  readonly standby: ICluster;
  readonly database: DrDatabaseSpec;
  readonly instance: MiddlewareSpec;
  readonly labels: Record<string, string>;
  /**
   * Departments whose services on the standby use the instance: each gets the grant there, naming
   * the replica. @default none
   */
  readonly departments?: readonly string[];
}

/**
 * One shelf PostgreSQL instance streamed across clouds: on the standby, a CloudNativePG replica
 * cluster (`<instance>-replica` in `middleware`) cloned with pg_basebackup from the Bitnami
 * primary and then following its WAL, the replication password as a write-only Secret, and the
 * network openings it needs; on the primary, ingress to the PostgreSQL primary pods from the
 * standby's egress addresses. Terraform resources live in `disaster-recovery/<pair>/<instance>`
 * of each cluster's stack.
 */
export class ReplicaDatabase extends Construct {
  readonly spec: DrDatabaseSpec;
  readonly instance: MiddlewareSpec;
  /** The instance as planned on the standby: replicas, resources, storage. */
  readonly plan: MiddlewarePlan;
  readonly clusterName: string;
  /** Name of the Terraform variable holding the replication password, shared with the primary's stack. */
  readonly passwordVariable: string;
  readonly sourceCidrs: readonly string[];

  constructor(scope: Construct, id: string, props: ReplicaDatabaseProps) {
    super(scope, id);
    const { primary, standby, database, instance, labels } = props;
    this.spec = database;
    this.instance = instance;
    this.plan = planMiddleware(instance, standby.spec);
    this.clusterName = replicaClusterName(instance.name);
    this.passwordVariable = credentialVariableName(instance.name, REPLICATION_PASSWORD_KEY);
    this.sourceCidrs = database.replicationSourceCidrs ?? [standby.spec.network.podCidr];
    const address = primaryAddress(database.primaryHost);

    // Primary: the standby's pg_basebackup and WAL stream reach the PostgreSQL primary pods.
    const primaryScope = new Construct(ClusterDisasterRecovery.of(primary).pairScope(props.pair), instance.name);
    const primaryShelf = primary.middleware();
    new NetworkPolicyV1(primaryScope, 'network-policy-replication-ingress', {
      metadata: { name: `${instance.name}-replication-${props.pair}`, namespace: primaryShelf.namespaceName, labels },
      spec: {
        podSelector: { matchLabels: bitnamiPodLabels(instance.name, 'postgresql', 'primary') },
        policyTypes: ['Ingress'],
        ingress: [{ from: this.sourceCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: String(POSTGRESQL_PORT), protocol: 'TCP' }] }],
      },
    });

    // Standby: the operator, the password, the replica cluster and its network openings.
    const standbyDr = ClusterDisasterRecovery.of(standby);
    const operator = standbyDr.cloudNativePg();
    const standbyShelf = standby.middleware();
    const standbyScope = new Construct(standbyDr.pairScope(props.pair), instance.name);
    const metadata = (name: string) => ({ name, namespace: standbyShelf.namespaceName, labels });
    const password = sharedSecretVariable(
      standby.stack,
      this.passwordVariable,
      `PostgreSQL "${instance.name}": password of the replication user "${BITNAMI_REPLICATION_USER}", the same value as on the primary, for the replica on ${standby.stackName}`,
    );
    new SecretV1(standbyScope, 'replication-credentials', {
      metadata: metadata(replicationSecretName(instance.name)),
      dataWo: { password: password.stringValue },
      dataWoRevision: instance.credentialsRevision ?? 1,
    });

    // The replica pods' paths, in the standby shelf's policy for them (`traffic-<cluster>`): each
    // other; the primary, whose address is a name of another cloud, unknown at synth time, so only
    // the port is fixed; the API server, which the instance manager in each pod watches its
    // Cluster through; and the operator, which polls each instance manager's status endpoint.
    const replicaPods = { [CNPG_CLUSTER_LABEL]: this.clusterName };
    standbyShelf.allowTraffic(this.clusterName, replicaPods, {
      ingress: [
        { from: [{ podSelector: { matchLabels: replicaPods } }] },
        { from: [namespacePeer(operator.namespaceName)], ports: [{ port: String(CNPG_STATUS_PORT), protocol: 'TCP' }] },
      ],
      egress: [
        { to: [{ podSelector: { matchLabels: replicaPods } }] },
        { ports: [{ port: String(address.port), protocol: 'TCP' }] },
        { ports: KUBERNETES_API_PORTS.map((port) => ({ port: String(port), protocol: 'TCP' })) },
      ],
    });

    // The grants of the departments whose failover copies use the database: the same connection
    // objects a shelf grant writes, under the same names, reaching the replica instead of a shelf
    // primary, under the shelf's address of the instance (`middleware/<instance>/grant-<department>`),
    // so a standby that ran a shelf primary before keeps them, updated in place. The network rules
    // join the replica pods' policy and the department's `baseline-traffic`.
    const grantsScope = standbyShelf.node.tryFindChild(instance.name) ?? new Construct(standbyShelf, instance.name);
    for (const dept of props.departments ?? []) {
      const department = standby.department(dept)!;
      const scope = new Construct(grantsScope, `grant-${dept}`);
      const ports = [{ port: String(POSTGRESQL_PORT), protocol: 'TCP' }];
      const deptLabels = { ...labels, [LABELS.middleware]: instance.name, [LABELS.department]: dept };
      standbyShelf.allowTraffic(this.clusterName, replicaPods, { ingress: [{ from: [namespacePeer(department.namespaceName)], ports }] });
      department.allowTraffic(
        'namespace',
        {},
        {
          egress: [{ to: [{ ...namespacePeer(standbyShelf.namespaceName), podSelector: { matchLabels: replicaPods } }], ports }],
        },
      );
      const names = connectionObjectNames(instance.name);
      new ConfigMapV1(scope, 'connection', {
        metadata: { name: names.configMap, namespace: department.namespaceName, labels: deptLabels },
        data: replicaConnectionSettings(this.plan),
      });
      // A physical replica has the primary's roles: the application user's password is the primary's.
      const clientCredentials = this.plan.engine.credentials.filter((c) => c.clientKey);
      new SecretV1(scope, 'credentials', {
        metadata: { name: names.secret, namespace: department.namespaceName, labels: deptLabels },
        dataWo: Object.fromEntries(
          clientCredentials.map((c) => [
            c.clientKey!,
            sharedSecretVariable(
              standby.stack,
              credentialVariableName(instance.name, c.key),
              `${this.plan.engine.product} "${instance.name}": ${c.description}, the same value as on the primary, for the replica on ${standby.stackName}`,
            ).stringValue,
          ]),
        ),
        dataWoRevision: instance.credentialsRevision ?? 1,
      });
    }

    const image = cnpgPostgresqlImage(instance.version);
    const source = `${instance.name}-primary`;
    new ApiObject(standbyDr.manifests(), `cluster-${this.clusterName}`, {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: this.clusterName, namespace: MIDDLEWARE_NAMESPACE, labels },
      spec: {
        instances: this.plan.replicas,
        // A version without a pinned image is reported by the pair's validation.
        ...(image ? { imageName: `${standby.supplyChain.registry}/${image.repository}:${image.tag}` } : {}),
        imagePullPolicy: 'IfNotPresent',
        enableSuperuserAccess: false,
        inheritedMetadata: { labels },
        postgresql: { parameters: { ...STANDBY_PARAMETERS } },
        // Clone the primary once, then follow its WAL as a replica cluster (read-only until promoted).
        bootstrap: { pg_basebackup: { source } },
        replica: { enabled: true, source },
        externalClusters: [
          {
            name: source,
            connectionParameters: { host: address.host, port: String(address.port), user: BITNAMI_REPLICATION_USER, dbname: 'postgres', sslmode: 'prefer' },
            password: { name: replicationSecretName(instance.name), key: 'password' },
          },
        ],
        storage: { size: this.plan.storage.size, ...(this.plan.storage.storageClass ? { storageClass: this.plan.storage.storageClass } : {}) },
        resources: { requests: { ...this.plan.resources.requests }, limits: { ...this.plan.resources.limits } },
        affinity: {
          enablePodAntiAffinity: true,
          podAntiAffinityType: this.plan.highAvailability ? 'required' : 'preferred',
          topologyKey: 'kubernetes.io/hostname',
        },
      },
    });
  }
}

/**
 * The stack's sensitive variable of that name, created if the stack has none yet: the standby
 * may also run a shelf instance of the same name, whose credential variable this is.
 */
function sharedSecretVariable(stack: ClusterStack, name: string, description: string): TerraformVariable {
  return (stack.node.tryFindChild(name) as TerraformVariable | undefined) ?? stack.secretVariable(name, description);
}
