export { createStreamingTier } from './streaming-tier.ts';
export { defaultStreamingOptions, streamingOptions, type StreamingOptions } from './options.ts';
