import type { JSONSchemaType, SchemaObject } from 'ajv';
import type { LatencyStats } from '../metrics/histogram.ts';
import { kafkaClientNames } from '../kafka/driver/types.ts';
import { tierNames } from '../tiers/types.ts';
import { guarantees } from '../tiers/guarantee.ts';
import { lakehouseSchema } from './lakehouse.ts';
import {
  executions,
  summarySchemaVersion,
  type BreakEvenEntry,
  type CostCurvePoint,
  type LatencyPoint,
  type ProcessUsage,
  type RepeatFigures,
  type RepeatSummary,
  type RunSummary,
  type TierLatencySummary,
  type TierSummary,
  type WarmupSummary,
} from './summary.ts';

/*
 * JSON Schema of results/<run-id>/summary.json (docs/outputs.md), typed with Ajv's
 * JSONSchemaType<RunSummary> so that the compiler rejects a schema that drifts from the
 * interface: a field added to RunSummary and not here, a changed type, an optional field made
 * required, all fail `tsc`. What JSONSchemaType cannot check (that each `required` list is
 * complete) is closed by `exactOptionality` at the bottom. Unknown fields are allowed everywhere,
 * because the contract lets fields be added freely without a new schemaVersion; the known ones
 * are all checked.
 */

const wholeNumber = { type: 'integer', minimum: 0 } as const;
const number = { type: 'number' } as const;
const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

/** A tier name or null (no tier recommended). JSONSchemaType will not take `nullable` on a non-optional field, hence anyOf. */
const tierOrNull: JSONSchemaType<RepeatSummary['recommendation']> = {
  anyOf: [
    { type: 'string', enum: tierNames },
    { type: 'null', nullable: true },
  ],
};

/**
 * Partial<Record<TierName, T>>: each tier may be absent (a run may measure a subset). The
 * `nullable: true` is what JSONSchemaType demands of an optional field; `exactOptionality`
 * below takes it out again so that `null` is not accepted where the type says "absent".
 */
function perTier<T>(schema: T) {
  const optional = { ...schema, nullable: true as const };
  return { type: 'object' as const, required: [] as const, properties: { batch: optional, microbatch: optional, streaming: optional } };
}

const latencyStats: JSONSchemaType<LatencyStats> = {
  type: 'object',
  required: ['count', 'p50Micros', 'p90Micros', 'p99Micros', 'p999Micros', 'maxMicros'],
  properties: { count: wholeNumber, p50Micros: number, p90Micros: number, p99Micros: number, p999Micros: number, maxMicros: number },
};

const lagMicros: JSONSchemaType<TierSummary['generatorLag']> = {
  type: 'object',
  required: ['p50Micros', 'p99Micros', 'maxMicros'],
  properties: { p50Micros: number, p99Micros: number, maxMicros: number },
};

const tierLatency: JSONSchemaType<TierLatencySummary> = {
  type: 'object',
  required: [...latencyStats.required, 'breakdown', 'negativeCount', 'histogram'],
  properties: {
    ...latencyStats.properties!,
    breakdown: {
      type: 'object',
      required: ['generatorLag', 'transport', 'wait', 'processing', 'publish'],
      properties: { generatorLag: number, transport: number, wait: number, processing: number, publish: number },
    },
    negativeCount: wholeNumber,
    histogram: text,
  },
};

const latencyPoint: JSONSchemaType<LatencyPoint> = {
  type: 'object',
  required: ['percentile', 'micros'],
  properties: { percentile: { type: 'number', minimum: 0, maximum: 100 }, micros: number },
};

