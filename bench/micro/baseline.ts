// bench/baseline.json: per benchmark the median of its round medians and their spread (the lowest
// and highest round median) that `npm run bench` is compared with, and the machine they came from.
import { readFile, writeFile } from 'node:fs/promises';
import type { JSONSchemaType } from 'ajv';
import { parseDataText, validateDataValue } from '../../src/datafiles/load.ts';
import { TierlabError } from '../../src/errors.ts';

/** events/s: higher is better; µs (per operation): lower is better. */
export const benchUnits = ['events/s', 'µs'] as const;
export type BenchUnit = (typeof benchUnits)[number];

/** One benchmark's median in one round. The name is `<bench> / <task>`, as printed. */
export interface BenchMedian {
  name: string;
  unit: BenchUnit;
  median: number;
}

/**
 * A benchmark over several rounds: the median of its round medians, and the lowest and highest
 * round median. One round is one sample; low-high is how far rounds on this machine wander.
 */
export interface RoundSpread {
  median: number;
  low: number;
  high: number;
}

/** One benchmark's spread in one run of `npm run bench`. */
export interface BenchSpread extends RoundSpread {
  name: string;
  unit: BenchUnit;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  /** process.version, e.g. "v24.21.0". */
  node: string;
}

export interface BaselineEntry extends RoundSpread {
  unit: BenchUnit;
}

export interface Baseline {
  /** How many rounds the spreads come from; 1 means no spread (the file then needs re-recording). */
  rounds: number;
  /** ISO timestamp of the run the spreads come from. */
  recordedAt: string;
  machine: Machine;
  benchmarks: Record<string, BaselineEntry>;
}

const entrySchema: JSONSchemaType<BaselineEntry> = {
  type: 'object',
  additionalProperties: false,
  required: ['unit', 'median', 'low', 'high'],
  properties: {
    unit: { type: 'string', enum: [...benchUnits] },
    median: { type: 'number', exclusiveMinimum: 0 },
    low: { type: 'number', exclusiveMinimum: 0 },
    high: { type: 'number', exclusiveMinimum: 0 },
  },
};

/** Written by `--update-baseline` but read by people too, so a misspelt field is an error rather than silently ignored. */
export const baselineSchema: JSONSchemaType<Baseline> = {
  type: 'object',
  additionalProperties: false,
  required: ['rounds', 'recordedAt', 'machine', 'benchmarks'],
  properties: {
    rounds: { type: 'integer', minimum: 1 },
    recordedAt: { type: 'string', minLength: 1 },
    machine: {
      type: 'object',
      additionalProperties: false,
      required: ['cpus', 'cpuModel', 'node'],
      properties: {
        cpus: { type: 'integer', minimum: 1 },
        cpuModel: { type: 'string' },
        node: { type: 'string', minLength: 1 },
      },
    },
    benchmarks: { type: 'object', required: [], additionalProperties: entrySchema },
  },
};

export const rerecordHint = 're-record it with `npm run bench -- --update-baseline`';

/**
 * Validates baseline text; a bad file fails naming the field, e.g. `/benchmarks/x/median must be > 0`.
 * A baseline from before rounds (medians without low/high) is refused with its own message: its
 * spread is unknown, and no edit by hand can supply one, so it must be recorded again.
 */
export function parseBaseline(text: string, path: string): Baseline {
  const value = parseDataText(text, path);
  const withoutSpread = benchmarksWithoutSpread(value);
  if (withoutSpread.length > 0) {
    const named = withoutSpread.map((name) => JSON.stringify(name)).join(', ');
    throw new TierlabError(
      'BAD_DATA_FILE',
      `${path}: ${withoutSpread.length === 1 ? 'benchmark' : 'benchmarks'} ${named} ${withoutSpread.length === 1 ? 'has' : 'have'} ` +
        `no low/high (a baseline recorded before rounds, without a spread); ${rerecordHint}`,
      { details: { path, withoutSpread } },
    );
  }
  const baseline = validateDataValue<Baseline>(value, path, baselineSchema);
  const problems = Object.entries(baseline.benchmarks)
    .filter(([, { median, low, high }]) => !(low <= median && median <= high))
    .map(([name, { median, low, high }]) => `benchmark ${JSON.stringify(name)} must have low <= median <= high (got low ${low}, median ${median}, high ${high})`);
  if (problems.length > 0) throw new TierlabError('BAD_DATA_FILE', `${path}: ${problems.join('; ')}`, { details: { path, problems } });
  return baseline;
}

/** The names of entries that are objects with a median but no low or high; anything else is left to the schema. */
function benchmarksWithoutSpread(value: unknown): string[] {
  const benchmarks = isObject(value) ? value.benchmarks : undefined;
  if (!isObject(benchmarks)) return [];
  return Object.entries(benchmarks)
    .filter(([, entry]) => isObject(entry) && 'median' in entry && (!('low' in entry) || !('high' in entry)))
    .map(([name]) => name);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The stored baseline, or undefined when there is none yet. An unreadable or invalid file throws. */
export async function readBaseline(path: string): Promise<Baseline | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TierlabError('BAD_DATA_FILE', `${path}: cannot be read`, { cause, details: { path } });
  }
  return parseBaseline(text, path);
}

/**
 * A baseline made of this run's spreads, kept to 4 significant digits (run-to-run noise is far
 * above that). Rounding to a fixed number of digits keeps low <= median <= high.
 */
export function baselineFrom(spreads: readonly BenchSpread[], rounds: number, machine: Machine, recordedAt: string): Baseline {
  const benchmarks: Record<string, BaselineEntry> = {};
  const kept = (value: number) => Number(value.toPrecision(4));
  for (const { name, unit, median, low, high } of spreads) benchmarks[name] = { unit, median: kept(median), low: kept(low), high: kept(high) };
  return { rounds, recordedAt, machine, benchmarks };
}

export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await writeFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
}
