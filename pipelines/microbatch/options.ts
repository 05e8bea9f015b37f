import { TierlabError } from '../../src/errors.ts';
import { defaultLakeSinkOptions, type LakeSinkOptions } from '../../src/lake/sink-options.ts';
import { tierSectionSchema } from '../../src/tiers/option-schema.ts';

/** An engine of engines.ts, by name (node, lake): the descriptor checks it is one. */
export type MicrobatchEngine = string;

/** The longest buffer interval Firehose allows (900 s): a longer one is not buffered delivery. */
export const maxBufferMs = 900_000;

export interface MicrobatchOptions {
  engine: MicrobatchEngine;
  /** How often a trigger takes what has arrived and commits it: 1 to 60 s. */
  triggerMs: number;
  /**
   * How far behind the newest event time a window still accepts events. Later events are sent
   * to the dead-letter topic as "late" and counted, never silently lost.
   */
  allowedLatenessMs: number;
  maxWaitMs: number;
  failAfterEvents?: number;
  /**
   * Fault injection for tests: once a trigger's write makes this many events visible, the
   * worker's process kills itself with SIGKILL before committing. Only in a worker process of its own.
   */
  killAfterEvents?: number;
  /** lake: deliver the buffered events as objects after this long (Firehose's buffer interval); default the trigger. */
  bufferMs?: number;
  /** lake: …or once this many are buffered (Firehose's buffer size, in events); default the lake sink's. */
  bufferRecords?: number;
}

export const defaultMicrobatchOptions: MicrobatchOptions = { engine: 'node', triggerMs: 5_000, allowedLatenessMs: 60_000, maxWaitMs: 100 };

export function microbatchOptions(overrides: Partial<MicrobatchOptions> = {}): MicrobatchOptions {
  const options = { ...defaultMicrobatchOptions, ...overrides };
  if (!Number.isInteger(options.triggerMs) || options.triggerMs < 1_000 || options.triggerMs > 60_000) {
    throw new TierlabError('BAD_INPUT', `micro-batch triggerMs must be from 1000 to 60000 (got ${options.triggerMs})`, {
      details: { triggerMs: options.triggerMs },
    });
  }
  if (!Number.isInteger(options.allowedLatenessMs) || options.allowedLatenessMs < 0) {
    throw new TierlabError('BAD_INPUT', `micro-batch allowedLatenessMs must be a whole number >= 0 (got ${options.allowedLatenessMs})`);
  }
  if (options.bufferMs !== undefined && (!Number.isInteger(options.bufferMs) || options.bufferMs < 1 || options.bufferMs > maxBufferMs)) {
    throw new TierlabError('BAD_INPUT', `micro-batch bufferMs must be a whole number from 1 to ${maxBufferMs} (got ${options.bufferMs})`, {
      details: { bufferMs: options.bufferMs },
    });
  }
  if (options.bufferRecords !== undefined && (!Number.isInteger(options.bufferRecords) || options.bufferRecords < 1)) {
    throw new TierlabError('BAD_INPUT', `micro-batch bufferRecords must be a whole number >= 1 (got ${options.bufferRecords})`, {
      details: { bufferRecords: options.bufferRecords },
    });
  }
  return options;
}

/** The lake engine's delivery buffer: flushed every bufferMs (default: the trigger) or at bufferRecords. */
export function lakeBuffer(options: MicrobatchOptions): LakeSinkOptions {
  return { flushMs: options.bufferMs ?? options.triggerMs, flushRecords: options.bufferRecords ?? defaultLakeSinkOptions.flushRecords };
}

/** The tier's section of a scenario (bench/scenarios/*.yaml). */
export const microbatchOptionsSchema = tierSectionSchema({
  triggerMs: { type: 'integer', minimum: 1000, maximum: 60000 },
  allowedLatenessMs: { type: 'integer', minimum: 0 },
  /** The lake engine's buffer interval (default: the trigger) and buffer size in events. */
  bufferMs: { type: 'integer', minimum: 1, maximum: maxBufferMs },
  bufferRecords: { type: 'integer', minimum: 1 },
});
