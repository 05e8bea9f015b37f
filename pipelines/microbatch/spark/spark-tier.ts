import { createJvmTier } from '../../../src/tiers/jvm/jvm-tier.ts';
import type { Tier, TierContext } from '../../../src/tiers/types.ts';
import type { MicrobatchOptions } from '../options.ts';
import { sparkCluster, sparkModule } from './module.ts';

/** Spark's local mode: one task thread a core of the lab's machine (2), as many as the topic's partitions in the fixtures. */
const sparkThreads = 2;

/**
 * Micro-batch on Spark Structured Streaming (engines/jvm/spark): a query on the events topic with
 * a processing-time trigger of `triggerMs`. Each trigger Spark reads what arrived since the last
 * one, decodes it and sums it per (key, window) in its tasks, and foreachBatch folds the sums into
 * the windows and writes those it touched (acks=all) before Spark commits the trigger to its
 * checkpoint. Lateness as the node engine judges it: against the newest event time counted before
 * this trigger, with `allowedLatenessMs`; late events are dead-lettered as "late". At least once.
 */
export function createSparkMicrobatchTier(context: TierContext, options: MicrobatchOptions): Tier {
  const cluster = sparkCluster(context);
  return createJvmTier(context, {
    tier: 'microbatch',
    engine: 'spark',
    module: sparkModule,
    ...(cluster ? { cluster } : {}),
    settings: {
      guarantee: 'at-least-once',
      maxWaitMs: options.maxWaitMs,
      threads: sparkThreads,
      triggerMs: options.triggerMs,
      allowedLatenessMs: options.allowedLatenessMs,
    },
  });
}
