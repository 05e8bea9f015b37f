import { batchTier } from '../../pipelines/batch/descriptor.ts';
import type { BatchOptions, BatchOverrides } from '../../pipelines/batch/options.ts';
import { microbatchTier } from '../../pipelines/microbatch/descriptor.ts';
import type { MicrobatchOptions } from '../../pipelines/microbatch/options.ts';
import { streamingTier } from '../../pipelines/streaming/descriptor.ts';
import type { StreamingOptions } from '../../pipelines/streaming/options.ts';
import type { TierDescriptor } from './descriptor.ts';
import { tierNames, type Tier, type TierContext, type TierName } from './types.ts';

/** What a scenario or a test may override, per tier. */
export interface TierOptions {
  batch?: BatchOverrides;
  microbatch?: Partial<MicrobatchOptions>;
  streaming?: Partial<StreamingOptions>;
}

/** Every tier's options with its own defaults filled in: the one place those defaults are applied. */
export interface ResolvedTierOptions {
  batch: BatchOptions;
  microbatch: MicrobatchOptions;
  streaming: StreamingOptions;
}

/** Every tier, as it describes itself in its own folder: the registry is this list. */
const descriptors: { [Name in TierName]: TierDescriptor<ResolvedTierOptions[Name], NonNullable<TierOptions[Name]>> } = {
  batch: batchTier,
  microbatch: microbatchTier,
  streaming: streamingTier,
};

/** A tier's descriptor, typed loosely: what the harness may ask of any tier without knowing which. */
function descriptorOf(name: TierName): TierDescriptor<unknown, unknown> {
  return descriptors[name] as unknown as TierDescriptor<unknown, unknown>;
}

/** Each tier's engines, the default first: what --engine TIER=NAME and a scenario may choose from. */
export const tierEngines = Object.fromEntries(tierNames.map((name) => [name, Object.keys(descriptors[name].engines)])) as unknown as Record<TierName, readonly string[]>;

/** Validates and completes the overrides; a bad value is named here, before anything starts. */
export function resolveTierOptions(options: TierOptions = {}): ResolvedTierOptions {
  return {
    batch: batchTier.resolve(options.batch),
    microbatch: microbatchTier.resolve(options.microbatch),
    streaming: streamingTier.resolve(options.streaming),
  };
}

const resolvedOf = (name: TierName, options: TierOptions) => descriptorOf(name).resolve(options[name]);

/** The engine a tier runs on with these options. */
export function engineOf(name: TierName, options: TierOptions): string {
  return descriptorOf(name).engineOf(resolvedOf(name, options));
}

/** The longest time a tier may hold an event before its next write (its descriptor says). */
export function holdPeriodMs(name: TierName, options: ResolvedTierOptions): number {
  return descriptorOf(name).holdPeriodMs(options[name]);
}

/** Whether a tier keeps its data in the S3 lake (its bucket), besides its Kafka topics. */
export function usesLake(name: TierName, options: TierOptions = {}): boolean {
  return descriptorOf(name).usesLake(resolvedOf(name, options));
}

/**
 * The one place that loads the pipelines; everything else holds a Tier. A tier's engine is loaded
 * only in the process that runs it, so a streaming worker never pays (in the CPU we measure) for
 * loading DuckDB and the AWS SDK.
 */
export async function createTier(name: TierName, context: TierContext, options: TierOptions = {}): Promise<Tier> {
  const descriptor = descriptorOf(name);
  const resolved = resolvedOf(name, options);
  return descriptor.engines[descriptor.engineOf(resolved)]!(context, resolved);
}
