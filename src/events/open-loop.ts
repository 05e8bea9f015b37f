import { setTimeout as sleep } from 'node:timers/promises';
import { encodeHistogram, newLatencyHistogram, recordMicros } from '../metrics/histogram.ts';
import type { EventSource, GeneratedRecord } from './generator.ts';
import type { Schedule } from './schedule.ts';
import type { Clock } from './types.ts';

/** Where generated records go: Kafka or files. `send` resolves when the records are accepted. */
export interface EventSink {
  send(records: GeneratedRecord[], sentMicros: number): Promise<void>;
  close(): Promise<void>;
}

export interface OpenLoopOptions {
  source: EventSource;
  schedule: Schedule;
  /** Stop after this many records… */
  count?: number;
  /** …or once the schedule passes this long after its start. */
  durationMs?: number;
  sink: EventSink;
  clock: Clock;
  /** false: no waiting, records are generated with their scheduled times as fast as possible (files). */
  paced: boolean;
  /** Records due within this long of each other go in one send, like a producer's linger.ms. */
  lingerMs?: number;
  /**
   * Sends in flight at once; when all are busy, the next records wait, and that wait is lag.
   * Default 1, for a sink that sends each call as it comes: two in flight could land out of order
   * when the first is retried. The Kafka sink queues sends in order behind one request
   * (src/events/sinks/kafka.ts), so the generator gives it eventSendsPending.
   */
  maxInFlight?: number;
  onRecord?: (record: GeneratedRecord) => void;
  onProgress?: (progress: OpenLoopProgress) => void;
  progressEveryMs?: number;
  wait?: (ms: number) => Promise<unknown>;
}

export interface OpenLoopProgress {
  produced: number;
  elapsedMicros: number;
  /** Lag of the most recent send: how far behind the schedule the generator is now. */
  currentLagMicros: number;
}

export interface OpenLoopReport {
  produced: number;
  malformed: number;
  startedMicros: number;
  finishedMicros: number;
  /** Records per second actually sent (paced), or described by the schedule (unpaced). */
  achievedRatePerSec: number;
  lag: { p50Micros: number; p99Micros: number; maxMicros: number; finalMicros: number };
  /** Every record's lag (scheduled -> sent), HDR-encoded, so several runs' lags can be merged. */
  lagHistogram: string;
  /** True when the sender ended far behind its schedule: the rate was more than it could sustain. */
  fellBehind: boolean;
}

/**
 * Sends records at their scheduled times without ever slowing the schedule down: if the sink
 * is slow, records go out late and the lateness (scheduled -> sent) is recorded, so it shows
 * up in every tier's latency instead of being hidden (no coordinated omission).
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopReport> {
  const { source, schedule, sink, clock } = options;
  const wait = options.wait ?? ((ms: number) => sleep(ms));
  const lingerMicros = (options.lingerMs ?? 2) * 1000;
  const maxInFlight = options.maxInFlight ?? 1;
  const lag = newLatencyHistogram();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const firstDue = schedule.peek();
  const endMicros = options.durationMs === undefined ? Number.POSITIVE_INFINITY : firstDue + options.durationMs * 1000;
  const limit = options.count ?? Number.POSITIVE_INFINITY;
  const startedMicros = clock.nowMicros();
  let produced = 0;
  let malformed = 0;
  let finalLag = 0;
  let lastProgress = startedMicros;

  let lastSent = 0;
  const more = () => produced < limit && schedule.peek() < endMicros;
  while (more()) {
    if (failure) throw failure;
    const now = clock.nowMicros();
    if (options.paced) {
      // Sleep until the next record is due, and at least lingerMs after the last send, so
      // records due close together share one send; a record that waits has that wait as lag.
      const target = Math.max(schedule.peek(), lastSent + lingerMicros);
      if (target > now) {
        await wait((target - now) / 1000);
        continue;
      }
    }
    const batch: GeneratedRecord[] = [];
    while (more() && (!options.paced || schedule.peek() <= now) && batch.length < 10_000) {
      const record = source.next(schedule.next());
      batch.push(record);
      produced++;
      if (!record.valid) malformed++;
      else options.onRecord?.(record);
    }
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const sentMicros = clock.nowMicros();
    lastSent = sentMicros;
    for (const record of batch) recordMicros(lag, sentMicros - record.eventTimeMicros);
    finalLag = sentMicros - batch[batch.length - 1]!.eventTimeMicros;
    const sending: Promise<void> = sink
      .send(batch, sentMicros)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (options.onProgress && sentMicros - lastProgress >= (options.progressEveryMs ?? 500) * 1000) {
      lastProgress = sentMicros;
      options.onProgress({ produced, elapsedMicros: sentMicros - startedMicros, currentLagMicros: finalLag });
    }
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  // Paced: records over the time from the first due time until the last send was accepted, so
  // falling behind shows as a lower rate. Unpaced (files): the rate the schedule describes.
  const finishedMicros = clock.nowMicros();
  const spanMicros = options.paced ? finishedMicros - firstDue : schedule.peek() - firstDue;
  const stats = { p50: lag.totalCount ? lag.getValueAtPercentile(50) : 0, p99: lag.totalCount ? lag.getValueAtPercentile(99) : 0 };
  return {
    produced,
    malformed,
    startedMicros,
    finishedMicros,
    achievedRatePerSec: spanMicros > 0 ? (produced * 1_000_000) / spanMicros : produced,
    lag: { p50Micros: stats.p50, p99Micros: stats.p99, maxMicros: lag.totalCount ? lag.maxValue : 0, finalMicros: finalLag },
    lagHistogram: encodeHistogram(lag),
    // A second behind at the end is no jitter: the sender could not keep up with the schedule.
    fellBehind: options.paced && finalLag > 1_000_000,
  };
}
