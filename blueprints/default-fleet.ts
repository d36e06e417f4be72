import { Fleet } from '../constructs/fleet';
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
  if (unknown.length > 0) throw new Error(`unknown region ${unknown.map((r) => `"${r}"`).join(', ')}; the default blueprint has ${Object.keys(all).join(', ')}`);
  const chosen = options.regions ? Object.fromEntries(Object.entries(all).filter(([name]) => options.regions!.includes(name))) : all;
  fleet.addRegions(chosen);
  return fleet;
}
