import { generate, type WindowAggregator } from '../../events/index.ts';
import type { StreamPlan } from './types.ts';

export interface ExpectedResult {
  groundTruth: WindowAggregator;
  produced: number;
  malformed: number;
}

/**
 * The ground truth of a plan, computed here rather than shipped back from the sending process:
 * the generator is seeded and the schedule deterministic, so generating the same plan unpaced
 * gives the same records with the same event times, in milliseconds.
 */
export async function expectedResultOf(plan: StreamPlan): Promise<ExpectedResult> {
  const { report, groundTruth } = await generate({
    profile: plan.profile,
    seed: plan.seed,
    durationMs: plan.durationMs,
    rate: plan.rate,
    startMicros: plan.startMicros,
    windowMs: plan.windowMs,
    sink: { send: async () => undefined, close: async () => undefined },
    clock: { nowMicros: () => plan.startMicros },
    paced: false,
  });
  return { groundTruth, produced: report.produced, malformed: report.malformed };
}
