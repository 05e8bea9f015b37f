import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { highWatermarks } from './topics.ts';

export interface TopicRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning to the end offsets it had when the call began, with a
 * throwaway consumer group. Used to read results back from the store, not from memory.
 */
export async function readTopicToEnd(kafka: Kafka, topic: string, onRecord: (record: TopicRecord) => void): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await highWatermarks(admin, topic).finally(() => admin.disconnect());
  const remaining = new Map([...ends].filter(([, end]) => end > 0n));
  if (remaining.size === 0) return 0;
  const consumer = kafka.consumer({ groupId: `tierlab-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  let count = 0;
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = remaining.get(batch.partition);
            if (end === undefined) return;
            for (const message of batch.messages) {
              if (BigInt(message.offset) >= end) break;
              const headers: Record<string, string> = {};
              for (const [name, value] of Object.entries(message.headers ?? {})) {
                if (value !== undefined) headers[name] = value.toString();
              }
              onRecord({ partition: batch.partition, offset: message.offset, key: message.key, value: message.value, headers });
              count++;
            }
            if (BigInt(batch.lastOffset()) + 1n >= end) remaining.delete(batch.partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return count;
}
