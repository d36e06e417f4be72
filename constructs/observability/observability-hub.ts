import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { NetworkPolicyV1, type NetworkPolicyV1SpecIngressFrom } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from '../../lib/cdktf';
import { toYaml } from '../../lib/output/canonical-yaml';
import { RELEASE_SAFETY } from '../core/cluster-stack';
import { placementLabels } from '../core/labels';
import type { ICluster } from '../core/tree';
import { DEFAULT_HUB_RETENTION, HUB_VARIABLES, type ObservabilitySpec } from './observability-spec';
import {
  GRAFANA,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_DEPARTMENT_DASHBOARD_LABEL,
  GRAFANA_FOLDER_ANNOTATION,
  GRAFANA_RELEASE,
  MONITORING_NAMESPACE,
  THANOS,
  THANOS_ENDPOINTS,
  THANOS_RELEASE,
  THANOS_TENANTS_RELEASE,
  departmentGrafanaRelease,
  grafanaValues,
  thanosTenantsValues,
  thanosValues,
} from './monitoring-catalogue';
import { PROMETHEUS_PEER, type ClusterMonitoring } from './cluster-monitoring';
import { dashboardFileName } from './dashboards-plan';
import type { FolderedDashboard } from './dashboard-inputs-plan';

const OBJSTORE_SECRET = 'thanos-objstore';
const OBJSTORE_KEY = 'objstore.yml';
const RECEIVE_TLS_SECRET = 'thanos-receive-tls';
const GRAFANA_ADMIN_SECRET = 'grafana-admin';
/** The in-cluster address Grafana reads every region's metrics from. */
export const THANOS_QUERY_URL = `http://${THANOS_ENDPOINTS.query.service}.${MONITORING_NAMESPACE}.svc:${THANOS_ENDPOINTS.query.port}`;
/** The address the departments' Grafanas read from: the query path that confines each to its tenant. */
export const THANOS_TENANTS_QUERY_URL = `http://${THANOS_ENDPOINTS.tenantsQuery.service}.${MONITORING_NAMESPACE}.svc:${THANOS_ENDPOINTS.tenantsQuery.port}`;

/** HTTP ports of Thanos Query and of the query frontend in their pods (the charts' `containerPorts.http`): what a reader connects to. */
const QUERY_HTTP_PORT = '10902';
const QUERY_FRONTEND_HTTP_PORT = '9090';
/** The pods of a Helm release of `chart`, as the Bitnami and Grafana charts label them. */
const releasePods = (chart: string, release: string) => ({ 'app.kubernetes.io/name': chart, 'app.kubernetes.io/instance': release });

/** Helm waits this long for Thanos and Grafana. */
const RELEASE_TIMEOUT_SECONDS = 900;

export interface ObservabilityHubProps {
  readonly spec: ObservabilitySpec;
  /** The hub cluster's own monitoring stack: the hub shares its namespace and manifest file. */
  readonly monitoring: ClusterMonitoring;
  /** Grafana dashboards to load, each with the folder it goes to and the department that sees it. */
  readonly dashboards: readonly FolderedDashboard[];
  /** The departments that get a Grafana of their own, confined to their own series and dashboards. */
  readonly departments: readonly string[];
}

/**
 * The province's observability hub, on one gov cluster: Thanos receives every cluster's remote
 * write (mutual TLS on a LoadBalancer Service: only clusters whose client certificate the
 * clusters' CA signed get in), keeps it in object storage and answers
 * queries across every region; Grafana reads Thanos Query and loads the generated dashboards.
 *
 * Who sees what (white paper 2.1.1 (3)): the data bureau's Grafana reads every series through the
 * global query path and loads every dashboard. Each department's Grafana reads through a second
 * Thanos Query that enforces tenancy (every selector gets `namespace="<department>"`) and loads
 * its department's dashboards alone. NetworkPolicies admit only the data bureau's Grafana to the
 * global path and only the departments' Grafanas to the tenants' one (and Prometheus, to scrape).
 */
