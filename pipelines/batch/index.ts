export { createBatchTier, type BatchTier } from './batch-tier.ts';
export { batchOptions, defaultBatchOptions, type BatchOptions, type BatchOverrides } from './options.ts';
export type { BatchRunReport } from './job.ts';
