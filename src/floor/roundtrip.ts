import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
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
export async function startRoundTrip(kafka: Kafka, topic: string, clock: Clock, warmupEndsMicros: () => number): Promise<RoundTrip> {
  const histogram = newLatencyHistogram();
  let read = 0;
  const consumer = kafka.consumer({ groupId: `tierlab-floor-${randomBytes(4).toString('hex')}`, minBytes: 1, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      const readMicros = clock.nowMicros();
      for (const message of batch.messages) {
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
      while (read < expected && clock.nowMicros() < deadline) await sleep(50);
      await consumer.disconnect();
      return { stats: latencyStats(histogram), read };
    },
  };
}
