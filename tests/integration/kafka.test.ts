import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Admin } from 'kafkajs';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { createKafkaDriver } from '../../src/kafka/driver/index.ts';

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

describe('auto-commit through the driver (real broker)', () => {
  const client = createKafkaClient(endpoint, { clientId: 'tierlab-test-commit' });

  it.each(['platformatic', 'kafkajs'] as const)('%s: stores what was handled, by close at the latest, so a new member resumes after it', async (name) => {
    const admin = client.admin();
    await admin.connect();
    const topic = `it-commit-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const producer = client.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 3_000 }, (_, i) => ({ key: `k${i % 30}`, value: String(i) })) });
    await producer.disconnect();
    const groupId = `it-commit-${randomUUID()}`;
    const driver = createKafkaDriver(name, endpoint, { clientId: 'tierlab-test-commit' });
    let handled = 0;
    let allHandled!: () => void;
    const done = new Promise<void>((resolve) => (allHandled = resolve));
    const consumer = await driver.consume({
      groupId,
      topic,
      maxWaitMs: 50,
      autoCommit: true,
      onBatch: async (batch) => {
        if ((handled += batch.records.length) === 3_000) allHandled();
      },
      onFatal: (error) => expect.fail(String(error)),
    });
    await done;
    // Closed at once, likely inside the auto-commit interval: what was handled must still be stored.
    await consumer.close();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const stored = committed!.partitions.reduce((sum, { offset }) => sum + Number(offset), 0);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    expect(stored).toBe(3_000);
  });
});

describe('partitions handled together through the driver (real broker)', () => {
  const client = createKafkaClient(endpoint, { clientId: 'tierlab-test-together' });

  it.each(['platformatic', 'kafkajs'] as const)("%s: 'all' hands every partition of a fetch over at once, 1 one at a time", async (name) => {
    const admin = client.admin();
    await admin.connect();
    const topic = `it-together-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const producer = client.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 300 }, (_, i) => ({ key: `k${i % 30}`, value: String(i) })) });
    await producer.disconnect();
    const driver = createKafkaDriver(name, endpoint, { clientId: 'tierlab-test-together' });
    const mostAtOnce = async (partitionsConcurrently: 1 | 'all'): Promise<number> => {
      let handling = 0;
      let most = 0;
      let handled = 0;
      let allHandled!: () => void;
      const done = new Promise<void>((resolve) => (allHandled = resolve));
      const consumer = await driver.consume({
        groupId: `it-together-${randomUUID()}`,
        topic,
        maxWaitMs: 50,
        autoCommit: false,
        partitionsConcurrently,
        onBatch: async (batch) => {
          most = Math.max(most, ++handling);
          // A write's round trip: batches handled together are all in here at once.
          await new Promise((resolve) => setTimeout(resolve, 50));
          handling--;
          if ((handled += batch.records.length) === 300) allHandled();
        },
        onFatal: (error) => expect.fail(String(error)),
      });
      await done;
      await consumer.close();
      return most;
    };
    const together = await mostAtOnce('all');
    const oneByOne = await mostAtOnce(1);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    expect({ together, oneByOne }).toEqual({ together: 3, oneByOne: 1 });
  });
});
