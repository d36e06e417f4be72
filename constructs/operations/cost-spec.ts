import * as s from '../../lib/schema';

/** What one cloud charges for the requests of the pods it runs. */
export interface CloudPriceSpec {
  /** Price of one vCPU (core) of requests for one hour, in the table's currency. */
  readonly vcpuHour: number;
  /** Price of one GiB of memory requests for one hour, in the table's currency. */
  readonly gibHour: number;
}

/**
 * A price table for the report's Cost section (white paper 2.1.1 (2), 5.1.3: lower cost by
 * releasing public capacity after the event). Costs are of requests, not of measured usage.
 */
export interface CostSpec {
  /** ISO 4217 code every price is in, e.g. "CNY". */
  readonly currency: string;
  /** Price per cloud, keyed by a cluster's `cloud` (e.g. "hunan-gov-cloud"); a region adds the clouds it adds. */
  readonly prices: { readonly [cloud: string]: CloudPriceSpec };
  /** Where the prices come from, printed with them in the report, e.g. "list prices of 2026-01". @default none */
  readonly note?: string;
  /** Hours a month is billed for. @default 730 (365 x 24 / 12) */
  readonly hoursPerMonth?: number;
  /**
   * How long each burst link runs at its peak in the month costed, keyed by link name: for a link
   * without events, or whose events' cron lines do not give a duration (see the README).
   * @default the sum of the link's events' durations, each once
   */
  readonly burstDurations?: { readonly [link: string]: string };
}

export const DEFAULT_HOURS_PER_MONTH = 730;

const price = (description: string) => s.number({ min: 0, description });

export const costSchema = s.object<CostSpec>(
  {
    currency: s.string({ description: 'ISO 4217 currency code of every price.', pattern: { regex: /^[A-Z]{3}$/, meaning: 'an ISO 4217 code such as "CNY"' } }),
    prices: s.record(
      s.object<CloudPriceSpec>(
        {
          vcpuHour: price('Price of one vCPU of requests for an hour.'),
          gibHour: price('Price of one GiB of memory requests for an hour.'),
        },
        { title: 'a cloud price' },
      ),
      "Price per cloud, keyed by a cluster's cloud.",
    ),
    note: s.string({ description: 'Where the prices come from, printed with them in the report.' }).optional(),
    hoursPerMonth: s.number({ above: 0, max: 744, description: 'Hours a month is billed for.' }).optional(),
    burstDurations: s.record(s.duration('Time the link runs at its peak in the month costed.'), 'Time at peak per burst link.').optional(),
  },
  { title: 'a price table' },
);
