import { writeJsonResult } from '../results/write-atomically.ts';
import type { JSONSchemaType } from 'ajv';
import { parseDataFile } from '../datafiles/load.ts';
import { machineEnvironmentSchema } from '../services/machine.ts';
import { newestResult, type StoredResult } from '../datafiles/newest.ts';
import { floorSchemaVersion, type FloorResult, type FloorRow } from '../results/floor.ts';
import { allFloorRowNames } from './types.ts';

export const floorFileName = 'floor.json';

const micros = { type: 'number', minimum: 0 } as const;
const text = { type: 'string' } as const;
/** Optional fields: JSONSchemaType wants `nullable`, and `not: null` takes null back out (as in capacity.json). */
const optional = { nullable: true, not: { const: null } } as const;

const rowSchema: JSONSchemaType<FloorRow> = {
  type: 'object',
  required: ['name', 'what', 'loop', 'resolution', 'count', 'p50Micros', 'p99Micros', 'p999Micros'],
  properties: {
    name: { type: 'string', enum: allFloorRowNames },
    what: text,
    loop: { type: 'string', enum: ['open', 'closed', 'none'] },
    resolution: { type: 'string', enum: ['µs', 'ms'] },
    count: { type: 'integer', minimum: 0 },
    p50Micros: micros,
    p99Micros: micros,
    p999Micros: micros,
    maxMicros: { ...micros, ...optional },
    cpuMicrosPerEvent: { ...micros, ...optional },
    brokerCpuMicrosPerEvent: { ...micros, ...optional },
    ratioToFloor: { ...micros, ...optional },
    overheadP99Micros: { ...micros, ...optional },
    triggers: { type: 'integer', minimum: 0, ...optional },
    warmupSec: { type: 'number', exclusiveMinimum: 0, ...optional },
    breakdownMicros: {
      type: 'object',
      required: ['list', 'get', 'query', 'scan', 'put'],
      properties: { list: micros, get: micros, query: micros, scan: micros, put: micros },
      ...optional,
    },
    error: { ...text, ...optional },
  },
};

/** The schema of floor.json, checked against FloorResult by the compiler. */
export const floorSchema: JSONSchemaType<FloorResult> = {
  type: 'object',
  additionalProperties: true,
  required: ['schemaVersion', 'runId', 'startedAt', 'rate', 'durationSec', 'recordBytes', 'eventBytes', 'environment', 'rows'],
  properties: {
    schemaVersion: { type: 'integer', const: floorSchemaVersion },
    runId: { type: 'string', minLength: 1 },
    startedAt: text,
    rate: { type: 'number', exclusiveMinimum: 0 },
    durationSec: { type: 'number', exclusiveMinimum: 0 },
    recordBytes: { type: 'integer', minimum: 1 },
    eventBytes: micros,
    environment: machineEnvironmentSchema,
    rows: { type: 'array', items: rowSchema },
  },
};

/** The newest results/<run-id>/floor.json; invalid ones are passed over and told to `onSkip`. */
export function latestFloor(resultsDir: string, onSkip?: (path: string, error: unknown) => void): Promise<StoredResult<FloorResult> | undefined> {
  return newestResult(resultsDir, floorFileName, parseFloor, () => true, onSkip);
}

export function writeFloor(dir: string, result: FloorResult): Promise<string> {
  return writeJsonResult(dir, floorFileName, result);
}

/** Parses and validates floor.json text; a broken or foreign file fails naming the field. */
export function parseFloor(text: string, path: string): FloorResult {
  return parseDataFile<FloorResult>(text, path, floorSchema);
}
