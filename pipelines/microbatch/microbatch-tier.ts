import { setTimeout as sleep } from 'node:timers/promises';
import { WindowAggregator, type WindowAggregate } from '../../src/events/index.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { createKafkaDriver, type RecordProducer, type RunningConsumer } from '../../src/kafka/driver/index.ts';
import { retryRetriable } from '../../src/kafka/retry.ts';
import { sendDeadLetters, type DeadLetter } from '../../src/kafka/dead-letter.ts';
import { readResults, resultMessage } from '../../src/kafka/results.ts';
import { reasonKey, takeIn, type TakenEvent } from '../../src/tiers/intake.ts';
import { TierStatus, consumerFailures } from '../../src/tiers/status.ts';
import type { Tier, TierContext } from '../../src/tiers/types.ts';
import { microbatchOptions, type MicrobatchOptions } from './options.ts';

interface Arrivals {
  events: TakenEvent[];
  letters: DeadLetter[];
  /** Next offset to commit per partition, once this trigger's write is acknowledged. */
  offsets: Map<number, bigint>;
}

/**
 * Micro-batch: records are only collected as they arrive. Every trigger interval, what has
 * arrived updates the event-time windows it touches, those windows are written in one
 * produce request (acks=all), and only then are the offsets committed. The consumer's run
 * loop keeps fetching (and heartbeating) between triggers, so a 60 s trigger never looks
 * like a dead member to the group.
 */
export function createMicrobatchTier(context: TierContext, overrides: Partial<MicrobatchOptions> = {}): Tier {
  const options = microbatchOptions(overrides);
  const clientId = `tierlab-microbatch-${context.runId}`;
  const driver = createKafkaDriver(context.kafkaClient, context.kafka, { clientId });
  const status = new TierStatus();
  const windows = new WindowAggregator(context.windowMs, context.rules);
  let pending: Arrivals = emptyArrivals();
  let producer: RecordProducer | undefined;
  let consumer: RunningConsumer | undefined;
  let watermarkMicros = Number.NEGATIVE_INFINITY;
  let handled = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  const wake = new AbortController();

  async function trigger(): Promise<void> {
    const arrivals = pending;
    pending = emptyArrivals();
    const processingStartMicros = context.clock.nowMicros();
    const touched = new Set<WindowAggregate>();
    const late: DeadLetter[] = [];
    const counted: TakenEvent[] = [];
    for (const taken of arrivals.events) {
      const { event } = taken;
      const windowEnd = event.eventTimeMicros - (event.eventTimeMicros % (context.windowMs * 1000)) + context.windowMs * 1000;
      if (windowEnd + options.allowedLatenessMs * 1000 <= watermarkMicros) {
        late.push({
          key: Buffer.from(event.key),
          value: Buffer.from(JSON.stringify(event)),
          reason: `late: window ended ${Math.round((watermarkMicros - windowEnd) / 1000)} ms before the watermark`,
          sourcePartition: taken.partition,
          sourceOffset: taken.offset,
        });
        continue;
      }
      touched.add(windows.add(event));
      counted.push(taken);
      if (options.failAfterEvents !== undefined && ++handled > options.failAfterEvents) {
        throw new Error(`injected fault: micro-batch worker failed after ${options.failAfterEvents} events`);
      }
    }
    for (const taken of counted) watermarkMicros = Math.max(watermarkMicros, taken.event.eventTimeMicros);
    const letters = [...arrivals.letters, ...late];
    const writeStartMicros = context.clock.nowMicros();
    // Each touched window is encoded once, as it stands after the trigger's last event.
    const results = [...touched].map(resultMessage);
    status.wroteToKafka(results);
    status.wroteToKafka(letters);
    await Promise.all([
      results.length > 0 ? producer!.send(context.topics.results, results) : undefined,
      sendDeadLetters(producer!, context.topics.deadLetter, 'microbatch', letters),
    ]);
    const visibleMicros = context.clock.nowMicros();
    if (arrivals.offsets.size > 0) {
      const offsets = [...arrivals.offsets].map(([partition, offset]) => ({ partition, offset }));
      await retryRetriable(() => consumer!.commit(offsets));
    }
    status.count(counted.length, letters.map((letter) => reasonKey(letter.reason)));
    if (counted.length > 0) {
      context.onVisible({
        tier: 'microbatch',
        processingStartMicros,
        writeStartMicros,
        visibleMicros,
        events: counted.map(({ event, sentMicros, readMicros }) => ({
          seq: event.seq,
          eventTimeMicros: event.eventTimeMicros,
          sentMicros,
          readMicros,
        })),
      });
      status.visible += counted.length;
    }
  }

  /** Triggers never overlap: one that overruns its interval is followed at once by the next. */
  async function triggerLoop(): Promise<void> {
    const nowMs = () => context.clock.nowMicros() / 1000;
    let next = nowMs() + options.triggerMs;
    while (running) {
      await sleep(Math.max(0, next - nowMs()), undefined, { signal: wake.signal }).catch(() => undefined);
      if (!running) break;
      next += options.triggerMs;
      if (next < nowMs()) next = nowMs();
      try {
        await trigger();
      } catch (error) {
        status.fail(error);
        context.logger.error({ tier: 'microbatch', err: (error as Error).message }, 'micro-batch trigger failed');
        running = false;
      }
    }
  }

  return {
    name: 'microbatch',
    facts: () => ({}),
    async start() {
      status.state = 'starting';
      producer = await driver.producer();
      consumer = await driver.consume({
        groupId: `tierlab-${context.runId}-microbatch`,
        topic: context.topics.events,
        maxWaitMs: options.maxWaitMs,
        autoCommit: false,
        onBatch: async (batch) => {
          const readMicros = context.clock.nowMicros();
          const intake = takeIn(batch.partition, batch.records, readMicros, readMicros);
          pending.events.push(...intake.accepted);
          pending.letters.push(...intake.rejected);
          pending.offsets.set(batch.partition, batch.nextOffset);
        },
        ...consumerFailures(status, context.logger),
      });
      running = true;
      loop = triggerLoop();
      status.state = 'running';
    },
    async stop() {
      status.stopping();
      running = false;
      wake.abort();
      await loop;
      // Drain: what has arrived since the last trigger is committed by one final trigger.
      await consumer?.stop();
      if (!status.failed && (pending.events.length > 0 || pending.letters.length > 0)) {
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
  return { events: [], letters: [], offsets: new Map() };
}
