import { type ServiceSpec } from '../../constructs/workload/service-spec';
import { minimalBlueprint, synthesize } from '../support/fleet-fixtures';
import { effectivePriorityTier } from '../../constructs/workload/priority-catalogue';

function withService(change: Partial<ServiceSpec>) {
  const blueprint = minimalBlueprint();
  const out = synthesize({ ...blueprint, services: [{ ...blueprint.services[0], ...change }] }, { changsha: {} });
  return (kind: string) => out.find('changsha', 'gov', kind, 'enrolment');
}

describe('Service (the workload standard)', () => {
  const get = withService({});
  const deployment = get('Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('writes its objects into the department namespace file', () => {
    expect(['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget'].map((k) => get(k).metadata.namespace)).toEqual([
      'education',
      'education',
      'education',
      'education',
    ]);
  });

  it('labels every object with department, service, version, region, cluster and data classification', () => {
    expect(deployment.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'enrolment',
      'app.kubernetes.io/version': '1.0.0',
      'app.kubernetes.io/instance': 'enrolment',
      'app.kubernetes.io/part-of': 'test-blueprint',
      'app.kubernetes.io/managed-by': 'govcloud-blueprint',
      'govcloud.io/department': 'education',
      'govcloud.io/region': 'changsha',
      'govcloud.io/cluster': 'gov',
      // Unmarked: treated as citizen personal data, the safe assumption.
      'govcloud.io/data-classification': 'personal',
    });
    // Pods also carry their release track, which keeps a canary's Deployment off the stable pods.
    expect(deployment.spec.template.metadata.labels).toEqual({ ...deployment.metadata.labels, 'govcloud.io/track': 'stable' });
  });

  it('selects pods without the version, so a new version rolls out under the same selector', () => {
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'enrolment',
      'govcloud.io/department': 'education',
      'govcloud.io/track': 'stable',
    });
    // The Service (and the budget) select every track: stable and canary pods serve together.
    expect(get('Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'enrolment', 'govcloud.io/department': 'education' });
  });

  it('runs the versioned image under a ServiceAccount without a token', () => {
    expect(container.image).toBe('registry.test.example/edu/enrolment:1.0.0');
    expect(get('ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('enrolment');
  });

  it('meets the restricted Pod Security Standard', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  it('defaults to two replicas, TCP probes on the first port, no startup probe and a budget of one unavailable pod that never blocks a drain', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(container.startupProbe).toBeUndefined();
    // Crash-looping pods may always be evicted: they must not hold up a node drain.
    expect(get('PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: get('Service').spec.selector },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(() => get('HorizontalPodAutoscaler')).toThrow(/no HorizontalPodAutoscaler/);
  });

  it('keeps a memory limit equal to the request, a CPU limit of twice the request, and bounded ephemeral storage', () => {
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
      limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  it("takes the service's own ephemeral storage, raising the default limit to a larger request", () => {
    const own = withService({ resources: { requests: { cpu: '250m', memory: '256Mi' }, ephemeralStorage: { request: '512Mi', limit: '2Gi' } } })('Deployment');
    expect(own.spec.template.spec.containers[0].resources.limits['ephemeral-storage']).toBe('2Gi');
    const large = withService({ resources: { requests: { cpu: '250m', memory: '256Mi' }, ephemeralStorage: { request: '3Gi' } } })('Deployment');
    expect(large.spec.template.spec.containers[0].resources.requests['ephemeral-storage']).toBe('3Gi');
    expect(large.spec.template.spec.containers[0].resources.limits['ephemeral-storage']).toBe('3Gi');
  });

  it('caps the default CPU limit at the department container maximum', () => {
    const big = withService({ resources: { requests: { cpu: '3', memory: '1Gi' } } })('Deployment');
    expect(big.spec.template.spec.containers[0].resources.limits.cpu).toBe('4');
  });

  it('spreads pods across zones and nodes without blocking scheduling', () => {
    expect(pod.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.maxSkew, c.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 1, 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 1, 'ScheduleAnyway'],
    ]);
  });

  it("gives a slow starter a startup probe, and never stacks a citizen-critical service's replicas on one node", () => {
    const slow = withService({ probes: { startup: { path: '/healthz', failureThreshold: 30 } }, priority: 'citizen-critical' })('Deployment').spec.template
      .spec;
    expect(slow.containers[0].startupProbe).toEqual({
      httpGet: { path: '/healthz', port: 'http' },
      periodSeconds: 10,
      failureThreshold: 30,
      timeoutSeconds: 1,
    });
    expect(slow.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'DoNotSchedule'],
    ]);
  });

  it('maps ports by name from Service to container', () => {
    expect(get('Service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  it('passes plain env values and references Secrets by name and key, never by value', () => {
    const env = withService({
      env: [
        { name: 'DB_HOST', value: 'db' },
        { name: 'DB_PASSWORD', secret: { name: 'enrolment-db', key: 'password' } },
      ],
    })('Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'DB_HOST', value: 'db' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'enrolment-db', key: 'password' } } },
    ]);
  });

  describe('with autoscaling', () => {
    const scaled = withService({ autoscaling: { minReplicas: 2, maxReplicas: 20 } });

    it('leaves the replica count to the HPA', () => {
      expect(scaled('Deployment').spec.replicas).toBeUndefined();
    });

    it('emits autoscaling/v2 with a CPU target and fast-up, slow-down behavior by default', () => {
      const hpa = scaled('HorizontalPodAutoscaler');
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'enrolment' });
      expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
      expect(hpa.spec.behavior).toEqual({
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Percent', value: 100, periodSeconds: 15 },
            { type: 'Pods', value: 4, periodSeconds: 15 },
          ],
        },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      });
    });

    it('uses the declared behavior and memory target', () => {
      const hpa = withService({
        autoscaling: {
          minReplicas: 2,
          maxReplicas: 80,
          targetMemoryUtilization: 80,
          scaleUp: { percent: 900, periodSeconds: 15 },
          scaleDown: { pods: 1, stabilizationWindowSeconds: 900 },
        },
      })('HorizontalPodAutoscaler');
      expect(hpa.spec.metrics[1]).toEqual({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } });
      expect(hpa.spec.behavior.scaleUp.policies).toEqual([{ type: 'Percent', value: 900, periodSeconds: 15 }]);
      expect(hpa.spec.behavior.scaleDown).toEqual({
        stabilizationWindowSeconds: 900,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
      });
    });
  });

  it('uses HTTP probes on the named port when a path is given', () => {
    const c = withService({
      ports: [
        { name: 'http', port: 80 },
        { name: 'admin', port: 9090 },
      ],
      probes: { liveness: { path: '/healthz', port: 'admin', initialDelaySeconds: 15 } },
    })('Deployment').spec.template.spec.containers[0];
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'admin' }, initialDelaySeconds: 15 });
    // A zero delay is left out, as the API server stores it, so a GitOps diff settles.
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 });
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 'http' });
  });
});

