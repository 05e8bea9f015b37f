import { WindowAggregator, type WindowAggregate } from '../../src/events/index.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { sendDeadLetters } from '../../src/kafka/dead-letter.ts';
import { createKafkaDriver, type RecordBatch, type RecordProducer, type RunningConsumer } from '../../src/kafka/driver/index.ts';
import { readResults, resultMessage } from '../../src/kafka/results.ts';
import { reasonKey, takeIn } from '../../src/tiers/intake.ts';
import { TierStatus, consumerFailures } from '../../src/tiers/status.ts';
import type { Tier, TierContext } from '../../src/tiers/types.ts';
import { streamingOptions, type StreamingOptions } from './options.ts';

/**
 * Per-event streaming: every fetched record updates its key's window state, and the updated
 * windows are written to the results topic (acks=all) before the events count as visible.
 * Records fetched together share one produce request, which is how Kafka clients batch; no
 * record waits for a timer.
 */
export function createStreamingTier(context: TierContext, overrides: Partial<StreamingOptions> = {}): Tier {
  const options = streamingOptions(overrides);
  const clientId = `tierlab-streaming-${context.runId}`;
  const driver = createKafkaDriver(context.kafkaClient, context.kafka, { clientId });
  const status = new TierStatus();
  const windows = new WindowAggregator(context.windowMs, context.rules);
  const groupId = `tierlab-${context.runId}-streaming`;
  let producer: RecordProducer | undefined;
  let consumers: RunningConsumer[] = [];
  let handled = 0;

  async function handleBatch(batch: RecordBatch): Promise<void> {
    if (status.failed) return;
    const readMicros = context.clock.nowMicros();
    const intake = takeIn(batch.partition, batch.records, readMicros, readMicros);
    // A window touched by many events of the batch is encoded and written once, as it stands after the last.
    const updated = new Set<WindowAggregate>();
    for (const taken of intake.accepted) {
      updated.add(windows.add(taken.event));
      if (options.failAfterEvents !== undefined && ++handled > options.failAfterEvents) {
        throw new Error(`injected fault: streaming worker failed after ${options.failAfterEvents} events`);
      }
    }
    const writeStartMicros = context.clock.nowMicros();
    const results = [...updated].map(resultMessage);
    status.wroteToKafka(results);
    status.wroteToKafka(intake.rejected);
    await Promise.all([
      results.length > 0 ? producer!.send(context.topics.results, results) : undefined,
      sendDeadLetters(producer!, context.topics.deadLetter, 'streaming', intake.rejected),
    ]);
    const visibleMicros = context.clock.nowMicros();
    status.count(intake.accepted.length, intake.rejected.map((letter) => reasonKey(letter.reason)));
    if (intake.accepted.length > 0) {
      context.onVisible({
        tier: 'streaming',
        processingStartMicros: readMicros,
        writeStartMicros,
        visibleMicros,
        events: intake.accepted.map(({ event, sentMicros }) => ({
          seq: event.seq,
          eventTimeMicros: event.eventTimeMicros,
          sentMicros,
          readMicros,
        })),
      });
      status.visible += intake.accepted.length;
    }
  }

  return {
    name: 'streaming',
    facts: () => ({}),
    async start() {
      status.state = 'starting';
      // One request out at a time: what the next batches write meanwhile goes together in the next one.
      producer = await driver.producer({ maxInFlight: 1 });
      for (let worker = 0; worker < options.workers; worker++) {
        const consumer = await driver.consume({
          groupId,
          topic: context.topics.events,
          minBytes: options.minBytes,
          maxWaitMs: options.maxWaitMs,
          partitionsConcurrently: options.partitionsConcurrently,
          autoCommit: true,
          onBatch: async (batch) => {
            try {
              await handleBatch(batch);
            } catch (error) {
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
      status.stopped();
    },
    health: () => status.health(),
    readCommittedResult: () => readResults(createKafkaClient(context.kafka, { clientId }), context.topics.results),
  };
}
