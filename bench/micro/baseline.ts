// bench/baseline.json: the medians `npm run bench` is compared with, and the machine they came from.
import { readFile, writeFile } from 'node:fs/promises';
import type { JSONSchemaType } from 'ajv';
import { parseDataFile } from '../../src/datafiles/load.ts';
import { TierlabError } from '../../src/errors.ts';

/** events/s: higher is better; µs (per operation): lower is better. */
export const benchUnits = ['events/s', 'µs'] as const;
export type BenchUnit = (typeof benchUnits)[number];

/** One benchmark's median in one run. The name is `<bench> / <task>`, as printed. */
export interface BenchMedian {
  name: string;
  unit: BenchUnit;
  median: number;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  /** process.version, e.g. "v24.21.0". */
  node: string;
}

export interface BaselineEntry {
  unit: BenchUnit;
  median: number;
}

export interface Baseline {
  /** A benchmark more than this many times worse than its baseline fails the run. */
  maxSlowdown: number;
  /** ISO timestamp of the run the medians come from. */
  recordedAt: string;
  machine: Machine;
  benchmarks: Record<string, BaselineEntry>;
}

export const defaultMaxSlowdown = 1.5;

const entrySchema: JSONSchemaType<BaselineEntry> = {
  type: 'object',
  additionalProperties: false,
  required: ['unit', 'median'],
  properties: {
    unit: { type: 'string', enum: [...benchUnits] },
    median: { type: 'number', exclusiveMinimum: 0 },
  },
};

/** Hand-edited (maxSlowdown), so a misspelt field is an error rather than silently ignored. */
export const baselineSchema: JSONSchemaType<Baseline> = {
  type: 'object',
  additionalProperties: false,
  required: ['maxSlowdown', 'recordedAt', 'machine', 'benchmarks'],
  properties: {
    maxSlowdown: { type: 'number', minimum: 1, default: defaultMaxSlowdown },
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

/** Validates baseline text; a bad file fails naming the field, e.g. `/benchmarks/x/median must be > 0`. */
export function parseBaseline(text: string, path: string): Baseline {
  return parseDataFile<Baseline>(text, path, baselineSchema);
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

/** A baseline made of this run's medians, kept to 4 significant digits (run-to-run noise is far above that). */
export function baselineFrom(medians: readonly BenchMedian[], machine: Machine, recordedAt: string, maxSlowdown: number): Baseline {
  const benchmarks: Record<string, BaselineEntry> = {};
  for (const { name, unit, median } of medians) benchmarks[name] = { unit, median: Number(median.toPrecision(4)) };
  return { maxSlowdown, recordedAt, machine, benchmarks };
}

export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await writeFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
}
