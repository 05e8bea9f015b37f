import { nodeEngine } from '../../src/tiers/engine.ts';
import type { TierContext } from '../../src/tiers/types.ts';
import { createLakeJobTier, type LakeJobTier } from './lake-job-tier.ts';
import type { BatchOptions } from './options.ts';

export interface BatchTier extends LakeJobTier {
  readonly options: BatchOptions;
}

/**
 * Batch: a lake sink lands raw events in S3 as Parquet, and a scheduled job — nightly in
 * production, every periodMs in the lab — aggregates the new partitions with DuckDB and writes
 * the curated zone. Results are visible when the job's PUT of a partition is acknowledged.
 */
export function createBatchTier(context: TierContext, options: BatchOptions): BatchTier {
  return {
    ...createLakeJobTier(context, {
      name: 'batch',
      periodMs: options.periodMs,
      lake: options.lake,
      // The lab runs the "nightly" job every periodMs; its latency under the real schedule is projected.
      projection: { compressedPeriodMs: options.periodMs, realPeriodMs: options.realPeriodMs },
      engine: nodeEngine(),
    }),
    options,
  };
}