const tierSummary: JSONSchemaType<TierSummary> = {
  type: 'object',
  required: [
    'state',
    'correct',
    'unseen',
    'appliedTwice',
    'mismatches',
    'mismatchSamples',
    'latency',
    'warmupLatency',
    'generatorLag',
    'distribution',
    'freshness',
    'achievedPerSec',
    'resources',
    'usage',
    'deadLetters',
    'cost',
  ],
  properties: {
    state: { type: 'string', enum: ['ok', 'errored'] },
    error: { ...text, nullable: true },
    correct: flag,
    unseen: wholeNumber,
    appliedTwice: wholeNumber,
    guarantee: { type: 'string', enum: [...guarantees], nullable: true },
    engine: {
      type: 'object',
      nullable: true,
      required: ['name', 'version'],
      properties: { name: text, version: text, startupMs: { type: 'number', nullable: true, minimum: 0 }, cluster: { ...text, nullable: true } },
    },
    scaleOut: { type: 'object', nullable: true, required: ['workers', 'partitionTakeovers'], properties: { workers: wholeNumber, partitionTakeovers: wholeNumber } },
    mismatches: wholeNumber,
    // Samples are free-form (key, window, both values), so any JSON is accepted for each. The
    // cast is the one unchecked spot: JSONSchemaType has no form for `unknown`, and `{}` is its schema.
    mismatchSamples: { type: 'array', items: {} as JSONSchemaType<unknown> },
    latency: tierLatency,
    warmupLatency: latencyStats,
    generatorLag: lagMicros,
    projectedLatency: { ...latencyStats, nullable: true },
    distribution: { type: 'array', items: latencyPoint },
    freshness: latencyStats,
    stalenessAtRead: {
      type: 'object',
      nullable: true,
      required: ['reads', 'p50Micros', 'p99Micros', 'maxMicros', 'basis'],
      properties: { reads: wholeNumber, p50Micros: number, p99Micros: number, maxMicros: number, basis: { type: 'string', enum: ['measured', 'computed'] } },
    },
    stalenessMeasured: {
      type: 'object',
      nullable: true,
      required: ['reads', 'p50Micros', 'p99Micros', 'maxMicros'],
      properties: { reads: wholeNumber, p50Micros: number, p99Micros: number, maxMicros: number },
    },
    achievedPerSec: number,
    resources: {
      type: 'object',
      required: ['cpuSeconds', 'peakRssBytes', 'meanRssBytes'],
      properties: { cpuSeconds: number, peakRssBytes: number, meanRssBytes: number },
    },
    usage: {
      type: 'object',
      required: ['events', 'runSeconds', 's3Requests', 's3BytesWritten', 'kafkaBytesWritten'],
      properties: {
        events: wholeNumber,
        runSeconds: number,
        s3Requests: {
          type: 'object',
          required: ['put', 'get', 'list'],
          properties: { put: wholeNumber, get: wholeNumber, list: wholeNumber },
        },
        s3BytesWritten: wholeNumber,
        kafkaBytesWritten: wholeNumber,
        jobSeconds: { ...number, nullable: true },
        jobRuns: { ...wholeNumber, nullable: true },
      },
    },
    deadLetters: {
      type: 'object',
      required: ['produced', 'accepted', 'rejected', 'inDeadLetterTopic', 'reconciles'],
      properties: { produced: wholeNumber, accepted: wholeNumber, rejected: wholeNumber, inDeadLetterTopic: wholeNumber, reconciles: flag },
    },
    cost: {
      type: 'object',
      required: ['usdPerYear', 'architecture', 'measuredShare', 'lines'],
      properties: {
        usdPerYear: number,
        architecture: text,
        measuredShare: number,
        lines: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'usdPerYear', 'basis'],
            properties: { name: text, usdPerYear: number, basis: { type: 'string', enum: ['measured', 'assumed'] } },
          },
        },
      },
    },
  },
};

const tierName = { type: 'string', enum: [...tierNames] } as const;
/** A number or null (not found); anyOf for the reason tierOrNull gives. */
const numberOrNull: JSONSchemaType<number | null> = { anyOf: [{ type: 'number' }, { type: 'null', nullable: true }] };

const breakEvenEntry: JSONSchemaType<BreakEvenEntry> = {
  type: 'object',
  required: ['tiers', 'eventsPerDay', 'cheaperBelow', 'cheaperAbove'],
  properties: {
    tiers: { type: 'array', items: [tierName, tierName], minItems: 2, maxItems: 2, additionalItems: false },
    eventsPerDay: numberOrNull,
    cheaperBelow: tierName,
    cheaperAbove: tierName,
  },
};

const warmup: JSONSchemaType<WarmupSummary> = {
  type: 'object',
  required: ['done', 'durationSec', 'records', 'ratePerSec', 'stepP99Micros', 'converged', 's3Requests'],
  properties: {
    done: flag,
    durationSec: number,
    records: wholeNumber,
    ratePerSec: number,
    stepP99Micros: { type: 'array', items: number },
    converged: flag,
    s3Requests: wholeNumber,
  },
};

