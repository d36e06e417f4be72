import { Construct } from 'constructs';
import { ApiObject, type Chart } from 'cdk8s';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { RoleV1, type RoleV1Rule } from '@cdktf/provider-kubernetes/lib/role-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { NetworkPolicyV1, type NetworkPolicyV1Spec } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import {
  type CpuMemory,
  DEFAULT_EPHEMERAL_STORAGE_QUOTA,
  DEFAULT_LIMITS,
  DEFAULT_QUOTA_PODS,
  type DepartmentSpec,
  EPHEMERAL_STORAGE_LIMITS,
} from './department-spec';
import { departmentTierQuotas } from './tier-quota-plan';
import { PRIORITY_CLASSES } from '../workload/priority-catalogue';
import { formatBytes, formatCores } from '../../lib/quantity';
import { placementLabels, podSecurityLabels } from '../core/labels';
import { CROSS_NETWORK_EGRESS, DNS_EGRESS, EAST_WEST_GATEWAY_INGRESS, ISTIO_CONTROL_PLANE_EGRESS } from '../core/network-rules';
import { ISTIO_INJECTION_LABEL } from '../mesh/istio-topology';
import { NetworkPolicySet } from '../core/network-policy-set';
import type { ICluster, IDepartment, IService, TrafficRules } from '../core/tree';

export interface DepartmentProps {
  readonly spec: DepartmentSpec;
}

/** Namespaced kinds a department runs its systems with. */
const WORKLOAD_RULES: readonly RoleV1Rule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts'], verbs: [] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets', 'daemonsets'], verbs: [] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: [] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: [] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: [] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: [] },
];
const READ = ['get', 'list', 'watch'];
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * A department (tenant) on one cluster: its namespace with Pod Security labels, quota (and one
 * per capped priority tier), container limits, admin and viewer roles, and network isolation
 * (default deny, same-namespace and DNS allowed). Quota, limits, roles and network policies belong to the platform: the department's
 * own admins can read but not change them.
 */
export class Department extends Construct implements IDepartment {
  readonly spec: DepartmentSpec;
  readonly cluster: ICluster;
  /** The namespace name (the department name). */
  readonly namespaceName: string;
  readonly namespace: NamespaceV1;
  /** The department's application manifests on this cluster (`<department>.yaml`). */
  readonly chart: Chart;
  private readonly labels: Record<string, string>;
  private readonly servicesByName = new Map<string, IService>();
  private readonly traffic: NetworkPolicySet;

