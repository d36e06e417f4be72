import type { Fleet } from '../index';
import { continuityFleet } from './continuity/continuity';
import { crossCloudViewFleet } from './cross-cloud-view/cross-cloud-view';
import { healthCodeFleet } from './health-code/health-code';
import { logisticsPortFleet } from './logistics-port/logistics-port';
import { redPacketFleet } from './red-packet-surge/red-packet-surge';
import { schoolEnrolmentFleet } from './school-enrolment/school-enrolment';

/** Every runnable example by name: a fleet writing to the given output root. */
export const EXAMPLES: Readonly<Record<string, (outdir: string) => Fleet>> = {
  continuity: continuityFleet,
  'cross-cloud-view': crossCloudViewFleet,
  'health-code': healthCodeFleet,
  'logistics-port': logisticsPortFleet,
  'red-packet-surge': (outdir) => redPacketFleet(outdir),
  'school-enrolment': schoolEnrolmentFleet,
};
