import { TierlabError } from '../../src/errors.ts';

export interface MicrobatchOptions {
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
}

export const defaultMicrobatchOptions: MicrobatchOptions = { triggerMs: 5_000, allowedLatenessMs: 60_000, maxWaitMs: 100 };

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
  return options;
}
