import { batchTier } from '../../pipelines/batch/descriptor.ts';
import type { BatchOptions, BatchOverrides } from '../../pipelines/batch/options.ts';
import { microbatchTier } from '../../pipelines/microbatch/descriptor.ts';
import type { MicrobatchOptions } from '../../pipelines/microbatch/options.ts';
import { streamingTier } from '../../pipelines/streaming/descriptor.ts';
import type { StreamingOptions } from '../../pipelines/streaming/options.ts';
import type { SchemaObject } from 'ajv';
import type { RunSchedule } from '../results/summary.ts';
import type { FloorRow } from '../results/floor.ts';
import type { EngineDeps, TierDescriptor, TierFloorContext } from './descriptor.ts';
import { TierlabError } from '../errors.ts';
import { noSuchEngine } from './engine.ts';
import { tierNames, type Tier, type TierContext, type TierName } from './types.ts';

/** What every tier's section has, whatever its engine: how many worker processes run it, in one consumer group. */
export interface Scale {
  workers: number;
}

/** What a scenario or a test may override, per tier. */
export interface TierOptions {
  batch?: BatchOverrides & Partial<Scale>;
  microbatch?: Partial<MicrobatchOptions & Scale>;
  streaming?: Partial<StreamingOptions & Scale>;
}

/** Every tier's options with its own defaults filled in: the one place those defaults are applied. */
export interface ResolvedTierOptions {
  batch: BatchOptions & Scale;
  microbatch: MicrobatchOptions & Scale;
  streaming: StreamingOptions & Scale;
}

/** Each tier's own options: its resolved options less `workers`, which the registry adds. */
interface OwnTierOptions {
  batch: [BatchOptions, BatchOverrides];
  microbatch: [MicrobatchOptions, Partial<MicrobatchOptions>];
  streaming: [StreamingOptions, Partial<StreamingOptions>];
}

/** Every tier, as it describes itself in its own folder: the registry is this list. */
const descriptors: { [Name in TierName]: TierDescriptor<OwnTierOptions[Name][0], OwnTierOptions[Name][1]> } = {
  batch: batchTier,
  microbatch: microbatchTier,
  streaming: streamingTier,
};

/** A tier's descriptor, typed loosely: what the harness may ask of any tier without knowing which. */
function descriptorOf(name: TierName): TierDescriptor<{ engine: string }, unknown> {
  return descriptors[name] as unknown as TierDescriptor<{ engine: string }, unknown>;
}

/** Each tier's section of a scenario, as its JSON Schema (the scenario schema is assembled from them). */
export const tierOptionsSchemas = Object.fromEntries(tierNames.map((name) => [name, descriptors[name].optionsSchema])) as Record<TierName, SchemaObject>;

/** Each tier's engines, the default first: what --engine TIER=NAME and a scenario may choose from. */
export const tierEngines = Object.fromEntries(tierNames.map((name) => [name, Object.keys(descriptors[name].engines)])) as unknown as Record<TierName, readonly string[]>;

/**
 * Validates and completes the overrides: the one check of a tier's options, when a scenario is
 * loaded (or a test builds them); a bad value, or an engine the tier does not have, is named here,
 * before anything starts.
 */
export function resolveTierOptions(options: TierOptions = {}): ResolvedTierOptions {
  return Object.fromEntries(tierNames.map((name) => [name, resolvedOf(name, options)])) as unknown as ResolvedTierOptions;
}

function resolvedOf(name: TierName, options: TierOptions): { engine: string } & Scale {
  const descriptor = descriptorOf(name);
  // `workers` is every tier's, whatever its engine: taken out before the tier's own options are resolved.
  const { workers = 1, ...own } = (options[name] ?? {}) as Partial<Scale>;
  const resolved = descriptor.resolve(own);
  const engines = Object.keys(descriptor.engines);
  if (!engines.includes(resolved.engine)) throw noSuchEngine(name, resolved.engine, engines);
  const entry = descriptor.engines[resolved.engine]!;
  entry.check?.(resolved);
  if (!Number.isInteger(workers) || workers < 1) {
    throw new TierlabError('BAD_INPUT', `${name} workers must be a whole number >= 1 (got ${workers})`, { details: { tier: name, workers } });
  }
  if (workers > 1 && !entry.scalesOut) {
    throw new TierlabError('BAD_INPUT', `${name} workers ${workers}: the ${resolved.engine} engine runs as one worker process; more than one runs on ${scalingEngines().join(', ')}`, {
      details: { tier: name, engine: resolved.engine, workers },
    });
  }
  return { ...resolved, workers };
}

/** The tier engines that run as several worker processes, as `TIER (ENGINE)`. */
function scalingEngines(): string[] {
  return tierNames.flatMap((tier) => Object.entries(descriptorOf(tier).engines).flatMap(([engine, entry]) => (entry.scalesOut ? [`${tier} (${engine})`] : [])));
}

