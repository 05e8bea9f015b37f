import { fileURLToPath } from 'node:url';
import { parseDurationMs } from '../parse.ts';
import { dataFileId, dataFileIds, loadDataFile, resolveDataFile } from '../datafiles/load.ts';
import { TierlabError } from '../errors.ts';
import { checkDrift, loadDataset, validateRateShape, type DatasetProfile, type DriftSpec, type RateShape } from '../events/index.ts';
import { impliedArchitectures, layerTierOptions, resolveTierOptions, type ResolvedTierOptions, type TierOptions } from '../tiers/registry.ts';
import { defaultArchitectureChoice, type ArchitectureChoice } from '../cost/architecture.ts';
import type { Guarantee } from '../tiers/guarantee.ts';
import { scenarioSchema } from './schema.ts';
import { defaultLakehouseOptions, type LakehouseOptions } from '../lakehouse/options.ts';
import { checkCron, type Reads } from '../metrics/staleness.ts';
import type { TierName } from '../tiers/types.ts';

/** What a scenario and its `quick` variant may set: the run's shape and each tier's section (TierOptions). */
interface RunShape extends TierOptions {
  durationSec: number;
  isolatedDurationSec?: number;
  warmupSec: number;
  rate: RateShape;
}

type ReadsFile = 'continuous' | { every: string } | { cron: string; tz: string };

interface ScenarioFile extends RunShape {
  reads?: ReadsFile;
  expect?: TierName;
  title?: string;
  question: string;
  dataset: string;
  seed: number;
  sla: string;
  eventsPerDay: number;
  partitions: number;
  windowMs?: number;
  architectures?: Partial<ArchitectureChoice>;
  quick?: Partial<RunShape>;
  drift?: DriftSpec[];
  lakehouse?: Partial<LakehouseOptions>;
}

/** A scenario ready to run: the file, with --quick applied and every tier's defaults filled in. */
export interface Scenario extends ResolvedTierOptions {
  durationSec: number;
  /** Seconds each tier is fed events in isolated execution (one tier after another). */
  isolatedDurationSec: number;
  warmupSec: number;
  rate: RateShape;
  name: string;
  title: string;
  question: string;
  dataset: string;
  seed: number;
  slaMs: number;
  eventsPerDay: number;
  partitions: number;
  windowMs?: number;
  /** The architecture that prices each tier, the defaults filled in. */
  architectures: ArchitectureChoice;
  quick: boolean;
  /** When the results are read; the SLA bounds staleness at those reads. Continuous unless the file says. */
  reads: Reads;
  /** The tier the scenario teaches (bench/scenarios: every shipped one says). */
  expect?: TierName;
  /** Schema drift the generator applies in this scenario, over the dataset's own (drift.ts). */
  drift?: DriftSpec[];
  /** The stream also goes through a lake, a lakehouse table and a warehouse (src/lakehouse/). */
  lakehouse?: LakehouseOptions;
}

/** A scenario's `reads` as summary.json keeps it (docs/outputs.md): the kind, and `every` as written. */
export function readsOf(reads: Reads): { kind: Reads['kind']; every?: string; cron?: string; tz?: string } {
  if (reads.kind === 'every') return { kind: 'every', every: durationText(reads.everyMs) };
  if (reads.kind === 'cron') return { kind: 'cron', cron: reads.cron, tz: reads.tz };
  return { kind: 'continuous' };
}

const durationUnits = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]] as const;

/** 300000 -> "5m": the largest unit that divides it, as a scenario file writes durations. */
function durationText(ms: number): string {
  const [unit, size] = durationUnits.find(([, size]) => ms % size === 0)!;
  return `${ms / size}${unit}`;
}

function parseReadsFile(reads: ReadsFile | undefined, path: string): Reads {
  if (reads === undefined || reads === 'continuous') return { kind: 'continuous' };
  if ('every' in reads) return { kind: 'every', everyMs: parseDurationMs(reads.every, `${path}: /reads/every`) };
  checkCron(reads.cron, reads.tz, `${path}: /reads`);
  return { kind: 'cron', cron: reads.cron, tz: reads.tz };
}

export const scenariosDir = fileURLToPath(new URL('../../bench/scenarios/', import.meta.url));

export function scenarioNames(dir = scenariosDir): Promise<string[]> {
  return dataFileIds(dir);
}

