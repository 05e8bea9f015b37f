import { architectureChoiceSchema } from '../cost/architecture.ts';
import { driftSchema } from '../events/index.ts';
import { lakehouseOptionsSchema } from '../lakehouse/options.ts';
import type { SchemaObject } from 'ajv';
import { limits } from '../limits.ts';
import { wholeMsSchema } from '../tiers/option-schema.ts';
import { tierOptionsSchemas } from '../tiers/registry.ts';
import { tierNames } from '../tiers/types.ts';

const positive = { type: 'number', exclusiveMinimum: 0 } as const;
/** Events per second: bounded as the --rate flags are (src/limits.ts says why). */
const ratePerSec = { ...positive, maximum: limits.ratePerSec } as const;

const rate: SchemaObject = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'ratePerSec'],
      properties: { kind: { const: 'constant' }, ratePerSec },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'ratePerSec', 'factor', 'burstSec', 'everySec'],
      properties: { kind: { const: 'bursts' }, ratePerSec, factor: positive, burstSec: positive, everySec: positive },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'ratePerSec', 'amplitude', 'periodSec'],
      properties: {
        kind: { const: 'diurnal' },
        ratePerSec,
        amplitude: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        periodSec: positive,
      },
    },
  ],
};

const run = {
  durationSec: { type: 'integer', minimum: 5, maximum: 3600 },
  /** Seconds each tier is fed events when tiers run one after another (--execution isolated); default durationSec. */
  isolatedDurationSec: { type: 'integer', minimum: 5, maximum: 3600 },
  warmupSec: { type: 'integer', minimum: 0 },
  rate,
  // Each tier's section, as its descriptor gives it (pipelines/<tier>/options.ts).
  ...tierOptionsSchemas,
} as const;

/** JSON Schema of bench/scenarios/*.yaml. */
export const scenarioSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['question', 'dataset', 'seed', 'sla', 'eventsPerDay', 'durationSec', 'warmupSec', 'rate'],
  properties: {
    title: { type: 'string' },
    question: { type: 'string', minLength: 1 },
    dataset: { type: 'string', minLength: 1 },
    seed: { type: 'integer', minimum: 0 },
    /** The maximum acceptable latency, as a duration: 500ms, 5m, 1d. */
    sla: { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d)$' },
    /** The production volume the cost is projected to. */
    eventsPerDay: { type: 'integer', minimum: 1 },
    partitions: { type: 'integer', minimum: 1, maximum: limits.partitions, default: 6 },
    windowMs: wholeMsSchema,
    /**
     * When the results are read: continuous (a decision per event), every D (a polled dashboard),
     * or a cron in a time zone (the Monday meeting). The SLA bounds staleness at those reads.
     */
    reads: {
      oneOf: [
        { const: 'continuous' },
        { type: 'object', additionalProperties: false, required: ['every'], properties: { every: { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d)$' } } },
        { type: 'object', additionalProperties: false, required: ['cron', 'tz'], properties: { cron: { type: 'string', minLength: 9 }, tz: { type: 'string', minLength: 1 } } },
      ],
    },
    /** What the scenario teaches: the tier it should recommend (a test fails when that changes). */
    expect: { enum: [...tierNames] },
    /** Schema drift the generator applies in this run (src/events/drift.ts), over the dataset's own. */
    drift: driftSchema,
    /** The stream also landed raw, curated into Iceberg and served to a warehouse (src/lakehouse/). */
    lakehouse: lakehouseOptionsSchema,
    /** Which production architecture prices each tier (bench/architectures/), and whether Kafka is shared. */
    architectures: architectureChoiceSchema,
    ...run,
    /** What --quick changes: a shorter run showing the same thing. */
    quick: { type: 'object', additionalProperties: false, properties: run },
  },
};
