import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializer,
  stringSerializer,
  type Message,
  type MessagesStream,
  type SASLMechanismValue,
} from '@platformatic/kafka';
import type { KafkaEndpoint } from '../../services/types.ts';
import { outageRetry, retryThroughOutage } from '../../retry.ts';
import { TierlabError } from '../../errors.ts';
import { platformaticPartitioner } from '../partitioner.ts';
import { coalescingProducer } from './coalesce.ts';
import { currentMember } from './group-member.ts';
import { platformaticTransactionRetries } from './transaction-retries.ts';
import { coalescingTransactions, type TransactionWork } from './transactions.ts';
import {
  defaultProducerOptions,
  autoCommitIntervalMs,
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

type Bytes = string | Buffer | null;

type PlatformaticConsumer = Consumer<Buffer, Buffer, string, string>;

/** The client consumer behind each running one, which a transaction commits offsets through. */
const clientConsumers = new WeakMap<RunningConsumer, { consumer: PlatformaticConsumer; topic: string }>();

/** Records a stream may hold unhandled before fetching pauses: about a second at the lab's top rates. */
export const pendingHighWater = 20_000;

/**
 * The most one fetch may bring: about pendingHighWater records of the lab's ~170 B, so pausing at
 * the high-water mark bounds what is held. The client's default (50 MB per fetch and per
 * partition) let one fetch land ~300,000 records in the stream's buffer after the pause: a tier
 * offered twice its capacity grew by ~900 MB (bench/backpressure). Per partition, Java's 1 MiB.
 */
export const fetchLimits = { maxBytes: 4 * 2 ** 20, maxBytesPerPartition: 2 ** 20 } as const;

/**
 * @platformatic/kafka: maintained, pure TypeScript, streams records one at a time. The tiers
 * work in per-partition batches, so records that arrive together (one fetch response, pushed
 * in one turn of the event loop) are handed over together; while a batch is being handled,
 * the next fetch goes on and its records form the next batch.
 */
export function platformaticDriver(endpoint: KafkaEndpoint, options: DriverOptions): KafkaDriver {
  const base = baseOptions(endpoint, options.clientId);
  return {
    client: 'platformatic',
    async producer(producerOptions): Promise<RecordProducer> {
      const settings = { ...defaultProducerOptions, ...producerOptions };
      if (settings.idempotent) return idempotentProducer(base, settings);
      const producer = new Producer<Bytes, Bytes, string, string>(producerSettings(base));
      return coalescingProducer(
        async (topics) => {
          // A broker restarting (issue 11) is retried through; the results written are idempotent (a window's latest value).
          await retryThroughOutage(() => producer.send({ messages: messagesOf(topics) }));
        },
        () => producer.close(),
        settings,
      );
    },
    consume: (consumeOptions) => consume(base, consumeOptions),
    transactionalProducer: (transactionalId, hooks = {}) => transactionalProducer(base, transactionalId, hooks),
  };
}

function producerSettings(base: ReturnType<typeof baseOptions>) {
  return {
    ...base,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    // Java's (and kafkajs') murmur2 partitioning, so a key lands where the other clients put it.
    partitioner: platformaticPartitioner,
    serializers: { key: bytes, value: bytes, headerKey: stringSerializer, headerValue: stringSerializer },
  };
}

/**
 * The client retries a failed request itself, with its sequence numbers, for as long as an outage
 * may last (issue 11); a send is never made again from here, which would number it anew.
 */
async function idempotentProducer(base: ReturnType<typeof baseOptions>, settings: ProducerOptions): Promise<RecordProducer> {
  const producer = new Producer<Bytes, Bytes, string, string>({
    ...producerSettings(base),
    idempotent: true,
    retries: Math.ceil(outageRetry.forMs / outageRetry.pauseMs),
    retryDelay: outageRetry.pauseMs,
  });
  // Connects and takes a producer id now: a broker that cannot be reached fails the start (after the outage retries), not the first send.
  await producer.initIdempotentProducer({});
  return coalescingProducer(
    (topics) => producer.send({ messages: messagesOf(topics) }).then(() => undefined),
    () => producer.close(),
    { ...settings, maxInFlight: 1 },
  );
}

function messagesOf(topics: TransactionWork['writes']) {
  const messages = [];
  for (const [topic, records] of topics) {
    for (const record of records) messages.push({ topic, key: record.key, value: record.value, ...(record.headers ? { headers: record.headers } : {}) });
  }
  return messages;
}

async function transactionalProducer(base: ReturnType<typeof baseOptions>, transactionalId: string, hooks: TransactionHooks): Promise<TransactionalProducer> {
  const producer = new Producer<Bytes, Bytes, string, string>({ ...producerSettings(base), ...platformaticTransactionRetries, idempotent: true, transactionalId });
  // Register the id now, as Kafka's initTransactions does: this fences a dead worker's producer and
  // aborts the transaction it left open before any batch is read. Cancel only drops the local handle.
  // -1/-1 says "a new producer" (KIP-360); the client's default of 0/0 claims producer 0, epoch 0,
  // which the broker fences when another producer already holds the id.
  await (await producer.beginTransaction({ producerId: -1n, producerEpoch: -1 })).cancel();
  return coalescingTransactions(async ({ writes, consumed }) => {
    const transaction = await producer.beginTransaction();
    try {
      if (writes.size > 0) await transaction.send({ messages: messagesOf(writes) });
      for (const [running, offsets] of consumed) {
        const source = clientConsumers.get(running);
        if (!source) throw new TierlabError('TIER_FAILED', 'a transaction can only commit batches fetched by a consumer of the same Kafka client');
        const { consumer, topic } = source;
        await transaction.addConsumer(consumer);
        // The client commits a message's offset + 1; the member and generation let the broker fence a zombie (KIP-447).
        const member = await currentMember(consumer);
        for (const [partition, next] of offsets) {
          await transaction.addOffset({ topic, partition, offset: next - 1n, metadata: { consumer: member } } as unknown as Message<Buffer, Buffer, string, string>);
        }
      }
      hooks.beforeCommit?.();
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }, () => producer.close());
}

async function consume(base: ReturnType<typeof baseOptions>, options: ConsumeOptions): Promise<RunningConsumer> {
  const consumer: PlatformaticConsumer = new Consumer<Buffer, Buffer, string, string>({
    ...base,
    groupId: options.groupId,
    autocommit: false,
    minBytes: options.minBytes ?? 1,
    maxWaitTime: options.maxWaitMs,
    ...fetchLimits,
    sessionTimeout: groupTimeouts.sessionTimeoutMs,
    heartbeatInterval: groupTimeouts.heartbeatIntervalMs,
    // The stream fails for good once a fetch has failed `retries` times in a row: enough to fetch through a broker restart (issue 11).
    retries: Math.ceil(outageRetry.forMs / outageRetry.pauseMs),
    retryDelay: outageRetry.pauseMs,
    deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
  const stream: MessagesStream<Buffer, Buffer, string, string> = await consumer.consume({
    topics: [options.topic],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
  });
  // Replaced, never cleared (this and toCommit). V8's Map.clear() leaves the old hash table
  // pointing at the new one, for live iterators to follow. Once a full GC has promoted the table in
  // use, every table since stays reachable from that dead one until the next full GC, so each young
  // collection copies them with the records they held. Measured on the micro-batch worker at
  // 10,000 events/s: ~6 MB copied per scavenge, 8-10 ms pauses (median), against 26 KB and 0.8 ms.
  let pending = new Map<number, { records: IncomingRecord[]; nextOffset: bigint }>();
  const leaderEpochs = new Map<number, number>();
  let toCommit = new Map<number, bigint>();
  let pendingCount = 0;
  let draining: Promise<void> | undefined;
  let committing: Promise<void> | undefined;
  let commitTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  function commitNow(offsets: Array<[number, bigint]>): Promise<void> {
    return consumer.commit({
      offsets: offsets.map(([partition, offset]) => ({ topic: options.topic, partition, offset, leaderEpoch: leaderEpochs.get(partition) ?? -1 })),
    });
  }

  /**
   * Auto-commits store the newest offsets handled, at most once per autoCommitIntervalMs and one
   * at a time. Committing after every batch, back to back, was one OffsetCommit request per round
   * trip (hundreds a second at 10,000 events/s), each a write to __consumer_offsets: CPU in this
   * process and in the broker, on the same two cores as the tier. A crash now replays up to one
   * interval more, which the tiers skip (their results carry each window's position).
   */
  function commitSoon(partition: number, offset: bigint): void {
    toCommit.set(partition, offset);
    scheduleCommit();
  }

  function scheduleCommit(): void {
    if (committing || commitTimer || stopped) return;
    commitTimer = setTimeout(() => {
      commitTimer = undefined;
      committing = commitPending();
    }, autoCommitIntervalMs);
  }

  async function commitPending(): Promise<void> {
    const offsets = [...toCommit];
    toCommit = new Map();
    if (offsets.length > 0) await commitNow(offsets).catch((error: unknown) => options.onRecovered?.(error));
    committing = undefined;
    // What was handled meanwhile waits for the next interval.
    if (toCommit.size > 0) scheduleCommit();
  }

  async function drain(): Promise<void> {
    try {
      while (pending.size > 0 && !stopped) {
        const batches = [...pending].map(([partition, batch]) => ({ partition, ...batch, consumer: running }));
        pending = new Map();
        pendingCount = 0;
        if (stream.isPaused()) stream.resume();
        await inGroupsOf(options.partitionsConcurrently === 'all' ? batches.length : (options.partitionsConcurrently ?? 1), batches, options.onBatch);
        if (options.autoCommit) for (const batch of batches) commitSoon(batch.partition, batch.nextOffset);
      }
    } catch (error) {
      stopped = true;
      options.onFatal(error);
    } finally {
      draining = undefined;
    }
  }

  const running: RunningConsumer = {
    commit: (offsets) => retryThroughOutage(() => commitNow(offsets.map(({ partition, offset }) => [partition, offset]))),
    async stop() {
      stopped = true;
      stream.pause();
      await draining;
    },
    async close() {
      stopped = true;
      await draining;
      await committing;
      // What was handled since the last auto-commit is stored now, not lost with the timer.
      clearTimeout(commitTimer);
      commitTimer = undefined;
      if (options.autoCommit && toCommit.size > 0) await commitPending();
      await stream.close().catch(() => undefined);
      await consumer.close(true);
    },
  };
  clientConsumers.set(running, { consumer, topic: options.topic });

  stream.on('data', (message: Message<Buffer, Buffer, string, string>) => {
    if (stopped) return;
    const batch = pending.get(message.partition) ?? pending.set(message.partition, { records: [], nextOffset: 0n }).get(message.partition)!;
    batch.records.push(incoming(message));
    batch.nextOffset = message.offset + 1n;
    leaderEpochs.set(message.partition, message.leaderEpoch);
    if (++pendingCount >= pendingHighWater) stream.pause();
    draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
  });
  stream.on('error', (error: unknown) => {
    stopped = true;
    options.onFatal(error);
  });

  return running;
}

async function inGroupsOf<T>(size: number, items: T[], handle: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(handle));
}

function incoming(message: Message<Buffer, Buffer, string, string>): IncomingRecord {
  const headers = message.headers;
  return {
    key: message.key ?? null,
    value: message.value ?? null,
    offset: message.offset.toString(),
    timestampMs: Number(message.timestamp),
    header: (name) => headers.get(name),
  };
}

function bytes(data?: Bytes): Buffer | undefined {
  if (data === undefined || data === null) return undefined;
  return typeof data === 'string' ? Buffer.from(data) : data;
}

function baseOptions(endpoint: KafkaEndpoint, clientId: string) {
  return {
    clientId,
    bootstrapBrokers: endpoint.brokers,
    // A fresh broker may still be loading its group coordinator: retry for a few seconds, as kafkajs does.
    retries: 10,
    retryDelay: 250,
    ...(endpoint.ssl ? { tls: {} } : {}),
    ...(endpoint.sasl
      ? { sasl: { mechanism: endpoint.sasl.mechanism.toUpperCase() as SASLMechanismValue, username: endpoint.sasl.username, password: endpoint.sasl.password } }
      : {}),
  };
}
