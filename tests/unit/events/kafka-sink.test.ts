import type { Kafka } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { EventSource, loadDataset, Schedule } from '../../../src/events/index.ts';
import { runOpenLoop } from '../../../src/events/open-loop.ts';
import { eventSendsPending, eventsPerRequest, openKafkaEventSink } from '../../../src/events/sinks/kafka.ts';
import { systemClock } from '../../../src/events/index.ts';
import { coalescingProducer } from '../../../src/kafka/driver/coalesce.ts';

/**
 * A broker stand-in whose every acknowledgement takes `ackMs`, behind the producer both drivers give
 * the generator (one request in flight, what is sent meanwhile gathered into the next): its
 * requests, in order.
 */
function slowProducer(ackMs: number) {
  const requests: string[][] = [];
  let outstanding = 0;
  let mostOutstanding = 0;
  const producer = coalescingProducer(
    async (topics) => {
      outstanding++;
      mostOutstanding = Math.max(mostOutstanding, outstanding);
      requests.push([...topics.values()].flat().map((record) => String(record.key)));
      await sleep(ackMs);
      outstanding--;
    },
    async () => undefined,
    { maxInFlight: 1, maxRecordsPerRequest: eventsPerRequest },
  );
  const kafka = {
    admin: () => ({ connect: async () => undefined, disconnect: async () => undefined, createTopics: async () => true }),
  } as unknown as Kafka;
  return { producer, kafka, requests, mostOutstanding: () => mostOutstanding };
}

describe('the Kafka event sink', () => {
  it('takes sends at once and gathers those made while a request is out into the next, one request at a time, in order', async () => {
    const broker = slowProducer(20);
    const sink = await openKafkaEventSink({ kafka: broker.kafka, producer: broker.producer, topic: 't', partitions: 1 });
    const profile = await loadDataset('payments');
    const source = new EventSource(profile, 1);
    const schedule = new Schedule({ kind: 'constant', ratePerSec: 1000 }, 0);
    const batches = Array.from({ length: 5 }, () => [source.next(schedule.next())]);
    const first = sink.send(batches[0]!, 0);
    await sleep(5); // the first request is out
    await Promise.all([first, ...batches.slice(1).map((batch) => sink.send(batch, 0))]);
    expect(broker.mostOutstanding()).toBe(1);
    expect(broker.requests.flat()).toEqual(batches.flat().map((record) => record.key));
    expect(broker.requests).toHaveLength(2); // the first alone, the four sent while it was out together
  });

  it('keeps a slow acknowledgement out of the generator lag: the open loop hands records over while a request is out', async () => {
    const broker = slowProducer(40);
    const sink = await openKafkaEventSink({ kafka: broker.kafka, producer: broker.producer, topic: 't', partitions: 1 });
    const sends: number[] = [];
    const counted = { ...sink, send: (batch: Parameters<typeof sink.send>[0], sentMicros: number) => (sends.push(batch.length), sink.send(batch, sentMicros)) };
    const profile = await loadDataset('payments');
    const report = await runOpenLoop({
      source: new EventSource(profile, 1),
      schedule: new Schedule({ kind: 'constant', ratePerSec: 2_000 }, systemClock.nowMicros()),
      durationMs: 500,
      sink: counted,
      clock: systemClock,
      paced: true,
      maxInFlight: eventSendsPending,
    });
    // The mechanism, not a speed: sends made while a request was out were taken at once and went
    // together in the next request (the old sink sent each alone, and the loop waited behind it).
    expect(broker.requests.flat()).toHaveLength(report.produced);
    expect(Math.max(...broker.requests.map((request) => request.length))).toBeGreaterThan(Math.max(...sends));
    expect(broker.requests.length).toBeLessThan(sends.length);
    expect(broker.mostOutstanding()).toBe(1);
  });
});
