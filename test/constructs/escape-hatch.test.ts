import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import * as fs from 'fs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformVariable } from '../../lib/cdktf';
import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import { Fleet } from '../../constructs/core/fleet';
import { ValidationError } from '../../lib/errors';
import { minimalBlueprint, problemsOf, SynthOutput, tempDir } from '../support/fleet-fixtures';

/** The minimal blueprint's region `changsha`, its enrolment Deployment and an output root. */
function setup(blueprint: BlueprintSpec = minimalBlueprint()) {
  const outdir = path.join(tempDir(), 'out');
  const fleet = new Fleet({ blueprint, outdir });
  const [region] = fleet.addRegions({ changsha: {} });
  const education = region.cluster('gov').department('education')!;
  const deployment = education.chart.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment')!;
  return { fleet, region, education, deployment, outdir };
}

/** The problems of a refused escape hatch, as `<construct path>: <message>`. */
function refused(apply: () => void): string[] {
  try {
    apply();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/^the escape hatch on .+ is refused \(\d problems?\)/);
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the escape hatch to be refused');
}

const DEPLOYMENT = 'changsha-gov-education/enrolment/deployment';
const NAMESPACE = 'changsha-gov/education/namespace';

describe('escape hatches', () => {
  it('applies a raw Terraform override and a manifest patch, and lists both with their reasons in the report', () => {
    const { fleet, region, education, deployment, outdir } = setup();
    region.escapeHatches.overrideTerraform(
      education.namespace,
      'metadata.annotations',
      { 'scheduler.alpha.kubernetes.io/node-selector': 'pool=gov' },
      'node pool pinning is not in the spec yet',
    );
    region.escapeHatches.patchManifest(deployment, JsonPatch.add('/spec/minReadySeconds', 10), 'vendor asked for a settle time');
    fleet.synth();
    const out = new SynthOutput(outdir);
    expect(out.resources('changsha-gov', 'kubernetes_namespace_v1')['changsha-gov/education/namespace'].metadata.annotations).toEqual({
      'scheduler.alpha.kubernetes.io/node-selector': 'pool=gov',
    });
    expect(out.find('changsha', 'gov', 'Deployment', 'enrolment').spec.minReadySeconds).toBe(10);
    const report = out.read('reports/changsha.md');
    expect(report).toContain('| terraform | changsha-gov/education/namespace |');
    expect(report).toContain('node pool pinning is not in the spec yet |');
    expect(report).toContain(
      '| manifest | changsha-gov-education/enrolment/deployment | {"op":"add","path":"/spec/minReadySeconds","value":10} | vendor asked for a settle time |',
    );
  });

  it('applies every kind of JSON patch whose paths exist, in order, each seeing the ones before it', () => {
    const { fleet, region, deployment, outdir } = setup();
    const patch = (p: JsonPatch) => region.escapeHatches.patchManifest(deployment, p, 'test: a legitimate patch');
    patch(JsonPatch.test('/spec/replicas', 2));
    patch(JsonPatch.replace('/spec/replicas', 3));
    patch(JsonPatch.add('/spec/template/spec/containers/0/env', [{ name: 'A', value: '1' }]));
    patch(JsonPatch.add('/spec/template/spec/containers/0/env/-', { name: 'B', value: '2' }));
    patch(JsonPatch.copy('/spec/template/spec/containers/0/env/0', '/spec/template/spec/containers/0/env/2'));
    patch(JsonPatch.remove('/spec/template/spec/containers/0/env/2'));
    patch(JsonPatch.move('/spec/template/spec/containers/0/env/1', '/spec/template/spec/containers/0/env/0'));
    fleet.synth();
    const out = new SynthOutput(outdir);
    const deployed = out.find('changsha', 'gov', 'Deployment', 'enrolment');
    expect(deployed.spec.replicas).toBe(3);
    expect(deployed.spec.template.spec.containers[0].env.slice(0, 2)).toEqual([
      { name: 'B', value: '2' },
      { name: 'A', value: '1' },
    ]);
    expect(out.read('reports/changsha.md').match(/\| manifest \| changsha-gov-education\/enrolment\/deployment \|/g)).toHaveLength(7);
  });

  describe('reasons', () => {
    it.each([
      ['blank', ' ', 'got " "'],
      ['empty', '', 'got ""'],
      ['missing', undefined, 'got nothing'],
      ['not a string', 42, 'got 42'],
    ])('refuses a Terraform override whose reason is %s, naming the construct path', (_, reason, got) => {
      const { region, education } = setup();
      const problems = refused(() => region.escapeHatches.overrideTerraform(education.namespace, 'metadata.labels', { a: 'b' }, reason as string));
      expect(problems).toEqual([
        `${NAMESPACE}: escape hatch reason: must say why the typed spec cannot express this change (a non-blank string; the region report lists it), ${got}`,
      ]);
      expect(region.escapeHatches.list).toEqual([]);
    });

    it.each([
      ['blank', '\t'],
      ['missing', undefined],
    ])('refuses a manifest patch whose reason is %s, and leaves the object as it was', (_, reason) => {
      const { region, deployment } = setup();
      const problems = refused(() => region.escapeHatches.patchManifest(deployment, JsonPatch.replace('/spec/replicas', 7), reason as string));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${DEPLOYMENT}: escape hatch reason: must say why the typed spec cannot express this change`));
      expect(deployment.toJson().spec.replicas).toBe(2);
      expect(region.escapeHatches.list).toEqual([]);
    });
  });

  describe('Terraform override paths', () => {
    it.each([[''], ['metadata..labels'], ['.metadata'], ['metadata.'], [42]])('refuses the path %j', (badPath) => {
      const { region, education } = setup();
      const problems = refused(() => region.escapeHatches.overrideTerraform(education.namespace, badPath as string, 1, 'test'));
      expect(problems).toEqual([
        `${NAMESPACE}: escape hatch path: must be a dotted Terraform attribute path without empty steps, as written in cdk.tf.json ("metadata.annotations", "set"), got ${JSON.stringify(badPath)}`,
      ]);
    });

    it('reports a bad path and a missing reason together', () => {
      const { region, education } = setup();
      expect(refused(() => region.escapeHatches.overrideTerraform(education.namespace, '', 1, ''))).toHaveLength(2);
    });

    it('refuses a target that cannot be overridden', () => {
      const { region } = setup();
      const problems = refused(() => region.escapeHatches.overrideTerraform({} as never, 'a', 1, 'test'));
      expect(problems[0]).toMatch(/^<not a construct>: escape hatch target: must be a Terraform resource, provider or stack/);
    });
  });

  describe('manifest patches', () => {
    it('refuses a patch that is not a cdk8s JsonPatch, naming the fix', () => {
      const { region, deployment } = setup();
      const problems = refused(() => region.escapeHatches.patchManifest(deployment, { op: 'add', path: '/spec/x', value: 1 } as never, 'test'));
      expect(problems).toEqual([
        `${DEPLOYMENT}: escape hatch patch: must be a cdk8s JsonPatch (JsonPatch.add('/spec/x', 1), .replace, .remove, .move, .copy, .test), got {"op":"add","path":"/spec/x","value":1}`,
      ]);
    });

    it('refuses a target that is not a manifest object', () => {
      const { region, education } = setup();
      const problems = refused(() => region.escapeHatches.patchManifest(education.namespace as never, JsonPatch.remove('/spec'), 'test'));
      expect(problems[0]).toMatch(new RegExp(`^${NAMESPACE}: escape hatch target: must be a cdk8s ApiObject`));
    });

    it.each([
      [
        'a replace of a field that does not exist',
        JsonPatch.replace('/spec/paused', true),
        '{"op":"replace","path":"/spec/paused"} does not apply to Deployment enrolment: /spec/paused does not exist: /spec has no field "paused" (it has: replicas, revisionHistoryLimit, selector, strategy, template); use an add to create it, or fix the path',
      ],
      [
        'a remove of a field that does not exist',
        JsonPatch.remove('/spec/template/spec/hostNetwork'),
        '{"op":"remove","path":"/spec/template/spec/hostNetwork"} does not apply to Deployment enrolment: /spec/template/spec/hostNetwork does not exist: /spec/template/spec has no field "hostNetwork"',
      ],
      [
        'a remove of a list item past the end',
        JsonPatch.remove('/spec/template/spec/containers/1'),
        '/spec/template/spec/containers/1 does not exist: /spec/template/spec/containers is a list of 1 item(s), which has no item "1"; there is nothing to remove: drop the patch, or fix the path',
      ],
      [
        'a test of a field that does not exist',
        JsonPatch.test('/spec/nothere', 1),
        '{"op":"test","path":"/spec/nothere"} does not apply to Deployment enrolment: /spec/nothere does not exist',
      ],
      ['a test that fails', JsonPatch.test('/spec/replicas', 9), 'the test fails: /spec/replicas is 2, not 9'],
      [
        'an add whose parent does not exist',
        JsonPatch.add('/spec/template/spec/affinity/nodeAffinity', {}),
        '{"op":"add","path":"/spec/template/spec/affinity/nodeAffinity"} does not apply to Deployment enrolment: the parent /spec/template/spec/affinity of /spec/template/spec/affinity/nodeAffinity does not exist: /spec/template/spec has no field "affinity"',
      ],
      [
        'an add past the end of a list',
        JsonPatch.add('/spec/template/spec/containers/5', {}),
        '/spec/template/spec/containers is a list of 1 item(s): an add goes at an index from 0 to 1, or "-" to append, got "5"',
      ],
      ['an add below a scalar', JsonPatch.add('/spec/replicas/x', 1), 'the parent /spec/replicas of /spec/replicas/x is 2, not an object or a list'],
      [
        'a move from a field that does not exist',
        JsonPatch.move('/spec/nothere', '/spec/x'),
        '{"op":"move","from":"/spec/nothere","path":"/spec/x"} does not apply to Deployment enrolment: from /spec/nothere does not exist',
      ],
      ['a copy from a field that does not exist', JsonPatch.copy('/metadata/annotations', '/spec/x'), 'from /metadata/annotations does not exist'],
      [
        'a path that is no JSON pointer',
        JsonPatch.replace('spec/replicas', 3),
        'path must be a JSON pointer such as "/spec/replicas" (starting with "/"), got "spec/replicas"',
      ],
      ['a remove of the whole object', JsonPatch.remove(''), 'cannot remove the whole object'],
    ])('refuses %s, naming the object, the patch and the fix', (_, patch, expected) => {
      const { fleet, region, deployment } = setup();
      const problems = refused(() => region.escapeHatches.patchManifest(deployment, patch, 'test'));
      expect(problems).toHaveLength(1);
      expect(problems[0].startsWith(`${DEPLOYMENT}: escape hatch patch `)).toBe(true);
      expect(problems[0]).toContain(expected);
      // Nothing was applied or recorded: the fleet still synthesizes as before.
      expect(region.escapeHatches.list).toEqual([]);
      expect(() => fleet.synth()).not.toThrow();
    });

    it('checks a patch against the object with the earlier patches applied', () => {
      const { region, deployment } = setup();
      region.escapeHatches.patchManifest(deployment, JsonPatch.remove('/spec/revisionHistoryLimit'), 'test');
      const problems = refused(() => region.escapeHatches.patchManifest(deployment, JsonPatch.replace('/spec/revisionHistoryLimit', 3), 'test'));
      expect(problems[0]).toContain('/spec has no field "revisionHistoryLimit"');
      expect(region.escapeHatches.list).toHaveLength(1);
    });

    it.each([
      ['containers', JsonPatch.replace('/spec/template/spec/containers/0/image', 'docker.io/nginx:1.27')],
      ['initContainers', JsonPatch.add('/spec/template/spec/initContainers', [{ name: 'init', image: 'docker.io/busybox:1.36' }])],
      ['ephemeralContainers', JsonPatch.add('/spec/template/spec/ephemeralContainers', [{ name: 'debug', image: 'docker.io/busybox:1.36' }])],
    ])('fails synth when a patch puts an image from outside the mirror in %s, naming the file, the object, the image and the fix', (list, patch) => {
      const { fleet, region, deployment } = setup();
      region.escapeHatches.patchManifest(deployment, patch, 'test: an image from Docker Hub');
      const problems = problemsOf(() => fleet.synth()).filter((p) => p.includes('[GCB-IMG-01]'));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        new RegExp(
          `^manifests/changsha/gov/education\\.yaml: Deployment education/enrolment spec\\.template\\.spec\\.${list}\\[0\\]\\.image: \\[GCB-IMG-01\\] (init |ephemeral )?container "\\S+" pulls docker\\.io/\\S+, which is not below the cluster's registry registry\\.test\\.example/; fix: Name the image below the cluster's registry`,
        ),
      );
    });
  });
});

describe('escape hatches on Helm releases stay inside the supply chain', () => {
  /** The minimal blueprint with a mesh (istiod: images below `global.hub`) and a Redis (Bitnami: `global.imageRegistry`). */
  function withReleases() {
    const blueprint: any = minimalBlueprint();
    blueprint.mesh = { version: '1.30.3' };
    blueprint.middleware = [{ name: 'cache', engine: 'redis', version: '8.2.1', grants: ['education'] }];
    const built = setup(blueprint);
    const release = (suffix: string) =>
      built.region
        .cluster('gov')
        .stack.node.findAll()
        .find((c): c is Release => c instanceof Release && c.node.path.endsWith(suffix))!;
    return { ...built, istiod: release('/mesh/istiod'), redis: release('/cache/release') };
  }
  const ISTIOD = 'changsha-gov: helm_release changsha-gov/mesh/istiod';
  const REDIS = 'changsha-gov: helm_release changsha-gov/middleware/cache/release';
  const offMirror = (repository: string, registry: string) =>
    `image "${repository}" would be pulled from "${registry}", not the blueprint's registry mirror "registry.test.example"; set its registry to the mirror (or global.imageRegistry)`;

  it('fails synth on a `set` block that moves an image to Docker Hub, naming the release, the values path and the entry', () => {
    const { fleet, region, istiod } = withReleases();
    region.escapeHatches.overrideTerraform(istiod, 'set', [{ name: 'image.repository', value: 'docker.io/library/nginx' }], 'test: Docker Hub');
    expect(problemsOf(() => fleet.synth())).toEqual([`${ISTIOD} values.image (from set[0] "image.repository"): ${offMirror('library/nginx', 'docker.io')}`]);
  });

  it('reads `global.imageRegistry` from a `set` block as the chart does: every image of the release moves', () => {
    const { fleet, region, redis } = withReleases();
    region.escapeHatches.overrideTerraform(redis, 'set', [{ name: 'global.imageRegistry', value: 'docker.io' }], 'test: Docker Hub');
    const problems = problemsOf(() => fleet.synth());
    expect(problems.length).toBeGreaterThan(1);
    for (const problem of problems) {
      expect(problem).toMatch(
        /^changsha-gov: helm_release changsha-gov\/middleware\/cache\/release values\.\S*image \(from set\[0\] "global\.imageRegistry"\): image "bitnamilegacy\/[a-z-]+" would be pulled from "docker\.io"/,
      );
    }
    expect(problems).toContain(`${REDIS} values.image (from set[0] "global.imageRegistry"): ${offMirror('bitnamilegacy/redis', 'docker.io')}`);
  });

  it('reads a `set` value as Helm does: a comma starts another assignment', () => {
    const { fleet, region, istiod } = withReleases();
    region.escapeHatches.overrideTerraform(
      istiod,
      'set',
      [{ name: 'pilot.resources.requests.cpu', value: '500m,image=quay.io/evil/pilot:1' }],
      'test: an assignment hidden in a value',
    );
    expect(problemsOf(() => fleet.synth())).toEqual([
      `${ISTIOD} values.image (from set[0] "pilot.resources.requests.cpu"): ${offMirror('evil/pilot', 'quay.io')}`,
    ]);
  });

  it('fails synth on a `set_list` entry naming an image outside the mirror', () => {
    const { fleet, region, istiod } = withReleases();
    region.escapeHatches.overrideTerraform(istiod, 'set_list', [{ name: 'sidecar.image', value: ['ghcr.io/org/agent:1'] }], 'test: GitHub');
    expect(problemsOf(() => fleet.synth())).toEqual([
      `${ISTIOD} values.sidecar.image[0] (from set_list[0] "sidecar.image"): ${offMirror('org/agent', 'ghcr.io')}`,
    ]);
  });

  it('fails synth on a `set_sensitive` image without printing its value', () => {
    const { fleet, istiod } = withReleases();
    // The escape hatch refuses a literal here (see "secrets"); code outside it can still write one, and the check reads the stack as written.
    istiod.addOverride('set_sensitive', [{ name: 'global.hub', value: 'hidden.example/istio' }]);
    const problems = problemsOf(() => fleet.synth());
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).toMatch(
        /^changsha-gov: helm_release changsha-gov\/mesh\/istiod values\.\S+ \(from set_sensitive\[0\] "global\.hub"\): the image set there \(value not shown/,
      );
      expect(problem).toContain('registry mirror "registry.test.example"');
      expect(problem).not.toContain('hidden.example');
    }
  });

  it('fails synth on a `set` added through a stack-level override: the check reads the stack as written', () => {
    const { fleet, region, istiod } = withReleases();
    const stack = region.cluster('gov').stack;
    region.escapeHatches.overrideTerraform(
      stack,
      `resource.helm_release.${stack.getLogicalId(istiod)}.set`,
      [{ name: 'image', value: 'docker.io/istio/pilot:1.30.3' }],
      'test: through the stack',
    );
    expect(problemsOf(() => fleet.synth())).toEqual([`${ISTIOD} values.image (from set[0] "image"): ${offMirror('istio/pilot', 'docker.io')}`]);
  });

  it('fails synth on a values document that no check can read', () => {
    const { fleet, region, redis } = withReleases();
    // cdktf appends an overriding list to the one it overrides: the broken document is values[1].
    region.escapeHatches.overrideTerraform(redis, 'values', ['image: [unclosed'], 'test: broken YAML');
    const problems = problemsOf(() => fleet.synth());
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${REDIS.replace(/\//g, '\\/')} values\\[1\\]: is not valid YAML \\(.+\\); fix the document$`));
  });

  it('accepts a `set` that keeps every image on the mirror, and lists it in the region report', () => {
    const { fleet, region, istiod, outdir } = withReleases();
    region.escapeHatches.overrideTerraform(
      istiod,
      'set',
      [{ name: 'image', value: 'registry.test.example/istio/pilot-debug:1.30.3' }],
      'debug build of istiod during the incident',
    );
    fleet.synth();
    const out = new SynthOutput(outdir);
    expect(out.resources('changsha-gov', 'helm_release')['changsha-gov/mesh/istiod'].set).toEqual([
      { name: 'image', value: 'registry.test.example/istio/pilot-debug:1.30.3' },
    ]);
    expect(out.read('reports/changsha.md')).toContain(
      '| terraform | changsha-gov/mesh/istiod | {"path":"set","value":[{"name":"image","value":"registry.test.example/istio/pilot-debug:1.30.3"}]} | debug build of istiod during the incident |',
    );
  });
});

describe('escape hatches never write a secret into the output', () => {
  const SECRET = 'Tr0ub4dor-literal-secret';
  /** The minimal blueprint with a mesh (istiod) and a Redis granted to education (its credentials Secret). */
  function withSecrets() {
    const blueprint: any = minimalBlueprint();
    blueprint.mesh = { version: '1.30.3' };
    blueprint.middleware = [{ name: 'cache', engine: 'redis', version: '8.2.1', grants: ['education'] }];
    const built = setup(blueprint);
    const stack = built.region.cluster('gov').stack;
    const find = <T>(test: (c: unknown) => c is T, suffix = ''): T => stack.node.findAll().find((c) => test(c) && c.node.path.endsWith(suffix)) as T;
    return {
      ...built,
      stack,
      istiod: find((c): c is Release => c instanceof Release, '/mesh/istiod'),
      secret: find((c): c is SecretV1 => c instanceof SecretV1),
      provider: find((c): c is KubernetesProvider => c instanceof KubernetesProvider),
    };
  }
  /** Every file below the output directory that holds the text. */
  function filesHolding(dir: string, text: string): string[] {
    return fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .filter((file) => fs.readFileSync(file, 'utf8').includes(text));
  }
  const literalRefused = (at: string, kind = 'sensitive or write-only in the provider schema') =>
    `escape hatch value at ${at}: is a secret attribute (${kind}) and must not be a literal, which would be written into cdk.tf.json, the plan and the region report; got a literal string (${SECRET.length} characters, not shown). Pass a sensitive TerraformVariable's value instead (\`new TerraformVariable(stack, 'x', { type: 'string', sensitive: true }).stringValue\`) and set it in the pipeline (\`TF_VAR_x\`)`;

  it.each([
    ['a helm_release set_sensitive entry', 'istiod', 'set_sensitive', [{ name: 'auth.password', value: SECRET }], 'set_sensitive[0].value'],
    ['a helm_release set_wo entry', 'istiod', 'set_wo', [{ name: 'auth.password', value: SECRET }], 'set_wo[0].value'],
    ['a helm_release set_sensitive value by its own path', 'istiod', 'set_sensitive.value', SECRET, 'set_sensitive.value'],
    ['a helm_release repository_password', 'istiod', 'repository_password', SECRET, 'repository_password'],
    ["a Secret's data_wo", 'secret', 'data_wo', { password: SECRET }, 'data_wo.password'],
    ["a Secret's data", 'secret', 'data.password', SECRET, 'data.password'],
    ["a Secret's binary_data_wo", 'secret', 'binary_data_wo', { key: SECRET }, 'binary_data_wo.key'],
  ])('refuses a literal in %s, names the path, not the value, and writes it nowhere', (_, target, at, value, secretPath) => {
    const built = withSecrets();
    const resource = built[target as 'istiod' | 'secret'];
    const problems = refused(() => built.region.escapeHatches.overrideTerraform(resource, at, value, 'test: a literal secret'));
    expect(problems).toEqual([`${resource.node.path}: ${literalRefused(secretPath)}`]);
    expect(problems.join('\n')).not.toContain(SECRET);
    expect(built.region.escapeHatches.list).toEqual([]);
    built.fleet.synth();
    expect(filesHolding(built.outdir, SECRET)).toEqual([]);
  });

  it('refuses a literal written through a stack-level override', () => {
    const { region, stack, istiod } = withSecrets();
    const at = `resource.helm_release.${stack.getLogicalId(istiod)}.set_sensitive`;
    expect(refused(() => region.escapeHatches.overrideTerraform(stack, at, [{ name: 'a', value: SECRET }], 'test'))).toEqual([
      `changsha-gov: ${literalRefused(`${at}[0].value`, 'sensitive: a sensitive variable, or sensitive or write-only in the provider schema')}`,
    ]);
  });

  it("refuses a literal provider credential and a sensitive variable's literal default", () => {
    const { region, stack, provider } = withSecrets();
    expect(refused(() => region.escapeHatches.overrideTerraform(provider, 'token', SECRET, 'test'))).toEqual([
      `${provider.node.path}: ${literalRefused('token', 'a credential of the kubernetes provider')}`,
    ]);
    const variable = new TerraformVariable(stack, 'test_password', { type: 'string', sensitive: true });
    expect(refused(() => region.escapeHatches.overrideTerraform(variable, 'default', SECRET, 'test'))).toHaveLength(1);
  });

  it('refuses text around a reference, and a literal number', () => {
    const { region, stack, istiod } = withSecrets();
    const variable = new TerraformVariable(stack, 'test_password', { type: 'string', sensitive: true });
    const problems = refused(() =>
      region.escapeHatches.overrideTerraform(
        istiod,
        'set_sensitive',
        [
          { name: 'a', value: `${SECRET}${variable.stringValue}` },
          { name: 'b', value: 1234 },
        ],
        'test',
      ),
    );
    expect(problems.map((p) => p.replace(/: is a secret attribute.*; got a literal (\w+).*/, ' $1'))).toEqual([
      'changsha-gov/mesh/istiod: escape hatch value at set_sensitive[0].value string',
      'changsha-gov/mesh/istiod: escape hatch value at set_sensitive[1].value number',
    ]);
  });

  it('accepts references to sensitive variables, and the report shows their paths, not their values', () => {
    const { fleet, region, stack, istiod, secret, outdir } = withSecrets();
    const variable = new TerraformVariable(stack, 'test_password', { type: 'string', sensitive: true });
    region.escapeHatches.overrideTerraform(istiod, 'set_sensitive', [{ name: 'auth.password', value: variable.stringValue }], 'chart reads it from values');
    region.escapeHatches.overrideTerraform(secret, 'data_wo.extra', variable.stringValue, 'an extra key');
    region.escapeHatches.overrideTerraform(istiod, 'set', [{ name: 'pilot.autoscaleMin', value: '2' }], 'not a secret');
    fleet.synth();
    const out = new SynthOutput(outdir);
    expect(out.resources('changsha-gov', 'helm_release')['changsha-gov/mesh/istiod'].set_sensitive).toEqual([
      { name: 'auth.password', value: '${var.test_password}' },
    ]);
    const report = out.read('reports/changsha.md');
    expect(report).toContain(
      '| terraform | changsha-gov/mesh/istiod | {"path":"set_sensitive","value":[{"name":"auth.password","value":"(sensitive, not shown)"}]} | chart reads it from values |',
    );
    expect(report).toContain(`| terraform | ${secret.node.path} | {"path":"data_wo.extra","value":"(sensitive, not shown)"} | an extra key |`);
    expect(report).toContain('{"path":"set","value":[{"name":"pilot.autoscaleMin","value":"2"}]} | not a secret |');
  });

  it("refuses a manifest patch that writes a Secret's data or stringData, and one that replaces the whole Secret", () => {
    const { region, education } = setup();
    const secret = new ApiObject(education.chart, 'test-secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vendor' } });
    for (const patch of [
      JsonPatch.add('/data', { password: 'c2VjcmV0' }),
      JsonPatch.add('/stringData', { password: SECRET }),
      JsonPatch.replace('', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vendor' }, stringData: { password: SECRET } }),
    ]) {
      const problems = refused(() => region.escapeHatches.patchManifest(secret, patch, 'test'));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /escape hatch patch \{"op":"(add|replace)","path":"[^"]*"\} writes the data of Secret vendor into the manifests, .*create the Secret in the Terraform layer from a sensitive variable/,
      );
      expect(problems[0]).not.toContain(SECRET);
    }
    expect(region.escapeHatches.list).toEqual([]);
    // Other objects' data is no secret: a ConfigMap takes a patch as before.
    const configMap = new ApiObject(education.chart, 'test-config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vendor' } });
    region.escapeHatches.patchManifest(configMap, JsonPatch.add('/data', { mode: 'fast' }), 'test');
    expect(region.escapeHatches.list).toHaveLength(1);
  });
});
