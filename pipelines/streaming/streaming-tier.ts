import type { Consumer, EachBatchPayload, Message, Producer } from 'kafkajs';
import { WindowAggregator, aggregateKey } from '../../src/events/index.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { sendDeadLetters } from '../../src/kafka/dead-letter.ts';
import { readResults, resultMessage } from '../../src/kafka/results.ts';
import { reasonKey, takeIn } from '../../src/tiers/intake.ts';
import { TierStatus, watchCrashes } from '../../src/tiers/status.ts';
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
  const kafka = createKafkaClient(context.kafka, { clientId: `tierlab-streaming-${context.runId}` });
  const status = new TierStatus();
  const windows = new WindowAggregator(context.windowMs, context.rules);
  const groupId = `tierlab-${context.runId}-streaming`;
  let producer: Producer | undefined;
  let consumers: Consumer[] = [];
  let handled = 0;

  async function handleBatch({ batch, heartbeat, isRunning }: EachBatchPayload): Promise<void> {
    if (!isRunning() || status.failed) return;
    const readMicros = context.clock.nowMicros();
    const intake = takeIn(batch.partition, batch.messages, readMicros, readMicros);
    const updated = new Map<string, Message>();
    for (const taken of intake.accepted) {
      const window = windows.add(taken.event);
      updated.set(aggregateKey(window), resultMessage(window));
      if (options.failAfterEvents !== undefined && ++handled > options.failAfterEvents) {
        throw new Error(`injected fault: streaming worker failed after ${options.failAfterEvents} events`);
      }
    }
    const writeStartMicros = context.clock.nowMicros();
    status.wroteToKafka([...updated.values()] as Array<{ key: string; value: string }>);
    status.wroteToKafka(intake.rejected);
    await Promise.all([
      updated.size > 0
        ? producer!.send({ topic: context.topics.results, acks: -1, messages: [...updated.values()] })
        : undefined,
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
    await heartbeat();
  }

  return {
    name: 'streaming',
    facts: () => ({}),
    async start() {
      status.state = 'starting';
      producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      consumers = Array.from({ length: options.workers }, () =>
        kafka.consumer({ groupId, minBytes: 1, maxWaitTimeInMs: options.maxWaitMs }),
      );
      for (const consumer of consumers) {
        await consumer.connect();
        await consumer.subscribe({ topic: context.topics.events, fromBeginning: true });
        watchCrashes(consumer, status, context.logger);
        await consumer.run({
          partitionsConsumedConcurrently: options.partitionsConcurrently,
          eachBatch: async (payload) => {
            try {
              await handleBatch(payload);
            } catch (error) {
              status.fail(error);
              throw error;
            }
          },
        });
      }
      status.state = 'running';
    },
    async stop() {
      status.stopping();
      await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
      await producer?.disconnect();
      status.stopped();
    },
    health: () => status.health(),
    readCommittedResult: () => readResults(kafka, context.topics.results),
  };
}
