import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import { toYaml } from '../../lib/output/canonical-yaml';
import { RELEASE_SAFETY } from '../core/cluster-stack';
import { placementLabels } from '../core/labels';
import type { ICluster } from '../core/tree';
import { DEFAULT_HUB_RETENTION, HUB_VARIABLES, type ObservabilitySpec } from './observability-spec';
import {
  GRAFANA,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_FOLDER_ANNOTATION,
  GRAFANA_RELEASE,
  MONITORING_NAMESPACE,
  THANOS,
  THANOS_ENDPOINTS,
  THANOS_RELEASE,
  grafanaValues,
  thanosValues,
} from './monitoring-catalogue';
import type { ClusterMonitoring } from './cluster-monitoring';
import { dashboardFileName } from './dashboards-plan';
import type { FolderedDashboard } from './dashboard-inputs-plan';

const OBJSTORE_SECRET = 'thanos-objstore';
const OBJSTORE_KEY = 'objstore.yml';
const RECEIVE_TLS_SECRET = 'thanos-receive-tls';
const GRAFANA_ADMIN_SECRET = 'grafana-admin';
/** The in-cluster address Grafana reads every region's metrics from. */
export const THANOS_QUERY_URL = `http://${THANOS_ENDPOINTS.query.service}.${MONITORING_NAMESPACE}.svc:${THANOS_ENDPOINTS.query.port}`;

/** Helm waits this long for Thanos and Grafana. */
const RELEASE_TIMEOUT_SECONDS = 900;

export interface ObservabilityHubProps {
  readonly spec: ObservabilitySpec;
  /** The hub cluster's own monitoring stack: the hub shares its namespace and manifest file. */
  readonly monitoring: ClusterMonitoring;
  /** Grafana dashboards to load, each with the folder it goes to. */
  readonly dashboards: readonly FolderedDashboard[];
}

/**
 * The province's observability hub, on one gov cluster: Thanos receives every cluster's remote
 * write (mutual TLS on a LoadBalancer Service: only clusters whose client certificate the
 * clusters' CA signed get in), keeps it in object storage and answers
 * queries across every region; Grafana reads Thanos Query and loads the generated dashboards.
 */
export class ObservabilityHub extends Construct {
  readonly thanos: Release;
  readonly grafana: Release;

  /** Lives in the hub cluster's Terraform stack as `observability-hub`. */
  constructor(cluster: ICluster, props: ObservabilityHubProps) {
    super(cluster.stack, 'observability-hub');
    const { spec, monitoring } = props;
    const hub = spec.hub;
    const labels = placementLabels({ blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name });
    const namespace = monitoring.namespace.metadata.name;
    const metadata = (name: string) => ({ name, namespace, labels });

    const secrets: SecretV1[] = [];
    const objstoreSecret = hub.objectStorage.external?.configSecret ?? { name: OBJSTORE_SECRET, key: OBJSTORE_KEY };
    if (!hub.objectStorage.external) {
      const config = cluster.stack.secretVariable(
        HUB_VARIABLES.objstoreConfig,
        `Thanos objstore configuration for the shelf bucket "${hub.objectStorage.middleware!}"`,
      );
      secrets.push(
        new SecretV1(this, 'objstore', {
          metadata: metadata(OBJSTORE_SECRET),
          type: 'Opaque',
          dataWo: { [OBJSTORE_KEY]: config.stringValue },
          dataWoRevision: 1,
        }),
      );
    }
    const pem = (name: string, what: string) => cluster.stack.secretVariable(name, `${what} (PEM)`).stringValue;
    secrets.push(
      new SecretV1(this, 'receive-tls', {
        metadata: metadata(RECEIVE_TLS_SECRET),
        type: 'Opaque',
        dataWo: {
          'tls.crt': pem(HUB_VARIABLES.receiveCertificate, "Thanos Receive's server certificate"),
          'tls.key': pem(HUB_VARIABLES.receiveKey, "Thanos Receive's private key"),
          'ca.crt': pem(HUB_VARIABLES.clientCa, "CA that signs the clusters' client certificates"),
        },
        dataWoRevision: 1,
      }),
    );
    const retention = { ...DEFAULT_HUB_RETENTION, ...hub.retention };
    this.thanos = new Release(this, 'thanos', {
      name: THANOS_RELEASE,
      namespace,
      repository: cluster.supplyChain.chartRepository,
      chart: THANOS.chart,
      version: THANOS.chartVersion,
      values: [
        toYaml(
          thanosValues({
            registry: cluster.supplyChain.registry,
            objstoreSecret,
            retention,
            receiveTlsSecret: RECEIVE_TLS_SECRET,
            receiveServiceType: 'LoadBalancer',
            storageClass: cluster.spec.storageClass,
          }),
        ),
      ],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
      dependsOn: [monitoring.release, ...secrets],
    });

    const adminPassword = cluster.stack.secretVariable(HUB_VARIABLES.grafanaAdminPassword, "password of Grafana's admin user");
    const admin = new SecretV1(this, 'grafana-admin', {
      metadata: metadata(GRAFANA_ADMIN_SECRET),
      type: 'Opaque',
      dataWo: { 'admin-user': 'admin', 'admin-password': adminPassword.stringValue },
      dataWoRevision: 1,
    });
    this.grafana = new Release(this, 'grafana', {
      name: GRAFANA_RELEASE,
      namespace,
      repository: cluster.supplyChain.chartRepository,
      chart: GRAFANA.chart,
      version: GRAFANA.chartVersion,
      values: [
        toYaml(
          grafanaValues({
            registry: cluster.supplyChain.registry,
            thanosQueryUrl: THANOS_QUERY_URL,
            adminSecret: GRAFANA_ADMIN_SECRET,
            storageClass: cluster.spec.storageClass,
          }),
        ),
      ],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
      dependsOn: [this.thanos, admin],
    });

    for (const { folder, dashboard } of props.dashboards) {
      const uid = dashboard.uid;
      new ApiObject(monitoring.manifests, `dashboard-${uid}`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `dashboard-${uid}`,
          namespace: MONITORING_NAMESPACE,
          labels: { ...labels, [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value },
          annotations: { [GRAFANA_FOLDER_ANNOTATION]: folder },
        },
        data: { [dashboardFileName(uid)]: JSON.stringify(dashboard) },
      });
    }
  }
}