export class ObservabilityHub extends Construct {
  readonly thanos: Release;
  readonly grafana: Release;
  /** The departments' query path (`thanos-tenants`). */
  readonly tenantsQuery: Release;
  /** Each department's Grafana, by department. */
  readonly departmentGrafanas: ReadonlyMap<string, Release>;

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
          dataWo: { [OBJSTORE_KEY]: config.stringValue },
          dataWoRevision: 1,
        }),
      );
    }
    const pem = (name: string, what: string) => cluster.stack.secretVariable(name, `${what} (PEM)`).stringValue;
    secrets.push(
      new SecretV1(this, 'receive-tls', {
        metadata: metadata(RECEIVE_TLS_SECRET),
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
      dataWo: { 'admin-user': 'admin', 'admin-password': adminPassword.stringValue },
      dataWoRevision: 1,
    });
    const grafanaRelease = (id: string, release: string, department: string | undefined, dependsOn: ITerraformDependable[]) =>
      new Release(this, id, {
        name: release,
        namespace,
        repository: cluster.supplyChain.chartRepository,
        chart: GRAFANA.chart,
        version: GRAFANA.chartVersion,
        values: [
          toYaml(
            grafanaValues({
              registry: cluster.supplyChain.registry,
              thanosQueryUrl: department ? THANOS_TENANTS_QUERY_URL : THANOS_QUERY_URL,
              adminSecret: GRAFANA_ADMIN_SECRET,
              storageClass: cluster.spec.storageClass,
              ...(department ? { department } : {}),
            }),
          ),
        ],
        ...RELEASE_SAFETY,
        timeout: RELEASE_TIMEOUT_SECONDS,
        dependsOn,
      });
    this.grafana = grafanaRelease('grafana', GRAFANA_RELEASE, undefined, [this.thanos, admin]);

    this.tenantsQuery = new Release(this, 'thanos-tenants', {
      name: THANOS_TENANTS_RELEASE,
      namespace,
      repository: cluster.supplyChain.chartRepository,
      chart: THANOS.chart,
      version: THANOS.chartVersion,
      values: [toYaml(thanosTenantsValues({ registry: cluster.supplyChain.registry, namespace: MONITORING_NAMESPACE }))],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
      dependsOn: [this.thanos],
    });
    const departmentGrafanas = new Map<string, Release>();
    for (const department of props.departments) {
      departmentGrafanas.set(department, grafanaRelease(`grafana-${department}`, departmentGrafanaRelease(department), department, [this.tenantsQuery, admin]));
    }
    this.departmentGrafanas = departmentGrafanas;

    // Readers of each query path. Prometheus scrapes both; the global path's query frontend reads its Query.
    const readers = (peers: NetworkPolicyV1SpecIngressFrom[], ports: string[]) => [
      { from: [...peers, PROMETHEUS_PEER], ports: ports.map((port) => ({ port, protocol: 'TCP' })) },
    ];
    new NetworkPolicyV1(this, 'network-policy-global-query', {
      metadata: metadata('thanos-global-query-readers'),
      spec: {
        podSelector: {
          matchLabels: releasePods(THANOS.chart, THANOS_RELEASE),
          matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['query', 'query-frontend'] }],
        },
        policyTypes: ['Ingress'],
        ingress: readers(
          [
            { podSelector: { matchLabels: releasePods(GRAFANA.chart, GRAFANA_RELEASE) } },
            { podSelector: { matchLabels: releasePods(THANOS.chart, THANOS_RELEASE) } },
          ],
          [QUERY_HTTP_PORT, QUERY_FRONTEND_HTTP_PORT],
        ),
      },
    });
    new NetworkPolicyV1(this, 'network-policy-tenants-query', {
      metadata: metadata('thanos-tenants-query-readers'),
      spec: {
        podSelector: { matchLabels: { ...releasePods(THANOS.chart, THANOS_TENANTS_RELEASE), 'app.kubernetes.io/component': 'query' } },
        policyTypes: ['Ingress'],
        ingress: readers(
          props.departments.length === 0
            ? []
            : [
                {
                  podSelector: {
                    matchLabels: { 'app.kubernetes.io/name': GRAFANA.chart },
                    matchExpressions: [{ key: 'app.kubernetes.io/instance', operator: 'In', values: props.departments.map(departmentGrafanaRelease) }],
                  },
                },
              ],
          [QUERY_HTTP_PORT],
        ),
      },
    });

    for (const { folder, dashboard, department } of props.dashboards) {
      const uid = dashboard.uid;
      new ApiObject(monitoring.manifests, `dashboard-${uid}`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `dashboard-${uid}`,
          namespace: MONITORING_NAMESPACE,
          labels: {
            ...labels,
            [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value,
            ...(department ? { [GRAFANA_DEPARTMENT_DASHBOARD_LABEL]: department } : {}),
          },
          annotations: { [GRAFANA_FOLDER_ANNOTATION]: folder },
        },
        data: { [dashboardFileName(uid)]: JSON.stringify(dashboard) },
      });
    }
  }
}
