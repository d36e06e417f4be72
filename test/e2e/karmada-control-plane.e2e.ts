/**
 * Karmada mode: every region's `manifests/<region>/karmada/` folder applied to a real API server
 * with the CRDs of ../shared/crds (Karmada's among them). The Karmada control plane serves its
 * policies from a kube-apiserver with those CRDs, so this is the admission and storage those
 * objects meet there: strict field validation, the CRDs' CEL rules, read-back and re-apply.
 * Karmada's own webhooks (karmada-webhook) do not run here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { type TestApiServer, startTestApiServer } from './support/api-server';
import { type KubeObject, Kubectl, objectKey, warnings } from './support/kubectl';
import { compareAppliedFields, readKustomization } from './support/manifests';
import { CommandFailed } from './support/run';
import { SHARED_CRDS, exampleNames, removeDirectory, synthesizeExample, temporaryDirectory } from './support/synth';
import { loadToolchain } from './support/toolchain';
import { log } from './support/log';

const work = temporaryDirectory('karmada');
afterAll(() => removeDirectory(work));

/** Every Karmada folder the examples write, as [example, region, folder]. */
const folders = exampleNames().flatMap((name) => {
  const root = synthesizeExample(name, work);
  const manifests = path.join(root, 'manifests');
  return fs
    .readdirSync(manifests)
    .sort()
    .filter((region) => fs.existsSync(path.join(manifests, region, 'karmada', 'kustomization.yaml')))
    .map((region) => [name, region, path.join(manifests, region, 'karmada')] as const);
});

it('has at least one Karmada control-plane folder to prove (red-packet-surge runs Changsha through Karmada)', () => {
  expect(folders.map(([name, region]) => `${name}/${region}`)).toContain('red-packet-surge/changsha');
});

describe.each(folders)('example %s: %s/karmada on a Karmada-like API server', (_name, region, folder) => {
  let server: TestApiServer | undefined;
  let kubectl: Kubectl;
  let serverDir: string;

  beforeAll(async () => {
    serverDir = temporaryDirectory('karmada-server');
    server = await startTestApiServer(loadToolchain(), path.join(serverDir, 'kubeconfig'));
    kubectl = new Kubectl(server.kubeconfig, server.context);
    await kubectl.ok(['apply', '--server-side', '-R', '-f', SHARED_CRDS]);
    await kubectl.ok(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
  });
  afterAll(async () => {
    await server?.stop();
    if (serverDir) removeDirectory(serverDir);
  });

  it('admits every object (namespaces, workload templates, PropagationPolicy, OverridePolicy, FederatedHPA, CronFederatedHPA) without warnings', async () => {
    const result = await kubectl.applyServerSide({ kustomization: folder });
    if (result.code !== 0) throw new CommandFailed(result);
    expect(warnings(result)).toEqual([]);
    const kinds = [...new Set(readKustomization(folder).map((o) => o.kind))].sort();
    log(`${region}/karmada: ${readKustomization(folder).length} objects admitted (${kinds.join(', ')})`);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'Deployment', 'PropagationPolicy', 'OverridePolicy', 'FederatedHPA']));
  });

  it('stores every applied field unchanged, and a second apply changes nothing', async () => {
    const applied = readKustomization(folder);
    const stored = new Map((await kubectl.getKustomization(folder)).map((o) => [objectKey(o), o]));
    expect(applied.flatMap((o) => compareAppliedFields(o, stored.get(objectKey(o))).changed)).toEqual([]);
    const versions = (objects: readonly KubeObject[]) => new Map(objects.map((o) => [objectKey(o), o.metadata.resourceVersion]));
    const before = versions(await kubectl.getKustomization(folder));
    const again = await kubectl.applyServerSide({ kustomization: folder });
    if (again.code !== 0) throw new CommandFailed(again);
    const after = versions(await kubectl.getKustomization(folder));
    expect([...after].filter(([key, version]) => before.get(key) !== version).map(([key]) => key)).toEqual([]);
  });
});
