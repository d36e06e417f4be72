import type { Fleet } from '../index';
import { healthCodeFleet } from './health-code/health-code';
import { logisticsPortFleet } from './logistics-port/logistics-port';
import { redPacketFleet } from './red-packet-surge/red-packet-surge';

/** Every runnable example by name: a fleet writing to the given output root. */
export const EXAMPLES: Readonly<Record<string, (outdir: string) => Fleet>> = {
  'logistics-port': logisticsPortFleet,
  'red-packet-surge': (outdir) => redPacketFleet(outdir),
  'health-code': healthCodeFleet,
};