  /** Lives in the cluster's Terraform stack: its construct path is part of each resource address. */
  constructor(cluster: ICluster, id: string, props: DepartmentProps) {
    super(cluster.stack, id);
    this.spec = props.spec;
    this.cluster = cluster;
    const labels = placementLabels({
      blueprint: cluster.region.blueprint.name,
      region: cluster.region.name,
      cluster: cluster.name,
      department: props.spec.name,
    });
    this.labels = labels;
    const level = props.spec.podSecurity ?? 'restricted';
    const mesh = cluster.mesh;

    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: props.spec.name,
        labels: {
          ...labels,
          ...podSecurityLabels(level),
          // Sidecars are set up by the Istio CNI node agent, so pods stay within `restricted`.
          ...(mesh ? ISTIO_INJECTION_LABEL : {}),
        },
        ...(props.spec.displayName ? { annotations: { 'govcloud.io/display-name': props.spec.displayName } } : {}),
      },
    });
    // Referencing the namespace resource (not its literal name) orders every object after it.
    this.namespaceName = this.namespace.metadata.name;

    new ResourceQuotaV1(this, 'quota', { metadata: this.metadata('department-quota'), spec: { hard: quotaHard(props.spec) } });
    // Beside it, a quota per capped tier, counting only the pods of that tier's PriorityClass.
    for (const tier of departmentTierQuotas(cluster.region.spec, props.spec, cluster.name)) {
      new ResourceQuotaV1(this, `quota-${tier.tier}`, {
        metadata: this.metadata(`department-quota-${tier.tier}`),
        spec: {
          hard: { 'requests.cpu': formatCores(tier.cpu), 'requests.memory': formatBytes(tier.memory), pods: String(tier.pods) },
          scopeSelector: { matchExpression: [{ scopeName: 'PriorityClass', operator: 'In', values: [PRIORITY_CLASSES[tier.tier].className] }] },
        },
      });
    }

    const limits = { ...DEFAULT_LIMITS, ...props.spec.limits };
    new LimitRangeV1(this, 'limits', {
      metadata: this.metadata('container-defaults'),
      spec: {
        limit: [
          {
            type: 'Container',
            defaultRequest: { ...quantities(limits.defaultRequest), 'ephemeral-storage': EPHEMERAL_STORAGE_LIMITS.defaultRequest },
            default: { ...quantities(limits.defaultLimit), 'ephemeral-storage': EPHEMERAL_STORAGE_LIMITS.defaultLimit },
            max: { ...quantities(limits.max), 'ephemeral-storage': EPHEMERAL_STORAGE_LIMITS.max },
          },
        ],
      },
    });

    this.rbac('admin', props.spec.groups?.admins ?? [`${props.spec.name}-admins`], [
      ...WORKLOAD_RULES.map((rule) => ({ ...rule, verbs: WRITE })),
      { apiGroups: [''], resources: ['secrets'], verbs: WRITE },
      { apiGroups: [''], resources: ['pods/log', 'events', 'resourcequotas', 'limitranges'], verbs: READ },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
    ]);
    this.rbac('viewer', props.spec.groups?.viewers ?? [`${props.spec.name}-viewers`], [
      ...WORKLOAD_RULES.map((rule) => ({ ...rule, verbs: READ })),
      { apiGroups: [''], resources: ['pods/log', 'events', 'resourcequotas', 'limitranges'], verbs: READ },
    ]);

    const everyPod = { podSelector: {} };
    this.addNetworkPolicy('deny-all', { ...everyPod, policyTypes: ['Ingress', 'Egress'] });
    // The namespace is open inside and reaches the cluster DNS; with the mesh, istiod too (and the
    // east-west gateways across networks). One policy for every pod: see NetworkPolicySet.
    this.traffic = new NetworkPolicySet(this, (name) => this.metadata(name));
    this.allowTraffic('namespace', {}, { ingress: [{ from: [everyPod] }], egress: [{ to: [everyPod] }, DNS_EGRESS] });

    this.chart = cluster.addManifests(props.spec.name, { namespace: props.spec.name });
    if (mesh) {
      this.allowTraffic('namespace', {}, { egress: [ISTIO_CONTROL_PLANE_EGRESS] });
      if (mesh.crossNetwork) this.allowTraffic('namespace', {}, { ingress: [EAST_WEST_GATEWAY_INGRESS], egress: [CROSS_NETWORK_EGRESS] });
      // Istio's "allow-nothing": a workload admits only what an ALLOW policy of its own names.
      new ApiObject(this.chart, 'authorization-allow-nothing', {
        apiVersion: mesh.securityApiVersion,
        kind: 'AuthorizationPolicy',
        metadata: { name: 'allow-nothing', labels },
        spec: {},
      });
    }
    cluster.registerDepartment(this);
  }

  /** The department's services on this cluster, in creation order. */
  get services(): IService[] {
    return [...this.servicesByName.values()];
  }

  /** Registers a service created in this department (called by `Service`). */
  registerService(service: IService): void {
    this.servicesByName.set(service.spec.name, service);
  }

  /**
   * Adds a NetworkPolicy `<name>` to the department's namespace (Terraform resource
   * `network-policy-<name>`), e.g. to let a declared caller of another department in.
   */
  addNetworkPolicy(name: string, spec: NetworkPolicyV1Spec): void {
    new NetworkPolicyV1(this, `network-policy-${name}`, { metadata: this.metadata(name), spec });
  }

  /**
   * Allows `rules` for the pods `podSelector` selects in the department's namespace (every pod
   * when empty). Rules for the same pods share one NetworkPolicy, `traffic-<subject>` (Terraform
   * resource `network-policy-traffic-<subject>`), or `baseline-traffic` for every pod.
   */
  allowTraffic(subject: string, podSelector: Readonly<Record<string, string>>, rules: TrafficRules): void {
    this.traffic.allow(subject, podSelector, rules);
  }

  /** Metadata of a platform object in the department's namespace. */
  private metadata(name: string) {
    return { name, namespace: this.namespaceName, labels: this.labels };
  }

  private rbac(role: string, groups: readonly string[], rules: RoleV1Rule[]): void {
    const name = `${this.spec.name}-${role}`;
    const created = new RoleV1(this, `role-${role}`, { metadata: this.metadata(name), rule: rules });
    new RoleBindingV1(this, `role-binding-${role}`, {
      metadata: this.metadata(name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: created.metadata.name },
      subject: groups.map((group) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group })),
    });
  }
}

function quantities(value: CpuMemory): Record<string, string> {
  return { cpu: String(value.cpu), memory: String(value.memory) };
}

function quotaHard(spec: DepartmentSpec): Record<string, string> {
  const q = spec.quota;
  const hard: Record<string, string | number | undefined> = {
    'requests.cpu': q.cpu,
    'requests.memory': q.memory,
    'limits.cpu': q.limitsCpu,
    'limits.memory': q.limitsMemory,
    pods: q.pods ?? DEFAULT_QUOTA_PODS,
    services: q.services ?? 50,
    persistentvolumeclaims: q.persistentVolumeClaims ?? 20,
    'requests.storage': q.storage ?? '500Gi',
    'requests.ephemeral-storage': q.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE_QUOTA,
  };
  return Object.fromEntries(
    Object.entries(hard)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}
