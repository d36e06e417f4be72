/**
 * The suite catches what it is for: a stack the real provider rejects fails `terraform validate`,
 * and a manifest the real API server rejects fails `kubectl apply`, each with the engine's own
 * message. Both are broken on purpose through the recorded escape hatches.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { type ApiObject, JsonPatch } from 'cdk8s';
import { type TestApiServer, startTestApiServer } from './support/api-server';
import { ApiClient } from './support/api-client';
import { Kubectl } from './support/kubectl';
import { library, regionClusters, removeDirectory, synthesizeRegionAgainst, temporaryDirectory } from './support/synth';
import { run } from './support/run';
import { Terraform } from './support/terraform';
import { loadToolchain } from './support/toolchain';
import type { Region } from '../../index';

const toolchain = loadToolchain();
const zhuzhouGov = regionClusters(library().defaultFleet({ regions: ['zhuzhou'] })).find((c) => c.cluster === 'gov')!;
let work: string;

beforeAll(() => {
  work = temporaryDirectory('self-test');
});
afterAll(() => removeDirectory(work));

/** Zhuzhou's gov cluster with a change the typed spec would never make. */
function synthesizeBroken(name: string, breakIt: (region: Region) => void): string {
  const outdir = path.join(work, name);
  synthesizeRegionAgainst(
    {
      ...zhuzhouGov,
      kubeconfig: { path: path.join(work, 'kubeconfig'), context: 'e2e' },
      stateDirectory: path.join(work, 'state'),
      customize: breakIt,
    },
    outdir,
  );
  return outdir;
}

/** The service's Deployment object, in the fleet's cdk8s app (charts `<region>-<cluster>-<department>`). */
function deploymentOf(region: Region, service: string): ApiObject {
  const found = region.fleet.manifests.node
    .findAll()
    .find((c) => c.node.path.startsWith(`${region.node.id}-`) && c.node.path.endsWith(`/${service}/deployment`));
  if (!found) throw new Error(`no Deployment object for ${service} in region ${region.node.id}`);
  return found as ApiObject;
}

describe('a stack with a wrong attribute', () => {
  it('fails terraform validate, naming the attribute and the resource', async () => {
    const outdir = synthesizeBroken('wrong-attribute', (region) => {
      const education = region.cluster('gov').department('education')!;
      region.escapeHatches.overrideTerraform(education.namespace, 'metadata.lables', { team: 'edu' }, 'e2e self-test: a misspelt attribute');
    });
    const stack = path.join(outdir, 'terraform', 'stacks', 'zhuzhou-gov');
    const terraform = new Terraform(toolchain);
    await terraform.init(stack, { backend: false });
    const result = await terraform.validate(stack);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: Extraneous JSON object property');
    expect(result.stderr).toContain('No argument or block type is named "lables"');
    expect(result.stderr).toMatch(/on cdk\.tf\.json line \d+, in resource\.kubernetes_namespace_v1\.education_namespace_[0-9A-F]+\.metadata:/);
  });
});

