import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { TierlabError } from '../errors.ts';
import { highWatermarks } from './topics.ts';

export interface TopicRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface ReadTopicOptions {
  /** Give up once no batch has come for this long; default defaultReadIdleTimeoutMs. */
  idleTimeoutMs?: number;
}

/**
 * Two minutes without a batch. Reading a topic that is there takes a batch every few hundred ms,
 * so this is never met by a slow read, however long; it is met when the end offsets cannot be
 * reached (the broker stopped, the records are gone). It is longer than a transaction left
 * open by a crashed producer can hold reading back: the broker aborts one after
 * transaction.timeout.ms, a minute by default.
 */
export const defaultReadIdleTimeoutMs = 120_000;

/**
 * Reads a topic from the beginning to the end offsets it had when the call began, with a
 * throwaway consumer group. Used to read results back from the store, not from memory.
 *
 * A partition is done once a batch reaches its end offset. The last offsets of a transactional
 * topic are often control records (commit or abort markers) that kafkajs never hands to
 * eachBatch: a batch of nothing else only raises END_BATCH_PROCESS, whose lastOffset is the
 * marker's, so that event counts as progress too. A read that makes none for idleTimeoutMs
 * fails with TIMEOUT, naming the partitions short of their end.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  onRecord: (record: TopicRecord) => void,
  options: ReadTopicOptions = {},
): Promise<number> {
  const idleTimeoutMs = options.idleTimeoutMs ?? defaultReadIdleTimeoutMs;
  const admin = kafka.admin();
  await admin.connect();
  const ends = await highWatermarks(admin, topic).finally(() => admin.disconnect());
  const remaining = new Map([...ends].filter(([, end]) => end > 0n));
  if (remaining.size === 0) return 0;
  /** The offset each partition has been read up to (exclusive). */
  const reached = new Map([...remaining.keys()].map((partition) => [partition, 0n]));
  const consumer = kafka.consumer({ groupId: `tierlab-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  let count = 0;
  let idle: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const stalled = () => {
        const short = [...remaining].map(([partition, end]) => ({ partition, reached: Number(reached.get(partition) ?? 0n), end: Number(end) }));
        const at = (p: (typeof short)[number]) => `at ${p.reached} of ${p.end}`;
        const partitions =
          short.length === 1
            ? `partition ${short[0]!.partition} is short of its end offset (${at(short[0]!)})`
            : `partitions ${short.map((p) => p.partition).join(', ')} are short of their end offsets (${short.map((p) => `${p.partition} ${at(p)}`).join('; ')})`;
        reject(
          new TierlabError('TIMEOUT', `reading topic ${topic} to its end: nothing came for ${idleTimeoutMs} ms; ${partitions}`, {
            details: { topic, idleTimeoutMs, short },
          }),
        );
      };
      let settled = false;
      const progressed = () => {
        clearTimeout(idle);
        // Batches still reported while the consumer disconnects must not arm it again, and a
        // deadline never keeps the process alive: unref'd.
        if (!settled) idle = setTimeout(stalled, idleTimeoutMs).unref();
      };
      /** A batch of `partition` was handled up to `lastOffset`. */
      const advance = (partition: number, lastOffset: string) => {
        progressed();
        const end = remaining.get(partition);
        if (end === undefined) return;
        const next = BigInt(lastOffset) + 1n;
        if (next > (reached.get(partition) ?? 0n)) reached.set(partition, next);
        if (next >= end) remaining.delete(partition);
        if (remaining.size === 0) {
          settled = true;
          clearTimeout(idle);
          resolve();
        }
      };
      progressed(); // joining the group and the first fetch count against the same limit
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.topic === topic) advance(payload.partition, payload.lastOffset);
      });
      const run = async () => {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
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
            advance(batch.partition, batch.lastOffset());
          },
        });
      };
      run().catch(reject);
    });
  } finally {
    clearTimeout(idle);
    await consumer.disconnect();
  }
  return count;
}
