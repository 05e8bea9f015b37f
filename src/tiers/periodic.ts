import { setTimeout as sleep } from 'node:timers/promises';

/** What one tick asks of the loop: nothing (on to the next period), stop, or run again sooner (a failed run retried). */
export type TickOutcome = void | 'stop' | { againInMs: number };

export interface PeriodicOptions {
  periodMs: number;
  /** The run's clock, in ms: the loop keeps its schedule on it. */
  nowMs: () => number;
  /** Ends the loop, and cuts short the wait it is in. */
  signal: AbortSignal;
  tick: () => Promise<TickOutcome>;
  /** Waits `ms` or until `signal` aborts; a test passes one that moves its own clock. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const abortableSleep = (ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal }).catch(() => undefined);

/**
 * Runs `tick` every periodMs until the signal aborts or a tick says stop: a micro-batch trigger,
 * a scheduled job. Ticks never overlap, and one that overruns its period is followed at once by
 * the next, never by a burst of the ticks it missed (a scheduler does not pile runs up).
 */
export async function runPeriodically(options: PeriodicOptions): Promise<void> {
  const { periodMs, nowMs, signal, tick } = options;
  const wait = options.wait ?? abortableSleep;
  let next = nowMs() + periodMs;
  while (!signal.aborted) {
    await wait(Math.max(0, next - nowMs()), signal);
    if (signal.aborted) return;
    const outcome = await tick();
    if (outcome === 'stop') return;
    // Due a period after the last was due; already due when the tick overran, and then only once.
    next = Math.max(next + periodMs, nowMs());
    if (outcome) next = Math.min(next, nowMs() + outcome.againInMs);
  }
}
