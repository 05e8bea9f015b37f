import { TierlabError } from '../../src/errors.ts';
import { guarantees, parseGuarantee, type Guarantee } from '../../src/tiers/guarantee.ts';
import { tierSectionSchema } from '../../src/tiers/option-schema.ts';

export interface StreamingOptions {
  /** Which engine runs the tier (the descriptor's engines): node unless a scenario or --engine says. */
  engine: string;
  /** Consumers in each worker process, in the tier's group; partitions are shared among them (worker processes: `workers`). */
  consumers: number;
  /**
   * Partitions each consumer handles at once (kafkajs partitionsConsumedConcurrently). Unset: every
   * partition a fetch brought, so their results share one produce request. Three at a time made
   * two requests per fetch of the six partitions, the second only once the first was acknowledged:
   * 32 against 27 µs of CPU per event at 10,000 events/s, the same p99 (docs/measurement.md).
   */
  partitionsConcurrently?: number;
  /** How long the broker may hold a fetch that has fewer than minBytes. */
  maxWaitMs: number;
  /**
   * Bytes a fetch waits for (up to maxWaitMs) before it returns. 1 returns at once with whatever
   * has arrived: the lowest latency, and the most requests per event at high rates.
   */
  minBytes: number;
  /** at-least-once: results written, then offsets committed; exactly-once: both in one Kafka transaction. */
  guarantee: Guarantee;
  /**
   * How far behind the newest event time of its source partition a window still accepts events
   * (src/tiers/lateness.ts). Later events go to the dead-letter topic as "late", and a window past
   * it is forgotten, which is what bounds the tier's memory. The generator writes each partition
   * in event-time order, so no scenario's event is late; a minute, as micro-batch's default.
   */
  allowedLatenessMs: number;
  /** Fault injection for tests and workshops: the worker throws after this many events. */
  failAfterEvents?: number;
  /**
   * Fault injection for tests: once this many events are written, the worker's process kills itself
   * with SIGKILL: at least once after the write and before the offsets' commit, exactly-once inside
   * the transaction, before it commits. Only in a worker process of its own.
   */
  killAfterEvents?: number;
  /**
   * Fault injection for tests (exactly-once): the first transaction to take the events written past
   * this many fails before it commits, in the first worker only (one that restored no windows).
   */
  failTransactionAfterEvents?: number;
}

export const defaultStreamingOptions: StreamingOptions = {
  engine: 'node',
  consumers: 1,
  maxWaitMs: 20,
  minBytes: 1,
  guarantee: 'at-least-once',
  allowedLatenessMs: 60_000,
};

/** For an engine without transactions: refuses exactly-once when the options are checked. */
export const atLeastOnceOnly = (engine: string) => (options: StreamingOptions) => {
  if (options.guarantee === 'exactly-once') {
    throw new TierlabError('BAD_INPUT', `the ${engine} streaming engine runs at least once only (got guarantee exactly-once): choose at-least-once or another engine`, {
      details: { engine, guarantee: options.guarantee },
    });
  }
};

export function streamingOptions(overrides: Partial<StreamingOptions> = {}): StreamingOptions {
  const options = { ...defaultStreamingOptions, ...overrides };
  for (const name of ['consumers', 'partitionsConcurrently', 'maxWaitMs', 'minBytes', 'allowedLatenessMs'] as const) {
    const value = options[name];
    // Unset partitionsConcurrently: every partition at once.
    if (value === undefined && name === 'partitionsConcurrently') continue;
    const least = name === 'maxWaitMs' || name === 'allowedLatenessMs' ? 0 : 1;
    if (value === undefined || !Number.isInteger(value) || value < least) {
      throw new TierlabError('BAD_INPUT', `streaming ${name} must be a whole number >= ${least} (got ${value})`, { details: { [name]: value } });
    }
  }
  parseGuarantee(options.guarantee, 'streaming guarantee');
  return options;
}

/** The tier's section of a scenario (bench/scenarios/*.yaml). */
export const streamingOptionsSchema = tierSectionSchema({
  consumers: { type: 'integer', minimum: 1 },
  partitionsConcurrently: { type: 'integer', minimum: 1 },
  maxWaitMs: { type: 'integer', minimum: 0 },
  minBytes: { type: 'integer', minimum: 1 },
  guarantee: { enum: [...guarantees] },
  allowedLatenessMs: { type: 'integer', minimum: 0 },
});
