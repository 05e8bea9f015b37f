import { randomUUID } from 'node:crypto';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { createKafkaDriver, type RecordProducer, type RunningConsumer } from '../../src/kafka/driver/index.ts';
import { retryRetriable } from '../../src/retry.ts';
import { sendDeadLetters, type DeadLetter } from '../../src/kafka/dead-letter.ts';
import { readResults } from '../../src/kafka/results.ts';
import { packedRecordsPerRequest, packedResultMessages } from '../../src/kafka/packed-results.ts';
import { TakenOffsets, reasonKey, takeIn, type TakenEvent } from '../../src/tiers/intake.ts';
import { closedThrough, lateLetter, windowEndOf } from '../../src/tiers/lateness.ts';
import { killIfAsked, restoreWindows } from '../../src/tiers/restore.ts';
import { ResumableWindows, type HeldWindow } from '../../src/tiers/resumable-windows.ts';
import { TierStatus, consumerFailures } from '../../src/tiers/status.ts';
import { runPeriodically } from '../../src/tiers/periodic.ts';
import { nodeEngine } from '../../src/tiers/engine.ts';
import type { Tier, TierContext, VisibleEvent } from '../../src/tiers/types.ts';
import type { MicrobatchOptions } from './options.ts';

/** What arrived since the last trigger, already folded into the windows, waiting to be made visible. */
interface Arrivals {
  /** Windows changed since the last trigger: each is written once, as it stands at the trigger. */
  touched: Set<HeldWindow>;
  /**
   * The events counted, as the latency measurement needs them and no more: held for a whole
   * trigger, a decoded event and its strings would survive every scavenge until then.
   */
  counted: VisibleEvent[];
  /** Events read again after a restart and found already in their restored windows. */
  skipped: number;
  letters: DeadLetter[];
  /** The newest event time counted: the watermark moves there when the trigger fires. */
  newestEventMicros: number;
  /** Next offset to commit per partition, once this trigger's write is acknowledged. */
  offsets: Map<number, bigint>;
}

/**
 * Micro-batch: nothing an event changes is visible until a trigger. Records are decoded and
 * folded into their event-time windows as they arrive (as Kafka Streams' record cache does
 * between commits), so that when the trigger fires, all that is left is to write the windows
 * touched since the last one, in one produce (acks=all), and only then commit the offsets.
 * What a trigger adds beyond its interval is that write. Lateness is judged against the
 * watermark of the last trigger, as if the events had waited for this one. The consumer keeps
 * fetching (and heartbeating) between triggers, so a 60 s trigger never looks like a dead
 * member to the group.
 *
 * At least once, with idempotent results, as the streaming tier (see ResumableWindows): each
 * result carries the source offset its window has been applied through and the watermark of the
 * trigger that wrote it, and a worker starts by restoring the windows and the watermark from the
 * results topic. The watermark restored is the newest one stored: the newest event time counted
 * into any window written, i.e. the watermark the dead worker judged lateness against after its
 * last trigger. (If that trigger's write only partly landed, it is the watermark that trigger
 * set, one trigger stricter than the one its events were judged against. Events whose windows
 * did land are skipped before lateness is judged, so an event in a visible result never also
 * becomes a dead letter; one whose window's write was lost is judged again, against that watermark.)
 */
