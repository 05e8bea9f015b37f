import type { TierDescriptor } from '../../src/tiers/descriptor.ts';
import { streamingOptions, type StreamingOptions } from './options.ts';

export const streamingTier: TierDescriptor<StreamingOptions> = {
  name: 'streaming',
  resolve: streamingOptions,
  engines: {
    node: async (context, options) => (await import('./streaming-tier.ts')).createStreamingTier(context, options),
  },
  // Writes as events arrive.
  holdPeriodMs: () => 0,
  usesLake: () => false,
  // Transactions cost more broker work per write: priced as their own architecture.
  architecture: (options) => (options.guarantee === 'exactly-once' ? 'streaming-exactly-once' : undefined),
};
