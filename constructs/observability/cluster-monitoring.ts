import { Construct } from 'constructs';
import { ApiObject, type Chart } from 'cdk8s';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Release } from '@cdktf/provider-helm/lib/release';
import { toYaml } from '../../lib/output/canonical-yaml';
import { RELEASE_SAFETY } from '../core/cluster-stack';
import { LABELS, placementLabels, podSecurityLabels } from '../core/labels';
import { namespacePeer } from '../core/network-rules';
import { ISTIOD_SELECTOR, ISTIO_PORTS, ISTIO_SYSTEM_NAMESPACE } from '../mesh/istio-topology';
import { MIDDLEWARE_NAMESPACE } from '../middleware/middleware-plan';
import { catalogueEngine } from '../middleware/catalogue';
import type { ICluster, IService } from '../core/tree';
import type { ITrafficPolicies } from '../core/tree';
import { DATA_BUREAU, DEFAULT_PROMETHEUS_RETENTION, DEFAULT_SCRAPE_INTERVAL, type ObservabilitySpec, REMOTE_WRITE_VARIABLES } from './observability-spec';
import {
  DEFAULT_PROMETHEUS_RESOURCES,
  KUBE_PROMETHEUS_STACK,
  KUBE_PROMETHEUS_STACK_RELEASE,
  MONITORING_NAMESPACE,
  kubePrometheusStackValues,
} from './monitoring-catalogue';
import { earlyWarningGroups } from './alert-rules-plan';
import { type SloTarget, sloPrometheusRule } from './slo-plan';
import { alertmanagerConfig } from './alert-routing-plan';
import { externalLabels } from './series-labels-plan';

/** The cluster's manifest file of observability objects: scrape targets, rules, alert routing. */
export const MONITORING_FILE = 'monitoring';
export const REMOTE_WRITE_SECRET = 'remote-write-credentials';

/** Helm waits this long for the operator, Prometheus and Alertmanager. */
const RELEASE_TIMEOUT_SECONDS = 900;

/** Prometheus' pods, as the chart labels them: the only peers a scrape path admits. */
export const PROMETHEUS_PEER = { ...namespacePeer(MONITORING_NAMESPACE), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } };

/**
 * The monitoring stack of one cluster (kube-prometheus-stack from the mirror): Prometheus with
 * the fleet's external labels, a short local retention and remote write to the hub over mutual
 * TLS (the client certificate from write-only variables); Alertmanager routing by owner. The scrape targets,
 * rules and routes go to the cluster's `monitoring.yaml`; NetworkPolicies open exactly the scrape
 * paths from Prometheus to the services' and the shelf's metrics ports.
 */
export class ClusterMonitoring extends Construct {
  /** Its construct id in the cluster's stack. */
  static readonly ID = 'monitoring';
  readonly cluster: ICluster;
  readonly spec: ObservabilitySpec;
  readonly namespace: NamespaceV1;
  readonly release: Release;
  /** The cluster's `monitoring.yaml`. */
  readonly manifests: Chart;
  private readonly labels: Record<string, string>;

