import * as s from '../../lib/schema';
import { type Problems } from '../../lib/errors';
import { parseDuration } from '../../lib/duration';

/** One step of a progressive canary: send `weight` percent of requests to the new version, then wait. */
export interface ProgressiveStepSpec {
  /** Percent of requests the new version gets in this step, 1-99 and above the step before's. */
  readonly weight: number;
  /** How long the step holds while the analysis watches the new version, e.g. "5m". */
  readonly pause: string;
}

/**
 * What the new version's requests must show, measured from the mesh's metrics on the cluster's
 * own Prometheus every `interval`. A measurement below a threshold counts as a failure; more
 * than `failureLimit` failures abort the rollout, and traffic returns to the stable version.
 */
export interface CanaryAnalysisSpec {
  /**
   * Percent of the new version's requests that must not fail (5xx), e.g. 99.9.
   * @default the objective of the service's availability SLO (its SLO without latency); none without one
   */
  readonly successRate?: number;
  /**
   * The new version's `percentile` latency must stay at or below `threshold`, e.g.
   * `{ percentile: 99, threshold: "500ms" }`.
   * @default the service's latency SLO: its objective as the percentile, its threshold; none without one
   */
  readonly latency?: { readonly percentile: number; readonly threshold: string };
  /** Time between measurements, and the window each one reads; at least "1m" (two scrapes of the default interval). @default "1m" */
  readonly interval?: string;
  /** Failed measurements tolerated; one more aborts the rollout. @default 1 */
  readonly failureLimit?: number;
}

/**
 * A canary promoted or rolled back by metrics (Argo Rollouts with the mesh's traffic routing):
 * the service's `version` is the release; when it changes, the new version gets each step's
 * weight in turn while the analysis watches its requests, then all of them. The version running
 * before stays the stable one until then, and takes every request back if the analysis fails.
 */
export interface ProgressiveSpec {
  /** The steps, in order; after the last one the new version gets every request. */
  readonly steps: readonly ProgressiveStepSpec[];
  /** @default the service's SLOs: success rate from its availability objective, latency from its latency objective */
  readonly analysis?: CanaryAnalysisSpec;
}

/** The analysis interval's default and floor: a window needs two scrapes at the default 30s interval. */
export const DEFAULT_ANALYSIS_INTERVAL = '1m';
export const MIN_ANALYSIS_INTERVAL_SECONDS = 60;
export const DEFAULT_FAILURE_LIMIT = 1;

function checkProgressive(progressive: ProgressiveSpec, path: string, problems: Problems): void {
  if (progressive.steps.length === 0) {
    problems.add(`${path}.steps`, 'name at least one step, e.g. [{ weight: 10, pause: "5m" }, { weight: 50, pause: "10m" }]');
  }
  progressive.steps.forEach((step, i) => {
    const before = i > 0 ? progressive.steps[i - 1].weight : 0;
    if (step.weight <= before) {
      problems.add(
        `${path}.steps[${i}].weight`,
        `${step.weight} is not above the step before's ${before}; each step gives the new version more requests than the last, so order the steps by weight`,
      );
    }
  });
  const interval = progressive.analysis?.interval;
  const seconds = interval === undefined ? undefined : parseDuration(interval);
  if (seconds !== undefined && seconds < MIN_ANALYSIS_INTERVAL_SECONDS) {
    problems.add(
      `${path}.analysis.interval`,
      `${JSON.stringify(interval)} is shorter than "1m": each measurement reads the requests of one interval, and a shorter window holds fewer than two scrapes; use "1m" or more`,
    );
  }
}

export const progressiveSchema = s.object<ProgressiveSpec>(
  {
    steps: s.list(
      s.object<ProgressiveStepSpec>(
        {
          weight: s.integer({ min: 1, max: 99, description: 'Percent of requests to the new version; after the last step it gets all of them.' }),
          pause: s.duration('How long the step holds while the analysis watches.'),
        },
        { title: 'a progressive step' },
      ),
      'Steps in order of weight.',
    ),
    analysis: s
      .object<CanaryAnalysisSpec>(
        {
          successRate: s.number({ above: 0, below: 100, description: "Percent of the new version's requests that must not fail." }).optional(),
          latency: s
            .object<{ readonly percentile: number; readonly threshold: string }>(
              {
                percentile: s.number({ above: 0, below: 100, description: 'e.g. 99 for the 99th percentile.' }),
                threshold: s.duration('The percentile latency must stay at or below this.'),
              },
              { title: 'a latency threshold' },
            )
            .optional(),
          interval: s.duration('Time between measurements, and the window each reads.').optional(),
          failureLimit: s.integer({ min: 0, description: 'Failed measurements tolerated.' }).optional(),
        },
        { title: 'a canary analysis' },
      )
      .optional(),
  },
  { title: 'a progressive canary', rules: [checkProgressive] },
);