/** Loads bench/scenarios/NAME.yaml (or a path); the file name is the scenario's id. */
export async function loadScenario(
  nameOrPath: string,
  /** engines: `--engine TIER=NAME` as parsed (src/cli/engines.ts), over the file's `microbatch.engine`. */
  /** workers: `--workers TIER=N` as parsed (src/cli/workers.ts), over the file's `streaming.workers`. */
  options: { quick?: boolean; dir?: string; guarantee?: Guarantee; engines?: Partial<Record<TierName, string>>; workers?: Partial<Record<TierName, number>> } = {},
): Promise<Scenario> {
  const path = await resolveDataFile(nameOrPath, options.dir ?? scenariosDir, 'scenario');
  const file = await loadDataFile<ScenarioFile>(path, scenarioSchema);
  const quick = options.quick === true && file.quick ? file.quick : {};
  const durationSec = quick.durationSec ?? file.durationSec;
  const shape = {
    durationSec,
    // Never longer than the run it shortens: --quick's duration caps the file's isolated one.
    isolatedDurationSec: Math.min(durationSec, quick.isolatedDurationSec ?? file.isolatedDurationSec ?? durationSec),
    warmupSec: quick.warmupSec ?? file.warmupSec,
    rate: validateRateShape(quick.rate ?? file.rate, `${path}: /rate`),
  };
  // The file's tier sections, --quick's over them, then what the command line chose; checked below, once.
  const engines = Object.fromEntries(Object.entries(options.engines ?? {}).map(([name, engine]) => [name, { engine }]));
  const workers = Object.fromEntries(Object.entries(options.workers ?? {}).map(([name, count]) => [name, { workers: count }]));
  const overrides = layerTierOptions(file, quick, engines, workers, options.guarantee ? { streaming: { guarantee: options.guarantee } } : {});
  for (const field of ['durationSec', 'isolatedDurationSec'] as const) {
    if (shape.warmupSec >= shape[field]) {
      throw new TierlabError('BAD_DATA_FILE', `${path}: /warmupSec (${shape.warmupSec}) must be shorter than /${field} (${shape[field]})`);
    }
  }
  let tiers: ResolvedTierOptions;
  try {
    tiers = resolveTierOptions(overrides);
  } catch (cause) {
    // A worker count the command line gave is the command's bad input, not the file's.
    const tier = (cause as TierlabError).details?.tier as TierName | undefined;
    if (tier !== undefined && (cause as TierlabError).details?.workers !== undefined && options.workers?.[tier] !== undefined) {
      throw new TierlabError('BAD_INPUT', `--workers ${tier}=${options.workers[tier]}: ${(cause as Error).message}`, { cause, details: { flag: '--workers', tier } });
    }
    throw new TierlabError('BAD_DATA_FILE', `${path}: ${(cause as Error).message}`, { cause });
  }
  return {
    ...shape,
    ...tiers,
    name: dataFileId(path),
    title: file.title ?? dataFileId(path),
    question: file.question,
    dataset: file.dataset,
    seed: file.seed,
    slaMs: parseDurationMs(file.sla, `${path}: /sla`),
    eventsPerDay: file.eventsPerDay,
    partitions: file.partitions,
    ...(file.windowMs !== undefined ? { windowMs: file.windowMs } : {}),
    // An engine or setting deployed differently (exactly-once, the lake micro-batch) is priced as its own architecture unless the scenario names one.
    architectures: { ...defaultArchitectureChoice, ...impliedArchitectures(tiers), ...file.architectures },
    quick: options.quick === true,
    reads: parseReadsFile(file.reads, path),
    ...(file.expect ? { expect: file.expect } : {}),
    ...(file.drift ? { drift: file.drift } : {}),
    ...(file.lakehouse ? { lakehouse: { ...defaultLakehouseOptions, ...file.lakehouse } } : {}),
  };
}

/** The scenario's dataset profile, with the scenario's drift (when it has one) in place of the dataset's. */
export async function scenarioProfile(scenario: Pick<Scenario, 'name' | 'dataset' | 'drift'>, load = loadDataset): Promise<DatasetProfile> {
  const profile = await load(scenario.dataset);
  if (!scenario.drift) return profile;
  const fields = new Set(['amountCents', 'key', ...profile.attributes.map((attribute) => attribute.name)]);
  checkDrift(scenario.drift, fields, (where, message) => {
    throw new TierlabError('BAD_DATA_FILE', `scenario ${scenario.name}: /drift${where} ${message}`, { details: { scenario: scenario.name, where } });
  });
  return { ...profile, drift: scenario.drift };
}
