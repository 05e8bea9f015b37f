import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../events/index.ts';
import type { LakeSinkOptions } from './sink-options.ts';

/**
 * A delivery stream's buffer, as the lake sink and the lakehouse's raw lander keep it: what was
 * read, per Kafka partition, handed to `write` together once `flushRecords` are held or the oldest
 * has waited `flushMs` (Firehose's buffering hints). Flushes run one after another in the order
 * they were taken; a failed one goes to `onFailure` (and rejects the flush() that asked for it).
 */
export function partitionBuffers<B>(
  options: LakeSinkOptions,
  clock: Clock,
  write: (taken: Map<number, B>) => Promise<void>,
  onFailure: (error: unknown) => void,
) {
  // Replaced at each flush, never cleared: a cleared Map's old table keeps the new ones, and the
  // records in them, alive through young collections (see the platformatic driver's `pending`).
  let buffers = new Map<number, B>();
  let buffered = 0;
  let oldestBufferedMs = 0;
  let flushing: Promise<void> = Promise.resolve();
  let running = false;
  let timerLoop: Promise<void> | undefined;

  function flush(): Promise<void> {
    if (buffered === 0) return flushing;
    const taken = buffers;
    buffers = new Map();
    buffered = 0;
    flushing = flushing.then(() => write(taken));
    flushing.catch(onFailure);
    return flushing;
  }

  async function flushOnTime(): Promise<void> {
    while (running) {
      await sleep(Math.min(250, options.flushMs));
      if (buffered > 0 && clock.nowMicros() / 1000 - oldestBufferedMs >= options.flushMs) await flush().catch(() => undefined);
    }
  }

  return {
    /** The partition's buffer, made by `make` when it has none since the last flush. */
    of(partition: number, make: () => B): B {
      return buffers.get(partition) ?? buffers.set(partition, make()).get(partition)!;
    },
    /** `count` records were put in a buffer: a full buffer is flushed now. */
    async added(count: number): Promise<void> {
      if (buffered === 0) oldestBufferedMs = clock.nowMicros() / 1000;
      buffered += count;
      if (buffered >= options.flushRecords) await flush();
    },
    flush,
    /** Flushes on time from now on. */
    startTimer(): void {
      running = true;
      timerLoop = flushOnTime();
    },
    async stopTimer(): Promise<void> {
      running = false;
      await timerLoop;
    },
  };
}