describe('priority tiers', () => {
  const tierOf = (blueprint: ReturnType<typeof minimalBlueprint>) =>
    synthesize(blueprint, { changsha: {} }).find('changsha', 'gov', 'Deployment', 'enrolment').spec.template.spec.priorityClassName;

  it("runs a service at its own tier, else its department's default, else standard", () => {
    const blueprint = minimalBlueprint();
    expect(tierOf(blueprint)).toBe('govcloud-standard');
    expect(tierOf({ ...blueprint, departments: [{ ...blueprint.departments[0], defaultPriority: 'batch' }] })).toBe('govcloud-batch');
    expect(
      tierOf({
        ...blueprint,
        departments: [{ ...blueprint.departments[0], defaultPriority: 'batch' }],
        services: [{ ...blueprint.services[0], priority: 'citizen-critical' }],
      }),
    ).toBe('govcloud-citizen-critical');
  });

  it('defines the four PriorityClasses in every stack with departments, none of them the global default, batch never preempting', () => {
    const blueprint = minimalBlueprint();
    const out = synthesize(blueprint, { changsha: {} });
    const classes = Object.values(out.resources('changsha-gov', 'kubernetes_priority_class_v1')).sort((a: any, b: any) => b.value - a.value);
    expect(classes.map((c: any) => [c.metadata.name, c.value, c.preemption_policy])).toEqual([
      ['govcloud-citizen-critical', 100000, 'PreemptLowerPriority'],
      ['govcloud-standard', 10000, 'PreemptLowerPriority'],
      ['govcloud-burst-copy', 5000, 'PreemptLowerPriority'],
      ['govcloud-batch', 1000, 'Never'],
    ]);
    // Not the global default: the provider's default (false) when the attribute is absent.
    for (const c of classes) expect(c.global_default).toBeUndefined();
  });

  it("runs a copy on a public-cloud cluster as a burst copy, below the cluster's own services; batch stays batch", () => {
    expect(effectivePriorityTier('citizen-critical', undefined, 'public')).toBe('burst-copy');
    expect(effectivePriorityTier(undefined, 'batch', 'public')).toBe('batch');
    expect(effectivePriorityTier('citizen-critical', 'batch', 'gov')).toBe('citizen-critical');
  });

  it('refuses an unknown tier', () => {
    const blueprint = minimalBlueprint();
    expect(() => synthesize({ ...blueprint, services: [{ ...blueprint.services[0], priority: 'vip' as never }] }, { changsha: {} })).toThrow(
      /services\.enrolment\.priority: must be one of "citizen-critical", "standard", "burst-copy", "batch"/,
    );
  });
});
