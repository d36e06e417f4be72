import * as path from 'path';
import { showValue } from '../errors';
import { dns1123LabelProblem } from '../names';
import { UsageError } from './run-cli';

/**
 * `--region a,b`: the names, each a DNS-1123 label (empty entries between commas are skipped); a
 * list of no names at all is an error, not "every region". Whether each exists is the fleet's to say.
 */
export function parseRegionList(list: string, flag = '--region'): string[] {
  const names = list.split(',').filter(Boolean);
  if (names.length === 0) throw new UsageError(`${flag} ${showValue(list)} names no region; write names separated by commas, e.g. ${flag} changsha,zhuzhou`);
  for (const name of names) {
    const problem = dns1123LabelProblem(name);
    if (problem) throw new UsageError(`${flag}: region name ${showValue(name)} ${problem}`);
  }
  return names;
}

/** Where synth writes: the output root, and where its Terraform part goes inside it. */
export interface OutputTarget {
  readonly outdir: string;
  /** `terraform`, or `.` when cdktf's output folder is the output root itself. */
  readonly terraformFolder: 'terraform' | '.';
}

/**
 * The output target from `--out` and CDKTF_OUTDIR (set by `cdktf synth` to cdktf.json's `output`,
 * where it reads `manifest.json`): `--out` wins; a CDKTF_OUTDIR named `terraform` is the
 * Terraform folder of the output root above it (`"output": "out/terraform"`, this project's own);
 * any other (cdktf's usual `cdktf.out`) is the output root, with the Terraform part at its top
 * beside `manifests/` and `reports/`. Default: `out`.
 */
export function outputTarget(out: string | undefined, cdktfOutdir: string | undefined): OutputTarget {
  if (out !== undefined) return { outdir: out, terraformFolder: 'terraform' };
  if (cdktfOutdir) {
    return path.basename(cdktfOutdir) === 'terraform'
      ? { outdir: path.dirname(cdktfOutdir), terraformFolder: 'terraform' }
      : { outdir: cdktfOutdir, terraformFolder: '.' };
  }
  return { outdir: 'out', terraformFolder: 'terraform' };
}
