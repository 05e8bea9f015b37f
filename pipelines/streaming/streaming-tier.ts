import { describeError } from '../../src/errors.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { deadLetterRecords, sendDeadLetters, type DeadLetter } from '../../src/kafka/dead-letter.ts';
import {
  createKafkaDriver,
  type RecordBatch,
  type RecordProducer,
  type RunningConsumer,
  type TransactionalProducer,
} from '../../src/kafka/driver/index.ts';
import { readResults, resultMessage } from '../../src/kafka/results.ts';
import { TakenOffsets, reasonKey, takeIn, type TakenEvent } from '../../src/tiers/intake.ts';
import { PartitionCoverage } from '../../src/tiers/partition-coverage.ts';
import { PartitionWatermarks, closedThrough, lateLetter, windowEndOf } from '../../src/tiers/lateness.ts';
import { killIfAsked, restorePartition, restoreWindows } from '../../src/tiers/restore.ts';
import { ResumableWindows, type HeldWindow } from '../../src/tiers/resumable-windows.ts';
import { TierStatus, consumerFailures } from '../../src/tiers/status.ts';
import { nodeEngine } from '../../src/tiers/engine.ts';
import type { PartitionTakeover, Tier, TierContext, TierHealth } from '../../src/tiers/types.ts';
import type { StreamingOptions } from './options.ts';

/**
 * Per-event streaming: every fetched record updates its key's window state, and the updated
 * windows are written to the results topic (acks=all) before the events count as visible.
 * Records fetched together share one produce request, which is how Kafka clients batch; no
 * record waits for a timer.
 *
 * At least once, with idempotent results: each result carries the source offset its window has
 * been applied through, and a worker starts by restoring every window from the results topic, so
 * the records it reads again after a crash (written, but not yet committed) are recognised and
 * skipped instead of counted twice (see ResumableWindows).
 *
 * Exactly once (`guarantee: exactly-once`): the results, the dead letters and the consumed offsets
 * of the batches handled since the last commit go in one Kafka transaction, and events count as
 * visible when it commits, which is when a read_committed reader can see them.
 *
 * Lateness (`allowedLatenessMs`, src/tiers/lateness.ts): a window takes events until its source
 * partition's newest event time is that far past its end; a later event is a dead letter, and the
 * window is then forgotten, so the windows held stay bounded however long the tier runs.
 */
