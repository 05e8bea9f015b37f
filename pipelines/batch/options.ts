import { TierlabError } from '../../src/errors.ts';
import { defaultLakeSinkOptions, type LakeSinkOptions } from '../../src/lake/sink-options.ts';

export interface BatchOptions {
  /** The lab's compressed schedule: the "nightly" job runs every periodMs. */
  periodMs: number;
  /** The real schedule it stands for (a day), used to project latency. */
  realPeriodMs: number;
  lake: LakeSinkOptions;
}

/** What a scenario or a test may override; the lake's settings one by one. */
export type BatchOverrides = Partial<Omit<BatchOptions, 'lake'>> & { lake?: Partial<LakeSinkOptions> };

export const defaultBatchOptions: BatchOptions = { periodMs: 20_000, realPeriodMs: 86_400_000, lake: defaultLakeSinkOptions };

export function batchOptions(overrides: BatchOverrides = {}): BatchOptions {
  const options = { ...defaultBatchOptions, ...overrides, lake: { ...defaultLakeSinkOptions, ...overrides.lake } };
  for (const [name, value] of Object.entries({
    periodMs: options.periodMs,
    realPeriodMs: options.realPeriodMs,
    'lake.flushRecords': options.lake.flushRecords,
    'lake.flushMs': options.lake.flushMs,
  })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new TierlabError('BAD_INPUT', `batch ${name} must be a whole number >= 1 (got ${value})`, { details: { name, value } });
    }
  }
  return options;
}
