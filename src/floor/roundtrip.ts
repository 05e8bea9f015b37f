import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaDriver } from '../kafka/driver/index.ts';
import { decodeEvent, type Clock } from '../events/index.ts';
import { latencyStats, newLatencyHistogram, recordMicros } from '../metrics/histogram.ts';
import type { LatencyStats } from '../metrics/histogram.ts';

export interface RoundTrip {
  /** Resolves once `expected` records were read (or the time bound passed): latency from event time to read. */
  finish(expected: number, timeoutMs: number): Promise<{ stats: LatencyStats; read: number }>;
}

/**
 * A Node client's own floor: a consumer that does nothing with a record but note when it was
 * read. Latency runs from the record's scheduled event time (open loop, as the tiers measure it)
 * to its read; records scheduled before `warmupEndsMicros` are left out, as in a tier's run.
 */
export async function startRoundTrip(driver: KafkaDriver, topic: string, clock: Clock, warmupEndsMicros: () => number): Promise<RoundTrip> {
  const histogram = newLatencyHistogram();
  let read = 0;
  let failure: unknown;
  const consumer = await driver.consume({
    groupId: `tierlab-floor-${randomBytes(4).toString('hex')}`,
    topic,
    minBytes: 1,
    maxWaitMs: 20,
    partitionsConcurrently: 'all',
    autoCommit: true,
    onFatal: (error) => (failure = error),
    onBatch: async (batch) => {
      const readMicros = clock.nowMicros();
      for (const message of batch.records) {
        read++;
        try {
          const event = decodeEvent(message.value ?? '', readMicros);
          if (event.eventTimeMicros >= warmupEndsMicros()) recordMicros(histogram, readMicros - event.eventTimeMicros);
        } catch {
          // Malformed records (the dataset's share) are read and counted, not timed.
        }
      }
    },
  });
  return {
    async finish(expected, timeoutMs) {
      const deadline = clock.nowMicros() + timeoutMs * 1000;
      while (read < expected && clock.nowMicros() < deadline && failure === undefined) await sleep(50);
      await consumer.close();
      if (failure !== undefined) throw failure;
      return { stats: latencyStats(histogram), read };
    },
  };
}
