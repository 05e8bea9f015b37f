import type { TierDescriptor } from '../../src/tiers/descriptor.ts';
import { batchOptions, type BatchOptions, type BatchOverrides } from './options.ts';

export const batchTier: TierDescriptor<BatchOptions, BatchOverrides> = {
  name: 'batch',
  resolve: batchOptions,
  engines: {
    // DuckDB over the lake, driven from Node.
    node: { load: async (context, options) => (await import('./batch-tier.ts')).createBatchTier(context, options) },
  },
  // A run every period, over what the lake sink has landed by then.
  holdPeriodMs: (options) => options.periodMs + options.lake.flushMs,
  usesLake: () => true,
  schedule: (options) => ({
    compressedPeriodMs: options.periodMs,
    realPeriodMs: options.realPeriodMs,
    ...(options.schedule ? { cron: options.schedule, tz: options.tz ?? 'UTC' } : {}),
  }),
};
