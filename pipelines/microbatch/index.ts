export { createMicrobatchTier } from './microbatch-tier.ts';
export { defaultMicrobatchOptions, microbatchOptions, type MicrobatchOptions } from './options.ts';
