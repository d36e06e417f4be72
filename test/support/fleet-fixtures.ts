import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { type BlueprintSpec } from '../../constructs/blueprint-spec';
import type { BurstLinkSpec } from '../../constructs/burst/burst-spec';
import { Fleet } from '../../constructs/core/fleet';
import { type RegionProps } from '../../constructs/core/region';
import { ValidationError } from '../../lib/errors';

/** A small valid blueprint: one gov cluster, one department, one service. */
/** Observability with its hub in `region`: an external object store, a remote-write URL and one data-bureau receiver. */
export function observabilityWithHubIn(region: string): NonNullable<BlueprintSpec['observability']> {
  return {
    hub: {
      region,
      remoteWriteUrl: 'https://metrics.example/api/v1/receive',
      objectStorage: { external: { endpoint: 'https://s3.example', bucket: 'm', configSecret: { name: 'objstore', key: 'objstore.yml' } } },
    },
    dataBureauReceivers: [{ name: 'duty', webhook: { url: 'https://duty.example/hook' } }],
  };
}

export function minimalBlueprint(): BlueprintSpec {
  return {
    name: 'test-blueprint',
    supplyChain: { registry: 'registry.test.example', chartRepository: 'oci://registry.test.example/charts' },
    clusters: [
      {
        name: 'gov',
        role: 'gov',
        cloud: 'test-gov-cloud',
        connection: { kubeconfig: { path: '~/.kube/config', context: 'gov' } },
        capacity: { nodes: 3, nodeCpu: '8', nodeMemory: '32Gi' },
        network: { podCidr: '10.0.0.0/16', serviceCidr: '10.1.0.0/16' },
      },
    ],
    departments: [{ name: 'education', quota: { cpu: '8', memory: '16Gi' } }],
    services: [
      {
        name: 'enrolment',
        department: 'education',
        image: 'registry.test.example/edu/enrolment',
        version: '1.0.0',
        ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        resources: { requests: { cpu: '250m', memory: '256Mi' } },
      },
    ],
  };
}

/** A public-cloud cluster `burst` with its own mirror, for burst links from the minimal blueprint's gov cluster. */
export function publicBurstCluster(nodes = 2): BlueprintSpec['clusters'][number] {
  return {
    name: 'burst',
    role: 'public',
    cloud: 'test-public-cloud',
    registry: 'registry.public.example/mirror',
    connection: { kubeconfig: { path: '~/.kube/config', context: 'burst' } },
    capacity: { nodes, nodeCpu: '8', nodeMemory: '32Gi' },
    network: { podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/16' },
  };
}

/**
 * A burst link `enrolment-day` from the minimal blueprint's gov cluster to `publicBurstCluster()`:
 * 100 requests/s of enrolment at baseline, 50 per replica, a 10x surge; `change` adds or replaces fields.
 */
export function enrolmentBurstLink(change: Partial<BurstLinkSpec> = {}): BurstLinkSpec {
  return {
    name: 'enrolment-day',
    from: 'gov',
    to: 'burst',
    surgeFactor: 10,
    services: [{ name: 'enrolment', baselineRps: 100, rpsPerReplica: 50 }],
    ...change,
  };
}

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
};

/** A synthesized fleet on disk, with readers for its parts. */
export class SynthOutput {
  constructor(readonly dir: string) {}

  stack(name: string): any {
    return JSON.parse(fs.readFileSync(path.join(this.dir, 'terraform', 'stacks', name, 'cdk.tf.json'), 'utf8'));
  }

  /** Every resource of a type in a stack, keyed by the resource's construct path. */
  resources(stack: string, type: string): Record<string, any> {
    const all = this.stack(stack).resource?.[type] ?? {};
    return Object.fromEntries(Object.values(all).map((r: any) => [r['//'].metadata.path, r]));
  }

  manifests(region: string, cluster: string): K8sObject[] {
    const folder = path.join(this.dir, 'manifests', region, cluster);
    return fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .sort()
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(folder, f), 'utf8')).map((d) => d.toJS() as K8sObject));
  }

  find(region: string, cluster: string, kind: string, name: string): K8sObject {
    const found = this.manifests(region, cluster).find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`no ${kind}/${name} in ${region}/${cluster}`);
    return found;
  }

  read(relative: string): string {
    return fs.readFileSync(path.join(this.dir, relative), 'utf8');
  }

  files(): string[] {
    return listFiles(this.dir)
      .map((f) => path.relative(this.dir, f))
      .sort();
  }
}

export function tempDir(prefix = 'govcloud-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Builds a fleet from the blueprint and regions and synthesizes it into a new temporary directory. */
export function synthesize(blueprint: BlueprintSpec, regions: Record<string, RegionProps>): SynthOutput {
  const dir = path.join(tempDir(), 'out');
  const fleet = new Fleet({ blueprint, outdir: dir });
  fleet.addRegions(regions);
  fleet.synth();
  return new SynthOutput(dir);
}

/** The problems a failing build or synth reports, as "path: message" lines. */
export function problemsOf(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
