import { version as duckdbVersion } from '@duckdb/node-api';
import type { TierEngine } from '../../../src/tiers/engine.ts';
import type { Tier, TierContext } from '../../../src/tiers/types.ts';
import { createLakeJobTier } from '../../batch/lake-job-tier.ts';
import { lakeBuffer, type MicrobatchOptions } from '../options.ts';

/** The lake engine's version is the embedded DuckDB's, the library that does its work. */
export const lakeEngine = (): TierEngine => ({ name: 'lake', version: `DuckDB ${duckdbVersion()}` });

/**
 * Micro-batch as the seed means it: buffered delivery into the lake (Firehose: an object every
 * buffer interval, bufferMs, or at bufferRecords) plus a small scheduled query that folds the new
 * objects into the windows every trigger. It is the batch tier's machinery (lake-job-tier.ts) run
 * on the micro-batch's schedule, so an event waits for its buffer to be delivered and then for the
 * next query. No latency projection: the lab runs it on its real schedule, so what is measured is
 * its latency. Every event is folded into its window whenever it lands (the query recomputes the
 * partitions it touches), so allowedLatenessMs does not apply: no event is late to a lake.
 */
export function createLakeMicrobatchTier(context: TierContext, options: MicrobatchOptions): Tier {
  return createLakeJobTier(context, { name: 'microbatch', periodMs: options.triggerMs, lake: lakeBuffer(options), engine: lakeEngine() });
}
