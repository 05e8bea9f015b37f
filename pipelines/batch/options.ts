import { TierlabError } from '../../src/errors.ts';
import { defaultLakeSinkOptions, type LakeSinkOptions } from '../../src/lake/sink-options.ts';
import { checkCron, runsPerDay } from '../../src/metrics/staleness.ts';
import { tierSectionSchema, wholeMsSchema } from '../../src/tiers/option-schema.ts';

export interface BatchOptions {
  /** Which engine runs the tier (the descriptor's engines): node unless a scenario or --engine says. */
  engine: string;
  /** The lab's compressed schedule: the "nightly" job runs every periodMs. */
  periodMs: number;
  /** The real schedule's mean period (a day), used to project latency and to price the runs; derived from `schedule` when one is given. */
  realPeriodMs: number;
  /** The real schedule as a cron with its phase ("0 2 * * *": nightly at 02:00), in `tz`: staleness at each read is computed from it. */
  schedule?: string;
  /** The schedule's time zone (IANA); UTC unless given. */
  tz?: string;
  lake: LakeSinkOptions;
}

/** What a scenario or a test may override; the lake's settings one by one. */
export type BatchOverrides = Partial<Omit<BatchOptions, 'lake'>> & { lake?: Partial<LakeSinkOptions> };

export const defaultBatchOptions: BatchOptions = { engine: 'node', periodMs: 20_000, realPeriodMs: 86_400_000, lake: defaultLakeSinkOptions };

export function batchOptions(overrides: BatchOverrides = {}): BatchOptions {
  const options = { ...defaultBatchOptions, ...overrides, lake: { ...defaultLakeSinkOptions, ...overrides.lake } };
  if (options.schedule !== undefined) {
    const schedule = { cron: options.schedule, tz: options.tz ?? 'UTC' };
    checkCron(schedule.cron, schedule.tz, 'batch schedule');
    // The mean gap between runs: what the cost model bills runs by and the uniform projection uses.
    const realPeriodMs = Math.round(86_400_000 / runsPerDay(schedule));
    // Options already resolved (a worker's) carry this same period; another one contradicts the schedule.
    if (overrides.realPeriodMs !== undefined && overrides.realPeriodMs !== realPeriodMs) {
      throw new TierlabError('BAD_INPUT', `batch: give schedule ("${options.schedule}") or realPeriodMs (${overrides.realPeriodMs}), not both: the period follows from the schedule`, {
        details: { schedule: options.schedule, realPeriodMs: overrides.realPeriodMs },
      });
    }
    options.realPeriodMs = realPeriodMs;
    options.tz = schedule.tz;
  }
  for (const [name, value] of Object.entries({
    periodMs: options.periodMs,
    realPeriodMs: options.realPeriodMs,
    'lake.flushRecords': options.lake.flushRecords,
    'lake.flushMs': options.lake.flushMs,
  })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new TierlabError('BAD_INPUT', `batch ${name} must be a whole number >= 1 (got ${value})`, { details: { name, value } });
    }
  }
  return options;
}

/** The tier's section of a scenario (bench/scenarios/*.yaml). */
export const batchOptionsSchema = tierSectionSchema({
  periodMs: wholeMsSchema,
  realPeriodMs: wholeMsSchema,
  /** The real schedule as a cron with its phase, e.g. "0 2 * * *" (nightly at 02:00) or "0 23 * * SUN" (weekly). */
  schedule: { type: 'string', minLength: 9 },
  tz: { type: 'string', minLength: 1 },
  lake: {
    type: 'object',
    additionalProperties: false,
    properties: { flushRecords: { type: 'integer', minimum: 1 }, flushMs: wholeMsSchema },
  },
});
