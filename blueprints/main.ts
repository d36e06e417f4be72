/** `npm run synth`: the default blueprint and its Hunan regions into one output root. */
import { FileError } from '../lib/file-errors';
import { outputRootRefusal } from '../lib/output/staged-output';
import { parseSynthArgs, runCli } from '../lib/synth-cli';
import { defaultFleet } from './default-fleet';

runCli(() => {
  const options = parseSynthArgs(process.argv.slice(2), process.env.CDKTF_OUTDIR);
  // Refused before the fleet is built, not seconds later at synth (which checks again).
  const refusal = outputRootRefusal(options.outdir);
  if (refusal) throw new FileError(refusal, options.outdir);
  const started = process.hrtime.bigint();
  const result = defaultFleet({ outdir: options.outdir, regions: options.regions.length > 0 ? options.regions : undefined }).synth();
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
  return `synthesized ${result.stacks.length} stacks, ${result.manifestFiles.length} manifest files and ${result.reports.length} reports into ${result.outdir}/ in ${ms} ms`;
});
