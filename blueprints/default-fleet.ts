import { Fleet } from '../constructs/core/fleet';
import { showValue, ValidationError } from '../lib/errors';
import { didYouMean } from '../lib/did-you-mean';
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
  // An own key only: "constructor" or "toString" is in every object, but no region of the blueprint.
  const unknown = (options.regions ?? []).filter((r) => !Object.prototype.hasOwnProperty.call(all, r));
  if (unknown.length > 0) {
    const known = Object.keys(all);
    throw new ValidationError(
      'unknown region',
      unknown.map((r) => {
        const hint = didYouMean(r, known);
        return {
          path: '--region',
          message: `no region ${showValue(r)} in the default blueprint; ${hint ? `did you mean "${hint}"? Choose` : 'choose'} from ${known.join(', ')}`,
        };
      }),
    );
  }
  const chosen = options.regions ? Object.fromEntries(Object.entries(all).filter(([name]) => options.regions!.includes(name))) : all;
  fleet.addRegions(chosen);
  return fleet;
}
