import { batchOptions, type BatchOptions, type BatchOverrides } from '../../pipelines/batch/options.ts';
import { lakeBuffer, microbatchEngines, microbatchOptions, type MicrobatchOptions } from '../../pipelines/microbatch/options.ts';
import { streamingOptions, type StreamingOptions } from '../../pipelines/streaming/options.ts';
import type { Tier, TierContext, TierName } from './types.ts';

/** Each tier's engines, the default first: what --engine TIER=NAME and a scenario may choose from. */
export const tierEngines: Record<TierName, readonly string[]> = {
  batch: ['node'],
  microbatch: microbatchEngines,
  streaming: ['node'],
};

/** The engine a tier runs on with these options: only micro-batch offers a choice so far. */
export function engineOf(name: TierName, options: { microbatch?: Partial<MicrobatchOptions> }): string {
  return name === 'microbatch' ? (options.microbatch?.engine ?? tierEngines.microbatch[0]!) : tierEngines[name][0]!;
}

/** What a scenario or a test may override, per tier. */
export interface TierOptions {
  batch?: BatchOverrides;
  microbatch?: Partial<MicrobatchOptions>;
  streaming?: Partial<StreamingOptions>;
}

/** Every tier's options with its own defaults filled in: the one place those defaults are applied. */
export interface ResolvedTierOptions {
  batch: BatchOptions;
  microbatch: MicrobatchOptions;
  streaming: StreamingOptions;
}

/** Validates and completes the overrides; a bad value is named here, before anything starts. */
export function resolveTierOptions(options: TierOptions = {}): ResolvedTierOptions {
  return {
    batch: batchOptions(options.batch),
    microbatch: microbatchOptions(options.microbatch),
    streaming: streamingOptions(options.streaming),
  };
}

/**
 * The longest time a tier may hold an event before its next write: the micro-batch trigger (on
 * the lake, the delivery buffer and then the query), the batch schedule; streaming writes as
 * events arrive. A backlog that empties only this often is not a backlog that grows.
 */
export function holdPeriodMs(name: TierName, options: ResolvedTierOptions): number {
  switch (name) {
    case 'batch':
      return options.batch.periodMs + options.batch.lake.flushMs;
    case 'microbatch':
      return engineOf(name, options) === 'lake' ? lakeBuffer(options.microbatch).flushMs + options.microbatch.triggerMs : options.microbatch.triggerMs;
    case 'streaming':
      return 0;
  }
}

/** Whether a tier keeps its data in the S3 lake (its bucket), besides its Kafka topics: batch, and micro-batch on the lake engine. */
export function usesLake(name: TierName, options: TierOptions = {}): boolean {
  return name === 'batch' || engineOf(name, options) === 'lake';
}

/**
 * The one place that knows the pipelines; everything else holds a Tier. A tier's code is loaded
 * only in the process that runs it, so a streaming worker never pays (in the CPU we measure) for
 * loading DuckDB and the AWS SDK.
 */
export async function createTier(name: TierName, context: TierContext, options: TierOptions = {}): Promise<Tier> {
  switch (name) {
    case 'batch':
      return (await import('../../pipelines/batch/batch-tier.ts')).createBatchTier(context, options.batch);
    case 'microbatch':
      // Only a lake micro-batch worker loads DuckDB and the AWS SDK.
      return engineOf(name, options) === 'lake'
        ? (await import('../../pipelines/microbatch/lake/lake-tier.ts')).createLakeMicrobatchTier(context, options.microbatch)
        : (await import('../../pipelines/microbatch/microbatch-tier.ts')).createMicrobatchTier(context, options.microbatch);
    case 'streaming':
      return (await import('../../pipelines/streaming/streaming-tier.ts')).createStreamingTier(context, options.streaming);
  }
}
