import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { compareAggregates, decodeEvent, generate, loadDataset, systemClock, WindowAggregator } from '../../src/events/index.ts';
import { openEventProducer, openKafkaEventSink } from '../../src/events/sinks/kafka.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { kafkaClientNames } from '../../src/kafka/driver/index.ts';
import { keyPartition } from '../../src/kafka/partitioner.ts';
import { readTopicToEnd } from '../../src/kafka/read-topic.ts';
import { sentHeader } from '../../src/tiers/intake.ts';

const { kafka: endpoint } = inject('services');

describe.each(kafkaClientNames)('the generator to Kafka (real broker), writing with %s', (client) => {
  it('delivers every record once, keyed as Java places keys, in order per key, matching its own ground truth', async () => {
    const kafka = createKafkaClient(endpoint, { clientId: 'tierlab-it-generator' });
    const producer = await openEventProducer(endpoint, 'tierlab-it-generator', client);
    const profile = await loadDataset('payments');
    const topic = `it-gen-${randomUUID().slice(0, 8)}`;
    const { report, groundTruth } = await generate({
      profile: { ...profile, malformedShare: 0.01 },
      seed: 99,
      count: 20_000,
      rate: { kind: 'constant', ratePerSec: 20_000 },
      startMicros: systemClock.nowMicros(),
      windowMs: profile.windowMs,
      sink: await openKafkaEventSink({ kafka, topic, partitions: 3, producer }),
      clock: systemClock,
      paced: true,
    });
    await producer.close();
    expect(report.produced).toBe(20_000);
    expect(report.malformed).toBeGreaterThan(100);

    const consumed = new WindowAggregator(profile.windowMs, profile.rules);
    const lastSeqByKey = new Map<string, number>();
    let malformed = 0;
    let outOfOrder = 0;
    let withSentTime = 0;
    const records = await readTopicToEnd(kafka, topic, (record) => {
      if (record.headers[sentHeader]) withSentTime++;
      let event;
      try {
        event = decodeEvent(record.value!, systemClock.nowMicros());
      } catch {
        malformed++;
        return;
      }
      expect(record.key?.toString()).toBe(event.key);
      expect(record.partition).toBe(keyPartition(event.key, 3));
      if ((lastSeqByKey.get(event.key) ?? -1) > event.seq) outOfOrder++;
      lastSeqByKey.set(event.key, event.seq);
      consumed.add(event);
    });
    expect(records).toBe(report.produced);
    expect(malformed).toBe(report.malformed);
    expect(outOfOrder).toBe(0);
    expect(withSentTime).toBe(records);
    expect(compareAggregates(groundTruth.result(), consumed.result())).toEqual({ equal: true, mismatches: [] });
  });
});
