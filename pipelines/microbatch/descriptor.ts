import type { TierDescriptor } from '../../src/tiers/descriptor.ts';
import { microbatchEngineLoaders } from './engines.ts';
import { microbatchOptionsSchema, lakeBuffer, microbatchOptions, type MicrobatchOptions } from './options.ts';

export const microbatchTier: TierDescriptor<MicrobatchOptions> = {
  name: 'microbatch',
  optionsSchema: microbatchOptionsSchema,
  resolve: microbatchOptions,
  engines: microbatchEngineLoaders,
  // On the lake an event waits for its delivery buffer, then for the next query.
  holdPeriodMs: (options) => (options.engine === 'lake' ? lakeBuffer(options).flushMs + options.triggerMs : options.triggerMs),
  usesLake: (options) => options.engine === 'lake',
  schedule: (options) => ({ microbatchTriggerMs: options.triggerMs }),
  // Delivery into the lake is priced as such (Firehose-style), not as a Kafka consumer.
  architecture: (options) => (options.engine === 'lake' ? 'microbatch-lake' : undefined),
  floor: {
    atRate: [{ row: 'microbatch', what: 'the micro-batch tier: collect until the trigger, then produce the touched windows' }],
  },
};
