import type { JSONSchemaType } from 'ajv';
import { parseDataFile } from '../datafiles/load.ts';
import type { RssVerdict } from '../metrics/rss-trend.ts';
import { soakSchemaVersion, type SoakProcess, type SoakRate, type SoakResult, type SoakTier } from '../results/soak.ts';
import { writeJsonResult } from '../results/write-atomically.ts';
import { machineEnvironmentSchema } from '../services/machine.ts';
import { tierNames } from '../tiers/types.ts';

export const soakFileName = 'soak.json';

const count = { type: 'integer', minimum: 0 } as const;
const bytes = { type: 'number', minimum: 0 } as const;
const number = { type: 'number' } as const;
const text = { type: 'string' } as const;
/** Optional fields may be absent, never null (as in capacity.json's schema). */
const notNull = { nullable: true, not: { const: null } } as const;
const verdict: JSONSchemaType<RssVerdict> = { type: 'string', enum: ['flat', 'growing', 'unknown'] };

const rateSchema: JSONSchemaType<SoakRate> = {
  type: 'object',
  required: ['ratePerSec', 'basis', 'why'],
  properties: {
    ratePerSec: { type: 'number', exclusiveMinimum: 0 },
    basis: { type: 'string', enum: ['capacity', 'asked'] },
    load: { type: 'number', exclusiveMinimum: 0, ...notNull },
    capacityPerSec: { type: 'number', exclusiveMinimum: 0, ...notNull },
    capacityRunId: { ...text, ...notNull },
    why: text,
  },
};

const tierSchema: JSONSchemaType<SoakTier> = {
  type: 'object',
  required: ['name', 'state', 'correct', 'visible', 'achievedPerSec'],
  properties: {
    name: { type: 'string', enum: [...tierNames] },
    state: { type: 'string', enum: ['ok', 'errored'] },
    error: { ...text, ...notNull },
    correct: { type: 'boolean' },
    visible: count,
    achievedPerSec: bytes,
    heldWindows: { ...count, ...notNull },
    evictedWindows: { ...count, ...notNull },
  },
};

const processSchema: JSONSchemaType<SoakProcess> = {
  type: 'object',
  required: ['name', 'pid', 'judged', 'samples', 'startRssBytes', 'endRssBytes', 'peakRssBytes', 'slopeBytesPerMin', 'growth', 'verdict', 'series'],
  properties: {
    name: { type: 'string', minLength: 1 },
    pid: count,
    judged: { type: 'boolean' },
    samples: count,
    startRssBytes: bytes,
    endRssBytes: bytes,
    peakRssBytes: bytes,
    slopeBytesPerMin: number,
    growth: number,
    verdict,
    series: { type: 'array', items: { type: 'array', items: [number, bytes], minItems: 2, maxItems: 2 } },
  },
};

/** The schema of soak.json, checked against SoakResult by the compiler. Unknown fields pass: a newer writer may add some. */
export const soakSchema: JSONSchemaType<SoakResult> = {
  type: 'object',
  additionalProperties: true,
  required: ['schemaVersion', 'scenario', 'runId', 'startedAt', 'environment', 'rate', 'durationSec', 'warmupSec', 'sampleEverySec', 'flatWithin', 'tiers', 'processes', 'verdict'],
  properties: {
    schemaVersion: { type: 'integer', const: soakSchemaVersion },
    scenario: { type: 'string', minLength: 1 },
    runId: { type: 'string', minLength: 1 },
    startedAt: text,
    environment: machineEnvironmentSchema,
    rate: rateSchema,
    durationSec: { type: 'number', exclusiveMinimum: 0 },
    warmupSec: { type: 'number', minimum: 0 },
    sampleEverySec: { type: 'number', exclusiveMinimum: 0 },
    flatWithin: { type: 'number', minimum: 0 },
    tiers: { type: 'array', items: tierSchema },
    processes: { type: 'array', items: processSchema },
    verdict,
  },
};

/** Writes DIR/soak.json (creating DIR) atomically, and returns its path. */
export function writeSoak(dir: string, result: SoakResult): Promise<string> {
  return writeJsonResult(dir, soakFileName, result);
}

/** Parses and validates soak.json text; a broken or foreign file fails naming the field. */
export function parseSoak(text: string, path: string): SoakResult {
  return parseDataFile<SoakResult>(text, path, soakSchema);
}