const server: JSONSchemaType<RunSummary['environment']['kafka']> = {
  type: 'object',
  required: ['server', 'version', 'endpoint'],
  properties: { server: text, version: text, endpoint: text },
};

const environment: JSONSchemaType<RunSummary['environment']> = {
  type: 'object',
  required: [
    'servicesMode',
    'kafka',
    's3',
    'node',
    'os',
    'cpus',
    'cpuModel',
    'memoryBytes',
    'clock',
    'batchReadPath',
    'execution',
    'kafkaClient',
    'measuredSecPerTier',
    'services',
    'schedule',
  ],
  properties: {
    servicesMode: text,
    kafka: server,
    s3: server,
    node: text,
    os: text,
    cpus: { type: 'integer', minimum: 1 },
    cpuModel: text,
    memoryBytes: wholeNumber,
    clock: text,
    batchReadPath: { type: 'string', enum: ['httpfs', 'staged', 's3a'] },
    execution: { type: 'string', enum: executions },
    kafkaClient: { type: 'string', enum: [...kafkaClientNames] },
    measuredSecPerTier: number,
    tierWorkerNiceness: { type: 'integer', minimum: 0, maximum: 19, nullable: true },
    services: {
      type: 'object',
      required: ['uptimeSecAtStart', 's3UptimeSecAtStart', 'warmup'],
      properties: { uptimeSecAtStart: number, s3UptimeSecAtStart: number, warmup },
    },
    schedule: {
      type: 'object',
      required: ['compressedPeriodMs', 'realPeriodMs', 'microbatchTriggerMs'],
      properties: { compressedPeriodMs: number, realPeriodMs: number, microbatchTriggerMs: number, cron: { ...text, nullable: true }, tz: { ...text, nullable: true } },
    },
  },
};

const processUsage: JSONSchemaType<ProcessUsage> = {
  type: 'object',
  required: ['name', 'cpuSeconds', 'peakRssBytes', 'meanRssBytes', 'source'],
  properties: {
    name: text,
    pid: { ...wholeNumber, nullable: true },
    cpuSeconds: number,
    peakRssBytes: number,
    meanRssBytes: number,
    source: text,
  },
};

const curvePoint: JSONSchemaType<CostCurvePoint> = {
  type: 'object',
  required: ['eventsPerDay', 'usdPerYear'],
  properties: {
    eventsPerDay: number,
    // Only the tiers the run measured: `tierlab tier NAME` prices one.
    usdPerYear: perTier(number),
  },
};

const repeatFigures: JSONSchemaType<RepeatFigures> = {
  type: 'object',
  required: ['count', 'p50Micros', 'p99Micros', 'p999Micros'],
  properties: { count: wholeNumber, p50Micros: number, p99Micros: number, p999Micros: number },
};

const repeat: JSONSchemaType<RepeatSummary> = {
  type: 'object',
  required: ['recommendation', 'tiers'],
  properties: { recommendation: tierOrNull, tiers: perTier(repeatFigures) },
};

