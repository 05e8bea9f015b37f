import { createJvmTier } from '../../../src/tiers/jvm/jvm-tier.ts';
import type { Tier, TierContext } from '../../../src/tiers/types.ts';
import type { StreamingOptions } from '../options.ts';
import { flinkCluster, flinkModule } from './module.ts';

/**
 * Streaming on Apache Flink (engines/jvm/flink): a Flink job on a local MiniCluster in the engine
 * process reads the events with the Kafka connector's KafkaSource, keys each event by its window,
 * counts it in Flink keyed state and emits the window at once (network buffer timeout 0), written
 * by a producer of its own so that visible is the broker's acknowledgement (acks=all). `workers`
 * is the job's parallelism; `maxWaitMs` its fetch wait. At least once only: the sink flushes on
 * Flink's checkpoints, every second; it has no transactions.
 */
export function createFlinkStreamingTier(context: TierContext, options: StreamingOptions): Tier {
  const cluster = flinkCluster(context);
  return createJvmTier(context, {
    tier: 'streaming',
    engine: 'flink',
    module: flinkModule,
    ...(cluster ? { cluster } : {}),
    settings: { guarantee: options.guarantee, maxWaitMs: options.maxWaitMs, threads: options.consumers },
  });
}
