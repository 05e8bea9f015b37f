import type { TierDescriptor } from '../../src/tiers/descriptor.ts';
import { jvmEngine } from '../../src/tiers/jvm/engine-entry.ts';
import { sparkBatchModule } from './spark/module.ts';
import { batchOptionsSchema, batchOptions, type BatchOptions, type BatchOverrides } from './options.ts';

export const batchTier: TierDescriptor<BatchOptions, BatchOverrides> = {
  name: 'batch',
  optionsSchema: batchOptionsSchema,
  resolve: batchOptions,
  engines: {
    // DuckDB over the lake, driven from Node.
    node: { load: async (context, options) => (await import('./batch-tier.ts')).createBatchTier(context, options) },
    // The same lake sink, and the job on Spark (engines/jvm), reading the lake through S3A.
    spark: jvmEngine(sparkBatchModule, async (context, options) => (await import('./spark/spark-batch-tier.ts')).createSparkBatchTier(context, options)),
  },
  // A run every period, over what the lake sink has landed by then.
  holdPeriodMs: (options) => options.periodMs + options.lake.flushMs,
  usesLake: () => true,
  schedule: (options) => ({
    compressedPeriodMs: options.periodMs,
    realPeriodMs: options.realPeriodMs,
    ...(options.schedule ? { cron: options.schedule, tz: options.tz ?? 'UTC' } : {}),
  }),
  floor: {
    // Its latency is a job's wall time, not an event's trip through Kafka: measured beside DuckDB alone on local disk.
    own: {
      rows: ['duckdb-local', 'batch-job'],
      what: 'the batch job over S3 beside DuckDB on local disk',
      measure: async (context) => (await import('./floor/batch-floor.ts')).measureBatchFloorRows(context),
    },
  },
};
