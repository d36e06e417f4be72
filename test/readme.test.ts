/** The README's promises that need no engine: its table of contents, its peer-dependency table, the versions stacks require. */
import * as fs from 'fs';
import * as path from 'path';
import { MINIMUM_TERRAFORM_VERSION, PROVIDER_VERSIONS } from '../constructs/core/cluster-stack';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped (letters of any script stay), spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replace(/ /g, '-');
}

describe('README.md', () => {
  it('lists every section in its table of contents, in order, each linked to its heading, right after the two newcomer commands', () => {
    const sections = [...README.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    const contents = README.slice(README.indexOf('**Contents**'), README.indexOf('\n\n', README.indexOf('**Contents**') + 14));
    expect([...contents.matchAll(/^- \[(.+)\]\(#(.+)\)$/gm)].map((m) => [m[1], m[2]])).toEqual(sections.map((s) => [s, anchor(s)]));
    expect(README.indexOf('**Contents**')).toBeGreaterThan(README.indexOf('npm test  '));
    expect(README.indexOf('**Contents**')).toBeLessThan(README.indexOf('Typed constructs and a synthesizer'));
  });

  it('names the package\'s peer dependencies with their ranges in "Use it in your own project"', () => {
    const section = README.slice(README.indexOf('## Use it in your own project'), README.indexOf('\n## ', README.indexOf('## Use it in your own project') + 5));
    const table = Object.fromEntries([...section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|$/gm)].map((row) => [row[1], row[2]]));
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
    expect(table).toEqual(pkg.peerDependencies);
  });

  it('names the Terraform and provider versions every stack requires in "Provider versions"', () => {
    const start = README.indexOf('### Provider versions');
    const paragraph = README.slice(start, README.indexOf('\n\n', README.indexOf('Every stack requires', start))).replace(/\s+/g, ' ');
    expect(paragraph).toContain(`Terraform \`>= ${MINIMUM_TERRAFORM_VERSION}\``);
    expect(paragraph).toContain(`hashicorp/kubernetes \`${PROVIDER_VERSIONS.kubernetes}\``);
    expect(paragraph).toContain(`hashicorp/helm \`${PROVIDER_VERSIONS.helm}\``);
  });
});