export function createStreamingTier(context: TierContext, options: StreamingOptions): Tier {
  const clientId = `tierlab-streaming-${context.runId}`;
  const driver = createKafkaDriver(context.kafkaClient, context.kafka, { clientId });
  const status = new TierStatus();
  const windows = new ResumableWindows(context.windowMs, context.rules);
  const watermarks = new PartitionWatermarks();
  const takenOffsets = new TakenOffsets();
  let restoredWindows = 0;
  let restoreMs = 0;
  const groupId = `tierlab-${context.runId}-streaming`;
  let producer: RecordProducer | undefined;
  let transactions: TransactionalProducer | undefined;
  let consumers: RunningConsumer[] = [];
  let handled = 0;
  /** Events whose results are written, or in a transaction on its way: what a crash test counts to. */
  let written = 0;
  // One of several worker processes: partitions move between them, and each move may need a restore.
  const scaled = context.worker !== undefined && context.worker.of > 1 ? new ScaledWorker() : undefined;

  async function handleBatch(batch: RecordBatch): Promise<void> {
    if (status.failed) return;
    const first = batch.records[0];
    if (scaled && first && scaled.coverage.needsTakeOver(batch.partition, Number(first.offset))) await takeOver(batch.partition, Number(first.offset));
    const records = takenOffsets.fresh(batch.partition, batch.records);
    if (records.length === 0) return;
    const readMicros = context.clock.nowMicros();
    const intake = takeIn(batch.partition, records, readMicros, readMicros);
    const { partition } = batch;
    // A window touched by many events of the batch is encoded and written once, as it stands after the last.
    const updated = new Set<HeldWindow>();
    // Made only once an event is found already applied (after a restart) or late: the events applied, in order.
    let applied: TakenEvent[] | undefined;
    let skipped = 0;
    const rejected = intake.rejected;
    const accepted = intake.accepted;
    for (let i = 0; i < accepted.length; i++) {
      const taken = accepted[i]!;
      const { event } = taken;
      const offset = Number(taken.offset);
      const held = windows.find(event);
      // Already applied before a restart: skipped before lateness is judged, so it is never also a dead letter.
      if (windows.holds(held, partition, offset)) {
        applied ??= accepted.slice(0, i);
        skipped++;
        continue;
      }
      const windowEnd = windowEndOf(event.eventTimeMicros, context.windowMs);
      if (windowEnd <= closedThrough(watermarks.of(partition), options.allowedLatenessMs)) {
        applied ??= accepted.slice(0, i);
        rejected.push(lateLetter(taken, windowEnd, watermarks.of(partition)));
        continue;
      }
      applied?.push(taken);
      updated.add(windows.apply(held, event, partition, offset));
      watermarks.advance(partition, event.eventTimeMicros);
      if (options.failAfterEvents !== undefined && ++handled > options.failAfterEvents) {
        throw new Error(`injected fault: streaming worker failed after ${options.failAfterEvents} events`);
      }
    }
    const visibleEvents = applied ?? accepted;
    const writeStartMicros = context.clock.nowMicros();
    const results: ReturnType<typeof resultMessage>[] = [];
    // The partition's watermark goes with each window, so a restarted worker judges lateness as this one did.
    const watermark = String(watermarks.of(partition));
    for (const held of updated) results.push(resultMessage(held.window, held, watermark));
    // Encoded above, so the windows this batch closed can go now: an event for one is late from here on.
    const readFrom = takenOffsets.readFrom(partition);
    if (readFrom !== undefined) windows.evict(partition, closedThrough(watermarks.of(partition), options.allowedLatenessMs), readFrom);
    status.wroteToKafka(results);
    status.wroteToKafka(rejected);
    written += visibleEvents.length;
    try {
      await write(batch, results, rejected);
    } catch (error) {
      // Under exactly-once the windows now hold events whose transaction did not commit.
      throw transactions ? new TransactionFailed(error) : error;
    }
    const visibleMicros = context.clock.nowMicros();
    scaled?.wrote(batch, rejected, visibleMicros);
    // At least once dies after the write and before the commit; exactly-once inside the transaction (beforeCommit).
    if (!transactions) killIfAsked(options.killAfterEvents, written);
    status.count(visibleEvents.length, rejected.map((letter) => reasonKey(letter.reason)));
    status.alreadyApplied(skipped);
    if (visibleEvents.length > 0) {
      context.onVisible({
        tier: 'streaming',
        processingStartMicros: readMicros,
        writeStartMicros,
        visibleMicros,
        events: visibleEvents.map(({ event, sentMicros }) => ({
          seq: event.seq,
          eventTimeMicros: event.eventTimeMicros,
          sentMicros,
          readMicros,
        })),
      });
      status.visible += visibleEvents.length;
    }
  }

  /** The group handed this worker a partition another worker had: its windows as they stand in the results topic, first. */
  async function takeOver(partition: number, firstOffset: number): Promise<void> {
    const atMicros = context.clock.nowMicros();
    const restored = await restorePartition(context, clientId, windows, partition);
    // Lateness goes on from where the other worker judged it.
    if (restored.partitionWatermarkMicros !== undefined) watermarks.advance(partition, restored.partitionWatermarkMicros);
    scaled!.coverage.cover(partition, firstOffset);
    scaled!.takeovers.push({ partition, atMicros, restoreMs: restored.ms });
    context.logger.info({ partition, firstOffset, ...restored }, 'took over a partition another worker had: its windows restored');
  }

  function write(batch: RecordBatch, results: ReturnType<typeof resultMessage>[], rejected: DeadLetter[]): Promise<unknown> {
    if (transactions) {
      const writes = [
        { topic: context.topics.results, records: results },
        { topic: context.topics.deadLetter, records: deadLetterRecords('streaming', rejected) },
      ];
      return transactions.commit(writes, [batch]);
    }
    return Promise.all([
      results.length > 0 ? producer!.send(context.topics.results, results) : undefined,
      sendDeadLetters(producer!, context.topics.deadLetter, 'streaming', rejected),
    ]);
  }

  return {
    name: 'streaming',
    facts: () => ({ engine: nodeEngine(), restoredWindows, restoreMs, guarantee: options.guarantee, heldWindows: windows.size, evictedWindows: windows.evicted }),
    async start() {
      status.state = 'starting';
      // Before consuming: the windows a previous worker wrote, with how far each was applied.
      const restored = await restoreWindows(context, clientId, windows, { groupId, allowedLatenessMs: options.allowedLatenessMs, watermark: 'partition' });
      for (const [partition, micros] of restored.partitionWatermarks) watermarks.advance(partition, micros);
      scaled?.coverage.restoredUpTo(restored.committed);
      restoredWindows = restored.windows;
      restoreMs = restored.ms;
      const exactlyOnce = options.guarantee === 'exactly-once';
      // One id per tier and run: a replacement worker's first transaction fences the dead one's producer and aborts what it left open.
      if (exactlyOnce) {
        const firstWorker = restored.windows === 0;
        let failedOnPurpose = false;
        // With several worker processes, one id each: the same index fences its own predecessor, not a sibling.
        const transactionalId = scaled ? `${groupId}-transactions-${context.worker!.index}` : `${groupId}-transactions`;
        transactions = await driver.transactionalProducer(transactionalId, {
          beforeCommit: () => {
            killIfAsked(options.killAfterEvents, written);
            if (firstWorker && !failedOnPurpose && options.failTransactionAfterEvents !== undefined && written >= options.failTransactionAfterEvents) {
              failedOnPurpose = true;
              throw new Error(`injected fault: the transaction after ${options.failTransactionAfterEvents} events failed`);
            }
          },
        });
      }
      // One request out at a time: what the next batches write meanwhile goes together in the next one.
      else {
        producer = await driver.producer({ maxInFlight: 1 });
      }
      for (let i = 0; i < options.consumers; i++) {
        const consumer = await driver.consume({
          groupId,
          topic: context.topics.events,
          minBytes: options.minBytes,
          maxWaitMs: options.maxWaitMs,
          partitionsConcurrently: options.partitionsConcurrently ?? 'all',
          // Exactly-once commits the offsets inside each transaction instead.
          autoCommit: !exactlyOnce,
          onBatch: async (batch) => {
            try {
              await handleBatch(batch);
            } catch (error) {
              // A worker of its own is replaced by one that restores what was committed and retries the aborted work.
              if (error instanceof TransactionFailed && context.restartProcess) context.restartProcess(`a transaction failed: ${describeError(error.cause)}${lastAttempt(error.cause)}`);
              status.fail(error);
              throw error;
            }
          },
          ...consumerFailures(status, context.logger),
        });
        consumers.push(consumer);
      }
      status.state = 'running';
    },
    async stop() {
      status.stopping();
      await Promise.allSettled(consumers.map((consumer) => consumer.close()));
      await producer?.close();
      await transactions?.close();
      status.stopped();
    },
    health: (): TierHealth => (scaled ? { ...status.health(), ...scaled.health() } : status.health()),
    readCommittedResult: () => readResults(createKafkaClient(context.kafka, { clientId }), context.topics.results),
  };
}

