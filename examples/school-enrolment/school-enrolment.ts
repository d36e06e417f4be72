/**
 * School enrolment (white paper 4.1, scenario 1) on the standard blueprint: pre-scaling inside
 * the government cloud alone.
 *
 * "每次在开学前，幼儿园、小学、中学等择校报名，需要在规定的时间上市民 App 操作，带来巨大的访问量":
 * before each school year, parents register their children for kindergarten, primary and middle
 * school in the citizen app, inside a window the education bureau fixes in advance. The load is
 * tens of times the usual, and its date is known. No public cloud is needed: the city's own
 * government cloud has the room, so the services are pre-scaled there before registration opens
 * and released when it closes, and the synth proves the room is there.
 *
 * Here that is the citizen-services blueprint plus one event, `enrolment-day`, on the two services
 * parents go through: the education bureau's `enrolment` (held at 20 replicas, scaling on load to
 * its ceiling of 24) and the citizen app's back end (held at 12). Each becomes a KEDA ScaledObject
 * on the `gov` cluster with a cron trigger for the window (Asia/Shanghai) beside its CPU trigger,
 * instead of the HPA; the platform layer installs KEDA there. The report's "Scheduled scaling"
 * section shows, per region, the replicas held and what the cluster's nodes and each
 * department's quota have to spare on the day.
 *
 * Two cities with a government cloud only: Zhuzhou, whose enrolment ceiling is 16, holds 12; and
 * Xiangtan, a smaller cloud with a smaller education quota, takes the blueprint's figures.
 */
import {
  type BlueprintOverrides,
  type BlueprintSpec,
  Fleet,
  type ScheduledScalingSpec,
  type ServiceSpec,
  citizenServices,
  hunanRegions,
  zhuzhou,
} from '../../index';

/** Registration opens at 08:00 on 1 July and closes at 18:00 on 5 July: warm up half an hour before. */
export const enrolmentDay = (minReplicas: number): ScheduledScalingSpec => ({
  name: 'enrolment-day',
  start: '30 7 1 7 *',
  end: '0 18 5 7 *',
  timezone: 'Asia/Shanghai',
  minReplicas,
});

/** Replicas each service holds during the window, where the blueprint declares it. */
const HELD: Readonly<Record<string, number>> = { enrolment: 20, 'citizen-app': 12 };

const withSchedule = (service: ServiceSpec): ServiceSpec =>
  HELD[service.name] !== undefined && service.autoscaling
    ? { ...service, autoscaling: { ...service.autoscaling, schedule: [enrolmentDay(HELD[service.name])] } }
    : service;

/** The standard blueprint, with the enrolment window on the enrolment service and the citizen app. */
export const schoolEnrolmentBlueprint: BlueprintSpec = {
  ...citizenServices,
  services: citizenServices.services.map(withSchedule),
};

/** Zhuzhou: its usual overrides; its enrolment ceiling is 16, so it holds 12 on the day (the event merges by name). */
export const zhuzhouEnrolment: BlueprintOverrides = {
  ...zhuzhou,
  services: (zhuzhou.services ?? []).map((s) =>
    s.name === 'enrolment' && !('$remove' in s) ? { ...s, autoscaling: { ...s.autoscaling, schedule: [{ name: 'enrolment-day', minReplicas: 12 }] } } : s,
  ),
};

/** The fleet of the example: Zhuzhou and Xiangtan, each a government cloud only. */
export function schoolEnrolmentFleet(outdir: string): Fleet {
  const fleet = new Fleet({ blueprint: schoolEnrolmentBlueprint, outdir });
  fleet.addRegions({
    zhuzhou: { overrides: zhuzhouEnrolment, source: 'examples/school-enrolment' },
    // Xiangtan's own YAML overrides, unchanged: the blueprint's event fits its smaller cloud.
    xiangtan: hunanRegions().xiangtan,
  });
  return fleet;
}
