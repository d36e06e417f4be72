import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformApp, TerraformStack } from '../../lib/cdktf';
import { NetworkPolicySet } from '../../constructs/core/network-policy-set';
import { DNS_EGRESS, namespacePeer } from '../../constructs/core/network-rules';
import { ValidationError } from '../../lib/errors';

const APP = { 'app.kubernetes.io/name': 'app' };
const TCP = (port: string) => ({ port, protocol: 'TCP' });

/** Runs `build` on a set in a fresh stack and returns the stack's NetworkPolicies by Terraform id. */
function policies(build: (set: NetworkPolicySet) => void): Record<string, any> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-policy-set-'));
  try {
    const app = new TerraformApp({ outdir, stackTraces: false, hclOutput: false, skipValidation: true });
    const stack = new TerraformStack(app, 'stack');
    build(new NetworkPolicySet(stack, (name) => ({ name, namespace: 'apps' })));
    app.synth();
    const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8'));
    const byId: Record<string, any> = {};
    for (const [id, policy] of Object.entries<any>(synthesized.resource?.kubernetes_network_policy_v1 ?? {})) {
      const { '//': _metadata, ...rest } = policy;
      byId[id.replace(/_[0-9A-F]{8}$/, '')] = rest;
    }
    return byId;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('NetworkPolicySet', () => {
  it('puts every rule for the same pods into one policy, its policy types the union', () => {
    const out = policies((set) => {
      set.allow('app', APP, { ingress: [{ from: [namespacePeer('a')], ports: [TCP('8080')] }] });
      set.allow('app', APP, { egress: [{ to: [namespacePeer('b')], ports: [TCP('9090')] }] });
    });
    expect(out).toEqual({
      'network-policy-traffic-app': {
        metadata: { name: 'traffic-app', namespace: 'apps' },
        spec: {
          pod_selector: { match_labels: APP },
          policy_types: ['Ingress', 'Egress'],
          ingress: [{ from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'a' } } }], ports: [TCP('8080')] }],
          egress: [{ to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'b' } } }], ports: [TCP('9090')] }],
        },
      },
    });
  });

  it('keeps different pod selectors apart, every pod as baseline-traffic with an empty selector', () => {
    const out = policies((set) => {
      set.allow('namespace', {}, { egress: [DNS_EGRESS] });
      set.allow('app', APP, { ingress: [{ from: [namespacePeer('a')] }] });
      set.allow('app-metrics', { 'app.kubernetes.io/name': 'app', extra: 'x' }, { ingress: [{ from: [namespacePeer('monitoring')] }] });
    });
    expect(Object.keys(out).sort()).toEqual(['network-policy-baseline-traffic', 'network-policy-traffic-app', 'network-policy-traffic-app-metrics']);
    expect(out['network-policy-baseline-traffic'].spec).toMatchObject({ pod_selector: {}, policy_types: ['Egress'] });
    expect(out['network-policy-baseline-traffic'].metadata.name).toBe('baseline-traffic');
  });

  it('joins peers on the same ports into one rule and drops a peer already allowed there', () => {
    const out = policies((set) => {
      set.allow('app', APP, { ingress: [{ from: [namespacePeer('a')], ports: [TCP('8080')] }] });
      set.allow('app', APP, { ingress: [{ from: [namespacePeer('b')], ports: [TCP('8080')] }] });
      set.allow('app', APP, { ingress: [{ from: [namespacePeer('a')], ports: [TCP('8080')] }] });
      set.allow('app', APP, { ingress: [{ from: [namespacePeer('a')], ports: [TCP('9090')] }] });
    });
    expect(out['network-policy-traffic-app'].spec.ingress).toEqual([
      {
        from: [
          { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'a' } } },
          { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'b' } } },
        ],
        ports: [TCP('8080')],
      },
      { from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'a' } } }], ports: [TCP('9090')] },
    ]);
  });

  it('keeps a rule without peers (every peer) a rule of its own: joining peers to it would narrow it', () => {
    const out = policies((set) => {
      set.allow('app', APP, { egress: [{ ports: [TCP('443')] }] });
      set.allow('app', APP, { egress: [{ to: [namespacePeer('a')], ports: [TCP('443')] }] });
      set.allow('app', APP, { egress: [{ ports: [TCP('443')] }] });
    });
    expect(out['network-policy-traffic-app'].spec.egress).toEqual([
      { ports: [TCP('443')] },
      { to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'a' } } }], ports: [TCP('443')] },
    ]);
  });

  it('keeps a direction isolated when it was asked for with no rules', () => {
    const out = policies((set) => {
      set.allow('app', APP, { ingress: [] });
      set.allow('app', APP, { egress: [{ ports: [TCP('443')] }] });
    });
    expect(out['network-policy-traffic-app'].spec.policy_types).toEqual(['Ingress', 'Egress']);
    expect(out['network-policy-traffic-app'].spec.ingress).toBeUndefined();
  });

  it('fails when two different pod selectors would make the same policy name, naming both', () => {
    expect(() =>
      policies((set) => {
        set.allow('app', APP, { ingress: [{ from: [namespacePeer('a')] }] });
        set.allow('app', { other: 'pods' }, { ingress: [{ from: [namespacePeer('a')] }] });
      }),
    ).toThrow(ValidationError);
    expect(() =>
      policies((set) => {
        set.allow('app', APP, { ingress: [{ from: [namespacePeer('a')] }] });
        set.allow('app', { other: 'pods' }, { ingress: [{ from: [namespacePeer('a')] }] });
      }),
    ).toThrow(/stack: NetworkPolicy "traffic-app" would select both the pods \{"app.kubernetes.io\/name":"app"\} and the pods \{"other":"pods"\}/);
  });
});