describe('a manifest the API server rejects', () => {
  let server: TestApiServer | undefined;
  let kubectl: Kubectl;

  beforeAll(async () => {
    server = await startTestApiServer(toolchain);
    kubectl = new Kubectl(server.kubeconfig, server.context);
    await kubectl.ok(['create', 'namespace', 'education']);
  });
  afterAll(async () => server?.stop());

  const applyEducation = async (name: string, breakIt: (region: Region) => void) => {
    const outdir = synthesizeBroken(name, breakIt);
    const file = path.join(outdir, 'manifests', 'zhuzhou', 'gov', 'education.yaml');
    expect(fs.existsSync(file)).toBe(true);
    return kubectl.applyServerSide({ file });
  };

  it('an unknown field fails kubectl apply: server-side apply knows every field of the schema', async () => {
    // The synth refuses it first (Fleet.synth checks the schemas), so the field is written into the output afterwards.
    expect(() =>
      synthesizeBroken('unknown-field-synth', (region) =>
        region.escapeHatches.patchManifest(deploymentOf(region, 'enrolment'), JsonPatch.add('/spec/replcas', 3), 'e2e self-test: a misspelt field'),
      ),
    ).toThrow('spec.replcas: unknown field "replcas"; did you mean "replicas"?');
    const outdir = synthesizeBroken('unknown-field', () => undefined);
    const file = path.join(outdir, 'manifests', 'zhuzhou', 'gov', 'education.yaml');
    const documents = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
    const enrolment = documents.find((d) => d?.kind === 'Deployment' && d.metadata.name === 'enrolment');
    enrolment.spec.replcas = 3;
    fs.writeFileSync(file, documents.map((d) => stringify(d)).join('---\n'));
    const result = await kubectl.applyServerSide({ file });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'failed to create typed patch object (education/enrolment; apps/v1, Kind=Deployment): .spec.replcas: field not declared in schema',
    );
  });

  it('an invalid value fails kubectl apply with the field and the rule', async () => {
    const result = await applyEducation('invalid-value', (region) =>
      region.escapeHatches.patchManifest(deploymentOf(region, 'enrolment'), JsonPatch.add('/spec/replicas', -1), 'e2e self-test: an impossible replica count'),
    );
    expect(result.code).not.toBe(0);
    // kubectl words it "The Deployment ..." alone, "Deployment.apps ..." among other errors (here: the mesh's kinds, whose CRDs this server lacks).
    expect(result.stderr).toMatch(
      /(The Deployment|Deployment\.apps) "enrolment" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0/,
    );
  });
});

describe('pod admission without kubectl (the deployment tests dry-run every pod template this way)', () => {
  let server: TestApiServer | undefined;
  let api: ApiClient;
  const pod = (name: string, namespace: string, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }], ...spec },
  });

  beforeAll(async () => {
    server = await startTestApiServer(toolchain);
    const kubectl = new Kubectl(server.kubeconfig, server.context);
    await kubectl.ok(['create', 'namespace', 'strict']);
    await kubectl.ok(['label', 'namespace', 'strict', 'pod-security.kubernetes.io/enforce=restricted']);
    await kubectl.ok(['create', 'namespace', 'warned']);
    await kubectl.ok(['label', 'namespace', 'warned', 'pod-security.kubernetes.io/warn=baseline']);
    for (const namespace of ['strict', 'warned']) await kubectl.ok(['create', 'serviceaccount', 'default', '-n', namespace]);
    api = new ApiClient(server.kubeconfig, server.context);
  });
  afterAll(async () => server?.stop());

  it("reports each Pod's refusal and warnings as its own, and stores nothing", async () => {
    const [refused, warned, admitted] = await api.dryRunCreatePods([
      pod('refused', 'strict'),
      pod('warned', 'warned', { hostPID: true }),
      pod('admitted', 'warned'),
    ]);
    expect(refused.object).toBe('Pod strict/refused');
    expect(refused.refusal).toMatch(/^403: pods "refused" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    expect(warned.refusal).toBeUndefined();
    expect(warned.warnings).toEqual(['Warning: would violate PodSecurity "baseline:latest": host namespaces (hostPID=true)']);
    expect(admitted).toEqual({ object: 'Pod warned/admitted', refusal: undefined, warnings: [] });
    expect(await api.listMetadata('/api/v1/pods')).toEqual([]);
  });
});

describe('the command runner', () => {
  test('a child that exits before reading its input leaves no EPIPE behind: its exit code is the result', async () => {
    // 8 MiB is far more than a pipe buffers, so the write is still going when `true` has exited.
    const result = await run('true', [], { input: 'x'.repeat(8 * 1024 * 1024) });
    expect(result.code).toBe(0);
    const failed = await run('sh', ['-c', 'exit 3'], { input: 'y'.repeat(8 * 1024 * 1024) });
    expect(failed.code).toBe(3);
  });

  test('input still reaches a child that reads it', async () => {
    expect((await run('cat', [], { input: 'hello' })).stdout).toBe('hello');
  });
});
