import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Admin } from 'kafkajs';
import { createKafkaClient } from '../../src/kafka/client.ts';

const { kafka: endpoint } = inject('services');

describe('Kafka (real broker)', () => {
  const client = createKafkaClient(endpoint, { clientId: 'tierlab-test' });
  let admin: Admin;

  beforeAll(async () => {
    admin = client.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('round-trips 10,000 keyed records over 4 partitions, in order per key', async () => {
    const topic = `it-kafka-${randomUUID()}`;
    const partitions = 4;
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(partitions);

    const keys = 50;
    const total = 10_000;
    const producer = client.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const batchSize = 1_000;
    for (let start = 0; start < total; start += batchSize) {
      const messages = Array.from({ length: batchSize }, (_, i) => {
        const seq = start + i;
        return { key: `key-${seq % keys}`, value: JSON.stringify({ seq }) };
      });
      await producer.send({ topic, acks: -1, messages });
    }
    await producer.disconnect();

    const consumer = client.consumer({ groupId: `it-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seenByKey = new Map<string, number[]>();
    const partitionsByKey = new Map<string, Set<number>>();
    let received = 0;
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const key = message.key!.toString();
          const { seq } = JSON.parse(message.value!.toString()) as { seq: number };
          (seenByKey.get(key) ?? seenByKey.set(key, []).get(key)!).push(seq);
          (partitionsByKey.get(key) ?? partitionsByKey.set(key, new Set()).get(key)!).add(partition);
          if (++received === total) resolve();
        },
      });
    });
    await done;
    await consumer.disconnect();

    expect(received).toBe(total);
    expect(seenByKey.size).toBe(keys);
    const usedPartitions = new Set<number>();
    for (const [key, seqs] of seenByKey) {
      expect(seqs, `order of ${key}`).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs).toHaveLength(total / keys);
      expect(partitionsByKey.get(key)!.size, `${key} stays on one partition`).toBe(1);
      for (const p of partitionsByKey.get(key)!) usedPartitions.add(p);
    }
    expect(usedPartitions.size).toBeGreaterThanOrEqual(3);
    await admin.deleteTopics({ topics: [topic] });
  });
});