/** What the compiler checks against RunSummary. */
const checkedSummarySchema: JSONSchemaType<RunSummary> = {
  type: 'object',
  required: [
    'schemaVersion',
    'runId',
    'scenario',
    'seed',
    'startedAt',
    'durationSec',
    'environment',
    'events',
    'sla',
    'tiers',
    'processes',
    'cost',
    'repeats',
    'recommendation',
  ],
  properties: {
    schemaVersion: { type: 'integer', const: summarySchemaVersion },
    runId: { type: 'string', minLength: 1 },
    scenario: {
      type: 'object',
      required: ['name', 'question', 'dataset', 'quick'],
      properties: { name: text, question: text, dataset: text, quick: flag },
    },
    seed: { type: 'integer' },
    startedAt: text,
    durationSec: number,
    environment,
    events: {
      type: 'object',
      required: ['produced', 'rejected', 'valid', 'ratePerSec', 'achievedRatePerSec', 'generatorLag'],
      properties: {
        produced: wholeNumber,
        rejected: wholeNumber,
        valid: wholeNumber,
        ratePerSec: number,
        achievedRatePerSec: number,
        generatorLag: lagMicros,
      },
    },
    sla: { type: 'object', required: ['p99Micros'], properties: { p99Micros: number } },
    reads: {
      type: 'object',
      nullable: true,
      required: ['kind'],
      properties: {
        kind: { type: 'string', enum: ['continuous', 'every', 'cron'] },
        every: { ...text, nullable: true },
        cron: { ...text, nullable: true },
        tz: { ...text, nullable: true },
      },
    },
    tiers: perTier(tierSummary),
    processes: { type: 'array', items: processUsage },
    cost: {
      type: 'object',
      required: ['priceSheet', 'eventsPerDay', 'eventBytes', 'peakToMeanRate', 'ratios', 'curve', 'assumptions', 'kafka', 'variants', 'sensitivity', 'breakEven', 'warStory'],
      properties: {
        priceSheet: text,
        eventsPerDay: number,
        eventBytes: number,
        peakToMeanRate: number,
        ratios: perTier(number),
        curve: { type: 'array', items: curvePoint },
        assumptions: { type: 'array', items: text },
        kafka: { type: 'string', enum: ['per-tier', 'shared'] },
        variants: {
          type: 'array',
          items: {
            type: 'object',
            required: ['tier', 'architecture', 'title', 'usdPerYear', 'measuredShare'],
            properties: { tier: { type: 'string', enum: [...tierNames] }, architecture: text, title: text, usdPerYear: number, measuredShare: number },
          },
        },
        sensitivity: {
          type: 'array',
          items: {
            type: 'object',
            required: ['assumption', 'low', 'high', 'ratioSwing', 'changesRecommendation'],
            properties: { assumption: text, low: perTier(number), high: perTier(number), ratioSwing: number, changesRecommendation: flag },
          },
        },
        breakEven: { type: 'array', items: breakEvenEntry },
        warStory: {
          type: 'object',
          required: ['eventsPerDay', 'usdPerYear', 'streamingOverMicrobatch', 'verdict', 'why'],
          properties: {
            eventsPerDay: numberOrNull,
            usdPerYear: perTier(number),
            streamingOverMicrobatch: numberOrNull,
            verdict: { type: 'string', enum: ['reproduced', 'refuted', 'not reached'] },
            why: text,
          },
        },
      },
    },
    // "A single run has one": an empty list would leave compare with no figures at all.
    repeats: { type: 'array', items: repeat, minItems: 1 },
    faults: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        required: ['spec', 'tier', 'atMicros', 'recoveryMicros'],
        properties: { spec: text, tier: tierName, atMicros: number, recoveryMicros: numberOrNull, outageMicros: { ...number, nullable: true }, unplanned: { type: 'boolean', nullable: true } },
      },
    },
    recommendation: {
      type: 'object',
      required: ['tier', 'why'],
      properties: { tier: tierOrNull, why: text },
    },
    lakehouse: { ...lakehouseSchema, nullable: true },
  },
};

/**
 * Two gaps JSONSchemaType leaves, closed from the one fact it does enforce: a property is
 * `nullable: true` exactly when its field is optional.
 * - It checks that `required` names only required fields, not that it names all of them, so a
 *   field left out of a list would silently become optional. Here every property that is not
 *   nullable is required, whatever the list says.
 * - It makes optional fields nullable, which would let `"error": null` through where the type
 *   says a string or nothing. Here `nullable` is removed from them: optional means absent.
 * Both only narrow what is accepted, so whatever passes still matches the checked type.
 */
export function exactOptionality(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(exactOptionality);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, exactOptionality(value)]));
  if (node.properties && typeof node.properties === 'object') {
    const properties = Object.entries(node.properties as Record<string, Record<string, unknown>>);
    node.required = properties.filter(([, property]) => property.nullable !== true).map(([key]) => key);
    node.properties = Object.fromEntries(
      properties.map(([key, property]) => {
        if (property.nullable !== true) return [key, property];
        const { nullable: _optionalMeansAbsent, ...rest } = property;
        return [key, rest];
      }),
    );
  }
  return node;
}

/** The schema summary.json v2 is validated against when read. */
export const summarySchema = exactOptionality(checkedSummarySchema) as SchemaObject;
