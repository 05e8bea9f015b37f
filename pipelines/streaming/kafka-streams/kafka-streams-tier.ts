import { createJvmTier } from '../../../src/tiers/jvm/jvm-tier.ts';
import type { Tier, TierContext } from '../../../src/tiers/types.ts';
import type { StreamingOptions } from '../options.ts';
import { kafkaStreamsModule } from './module.ts';

/**
 * Streaming on Kafka Streams (engines/jvm/kafka-streams): a processor counts each event into its
 * key's window, held in an in-memory store with a changelog topic, and forwards the window to the
 * results topic at once (no record cache). `workers` are its stream threads; `guarantee` is its
 * processing.guarantee (at_least_once, or exactly_once_v2, whose results are visible when the
 * transaction commits, every 100 ms by Kafka Streams' default); `maxWaitMs` its fetch wait.
 */
export function createKafkaStreamsTier(context: TierContext, options: StreamingOptions): Tier {
  return createJvmTier(context, {
    tier: 'streaming',
    engine: 'kafka-streams',
    module: kafkaStreamsModule,
    settings: { guarantee: options.guarantee, maxWaitMs: options.maxWaitMs, threads: options.consumers },
  });
}
