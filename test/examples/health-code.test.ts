import * as path from 'path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { healthCodeFleet } from '../../examples/health-code/health-code';
import { EXAMPLES } from '../../examples';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { CLUSTER_PROMETHEUS_URL } from '../../constructs/observability/monitoring-catalogue';
import { SynthOutput, tempDir } from '../support/fleet-fixtures';
import { seriesSelectors } from '../support/promql';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');

describe('example: health code shipped progressively (white paper 4.2, scenario 1)', () => {
  const dir = path.join(tempDir(), 'out');
  healthCodeFleet(dir).synth();
  const out = new SynthOutput(dir);
  const get = (kind: string, name: string, cluster = 'gov') => out.find('changsha', cluster, kind, name);
  const kinds = (cluster: string) => out.manifests('changsha', cluster).map((o) => `${o.kind} ${o.metadata.name}`);

  it('is registered as an example', () => {
    expect(EXAMPLES['health-code']).toBe(healthCodeFleet);
  });

  it('validates every manifest, the Rollout and AnalysisTemplate included, against the Kubernetes and CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    expect(formatManifestProblems(validator.validateDirectory(path.join(dir, 'manifests')))).toBe('');
  });

  it('runs health code 2.4.0 as an Argo Rollout: 10% for 5m, 50% for 10m, then all, analysed from the first step on', () => {
    expect(kinds('gov')).not.toContain('Deployment health-code');
    const rollout = get('Rollout', 'health-code');
    expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(rollout.spec.template.spec.containers[0].image).toBe(
      'registry.gov.hunan.example/citizen-services/health-code:2.4.0@sha256:5be1b3f4c0b7a3a4f0b9a1e8d2c6f7e3a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4',
    );
    const canary = rollout.spec.strategy.canary;
    expect(canary.steps).toEqual([{ setWeight: 10 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: { duration: '10m' } }]);
    expect(canary.analysis).toEqual({
      templates: [{ templateName: 'health-code' }],
      startingStep: 1,
      args: [{ name: 'canary-version', value: '2.4.0' }],
    });
    // The track cannot be in the selector: a ReplicaSet's pods change track when promoted.
    expect(Object.keys(rollout.spec.selector.matchLabels)).not.toContain('govcloud.io/track');
    expect(rollout.spec.template.metadata.labels['govcloud.io/track']).toBeUndefined();
    expect(rollout.spec.template.spec.topologySpreadConstraints[0].matchLabelKeys).toEqual(['rollouts-pod-template-hash']);
  });

  it("routes through the library's own VirtualService and DestinationRule, which the Rollout manages", () => {
    const routing = get('Rollout', 'health-code').spec.strategy.canary.trafficRouting.istio;
    const virtualService = get('VirtualService', routing.virtualService.name);
    const route = virtualService.spec.http.find((r: any) => r.name === routing.virtualService.routes[0]);
    expect(route.route.map((r: any) => [r.destination.subset, r.weight])).toEqual([
      ['stable', 100],
      ['canary', 0],
    ]);
    expect(virtualService.spec.http[0].timeout).toBe('5s');
    const destinationRule = get('DestinationRule', routing.destinationRule.name);
    expect(destinationRule.spec.subsets.map((s: any) => s.name)).toEqual([routing.destinationRule.stableSubsetName, routing.destinationRule.canarySubsetName]);
    // The subsets select the service's pods; the controller adds each ReplicaSet's hash.
    for (const subset of destinationRule.spec.subsets) expect(subset.labels).toEqual(get('Service', 'health-code').spec.selector);
  });

  it("holds the new version to the SLOs, read from the mesh's metrics on the cluster's Prometheus, in PromQL that parses", () => {
    const template = get('AnalysisTemplate', 'health-code');
    expect(template.metadata.namespace).toBe('health');
    expect(template.spec.args).toEqual([{ name: 'canary-version' }]);
    const metrics = template.spec.metrics;
    expect(metrics.map((m: any) => [m.name, m.interval, m.failureLimit, m.successCondition, m.failureCondition])).toEqual([
      ['success-rate', '1m', 1, 'len(result) > 0 && result[0] >= 0.999', 'len(result) > 0 && result[0] < 0.999'],
      ['latency', '1m', 1, 'len(result) > 0 && result[0] <= 500', 'len(result) > 0 && result[0] > 500'],
    ]);
    for (const metric of metrics) {
      expect(metric.provider.prometheus.address).toBe(CLUSTER_PROMETHEUS_URL);
      const selectors = seriesSelectors(metric.provider.prometheus.query);
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) {
        expect(selector.metric).toMatch(/^istio_request/);
        expect(selector.matchers).toEqual(
          expect.arrayContaining([
            { name: 'reporter', op: '=', value: 'destination' },
            { name: 'destination_workload_namespace', op: '=', value: 'health' },
            { name: 'destination_service_name', op: '=', value: 'health-code' },
            // Only the new version's requests: the Rollout passes its version.
            { name: 'destination_version', op: '=', value: '{{args.canary-version}}' },
          ]),
        );
      }
    }
    expect(metrics[1].provider.prometheus.query).toMatch(/^histogram_quantile\(0\.99, sum by \(le\) \(rate\(istio_request_duration_milliseconds_bucket\{/);
  });

  it('scales the Rollout with its HPA and guards it with its disruption budget', () => {
    expect(get('HorizontalPodAutoscaler', 'health-code').spec.scaleTargetRef).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'health-code',
    });
    expect(get('PodDisruptionBudget', 'health-code').spec.selector.matchLabels).toEqual(get('Rollout', 'health-code').spec.selector.matchLabels);
  });

  it('installs Argo Rollouts, pinned and from the mirror, on the cluster that runs the Rollout only', () => {
    const releases = out.resources('changsha-gov', 'helm_release');
    const release = releases['changsha-gov/argo-rollouts/release'];
    expect(release).toMatchObject({ chart: 'argo-rollouts', version: '2.41.0', repository: 'oci://registry.gov.hunan.example/charts' });
    expect(release.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.argo-rollouts_namespace_/);
    const values = parseYaml(release.values[0]);
    expect(values.controller.image).toMatchObject({ registry: 'registry.gov.hunan.example', repository: 'argoproj/argo-rollouts', tag: 'v1.9.0' });
    expect(values.controller.resources.limits).toBeDefined();
    expect(values.containerSecurityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(
      out.resources('changsha-gov', 'kubernetes_namespace_v1')['changsha-gov/argo-rollouts/namespace'].metadata.labels['pod-security.kubernetes.io/enforce'],
    ).toBe('restricted');
    // Health code keeps its personal data on the government cloud: no Rollout, no controller on the public cluster.
    expect(kinds('burst').filter((k) => k.startsWith('Rollout'))).toEqual([]);
    expect(Object.keys(out.resources('changsha-burst', 'helm_release'))).not.toContain('changsha-burst/argo-rollouts/release');
  });

  it("is released by commit: Argo CD, installed on gov, syncs both clusters and leaves the Rollout's weights alone", () => {
    const applications = parseAllDocuments(out.read('manifests/changsha/gov/gitops.yaml')).map((d) => d.toJS());
    expect(applications.map((a: any) => [a.metadata.name, a.spec.source.path, a.spec.source.targetRevision, a.spec.destination.name])).toEqual([
      ['changsha-gov', 'manifests/changsha/gov', 'main', 'in-cluster'],
      ['changsha-burst', 'manifests/changsha/burst', 'main', 'changsha-burst'],
    ]);
    const [gov, burst] = applications;
    expect(gov.spec.ignoreDifferences.map((d: any) => `${d.kind} ${d.namespace}/${d.name} ${d.jsonPointers.join(' ')}`)).toEqual([
      'VirtualService health/health-code /spec/http/0/route/0/weight /spec/http/0/route/1/weight',
      'DestinationRule health/health-code /spec/subsets/0/labels/rollouts-pod-template-hash /spec/subsets/1/labels/rollouts-pod-template-hash',
    ]);
    expect(burst.spec.ignoreDifferences).toBeUndefined();
    expect(parseYaml(out.read('manifests/changsha/gov/kustomization.yaml')).resources).not.toContain('gitops.yaml');
    expect(get('Rollout', 'health-code').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
    expect(get('VirtualService', 'health-code').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(out.resources('changsha-gov', 'helm_release')['changsha-gov/argo-cd/release']).toMatchObject({ chart: 'argo-cd', version: '10.1.1' });
    expect(out.read('reports/changsha.md')).toContain('kubectl apply -f out/manifests/changsha/gov/gitops.yaml');
  });

  it('reports the release, its steps and the thresholds the analysis holds it to', () => {
    const report = out.read('reports/changsha.md');
    expect(report).toContain(
      '| health-code | citizen-app |  | progressive (Argo Rollouts) to 2.4.0: 10% for 5m, 50% for 10m, then 100%; analysis success >= 99.9% (SLO availability), p99 <= 500ms (SLO latency), every 1m; abort after 2 failed |',
    );
    expect(report).toMatch(/services\.health-code\.version.*2\.3\.1.*2\.4\.0/);
  });
});
