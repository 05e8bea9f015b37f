import { driftCases, generate, type GeneratedRecord, type WindowAggregator } from '../../events/index.ts';
import type { StreamPlan } from './types.ts';

export interface ExpectedResult {
  groundTruth: WindowAggregator;
  produced: number;
  malformed: number;
  /** Records of each drift case the plan's profile made (src/events/drift.ts); empty without drift. */
  drifted: Record<string, number>;
}

function driftOf(record: GeneratedRecord): string | undefined {
  if (record.valid) return record.drift;
  return (driftCases as readonly string[]).includes(record.kind) ? record.kind : undefined;
}

/**
 * The ground truth of a plan, computed here rather than shipped back from the sending process:
 * the generator is seeded and the schedule deterministic, so generating the same plan unpaced
 * gives the same records with the same event times, in milliseconds.
 */
export async function expectedResultOf(plan: StreamPlan): Promise<ExpectedResult> {
  const drifted: Record<string, number> = {};
  const count = (records: GeneratedRecord[]) => {
    for (const record of records) {
      const drift = driftOf(record);
      if (drift) drifted[drift] = (drifted[drift] ?? 0) + 1;
    }
  };
  const { report, groundTruth } = await generate({
    profile: plan.profile,
    seed: plan.seed,
    durationMs: plan.durationMs,
    rate: plan.rate,
    startMicros: plan.startMicros,
    windowMs: plan.windowMs,
    sink: { send: async (records) => count(records), close: async () => undefined },
    clock: { nowMicros: () => plan.startMicros },
    paced: false,
  });
  return { groundTruth, produced: report.produced, malformed: report.malformed, drifted };
}
