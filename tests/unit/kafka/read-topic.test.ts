import type { Kafka } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TierlabError } from '../../../src/errors.ts';
import { defaultReadIdleTimeoutMs, readTopicToEnd, type TopicRecord } from '../../../src/kafka/read-topic.ts';

const endBatchProcess = 'consumer.end_batch_process';

/** What the fake broker hands the consumer: a batch of records, or a batch kafkajs drops as all control records. */
type Delivery =
  | { partition: number; offsets: number[]; afterMs: number }
  | { partition: number; controlRecordAt: number; afterMs: number };

/**
 * A stand-in for kafkajs' Kafka with only what readTopicToEnd uses: the admin's end offsets and a
 * consumer that delivers `deliveries`, each `afterMs` after the one before. A batch of only
 * control records (a transaction's commit marker) is, as in kafkajs, never given to eachBatch:
 * only the END_BATCH_PROCESS event tells of it.
 */
function fakeKafka(ends: Record<number, number>, deliveries: Delivery[], options: { batchWhileDisconnecting?: boolean } = {}) {
  const disconnected = { admin: false, consumer: false };
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      fetchTopicOffsets: async () => Object.entries(ends).map(([partition, high]) => ({ partition: Number(partition), high: String(high), low: '0', offset: String(high) })),
      disconnect: async () => {
        disconnected.admin = true;
      },
    }),
    consumer: () => {
      const listeners = new Map<string, Array<(event: unknown) => void>>();
      let running = true;
      let subscribed = '';
      return {
        events: { END_BATCH_PROCESS: endBatchProcess },
        on: (event: string, listener: (event: unknown) => void) => {
          listeners.set(event, [...(listeners.get(event) ?? []), listener]);
          return () => undefined;
        },
        connect: async () => undefined,
        subscribe: async ({ topic }: { topic: string }) => {
          subscribed = topic;
        },
        run: async ({ eachBatch }: { eachBatch: (payload: { batch: unknown }) => Promise<void> }) => {
          void (async () => {
            for (const delivery of deliveries) {
              await new Promise((resolve) => setTimeout(resolve, delivery.afterMs));
              if (!running) return;
              const lastOffset = 'offsets' in delivery ? delivery.offsets.at(-1)! : delivery.controlRecordAt;
              if ('offsets' in delivery) {
                const messages = delivery.offsets.map((offset) => ({ offset: String(offset), key: Buffer.from(`k${offset}`), value: Buffer.from('v'), headers: {} }));
                await eachBatch({ batch: { partition: delivery.partition, messages, lastOffset: () => String(lastOffset) } });
              }
              const payload = { topic: subscribed, partition: delivery.partition, lastOffset: String(lastOffset) };
              for (const listener of listeners.get(endBatchProcess) ?? []) listener({ payload });
            }
          })();
        },
        disconnect: async () => {
          running = false;
          // kafkajs finishes a batch already fetched while it disconnects, and reports it.
          if (options.batchWhileDisconnecting) {
            for (const listener of listeners.get(endBatchProcess) ?? []) listener({ payload: { topic: subscribed, partition: 0, lastOffset: '4' } });
          }
          disconnected.consumer = true;
        },
      };
    },
  };
  return { kafka: kafka as unknown as Kafka, disconnected };
}

const records = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('readTopicToEnd', () => {
  it('gives up when no batch comes for the idle timeout, naming the topic and the partitions short of their end', { timeout: 2_000 }, async () => {
    // Partition 1's last two records never arrive (the broker stopped, say).
    const { kafka, disconnected } = fakeKafka({ 0: 10, 1: 5 }, [
      { partition: 0, offsets: records(0, 9), afterMs: 10 },
      { partition: 1, offsets: records(0, 2), afterMs: 10 },
    ]);
    const read = readTopicToEnd(kafka, 'results', () => undefined, { idleTimeoutMs: 1_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(1_019);
    await vi.advanceTimersByTimeAsync(10);
    const error = await read;
    expect(error).toBeInstanceOf(TierlabError);
    expect((error as TierlabError).code).toBe('TIMEOUT');
    expect((error as TierlabError).message).toBe(
      'reading topic results to its end: nothing came for 1000 ms; partition 1 is short of its end offset (at 3 of 5)',
    );
    expect((error as TierlabError).details).toMatchObject({ topic: 'results', idleTimeoutMs: 1_000, short: [{ partition: 1, reached: 3, end: 5 }] });
    expect(disconnected.consumer).toBe(true);
  });

  it('waits as long as batches keep coming, however long that is in all', { timeout: 2_000 }, async () => {
    const slow = records(0, 19).map((offset) => ({ partition: 0, offsets: [offset], afterMs: 900 }));
    const { kafka } = fakeKafka({ 0: 20 }, slow);
    const seen: TopicRecord[] = [];
    const read = readTopicToEnd(kafka, 'results', (record) => seen.push(record), { idleTimeoutMs: 1_000 });
    await vi.advanceTimersByTimeAsync(20 * 900);
    expect(await read).toBe(20); // 18 s in all, never 1 s without a batch
    expect(seen.map((record) => record.offset)).toEqual(records(0, 19).map(String));
  });

  it('counts a batch of only control records (a commit marker at the end) as reaching the end', { timeout: 2_000 }, async () => {
    // Offsets 0-4 are a transaction's records, 5 its commit marker: the end offset is 6.
    const { kafka } = fakeKafka({ 0: 6 }, [
      { partition: 0, offsets: records(0, 4), afterMs: 10 },
      { partition: 0, controlRecordAt: 5, afterMs: 10 },
    ]);
    const read = readTopicToEnd(kafka, 'results', () => undefined, { idleTimeoutMs: 1_000 });
    await vi.advanceTimersByTimeAsync(20);
    expect(await read).toBe(5);
  });

  it('leaves no timer behind once it has read to the end, even for batches reported after that', { timeout: 2_000 }, async () => {
    const { kafka } = fakeKafka({ 0: 5 }, [{ partition: 0, offsets: records(0, 4), afterMs: 100 }], { batchWhileDisconnecting: true });
    const read = readTopicToEnd(kafka, 'results', () => undefined, { idleTimeoutMs: 120_000 });
    await vi.advanceTimersByTimeAsync(100);
    expect(await read).toBe(5);
    await vi.advanceTimersByTimeAsync(10);
    // A two-minute deadline armed again here kept a finished `tierlab tier` alive for two minutes.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('has a default idle timeout of two minutes', () => {
    // Past a transaction left open by a crashed producer, which the broker aborts after a minute (transaction.timeout.ms).
    expect(defaultReadIdleTimeoutMs).toBe(120_000);
  });
});
