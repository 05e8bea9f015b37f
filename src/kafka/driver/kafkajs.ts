import { Partitioners, type Consumer, type KafkaMessage } from 'kafkajs';
import type { KafkaEndpoint } from '../../services/types.ts';
import { createKafkaClient } from '../client.ts';
import { coalescingProducer } from './coalesce.ts';
import { defaultProducerOptions, groupTimeouts, type ConsumeOptions, type DriverOptions, type IncomingRecord, type KafkaDriver, type RecordProducer, type RunningConsumer } from './types.ts';

/** kafkajs 2.2.4: the client the design card names; unmaintained since 2023 but complete. */
export function kafkajsDriver(endpoint: KafkaEndpoint, options: DriverOptions): KafkaDriver {
  const kafka = createKafkaClient(endpoint, { clientId: options.clientId });
  return {
    client: 'kafkajs',
    async producer(producerOptions): Promise<RecordProducer> {
      const settings = { ...defaultProducerOptions, ...producerOptions };
      const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      return coalescingProducer(
        async (topics) => {
          await producer.sendBatch({ acks: -1, topicMessages: [...topics].map(([topic, messages]) => ({ topic, messages })) });
        },
        () => producer.disconnect(),
        settings,
      );
    },
    async consume(options: ConsumeOptions): Promise<RunningConsumer> {
      const consumer = kafka.consumer({
        groupId: options.groupId,
        minBytes: options.minBytes ?? 1,
        maxWaitTimeInMs: options.maxWaitMs,
        sessionTimeout: groupTimeouts.sessionTimeoutMs,
        heartbeatInterval: groupTimeouts.heartbeatIntervalMs,
      });
      await consumer.connect();
      await consumer.subscribe({ topic: options.topic, fromBeginning: true });
      watchCrashes(consumer, options);
      await consumer.run({
        autoCommit: options.autoCommit,
        partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
        eachBatch: async ({ batch, heartbeat, isRunning }) => {
          if (!isRunning() || batch.messages.length === 0) return;
          await options.onBatch({
            partition: batch.partition,
            records: batch.messages.map(incoming),
            nextOffset: BigInt(batch.lastOffset()) + 1n,
          });
          await heartbeat();
        },
      });
      return {
        commit: (offsets) =>
          consumer.commitOffsets(offsets.map(({ partition, offset }) => ({ topic: options.topic, partition, offset: offset.toString() }))),
        stop: () => consumer.stop(),
        close: () => consumer.disconnect(),
      };
    },
  };
}

function incoming(message: KafkaMessage): IncomingRecord {
  return {
    key: message.key,
    value: message.value,
    offset: message.offset,
    timestampMs: Number(message.timestamp),
    header(name) {
      const value = message.headers?.[name];
      return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
    },
  };
}

/** A crash fails the consumer only when kafkajs gives up on it; the ones it restarts from are reported. */
function watchCrashes(consumer: Consumer, options: ConsumeOptions): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) options.onRecovered?.(payload.error);
    else options.onFatal(payload.error);
  });
}