export function createMicrobatchTier(context: TierContext, options: MicrobatchOptions): Tier {
  const clientId = `tierlab-microbatch-${context.runId}`;
  const groupId = `tierlab-${context.runId}-microbatch`;
  const driver = createKafkaDriver(context.kafkaClient, context.kafka, { clientId });
  const status = new TierStatus();
  const windows = new ResumableWindows(context.windowMs, context.rules);
  const taken = new TakenOffsets();
  let restoredWindows = 0;
  let restoreMs = 0;
  let visibleSoFar = 0;
  let pending: Arrivals = emptyArrivals();
  let producer: RecordProducer | undefined;
  let consumer: RunningConsumer | undefined;
  let watermarkMicros = Number.NEGATIVE_INFINITY;
  let handled = 0;
  let loop: Promise<void> | undefined;
  const wake = new AbortController();
  // Packed results' keys start with it: unique to this worker, so no key repeats across restarts (see packed-results.ts).
  const writerId = `microbatch-${randomUUID().slice(0, 8)}`;
  let triggers = 0;

  function arrive(partition: number, taken: TakenEvent[], nextOffset: bigint): void {
    for (const arrival of taken) {
      const { event } = arrival;
      const offset = Number(arrival.offset);
      // Already applied before a restart: skipped before lateness is judged, so it is never also a dead letter.
      const held = windows.find(event);
      if (windows.holds(held, partition, offset)) {
        pending.skipped++;
        continue;
      }
      const windowEnd = windowEndOf(event.eventTimeMicros, context.windowMs);
      if (windowEnd <= closedThrough(watermarkMicros, options.allowedLatenessMs)) {
        pending.letters.push(lateLetter(arrival, windowEnd, watermarkMicros));
        continue;
      }
      pending.touched.add(windows.apply(held, event, partition, offset));
      pending.counted.push({ seq: event.seq, eventTimeMicros: event.eventTimeMicros, sentMicros: arrival.sentMicros, readMicros: arrival.readMicros });
      if (event.eventTimeMicros > pending.newestEventMicros) pending.newestEventMicros = event.eventTimeMicros;
      if (options.failAfterEvents !== undefined && ++handled > options.failAfterEvents) {
        throw new Error(`injected fault: micro-batch worker failed after ${options.failAfterEvents} events`);
      }
    }
    pending.offsets.set(partition, nextOffset);
  }

  async function trigger(): Promise<void> {
    const arrivals = pending;
    pending = emptyArrivals();
    watermarkMicros = Math.max(watermarkMicros, arrivals.newestEventMicros);
    const processingStartMicros = context.clock.nowMicros();
    // Encoded now: events arriving during the write belong to the next trigger.
    const watermark = Number.isFinite(watermarkMicros) ? String(watermarkMicros) : undefined;
    const results = packedResultMessages(arrivals.touched, `${writerId}|${++triggers}`, watermark);
    const { counted, letters } = arrivals;
    const writeStartMicros = context.clock.nowMicros();
    status.wroteToKafka(results);
    status.wroteToKafka(letters);
    await Promise.all([
      results.length > 0 ? producer!.send(context.topics.results, results) : undefined,
      sendDeadLetters(producer!, context.topics.deadLetter, 'microbatch', letters),
    ]);
    const visibleMicros = context.clock.nowMicros();
    killIfAsked(options.killAfterEvents, (visibleSoFar += counted.length));
    if (arrivals.offsets.size > 0) {
      const offsets = [...arrivals.offsets].map(([partition, offset]) => ({ partition, offset }));
      await retryRetriable(() => consumer!.commit(offsets));
    }
    evictClosed();
    status.count(counted.length, letters.map((letter) => reasonKey(letter.reason)));
    status.alreadyApplied(arrivals.skipped);
    if (counted.length > 0) {
      context.onVisible({
        tier: 'microbatch',
        processingStartMicros,
        writeStartMicros,
        visibleMicros,
        events: counted,
      });
      status.visible += counted.length;
    }
  }

  /**
   * Forgets the windows closed at this trigger's watermark, now written and committed: an event
   * for one of them is late (a dead letter), so they can no longer change, and the windows held
   * stay bounded by the allowed lateness however long the run.
   */
  function evictClosed(): void {
    const closed = closedThrough(watermarkMicros, options.allowedLatenessMs);
    for (const partition of windows.partitions()) {
      const readFrom = taken.readFrom(partition);
      if (readFrom !== undefined) windows.evict(partition, closed, readFrom);
    }
  }

  /** Triggers never overlap: one that overruns its interval is followed at once by the next. */
  function triggerLoop(): Promise<void> {
    return runPeriodically({
      periodMs: options.triggerMs,
      nowMs: () => context.clock.nowMicros() / 1000,
      signal: wake.signal,
      tick: async () => {
        try {
          await trigger();
        } catch (error) {
          status.fail(error);
          context.logger.error({ tier: 'microbatch', err: (error as Error).message }, 'micro-batch trigger failed');
          return 'stop';
        }
      },
    });
  }

  return {
    name: 'microbatch',
    facts: () => ({ engine: nodeEngine(), restoredWindows, restoreMs, heldWindows: windows.size, evictedWindows: windows.evicted }),
    async start() {
      status.state = 'starting';
      // Before consuming: the windows a previous worker wrote, how far each was applied, and its watermark.
      const restored = await restoreWindows(context, clientId, windows, { groupId, allowedLatenessMs: options.allowedLatenessMs, watermark: 'tier' });
      restoredWindows = restored.windows;
      restoreMs = restored.ms;
      if (restored.watermarkMicros !== undefined) watermarkMicros = restored.watermarkMicros;
      producer = await driver.producer({ maxRecordsPerRequest: packedRecordsPerRequest });
      consumer = await driver.consume({
        groupId,
        topic: context.topics.events,
        maxWaitMs: options.maxWaitMs,
        autoCommit: false,
        onBatch: async (batch) => {
          const records = taken.fresh(batch.partition, batch.records);
          if (records.length === 0) return;
          const readMicros = context.clock.nowMicros();
          const intake = takeIn(batch.partition, records, readMicros, readMicros);
          pending.letters.push(...intake.rejected);
          try {
            arrive(batch.partition, intake.accepted, batch.nextOffset);
          } catch (error) {
            status.fail(error);
            throw error;
          }
        },
        ...consumerFailures(status, context.logger),
      });
      loop = triggerLoop();
      status.state = 'running';
    },
    async stop() {
      status.stopping();
      wake.abort();
      await loop;
      // Drain: what has arrived since the last trigger is committed by one final trigger.
      await consumer?.stop();
      if (!status.failed && (pending.counted.length > 0 || pending.letters.length > 0 || pending.skipped > 0)) {
        await trigger().catch((error: unknown) => status.fail(error));
      }
      await consumer?.close();
      await producer?.close();
      status.stopped();
    },
    health: () => status.health(),
    readCommittedResult: () => readResults(createKafkaClient(context.kafka, { clientId }), context.topics.results),
  };
}

function emptyArrivals(): Arrivals {
  return { touched: new Set(), counted: [], skipped: 0, letters: [], newestEventMicros: Number.NEGATIVE_INFINITY, offsets: new Map() };
}
