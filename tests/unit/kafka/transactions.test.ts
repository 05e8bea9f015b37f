import { describe, expect, it } from 'vitest';
import { coalescingTransactions, type TransactionWork } from '../../../src/kafka/driver/transactions.ts';
import type { OutgoingRecord, RecordBatch, RunningConsumer } from '../../../src/kafka/driver/types.ts';

/** A client whose transactions finish when the test says so; it records what each carried. */
function recordingClient() {
  const transactions: Array<{ work: TransactionWork; finish: (error?: Error) => void }> = [];
  const run = (work: TransactionWork) =>
    new Promise<void>((resolve, reject) => transactions.push({ work, finish: (error) => (error ? reject(error) : resolve()) }));
  return { transactions, run };
}

const consumer = (): RunningConsumer => ({ commit: async () => undefined, stop: async () => undefined, close: async () => undefined });
const batch = (from: RunningConsumer, partition: number, nextOffset: bigint): RecordBatch => ({ partition, records: [], nextOffset, consumer: from });
const records = (...keys: string[]): OutgoingRecord[] => keys.map((key) => ({ key, value: key }));
const keysOf = (work: TransactionWork, topic: string) => (work.writes.get(topic) ?? []).map((record) => record.key);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalescing transactions', () => {
  it('puts the work of one turn of the event loop in one transaction, with the newest offset of each partition', async () => {
    const client = recordingClient();
    const producer = coalescingTransactions(client.run, async () => undefined);
    const worker = consumer();
    const done = [
      producer.commit([{ topic: 'results', records: records('a') }], [batch(worker, 0, 10n)]),
      producer.commit([{ topic: 'results', records: records('b') }, { topic: 'dlq', records: records('x') }], [batch(worker, 1, 5n)]),
      producer.commit([{ topic: 'results', records: [] }], [batch(worker, 0, 12n)]),
    ];
    await tick();
    expect(client.transactions).toHaveLength(1);
    const { work } = client.transactions[0]!;
    expect(keysOf(work, 'results')).toEqual(['a', 'b']);
    expect(keysOf(work, 'dlq')).toEqual(['x']);
    expect([...work.consumed.get(worker)!]).toEqual([
      [0, 12n],
      [1, 5n],
    ]);
    client.transactions[0]!.finish();
    await Promise.all(done);
  });

  it('holds what comes while a transaction commits for the next one, and resolves each call when its own commits', async () => {
    const client = recordingClient();
    const producer = coalescingTransactions(client.run, async () => undefined);
    const worker = consumer();
    let firstDone = false;
    let secondDone = false;
    const first = producer.commit([{ topic: 'results', records: records('a') }], [batch(worker, 0, 1n)]).then(() => (firstDone = true));
    await tick();
    const second = producer.commit([{ topic: 'results', records: records('b') }], [batch(worker, 0, 2n)]).then(() => (secondDone = true));
    const third = producer.commit([{ topic: 'results', records: records('c') }], [batch(worker, 1, 7n)]);
    await tick();
    // One transaction open at a time: the later two wait.
    expect(client.transactions).toHaveLength(1);
    client.transactions[0]!.finish();
    await first;
    expect([firstDone, secondDone]).toEqual([true, false]);
    await tick();
    expect(client.transactions).toHaveLength(2);
    expect(keysOf(client.transactions[1]!.work, 'results')).toEqual(['b', 'c']);
    client.transactions[1]!.finish();
    await Promise.all([second, third]);
    expect(secondDone).toBe(true);
  });

  it('rejects every call in a failed transaction, and goes on with the next', async () => {
    const client = recordingClient();
    const producer = coalescingTransactions(client.run, async () => undefined);
    const worker = consumer();
    const failing = [
      producer.commit([{ topic: 'results', records: records('a') }], [batch(worker, 0, 1n)]),
      producer.commit([{ topic: 'results', records: records('b') }], [batch(worker, 1, 1n)]),
    ];
    await tick();
    const later = producer.commit([{ topic: 'results', records: records('c') }], [batch(worker, 0, 2n)]);
    client.transactions[0]!.finish(new Error('fenced'));
    for (const call of failing) await expect(call).rejects.toThrow('fenced');
    await tick();
    client.transactions[1]!.finish();
    await expect(later).resolves.toBeUndefined();
  });

  it('closes the client only after the open transaction has ended', async () => {
    const client = recordingClient();
    const events: string[] = [];
    const producer = coalescingTransactions(client.run, async () => void events.push('closed'));
    const call = producer.commit([{ topic: 'results', records: records('a') }], [batch(consumer(), 0, 1n)]).then(() => events.push('committed'));
    await tick();
    const closing = producer.close();
    await tick();
    expect(events).toEqual([]);
    client.transactions[0]!.finish();
    await Promise.all([call, closing]);
    expect(events).toEqual(['committed', 'closed']);
  });
});
