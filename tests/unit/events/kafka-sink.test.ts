import type { Kafka, Producer, ProducerRecord } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { EventSource, loadDataset, Schedule } from '../../../src/events/index.ts';
import { runOpenLoop } from '../../../src/events/open-loop.ts';
import { eventSendsPending, openKafkaEventSink } from '../../../src/events/sinks/kafka.ts';
import { systemClock } from '../../../src/events/index.ts';

/** A broker stand-in whose every acknowledgement takes `ackMs`: what the sink's requests look like, in order. */
function slowProducer(ackMs: number) {
  const requests: string[][] = [];
  let outstanding = 0;
  let mostOutstanding = 0;
  const producer = {
    async send(record: ProducerRecord) {
      outstanding++;
      mostOutstanding = Math.max(mostOutstanding, outstanding);
      requests.push(record.messages.map((message) => String(message.key)));
      await sleep(ackMs);
      outstanding--;
      return [];
    },
  } as unknown as Producer;
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

  it('keeps a slow acknowledgement out of the generator lag: the open loop hands records over on schedule', async () => {
    const broker = slowProducer(40);
    const sink = await openKafkaEventSink({ kafka: broker.kafka, producer: broker.producer, topic: 't', partitions: 1 });
    const profile = await loadDataset('payments');
    const report = await runOpenLoop({
      source: new EventSource(profile, 1),
      schedule: new Schedule({ kind: 'constant', ratePerSec: 2_000 }, systemClock.nowMicros()),
      durationMs: 500,
      sink,
      clock: systemClock,
      paced: true,
      maxInFlight: eventSendsPending,
    });
    // Every acknowledgement takes 40 ms: with one send out at a time, records would wait about that long.
    expect(report.lag.p99Micros).toBeLessThan(20_000);
    expect(broker.mostOutstanding()).toBe(1);
  });
});