/**
 * Layers of overrides, later over earlier, tier by tier: a tier's settings replace one by one, and
 * a group of settings (batch's `lake`) merges the same way one level down.
 */
export function layerTierOptions(...layers: TierOptions[]): TierOptions {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const layer of layers) {
    for (const name of tierNames) {
      const over = layer[name] as Record<string, unknown> | undefined;
      if (!over) continue;
      const into = (merged[name] ??= {});
      for (const [key, value] of Object.entries(over)) {
        const before = into[key];
        into[key] = isGroup(value) && isGroup(before) ? { ...before, ...value } : value;
      }
    }
  }
  return merged as TierOptions;
}

const isGroup = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Just the tiers' options of something that holds them (a scenario): what a worker is sent. */
export function tierOptionsOf(holder: ResolvedTierOptions): ResolvedTierOptions {
  return Object.fromEntries(tierNames.map((name) => [name, holder[name]])) as unknown as ResolvedTierOptions;
}

/** The schedule the tiers run on with these options (summary.json environment.schedule): each tier gives its part. */
export function runSchedule(options: ResolvedTierOptions): RunSchedule {
  const parts = tierNames.map((name) => descriptorOf(name).schedule?.(options[name]) ?? {});
  return Object.assign({}, ...parts) as RunSchedule;
}

/** The engine a tier runs on with these options (its default when they name none). */
export function engineOf(name: TierName, options: TierOptions): string {
  return resolvedOf(name, options).engine;
}

/** The architectures these options imply, where a tier's engine or settings are priced otherwise than its default. */
export function impliedArchitectures(options: ResolvedTierOptions): Partial<Record<TierName, string>> {
  const implied: Partial<Record<TierName, string>> = {};
  for (const name of tierNames) {
    const architecture = descriptorOf(name).architecture?.(options[name]);
    if (architecture) implied[name] = architecture;
  }
  return implied;
}

/** Prepares the engines these tiers run on (a JVM engine is built once into the cache), before any worker starts. */
export async function prepareEngines(tiers: readonly TierName[], options: ResolvedTierOptions, deps: EngineDeps): Promise<void> {
  for (const name of tiers) await descriptorOf(name).engines[options[name].engine]!.prepare?.(deps);
}

/** Prepares every engine of every tier (each JVM engine built once): what a test run or a workshop room does before it starts. */
export async function prepareAllEngines(deps: EngineDeps): Promise<void> {
  for (const name of tierNames) {
    for (const entry of Object.values(descriptorOf(name).engines)) await entry.prepare?.(deps);
  }
}

/** The longest time a tier may hold an event before its next write (its descriptor says). */
export function holdPeriodMs(name: TierName, options: ResolvedTierOptions): number {
  return descriptorOf(name).holdPeriodMs(options[name]);
}

/** Whether a tier keeps its data in the S3 lake (its bucket), besides its Kafka topics. */
export function usesLake(name: TierName, options: ResolvedTierOptions): boolean {
  return descriptorOf(name).usesLake(options[name]);
}

/**
 * The one place that loads the pipelines; everything else holds a Tier. A tier's engine is loaded
 * only in the process that runs it, so a streaming worker never pays (in the CPU we measure) for
 * loading DuckDB and the AWS SDK. The options were checked once, when the scenario was loaded
 * (resolveTierOptions), and are not checked again here.
 */
export async function createTier(name: TierName, context: TierContext, options: ResolvedTierOptions): Promise<Tier> {
  return descriptorOf(name).engines[options[name].engine]!.load(context, options[name]);
}

/** Each tier's floor rows at the offered rate (one per Node client: `ROW-CLIENT`), in tier order. */
export const floorRowsAtRate: Array<{ tier: TierName; row: string; what: string; overrides?: TierOptions; inProcess?: boolean }> = tierNames.flatMap((tier) =>
  (descriptors[tier].floor?.atRate ?? []).map(({ row, what, overrides, inProcess }) => ({
    tier,
    row,
    what,
    ...(overrides ? { overrides: { [tier]: overrides } } : {}),
    ...(inProcess ? { inProcess } : {}),
  })),
);

/** The rows each tier measures itself in `tierlab floor`, in tier order. */
export const ownFloorRowNames: string[] = tierNames.flatMap((tier) => descriptors[tier].floor?.own?.rows ?? []);

/** Each tier's own floor part with these options, ready to measure. */
export function ownFloorParts(options: ResolvedTierOptions): Array<{ tier: TierName; rows: string[]; what: string; measure(context: TierFloorContext): Promise<FloorRow[]> }> {
  return tierNames.flatMap((tier) => {
    const own = descriptorOf(tier).floor?.own;
    return own ? [{ tier, rows: own.rows, what: own.what, measure: (context: TierFloorContext) => own.measure(context, options[tier]) }] : [];
  });
}
