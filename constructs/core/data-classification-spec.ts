import * as s from '../../lib/schema';

/**
 * What a service or shelf instance stores or caches (white paper 4.4 and the data rules of the
 * government cloud): `personal` is citizen personal data, which never leaves the government
 * cloud; `internal` is government data that may run on a contracted public cloud; `public` is
 * published data.
 */
export type DataClassification = 'public' | 'internal' | 'personal';
export const DATA_CLASSIFICATIONS: readonly DataClassification[] = ['public', 'internal', 'personal'];

/** Unmarked workloads are treated as holding citizen personal data: the safe assumption. */
export const DEFAULT_DATA_CLASSIFICATION: DataClassification = 'personal';

export const dataClassificationSchema = s.enumOf(
  DATA_CLASSIFICATIONS,
  'What it stores or caches: personal (citizen personal data, stays in the government cloud), internal or public.',
);

/** What a workload declares about its data. */
export interface DataHandling {
  readonly dataClassification?: DataClassification;
  /** Keeps state of its own in its pods. Shelf instances are stateful by nature. */
  readonly stateful?: boolean;
}

/**
 * Why the workload may not run outside the government cloud, or undefined when it may: it holds
 * no citizen personal data and, for a service, keeps no state in its pods.
 */
export function mustStayInGovCloud(workload: DataHandling): string | undefined {
  const classification = workload.dataClassification ?? DEFAULT_DATA_CLASSIFICATION;
  if (classification === 'personal') {
    return workload.dataClassification
      ? 'holds citizen personal data (dataClassification "personal")'
      : 'holds citizen personal data (dataClassification "personal", the default for an unmarked workload)';
  }
  if (workload.stateful) return 'is stateful (stateful: true)';
  return undefined;
}

/** What the data-classification rule allows outside the government cloud, for error messages. */
export const ALLOWED_OUTSIDE_GOV_CLOUD =
  'only a workload marked dataClassification "internal" or "public" (and, for a service, not stateful) may run outside the government cloud';
