import { readFile } from 'node:fs/promises';
import { writeJsonResult } from '../results/write-atomically.ts';
import type { JSONSchemaType } from 'ajv';
import { parseDataFile } from '../datafiles/load.ts';
import { machineEnvironmentSchema } from '../services/machine.ts';
import { newestResult, type StoredResult } from '../datafiles/newest.ts';
import { TierlabError } from '../errors.ts';
import { capacitySchemaVersion, type CapacityResult, type CapacityStep, type TierCapacity } from '../results/capacity.ts';

export const capacityFileName = 'capacity.json';

const count = { type: 'integer', minimum: 0 } as const;
const rate = { type: 'number', minimum: 0 } as const;
const text = { type: 'string' } as const;

/**
 * Ajv's JSONSchemaType insists that optional fields be `nullable: true`, which would let
 * `"reason": null` or `"batch": null` through to code that expects a string or an object;
 * `not: { const: null }` takes null back out.
 */
const notNull = { nullable: true, not: { const: null } } as const;

// Steps and tiers take unknown fields, as the whole file does: a newer writer may add some.
const stepSchema: JSONSchemaType<CapacityStep> = {
  type: 'object',
  required: ['offeredPerSec', 'achievedPerSec', 'p99Micros', 'count', 'generatorLagP99Micros', 'metSla', 'fellBehind'],
  properties: {
    offeredPerSec: { type: 'number', exclusiveMinimum: 0 },
    achievedPerSec: rate,
    p99Micros: rate,
    count,
    generatorLagP99Micros: rate,
    metSla: { type: 'boolean' },
    fellBehind: { type: 'boolean' },
    reason: { ...text, ...notNull },
  },
};

const tierSchema: JSONSchemaType<TierCapacity> = {
  type: 'object',
  required: ['maxRatePerSec', 'steps', 'stoppedBecause'],
  properties: {
    maxRatePerSec: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'null', nullable: true }] },
    steps: { type: 'array', items: stepSchema },
    stoppedBecause: text,
    error: { ...text, ...notNull },
  },
};

/** The schema of capacity.json, checked against CapacityResult by the compiler. */
export const capacitySchema: JSONSchemaType<CapacityResult> = {
  type: 'object',
  // Fields may be added without a version bump (docs/outputs.md), so unknown ones pass.
  additionalProperties: true,
  required: ['schemaVersion', 'scenario', 'runId', 'startedAt', 'slaP99Micros', 'environment', 'quick', 'stepSec', 'tiers'],
  properties: {
    schemaVersion: { type: 'integer', const: capacitySchemaVersion },
    scenario: { type: 'string', minLength: 1 },
    runId: { type: 'string', minLength: 1 },
    startedAt: text,
    slaP99Micros: { type: 'number', exclusiveMinimum: 0 },
    environment: machineEnvironmentSchema,
    quick: { type: 'boolean' },
    stepSec: { type: 'number', exclusiveMinimum: 0 },
    tiers: {
      type: 'object',
      // The tiers are a closed set: an unknown name is a foreign or misspelt file.
      additionalProperties: false,
      required: [],
      properties: {
        batch: { ...tierSchema, ...notNull },
        microbatch: { ...tierSchema, ...notNull },
        streaming: { ...tierSchema, ...notNull },
      },
    },
  },
};

/** Writes DIR/capacity.json (creating DIR) and returns its path. */
export function writeCapacity(dir: string, result: CapacityResult): Promise<string> {
  return writeJsonResult(dir, capacityFileName, result);
}

/** Parses and validates capacity.json text; a broken or foreign file fails naming the field. */
export function parseCapacity(text: string, path: string): CapacityResult {
  return parseDataFile<CapacityResult>(text, path, capacitySchema);
}

export async function readCapacity(path: string): Promise<CapacityResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new TierlabError('BAD_DATA_FILE', `${path}: cannot be read`, { cause, details: { path } });
  }
  return parseCapacity(text, path);
}

export type StoredCapacity = StoredResult<CapacityResult>;

/** The newest results/<run-id>/capacity.json for a scenario; invalid ones are passed over and told to `onSkip`. */
export function latestCapacityFor(
  resultsDir: string,
  scenario: string,
  onSkip: (path: string, error: unknown) => void = () => {},
): Promise<StoredCapacity | undefined> {
  return newestResult(resultsDir, capacityFileName, parseCapacity, (result) => result.scenario === scenario, onSkip);
}