/** What one of several worker processes keeps beside its windows, and reports so the harness can add the workers up. */
class ScaledWorker {
  readonly coverage = new PartitionCoverage();
  readonly takeovers: PartitionTakeover[] = [];
  readonly #rejected = new Map<number, number[]>();

  wrote(batch: RecordBatch, rejected: DeadLetter[], visibleMicros: number): void {
    this.coverage.wrote(batch.partition, Number(batch.nextOffset));
    for (const letter of rejected) {
      const offsets = this.#rejected.get(letter.sourcePartition) ?? this.#rejected.set(letter.sourcePartition, []).get(letter.sourcePartition)!;
      offsets.push(Number(letter.sourceOffset));
    }
    for (const takeover of this.takeovers) {
      if (takeover.partition === batch.partition && takeover.firstVisibleMicros === undefined) takeover.firstVisibleMicros = visibleMicros;
    }
  }

  health(): Pick<TierHealth, 'partitionsThrough' | 'rejectedSources' | 'takeovers'> {
    return {
      partitionsThrough: this.coverage.through(),
      rejectedSources: Object.fromEntries([...this.#rejected].map(([partition, offsets]) => [partition, [...offsets]])),
      takeovers: this.takeovers.map((takeover) => ({ ...takeover })),
    };
  }
}

/** A write under exactly-once whose transaction was aborted: the windows in memory are ahead of what is committed. */
class TransactionFailed extends Error {
  constructor(cause: unknown) {
    super(`the transaction failed: ${describeError(cause)}`, { cause });
    this.name = 'TransactionFailed';
  }
}

/** A client that retried gives every attempt's error (platformatic's MultipleErrors): the last one says why it gave up. */
function lastAttempt(error: unknown): string {
  const attempts = (error as { errors?: unknown[] } | undefined)?.errors;
  const last = Array.isArray(attempts) ? attempts[attempts.length - 1] : undefined;
  return last === undefined ? '' : ` (the last attempt: ${describeError(last)})`;
}