  /** Lives in the cluster's Terraform stack as `monitoring`. */
  constructor(cluster: ICluster, spec: ObservabilitySpec) {
    super(cluster.stack, ClusterMonitoring.ID);
    this.cluster = cluster;
    this.spec = spec;
    this.labels = placementLabels({ blueprint: cluster.region.blueprint.name, region: cluster.region.name, cluster: cluster.name });
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: MONITORING_NAMESPACE,
        // node-exporter reads the host's /proc and /sys on the host network: `privileged` is
        // enforced, `baseline` audited so anything else shows up.
        labels: { ...this.labels, ...podSecurityLabels('privileged', 'baseline') },
      },
    });
    const variable = (name: string, what: string) => cluster.stack.secretVariable(name, `${what} (PEM)`).stringValue;
    const credentials = new SecretV1(this, 'remote-write-credentials', {
      metadata: { name: REMOTE_WRITE_SECRET, namespace: this.namespace.metadata.name, labels: this.labels },
      dataWo: {
        'tls.crt': variable(REMOTE_WRITE_VARIABLES.clientCertificate, `client certificate of ${cluster.stackName}'s Prometheus at the observability hub`),
        'tls.key': variable(REMOTE_WRITE_VARIABLES.clientKey, `private key of ${cluster.stackName}'s client certificate`),
        'ca.crt': variable(REMOTE_WRITE_VARIABLES.hubCa, "CA certificate that signed the observability hub's server certificate"),
      },
      dataWoRevision: 1,
    });
    const prometheus = spec.prometheus ?? {};
    this.release = new Release(this, 'release', {
      name: KUBE_PROMETHEUS_STACK_RELEASE,
      namespace: this.namespace.metadata.name,
      repository: cluster.supplyChain.chartRepository,
      chart: KUBE_PROMETHEUS_STACK.chart,
      version: KUBE_PROMETHEUS_STACK.chartVersion,
      values: [
        toYaml(
          kubePrometheusStackValues({
            registry: cluster.supplyChain.registry,
            externalLabels: externalLabels(cluster.region.blueprint.name, cluster.region.name, cluster.spec),
            retention: prometheus.retention ?? DEFAULT_PROMETHEUS_RETENTION,
            scrapeInterval: prometheus.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL,
            resources: prometheus.resources ?? DEFAULT_PROMETHEUS_RESOURCES,
            remoteWrite: { url: spec.hub.remoteWriteUrl, tlsSecret: REMOTE_WRITE_SECRET },
            storageClass: cluster.spec.storageClass,
            istio: cluster.mesh !== undefined,
          }),
        ),
      ],
      ...RELEASE_SAFETY,
      timeout: RELEASE_TIMEOUT_SECONDS,
      dependsOn: [credentials],
    });
    this.manifests = cluster.addManifests(MONITORING_FILE);
  }

  /** A scrape path: ingress from Prometheus to `ports` of the pods `podSelector` selects in the namespace of `owner`. */
  private openScrapePath(owner: ITrafficPolicies, subject: string, podSelector: Record<string, string>, ports: readonly string[]): void {
    owner.allowTraffic(subject, podSelector, { ingress: [{ from: [PROMETHEUS_PEER], ports: ports.map((port) => ({ port, protocol: 'TCP' })) }] });
  }

  /**
   * The scrape target of a service, labelled with its department, name and version, and the path
   * to it. Outside the mesh: a ServiceMonitor on its metrics port. Inside: a PodMonitor on the
   * sidecar agent's merged endpoint, which carries Istio's request metrics and, when the service
   * declares metrics, its own (STRICT mTLS keeps Prometheus off the application's port).
   */
  scrapeService(service: IService): void {
    const metrics = service.spec.metrics;
    const department = service.department.spec.name;
    const name = service.spec.name;
    const meshed = this.cluster.mesh !== undefined;
    if (!metrics && !meshed) return;
    const labels = { ...service.labels, [LABELS.department]: department };
    const ownerLabels = [LABELS.department, LABELS.name, LABELS.version];
    if (meshed) {
      new ApiObject(this.manifests, `pod-monitor-${department}-${name}`, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name, namespace: department, labels },
        spec: {
          selector: { matchLabels: { [LABELS.name]: name } },
          namespaceSelector: { matchNames: [department] },
          podMetricsEndpoints: [
            { portNumber: ISTIO_PORTS.mergedMetrics, path: '/stats/prometheus', ...(metrics?.interval ? { interval: metrics.interval } : {}) },
          ],
          podTargetLabels: ownerLabels,
        },
      });
    } else {
      new ApiObject(this.manifests, `service-monitor-${department}-${name}`, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name, namespace: department, labels },
        spec: {
          selector: {
            matchLabels: service.selector,
            // Both Services of a stateful service select its pods: scrape them through one.
            ...(service.spec.stateful ? { matchExpressions: [{ key: LABELS.headless, operator: 'DoesNotExist' }] } : {}),
          },
          namespaceSelector: { matchNames: [department] },
          endpoints: [{ port: metrics!.port, path: metrics!.path ?? '/metrics', ...(metrics!.interval ? { interval: metrics!.interval } : {}) }],
          targetLabels: ownerLabels,
        },
      });
    }
    // Containers name their ports after the service's ports (see Service).
    const port = meshed ? String(ISTIO_PORTS.mergedMetrics) : metrics!.port;
    this.openScrapePath(service.department, `${name}-metrics`, { [LABELS.name]: name }, [port]);
  }

  /** On a meshed cluster, istiod's own metrics (pushes, rejected configuration, certificate signing). */
  scrapeMeshControlPlane(): void {
    if (!this.cluster.mesh) return;
    new ApiObject(this.manifests, 'service-monitor-istiod', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'istiod', namespace: ISTIO_SYSTEM_NAMESPACE, labels: this.labels },
      spec: {
        selector: { matchLabels: ISTIOD_SELECTOR },
        namespaceSelector: { matchNames: [ISTIO_SYSTEM_NAMESPACE] },
        endpoints: [{ port: 'http-monitoring', path: '/metrics' }],
      },
    });
  }

  /** A PodMonitor per shelf instance with metrics on, and the path to its exporter. */
  scrapeMiddleware(): void {
    for (const instance of this.cluster.middlewareInstances) {
      if (!instance.plan.metrics) continue;
      const endpoint = catalogueEngine(instance.spec.engine).metricsEndpoint;
      const pods = { 'app.kubernetes.io/instance': instance.spec.name };
      new ApiObject(this.manifests, `pod-monitor-middleware-${instance.spec.name}`, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: instance.spec.name, namespace: MIDDLEWARE_NAMESPACE, labels: { ...this.labels, [LABELS.middleware]: instance.spec.name } },
        spec: {
          selector: { matchLabels: pods },
          namespaceSelector: { matchNames: [MIDDLEWARE_NAMESPACE] },
          podMetricsEndpoints: [{ port: endpoint.port, path: endpoint.path }],
          podTargetLabels: [LABELS.middleware],
        },
      });
      this.openScrapePath(instance.shelf, instance.spec.name, pods, [endpoint.port]);
    }
  }

  /** The SLO rules of the cluster's services, one PrometheusRule per department namespace. */
  addSloRules(targets: readonly SloTarget[]): void {
    const byDepartment = new Map<string, SloTarget[]>();
    for (const target of targets) byDepartment.set(target.department, [...(byDepartment.get(target.department) ?? []), target]);
    for (const [department, own] of byDepartment) {
      new ApiObject(this.manifests, `slo-rules-${department}`, sloPrometheusRule(own, department, { ...this.labels, [LABELS.department]: department }));
    }
  }

  /** The early warnings of the cluster, owned by the data bureau (quota alerts name the department). */
  addEarlyWarnings(): void {
    const groups = earlyWarningGroups(this.cluster.region.spec, { region: this.cluster.region.name, cluster: this.cluster.name });
    new ApiObject(this.manifests, 'early-warning-rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'govcloud-early-warnings', namespace: MONITORING_NAMESPACE, labels: this.labels },
      spec: { groups },
    });
  }

  /** Alert routes: the data bureau's in the monitoring namespace, each department's in its own. */
  addAlertRouting(): void {
    const spec = this.cluster.region.spec;
    new ApiObject(
      this.manifests,
      'alert-routing-platform',
      alertmanagerConfig(DATA_BUREAU, MONITORING_NAMESPACE, spec.observability!.dataBureauReceivers, this.labels),
    );
    for (const department of this.cluster.departments) {
      const receivers = department.spec.alertReceivers ?? [];
      // The bureau's own department shares its owner value: its routes are the bureau's.
      if (receivers.length === 0 || department.spec.name === DATA_BUREAU) continue;
      new ApiObject(
        this.manifests,
        `alert-routing-department-${department.spec.name}`,
        alertmanagerConfig(department.spec.name, department.spec.name, receivers, { ...this.labels, [LABELS.department]: department.spec.name }),
      );
    }
  }
}
