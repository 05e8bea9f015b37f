import type { TierDescriptor } from '../../src/tiers/descriptor.ts';
import { jvmEngine } from '../../src/tiers/jvm/engine-entry.ts';
import { flinkModule } from './flink/module.ts';
import { kafkaStreamsModule } from './kafka-streams/module.ts';
import { streamingOptionsSchema, atLeastOnceOnly, streamingOptions, type StreamingOptions } from './options.ts';

export const streamingTier: TierDescriptor<StreamingOptions> = {
  name: 'streaming',
  optionsSchema: streamingOptionsSchema,
  resolve: streamingOptions,
  engines: {
    // Several worker processes in one group restore a partition's windows when it moves (src/tiers/partition-coverage.ts).
    node: { load: async (context, options) => (await import('./streaming-tier.ts')).createStreamingTier(context, options), scalesOut: true },
    // The JVM engines (engines/jvm), built once with Maven before a worker starts.
    'kafka-streams': jvmEngine(kafkaStreamsModule, async (context, options) => (await import('./kafka-streams/kafka-streams-tier.ts')).createKafkaStreamsTier(context, options)),
    flink: jvmEngine(flinkModule, async (context, options) => (await import('./flink/flink-tier.ts')).createFlinkStreamingTier(context, options), atLeastOnceOnly('flink')),
  },
  // Writes as events arrive.
  holdPeriodMs: () => 0,
  usesLake: () => false,
  // Transactions cost more broker work per write: priced as their own architecture.
  architecture: (options) => (options.guarantee === 'exactly-once' ? 'streaming-exactly-once' : undefined),
  floor: {
    atRate: [
      { row: 'streaming', what: 'the streaming tier: consume, update window state, produce results (acks=all)' },
      {
        row: 'streaming-exactly-once',
        what: 'the streaming tier with guarantee exactly-once: results and offsets in one Kafka transaction per commit',
        overrides: { guarantee: 'exactly-once' },
      },
      {
        // The lab runs the generator, the worker and the broker side by side on two cores; in
        // production the tier has its machine. This row shows what the worker's own process costs here.
        row: 'streaming-in-process',
        what: "the streaming tier in the floor's own process instead of a worker of its own (the generator still forked): one Node process fewer on the lab's cores (its CPU is not told apart from the floor's own, so not given)",
        inProcess: true,
      },
    ],
  },
};
