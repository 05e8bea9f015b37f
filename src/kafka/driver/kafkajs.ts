import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { kafkajsPartitioner } from '../partitioner.ts';
import { TierlabError } from '../../errors.ts';
import type { KafkaEndpoint } from '../../services/types.ts';
import { isTransient, retryThroughOutage } from '../../retry.ts';
import { createKafkaClient } from '../client.ts';
import { coalescingProducer } from './coalesce.ts';
import { kafkajsTransactionRetry } from './transaction-retries.ts';
import { coalescingTransactions, type TransactionWork } from './transactions.ts';
import {
  defaultProducerOptions,
  groupTimeouts,
  type ConsumeOptions,
  type DriverOptions,
  type IncomingRecord,
  type KafkaDriver,
  type ProducerOptions,
  type RecordProducer,
  type RunningConsumer,
  type TransactionalProducer,
  type TransactionHooks,
} from './types.ts';

/**
 * An idempotent producer's client retries its connection through a broker restart (issue 11): 0.3 s
 * doubling to 2 s between tries, 40 tries, about 80 s. kafkajs reconnects inside its produce retry,
 * and a reconnect that fails ends the send at once, so this is what lets a send outlast an outage.
 */
const idempotentClientRetry = { retries: 40, initialRetryTimeMs: 300, maxRetryTimeMs: 2_000 } as const;

/**
 * The produce retry itself: a few tries for the errors of a broker just back (partition leaders
 * still loading), each of which may wait through a reconnect (idempotentClientRetry). kafkajs retries
 * a produce whole, keeping the sequence numbers, so its idempotent producer never writes a record
 * twice; a new send of the same records after a failed one would get new numbers, and could.
 */
const idempotentProduceRetry = { retries: 5, initialRetryTime: 300, maxRetryTime: 2_000 } as const;

async function idempotentProducer(endpoint: KafkaEndpoint, options: DriverOptions, settings: ProducerOptions): Promise<RecordProducer> {
  const kafka = createKafkaClient(endpoint, { clientId: options.clientId, ...idempotentClientRetry });
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: kafkajsPartitioner,
    idempotent: true,
    // kafkajs requires one request in flight for an idempotent producer.
    maxInFlightRequests: 1,
    retry: idempotentProduceRetry,
  });
  await producer.connect();
  return coalescingProducer(
    async (topics) => {
      await producer.sendBatch({ acks: -1, topicMessages: topicMessages(topics) });
    },
    () => producer.disconnect(),
    { ...settings, maxInFlight: 1 },
  );
}

/** The group and topic behind each running consumer, which a transaction commits offsets for. */
const consumedTopics = new WeakMap<RunningConsumer, { groupId: string; topic: string }>();

/** kafkajs 2.2.4: the client the design card names; unmaintained since 2023 but complete. */
export function kafkajsDriver(endpoint: KafkaEndpoint, options: DriverOptions): KafkaDriver {
  const kafka = createKafkaClient(endpoint, { clientId: options.clientId });
  return {
    client: 'kafkajs',
    async producer(producerOptions): Promise<RecordProducer> {
      const settings = { ...defaultProducerOptions, ...producerOptions };
      if (settings.idempotent) return idempotentProducer(endpoint, options, settings);
      const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: kafkajsPartitioner });
      await producer.connect();
      return coalescingProducer(
        async (topics) => {
          // A broker restarting (issue 11) is retried through; the results written are idempotent (a window's latest value).
          await retryThroughOutage(() => producer.sendBatch({ acks: -1, topicMessages: topicMessages(topics) }));
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
      // After a crash it restarts from (a broker gone for a while), kafkajs refuses commits until it has rejoined the group.
      let rejoining = false;
      consumer.on(consumer.events.CRASH, ({ payload }) => (rejoining = payload.restart));
      consumer.on(consumer.events.GROUP_JOIN, () => (rejoining = false));
      const running: RunningConsumer = {
        commit: (offsets) =>
          retryThroughOutage(
            () => consumer.commitOffsets(offsets.map(({ partition, offset }) => ({ topic: options.topic, partition, offset: offset.toString() }))),
            { isTransient: (error) => rejoining || isTransient(error) },
          ),
        stop: () => consumer.stop(),
        close: () => consumer.disconnect(),
      };
      consumedTopics.set(running, { groupId: options.groupId, topic: options.topic });
      await consumer.run({
        autoCommit: options.autoCommit,
        partitionsConsumedConcurrently: kafkajsConcurrency(options.partitionsConcurrently),
        eachBatch: async ({ batch, heartbeat, isRunning }) => {
          if (!isRunning() || batch.messages.length === 0) return;
          await options.onBatch({
            partition: batch.partition,
            records: batch.messages.map(incoming),
            nextOffset: BigInt(batch.lastOffset()) + 1n,
            consumer: running,
          });
          await heartbeat();
        },
      });
      return running;
    },
    transactionalProducer: (transactionalId, hooks = {}) => transactionalProducer(kafka, transactionalId, hooks),
  };
}

function topicMessages(topics: TransactionWork['writes']) {
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

async function transactionalProducer(kafka: Kafka, transactionalId: string, hooks: TransactionHooks): Promise<TransactionalProducer> {
  const producer = kafka.producer({
    transactionalId,
    idempotent: true,
    // kafkajs requires one request in flight for an idempotent producer.
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: kafkajsPartitioner,
    // Fast first retries for CONCURRENT_TRANSACTIONS right after a commit; transaction-retries.ts says why.
    retry: kafkajsTransactionRetry,
  });
  // connect() registers the transactional id (initTransactions): it fences a dead worker's producer and aborts what it left open.
  await producer.connect();
  return coalescingTransactions(async ({ writes, consumed }) => {
    const transaction = await producer.transaction();
    try {
      if (writes.size > 0) await transaction.sendBatch({ acks: -1, topicMessages: topicMessages(writes) });
      for (const [running, offsets] of consumed) {
        const source = consumedTopics.get(running);
        if (!source) throw new TierlabError('TIER_FAILED', 'a transaction can only commit batches fetched by a consumer of the same Kafka client');
        await transaction.sendOffsets({
          consumerGroupId: source.groupId,
          topics: [{ topic: source.topic, partitions: [...offsets].map(([partition, offset]) => ({ partition, offset: offset.toString() })) }],
        });
      }
      hooks.beforeCommit?.();
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }, () => producer.disconnect());
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

/**
 * kafkajs makes one worker per slot and offers each fetched batch to them, so 'all' is a ceiling
 * past the partitions a lab scenario uses (6 by default), not the limit of 1,000.
 */
const kafkajsAllPartitions = 32;

function kafkajsConcurrency(partitions: ConsumeOptions['partitionsConcurrently']): number {
  return partitions === 'all' ? kafkajsAllPartitions : (partitions ?? 1);
}
