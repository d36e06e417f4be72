import { Fleet } from '../constructs/core/fleet';
import { ValidationError } from '../lib/errors';
import { citizenServices } from './citizen-services';
import { hunanRegions } from './regions';

export interface DefaultFleetOptions {
  /** Output root. @default "out" */
  readonly outdir?: string;
  /** Only these regions. @default every Hunan region */
  readonly regions?: readonly string[];
}

/** The citizen-services blueprint with the Hunan regions, as `npm run synth` builds it. */
export function defaultFleet(options: DefaultFleetOptions = {}): Fleet {
  const fleet = new Fleet({ blueprint: citizenServices, outdir: options.outdir });
  const all = hunanRegions();
  const unknown = (options.regions ?? []).filter((r) => !(r in all));
  if (unknown.length > 0) {
    const known = Object.keys(all).join(', ');
    throw new ValidationError(
      'unknown region',
      unknown.map((r) => ({ path: '--region', message: `no region "${r}" in the default blueprint; choose from ${known}` })),
    );
  }
  const chosen = options.regions ? Object.fromEntries(Object.entries(all).filter(([name]) => options.regions!.includes(name))) : all;
  fleet.addRegions(chosen);
  return fleet;
}
