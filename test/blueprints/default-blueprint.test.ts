import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { defaultFleet } from '../../blueprints/default-fleet';
import { citizenServices } from '../../blueprints/citizen-services';
import { zhuzhou } from '../../blueprints/regions/zhuzhou';
import { Fleet } from '../../constructs/core/fleet';
import { PROVIDER_VERSIONS } from '../../constructs/core/cluster-stack';
import { ManifestValidator, formatManifestProblems } from '../../lib/validation/manifest-validator';
import { parseQuantity } from '../../lib/quantity';
import { listFiles, SynthOutput, tempDir } from '../support/fleet-fixtures';

const SHARED_CRDS = path.resolve(__dirname, '../../../shared/crds');

function synthDefault(regions?: string[]): SynthOutput {
  const dir = path.join(tempDir(), 'out');
  defaultFleet({ outdir: dir, regions }).synth();
  return new SynthOutput(dir);
}

describe('the default citizen-services blueprint, every Hunan region end to end', () => {
  const out = synthDefault();

  it('requires in every stack the provider range the e2e suite proves, kubernetes from 3.2.1 (data_wo identity)', () => {
    const manifest = JSON.parse(out.read('terraform/manifest.json'));
    for (const name of Object.keys(manifest.stacks)) {
      expect([name, out.stack(name).terraform.required_providers]).toEqual([
        name,
        { kubernetes: { source: 'kubernetes', version: '>= 3.2.1, < 3.3.0' }, helm: { source: 'helm', version: '>= 3.2.0, < 3.3.0' } },
      ]);
    }
    expect(PROVIDER_VERSIONS).toEqual({ kubernetes: '>= 3.2.1, < 3.3.0', helm: '>= 3.2.0, < 3.3.0' });
  });

  it('writes the cdktf layout, a manifest folder per region and cluster, and a report per region', () => {
    const manifest = JSON.parse(out.read('terraform/manifest.json'));
    expect(Object.keys(manifest.stacks)).toEqual(['changsha-burst', 'changsha-gov', 'xiangtan-gov', 'zhuzhou-gov']);
    for (const stack of Object.values<any>(manifest.stacks)) expect(fs.existsSync(path.join(out.dir, 'terraform', stack.synthesizedStackPath))).toBe(true);
    const folders = out
      .files()
      .filter((f) => f.endsWith('kustomization.yaml'))
      .map((f) => path.dirname(f));
    expect(folders).toEqual(['manifests/changsha/burst', 'manifests/changsha/gov', 'manifests/xiangtan/gov', 'manifests/zhuzhou/gov']);
    expect(out.files().filter((f) => f.startsWith('reports/'))).toEqual([
      'reports/changsha.md',
      'reports/changsha/red-packet-burst.svg',
      'reports/changsha/red-packet-rehearsal.svg',
      'reports/changsha/topology.svg',
      'reports/fleet-topology.svg',
      'reports/fleet.md',
      'reports/index.html',
      'reports/xiangtan.md',
      'reports/xiangtan/topology.svg',
      'reports/zhuzhou.md',
      'reports/zhuzhou/topology.svg',
    ]);
  });

  it("writes only files the README's output layout names", () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const layout = readme.split('## Output layout')[1].split('```')[1];
    const unnamed = out.files().filter((file) => {
      const parts = file.split('/');
      if (parts[0] === 'manifests') {
        // `manifests/<region>/<cluster>/<file>`: "one file per department" holds its objects, in its namespace.
        const name = parts[parts.length - 1];
        const department = parseAllDocuments(out.read(file))[0]?.toJS()?.metadata?.namespace === name.replace(/\.yaml$/, '');
        return !department && !layout.includes(name);
      }
      const generic = file.replace(/^reports\/(changsha|zhuzhou|xiangtan)(?=[./])/, 'reports/<region>').replace(/\/red-packet-/, '/<link>-');
      return (
        !layout.includes(generic) &&
        !layout.includes(generic.replace(/^terraform\/stacks\/[^/]+\//, 'terraform/stacks/<region>-<cluster>/').replace(/^terraform\//, ''))
      );
    });
    expect(unnamed).toEqual([]);
  });

  it('validates every synthesized manifest against the Kubernetes and CRD schemas', () => {
    const validator = new ManifestValidator({ crdDirectories: [SHARED_CRDS] });
    const problems = validator.validateDirectory(path.join(out.dir, 'manifests'));
    expect(formatManifestProblems(problems)).toBe('');
    const objects = listFiles(path.join(out.dir, 'manifests')).filter((f) => !f.endsWith('kustomization.yaml'));
    expect(objects.length).toBeGreaterThan(10);
  });

  it('lists exactly the folder files in each kustomization.yaml', () => {
    for (const folder of ['changsha/gov', 'zhuzhou/gov', 'xiangtan/gov']) {
      const kustomization = parseAllDocuments(out.read(`manifests/${folder}/kustomization.yaml`))[0].toJS();
      const files = fs.readdirSync(path.join(out.dir, 'manifests', folder)).filter((f) => f !== 'kustomization.yaml');
      expect([...kustomization.resources].sort()).toEqual(files.sort());
    }
  });

  it('applies the regional differences', () => {
    // Changsha: endpoint connection, bigger citizen-app ceiling, port-logistics only here.
    expect(out.stack('changsha-gov').provider.kubernetes[0].host).toBe('https://k8s-gov.changsha.gov.hunan.example:6443');
    expect(out.find('changsha', 'gov', 'HorizontalPodAutoscaler', 'citizen-app').spec).toMatchObject({ minReplicas: 4, maxReplicas: 60 });
    expect(out.find('changsha', 'gov', 'Deployment', 'single-window').metadata.namespace).toBe('port-logistics');
    expect(() => out.find('zhuzhou', 'gov', 'Deployment', 'single-window')).toThrow();
    // Zhuzhou: its own context, no tax e-filing, but the tax namespace stays.
    expect(out.stack('zhuzhou-gov').provider.kubernetes[0].config_context).toBe('zhuzhou-gov');
    expect(() => out.find('zhuzhou', 'gov', 'Deployment', 'tax-e-filing')).toThrow();
    expect(out.resources('zhuzhou-gov', 'kubernetes_namespace_v1')['zhuzhou-gov/tax/namespace'].metadata.name).toBe('tax');
    // Xiangtan (YAML): fixed portal replicas instead of an HPA, state in Kubernetes.
    expect(out.find('xiangtan', 'gov', 'Deployment', 'gov-portal').spec.replicas).toBe(2);
    expect(() => out.find('xiangtan', 'gov', 'HorizontalPodAutoscaler', 'gov-portal')).toThrow();
    // The state lives in the cluster itself, reached like the providers: the backend never reads KUBECONFIG.
    expect(out.stack('xiangtan-gov').terraform.backend).toEqual({
      kubernetes: { namespace: 'terraform-state', secret_suffix: 'xiangtan-gov', config_path: '~/.kube/config', config_context: 'xiangtan-gov' },
    });
  });

  it('carries a stateful departmental service: a StatefulSet with a volume per pod, backed up, scraped once', () => {
    const archive = out.find('changsha', 'gov', 'StatefulSet', 'invoice-archive');
    expect(archive.metadata.namespace).toBe('tax');
    expect(archive.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage])).toEqual([['archive', '20Gi']]);
    expect(out.find('changsha', 'gov', 'Schedule', 'service-invoice-archive').spec.template.includedNamespaces).toEqual(['tax']);
    // In the mesh a PodMonitor scrapes each pod once through its sidecar.
    expect(out.find('changsha', 'gov', 'PodMonitor', 'invoice-archive').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'invoice-archive' });
    expect(out.find('changsha', 'gov', 'Service', 'invoice-archive-headless').metadata.labels!['govcloud.io/headless']).toBe('true');
    expect(out.find('changsha', 'gov', 'Service', 'invoice-archive').metadata.labels!['govcloud.io/headless']).toBeUndefined();
    // Outside it, both its ClusterIP and headless Services select the pods; the ServiceMonitor takes the first only.
    const dir = path.join(tempDir(), 'out');
    const services = citizenServices.services.map(({ traffic: _traffic, ...service }) => service);
    const unmeshed = new Fleet({ blueprint: { ...citizenServices, mesh: undefined, services }, outdir: dir });
    unmeshed.addRegions({ zhuzhou: { overrides: zhuzhou } });
    unmeshed.synth();
    const monitor = new SynthOutput(dir).find('zhuzhou', 'gov', 'ServiceMonitor', 'invoice-archive');
    expect(monitor.spec.selector.matchExpressions).toEqual([{ key: 'govcloud.io/headless', operator: 'DoesNotExist' }]);
    expect(out.read('reports/changsha.md')).toContain(
      '| invoice-archive | gov | 2 | OrderedReady | archive 20Gi at /var/lib/invoice-archive (cluster default) |',
    );
  });

  it("pins the citizen-critical services' images by digest in every region, the tag staying the version label", () => {
    for (const name of ['health-code', 'social-insurance']) {
      const spec = citizenServices.services.find((s) => s.name === name)!;
      expect(spec.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      for (const region of ['changsha', 'zhuzhou', 'xiangtan']) {
        const deployment = out.find(region, 'gov', 'Deployment', name);
        expect(deployment.spec.template.spec.containers[0].image).toBe(`${spec.image}:${spec.version}@${spec.digest}`);
        expect(deployment.metadata.labels!['app.kubernetes.io/version']).toBe(spec.version);
      }
    }
    // The others are still pulled by tag: supplyChain.requireDigests stays "never".
    expect(out.find('changsha', 'gov', 'Deployment', 'citizen-app').spec.template.spec.containers[0].image).not.toContain('@');
  });

  it("is the whole platform: Changsha's report shows the mesh, the 40x burst link, the DR pair, observability and compliance at work", () => {
    const changsha = out.read('reports/changsha.md');
    for (const none of ['No service mesh.', 'No burst links.', 'No disaster-recovery pairs.', 'No stateful services.']) expect(changsha).not.toContain(none);
    expect(changsha).toContain('**red-packet**: `gov` (government cloud) -> `burst` (huawei-cloud), surge 40x with 20% headroom. **Absorbed**');
    expect(changsha).toMatch(/\*\*campaign-continuity\*\*: `gov` .* -> `burst` .*, hot-standby, RPO 5m, RTO 5m\. \*\*Objectives met\*\*/);
    // The second pillar and the rehearsal: what is reserved, what bursting saves, whether 40x holds.
    expect(changsha).toContain('## Utilisation');
    expect(changsha).toMatch(/\*\*Bursting saves \d+%\*\* against provisioning for the peak/);
    expect(changsha).toContain('**the pre-scale of `draw-evening` (starting 5m before the surge) avoids the shortfall**');
    expect(changsha).toContain('![Surge rehearsal of red-packet: load and capacity of each side over time](changsha/red-packet-rehearsal.svg)');
    // The burst cluster no longer sits empty: the campaign's copy, pre-scaled by KEDA for the draw evening.
    const copy = out.find('changsha', 'burst', 'ScaledObject', 'red-packet').spec;
    expect(copy.triggers.map((t: any) => t.type)).toContain('cron');
    expect(out.find('changsha', 'burst', 'Deployment', 'red-packet').spec.template.spec.priorityClassName).toBe('govcloud-burst-copy');
    // Every region is meshed; the other regions keep no burst link or DR pair of their own.
    for (const region of ['zhuzhou', 'xiangtan']) {
      const report = out.read(`reports/${region}.md`);
      expect(report).not.toContain('No service mesh.');
      expect(report).toContain('No burst links.');
    }
  });

  it('fills each region into the exposed hosts of the blueprint', () => {
    for (const region of ['changsha', 'zhuzhou', 'xiangtan']) {
      const gateway = out.find(region, 'gov', 'Gateway', 'citizen-app');
      expect(gateway.spec.servers.map((server: any) => server.hosts)).toEqual([[`app.${region}.gov.hunan.example`], [`app.${region}.gov.hunan.example`]]);
      expect(out.find(region, 'gov', 'VirtualService', 'gov-portal').spec.hosts).toContain(`zwfw.${region}.gov.hunan.example`);
    }
    const routing = out.manifests('changsha', 'gov').filter((o) => o.kind === 'Gateway' || o.kind === 'VirtualService');
    expect(routing.filter((o) => JSON.stringify(o.spec).includes('{region}')).map((o) => o.metadata.name)).toEqual([]);
  });

  it('reports what each region overrides relative to the blueprint', () => {
    const changsha = out.read('reports/changsha.md');
    expect(changsha).toContain('| services.citizen-app.autoscaling.maxReplicas | changed | 30 | 60 |');
    expect(changsha).toContain('| clusters.burst | added |  | (item burst) |');
    expect(changsha).toContain('| departments.port-logistics | added |  | (item port-logistics) |');
    expect(out.read('reports/zhuzhou.md')).toContain('| services.tax-e-filing | removed | (item tax-e-filing) |  |');
    const xiangtan = out.read('reports/xiangtan.md');
    expect(xiangtan).toContain('overrides from `blueprints/regions/xiangtan.yaml`');
    expect(xiangtan).toMatch(/\| services\.gov-portal\.autoscaling \| removed \| \{"minReplicas":2,"maxReplicas":10\} \| {2}\|/);
  });

  it('never writes a secret value: credentials are variables or Secret references', () => {
    const offending: string[] = [];
    const visit = (value: unknown, where: string): void => {
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${where}[${i}]`));
      else if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (/(passwords?|token|secret[-_]key|access[-_]key|certificate|cookie)$/i.test(key) && typeof child === 'string' && !child.startsWith('${var.'))
            offending.push(`${where}.${key}`);
          // Helm values are YAML inside the JSON: read them too.
          if (key === 'values' && Array.isArray(child)) child.forEach((text, i) => visit(parseYaml(String(text)), `${where}.values[${i}]`));
          // An env var whose name looks like a credential must come from a Secret, or name a mounted Secret's file.
          if (key === 'env' && Array.isArray(child)) {
            for (const env of child as Array<{ name: string; value?: string }>) {
              const filePath = /_FILE$/.test(env.name) && /^\/var\/run\/secrets\/govcloud\.io\/[a-z0-9-]+\/[a-z0-9-]+$/.test(env.value ?? '');
              if (/PASSWORD|TOKEN|SECRET/.test(env.name) && env.value !== undefined && !filePath) offending.push(`${where}.env.${env.name}`);
            }
          }
          visit(child, `${where}.${key}`);
        }
      }
    };
    for (const file of out.files()) {
      const text = out.read(file);
      if (file.endsWith('.json')) visit(JSON.parse(text), file);
      if (file.endsWith('.yaml')) parseAllDocuments(text).forEach((d, i) => visit(d.toJS(), `${file}#${i}`));
    }
    expect(offending).toEqual([]);
    // Middleware credentials reach the container as a read-only Secret volume, named by <PREFIX>_<KEY>_FILE.
    const pod = out.find('changsha', 'gov', 'Deployment', 'citizen-app').spec.template.spec;
    const env = pod.containers[0].env;
    expect(env.find((e: { name: string }) => e.name === 'DB_PASSWORD_FILE')).toEqual({
      name: 'DB_PASSWORD_FILE',
      value: '/var/run/secrets/govcloud.io/citizen-db/password',
    });
    expect(env.find((e: { name: string }) => e.name === 'DB_PASSWORD')).toBeUndefined();
    expect(pod.volumes).toContainEqual({
      name: 'credentials-citizen-db',
      secret: { secretName: 'citizen-db-credentials', defaultMode: 0o400, items: [{ key: 'password', path: 'password' }] },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({
      name: 'credentials-citizen-db',
      mountPath: '/var/run/secrets/govcloud.io/citizen-db',
      readOnly: true,
    });
    // Credential Secrets are written from variables with write-only attributes, so no value reaches the state either.
    for (const stack of ['changsha-gov', 'zhuzhou-gov', 'xiangtan-gov']) {
      for (const secret of Object.values(out.resources(stack, 'kubernetes_secret_v1')) as Array<Record<string, unknown>>) {
        expect(secret.data).toBeUndefined();
        // Every value is a variable, but a user name (Grafana's admin user), which is no secret.
        const values = Object.entries(secret.data_wo as Record<string, string>).filter(([key]) => !/-user$/.test(key));
        expect(values.filter(([, v]) => !/^\$\{var\.(middleware|observability|mesh)_[a-z0-9_]+\}$/.test(v))).toEqual([]);
      }
    }
  });

  it("admits its own citizen-critical pods at their floor under each department's citizen-critical quota, and gives 0 pods where it runs none", () => {
    const checked: string[] = [];
    for (const stack of ['changsha-burst', 'changsha-gov', 'xiangtan-gov', 'zhuzhou-gov']) {
      const [region, cluster] = stack.split('-');
      const objects = out.manifests(region, cluster);
      const scaler = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.spec.scaleTargetRef.name === name)?.spec;
      const quotas = Object.values<any>(out.resources(stack, 'kubernetes_resource_quota_v1')).filter((q) => q.spec.scope_selector);
      for (const quota of quotas) {
        expect(quota.spec.scope_selector.match_expression).toEqual([{ scope_name: 'PriorityClass', operator: 'In', values: ['govcloud-citizen-critical'] }]);
        const department = quota.metadata.labels['govcloud.io/department'];
        const workloads = objects.filter(
          (o) => o.kind === 'Deployment' && o.metadata.namespace === department && o.spec.template.spec.priorityClassName === 'govcloud-citizen-critical',
        );
        const floor = workloads.map((d) => {
          const replicas: number =
            d.spec.replicas ?? scaler('HorizontalPodAutoscaler', d.metadata.name)?.minReplicas ?? scaler('ScaledObject', d.metadata.name)?.minReplicaCount;
          const containers: any[] = d.spec.template.spec.containers;
          const sum = (resource: string) => containers.reduce((total, c) => total + parseQuantity(c.resources.requests[resource])!, 0);
          return { pods: replicas, cpu: replicas * sum('cpu'), memory: replicas * sum('memory') };
        });
        const total = (key: 'pods' | 'cpu' | 'memory') => floor.reduce((t, f) => t + f[key], 0);
        const hard = quota.spec.hard;
        if (workloads.length === 0) expect(hard.pods).toBe('0');
        expect(total('pods')).toBeLessThanOrEqual(Number(hard.pods));
        expect(total('cpu')).toBeLessThanOrEqual(parseQuantity(hard['requests.cpu'])!);
        expect(total('memory')).toBeLessThanOrEqual(parseQuantity(hard['requests.memory'])!);
        if (workloads.length > 0) checked.push(`${stack}/${department}`);
      }
    }
    // health-code, social insurance and the citizen app, in every region.
    expect(checked.length).toBeGreaterThanOrEqual(9);
  });

  it('is deterministic: two synths write identical bytes', () => {
    const again = synthDefault();
    expect(again.files()).toEqual(out.files());
    for (const file of out.files()) expect(`${file}\n${again.read(file)}`).toBe(`${file}\n${out.read(file)}`);
  });

  it('synthesizes one region alone', () => {
    const one = synthDefault(['zhuzhou']);
    expect(Object.keys(JSON.parse(one.read('terraform/manifest.json')).stacks)).toEqual(['zhuzhou-gov']);
    expect(
      one
        .files()
        .filter((f) => f.startsWith('manifests/'))
        .every((f) => f.startsWith('manifests/zhuzhou/')),
    ).toBe(true);
    expect(one.read('terraform/stacks/zhuzhou-gov/cdk.tf.json')).toBe(out.read('terraform/stacks/zhuzhou-gov/cdk.tf.json'));
  });
});
