/** `npm run example -- <name>`: synthesizes one example into `out/examples/<name>/` (the layout of `out/`). */
import * as path from 'path';
import { UsageError, runCli } from '../lib/cli/run-cli';
import { EXAMPLES } from './index';

const USAGE = `usage: npm run example -- <name>\n\n  <name>   one of: ${Object.keys(EXAMPLES).join(', ')}`;

runCli(() => {
  const [name, ...rest] = process.argv.slice(2);
  if (name === '--help' || name === '-h') throw new UsageError('');
  if (!name || rest.length > 0) throw new UsageError(name ? `unexpected ${JSON.stringify(rest.join(' '))}` : 'name an example');
  const build = EXAMPLES[name];
  if (!build) throw new UsageError(`no example "${name}"`);
  const outdir = path.join('out', 'examples', name);
  const result = build(outdir).synth();
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  return `example ${name}: ${result.stacks.length} stacks, ${result.manifestFiles.length} manifest files and ${result.reports.length} reports in ${result.outdir}/`;
}, USAGE);
