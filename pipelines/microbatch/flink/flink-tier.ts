import { createJvmTier } from '../../../src/tiers/jvm/jvm-tier.ts';
import type { Tier, TierContext } from '../../../src/tiers/types.ts';
import { flinkCluster, flinkModule } from '../../streaming/flink/module.ts';
import type { MicrobatchOptions } from '../options.ts';

/**
 * Micro-batch on Apache Flink (engines/jvm/flink, the streaming engine's module): the same job,
 * but a changed window is emitted only when the next trigger fires, a processing-time timer at
 * the next multiple of `triggerMs` (Spark's processing-time trigger), so an event waits for it.
 * Lateness as the node engine judges it: against the newest event time counted before the last
 * trigger, with `allowedLatenessMs`; late events are dead-lettered as "late". One subtask, as the
 * node engine is one consumer; at least once.
 */
export function createFlinkMicrobatchTier(context: TierContext, options: MicrobatchOptions): Tier {
  const cluster = flinkCluster(context);
  return createJvmTier(context, {
    tier: 'microbatch',
    engine: 'flink',
    module: flinkModule,
    ...(cluster ? { cluster } : {}),
    settings: {
      guarantee: 'at-least-once',
      maxWaitMs: options.maxWaitMs,
      threads: 1,
      triggerMs: options.triggerMs,
      allowedLatenessMs: options.allowedLatenessMs,
    },
  });
}
