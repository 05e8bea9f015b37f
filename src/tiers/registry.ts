import { createBatchTier, type BatchOverrides } from '../../pipelines/batch/index.ts';
import { createMicrobatchTier, type MicrobatchOptions } from '../../pipelines/microbatch/index.ts';
import { createStreamingTier, type StreamingOptions } from '../../pipelines/streaming/index.ts';
import type { Tier, TierContext, TierName } from './types.ts';

export interface TierOptions {
  batch?: BatchOverrides;
  microbatch?: Partial<MicrobatchOptions>;
  streaming?: Partial<StreamingOptions>;
}

/** The one place that knows the pipelines; everything else holds a Tier. */
export function createTier(name: TierName, context: TierContext, options: TierOptions = {}): Tier {
  switch (name) {
    case 'batch':
      return createBatchTier(context, options.batch);
    case 'microbatch':
      return createMicrobatchTier(context, options.microbatch);
    case 'streaming':
      return createStreamingTier(context, options.streaming);
  }
}
