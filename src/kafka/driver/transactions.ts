import type { OutgoingRecord, RecordBatch, RunningConsumer, TransactionalProducer } from './types.ts';

/** One transaction's work: the records per topic, and per consumer the next offset of each partition it handled. */
export interface TransactionWork {
  writes: Map<string, OutgoingRecord[]>;
  consumed: Map<RunningConsumer, Map<number, bigint>>;
}

/** Runs one transaction with a client: begin, send, add the offsets, commit; aborts and throws on failure. */
export type RunTransaction = (work: TransactionWork) => Promise<void>;

interface Pending {
  work: TransactionWork;
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

/**
 * A producer has one transaction open at a time. Batches handled while one commits (other
 * partitions, the next fetch) wait and go together in the next, so a transaction's fixed round
 * trips (add partitions, add offsets, end) are paid per commit, not per batch.
 */
export function coalescingTransactions(run: RunTransaction, close: () => Promise<void>): TransactionalProducer {
  let next: Pending | undefined;
  let pumping: Promise<void> | undefined;

  async function pump(): Promise<void> {
    // Calls made in the same turn of the event loop join the first transaction.
    await Promise.resolve();
    while (next) {
      const { work, waiters } = next;
      next = undefined;
      try {
        await run(work);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    pumping = undefined;
  }

  return {
    commit(writes, consumed) {
      return new Promise<void>((resolve, reject) => {
        next ??= { work: { writes: new Map(), consumed: new Map() }, waiters: [] };
        addTo(next.work, writes, consumed);
        next.waiters.push({ resolve, reject });
        pumping ??= pump();
      });
    },
    async close() {
      await pumping;
      await close();
    },
  };
}

function addTo(work: TransactionWork, writes: Array<{ topic: string; records: OutgoingRecord[] }>, consumed: RecordBatch[]): void {
  for (const { topic, records } of writes) {
    if (records.length === 0) continue;
    const forTopic = work.writes.get(topic);
    if (forTopic) forTopic.push(...records);
    else work.writes.set(topic, [...records]);
  }
  for (const batch of consumed) {
    const offsets = work.consumed.get(batch.consumer) ?? work.consumed.set(batch.consumer, new Map()).get(batch.consumer)!;
    const known = offsets.get(batch.partition);
    if (known === undefined || batch.nextOffset > known) offsets.set(batch.partition, batch.nextOffset);
  }
}
