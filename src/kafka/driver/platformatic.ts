import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  compatibilityPartitioner,
  stringDeserializer,
  stringSerializer,
  type Message,
  type MessagesStream,
  type SASLMechanismValue,
} from '@platformatic/kafka';
import type { KafkaEndpoint } from '../../services/types.ts';
import { coalescingProducer } from './coalesce.ts';
import { defaultProducerOptions, groupTimeouts, type ConsumeOptions, type DriverOptions, type IncomingRecord, type KafkaDriver, type RecordProducer, type RunningConsumer } from './types.ts';

type Bytes = string | Buffer | null;

/** Records a stream may hold unhandled before fetching pauses: about a second at the lab's top rates. */
const pendingHighWater = 20_000;

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
      const producer = new Producer<Bytes, Bytes, string, string>({
        ...base,
        acks: ProduceAcks.ALL,
        autocreateTopics: false,
        // Java's (and kafkajs') murmur2 partitioning, so a key lands where the other clients put it.
        partitioner: compatibilityPartitioner,
        serializers: { key: bytes, value: bytes, headerKey: stringSerializer, headerValue: stringSerializer },
      });
      return coalescingProducer(
        async (topics) => {
          const messages = [];
          for (const [topic, records] of topics) {
            for (const record of records) messages.push({ topic, key: record.key, value: record.value, ...(record.headers ? { headers: record.headers } : {}) });
          }
          await producer.send({ messages });
        },
        () => producer.close(),
        settings,
      );
    },
    consume: (consumeOptions) => consume(base, consumeOptions),
  };
}

async function consume(base: ReturnType<typeof baseOptions>, options: ConsumeOptions): Promise<RunningConsumer> {
  const consumer = new Consumer<Buffer, Buffer, string, string>({
    ...base,
    groupId: options.groupId,
    autocommit: false,
    minBytes: options.minBytes ?? 1,
    maxWaitTime: options.maxWaitMs,
    sessionTimeout: groupTimeouts.sessionTimeoutMs,
    heartbeatInterval: groupTimeouts.heartbeatIntervalMs,
    deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
  const stream: MessagesStream<Buffer, Buffer, string, string> = await consumer.consume({
    topics: [options.topic],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
  });
  const pending = new Map<number, { records: IncomingRecord[]; nextOffset: bigint }>();
  const leaderEpochs = new Map<number, number>();
  const toCommit = new Map<number, bigint>();
  let pendingCount = 0;
  let draining: Promise<void> | undefined;
  let committing: Promise<void> | undefined;
  let stopped = false;

  function commitNow(offsets: Array<[number, bigint]>): Promise<void> {
    return consumer.commit({
      offsets: offsets.map(([partition, offset]) => ({ topic: options.topic, partition, offset, leaderEpoch: leaderEpochs.get(partition) ?? -1 })),
    });
  }

  /** Auto-commits run one at a time, each storing the newest offsets handled when it starts. */
  function commitSoon(partition: number, offset: bigint): void {
    toCommit.set(partition, offset);
    committing ??= (async () => {
      while (toCommit.size > 0) {
        const offsets = [...toCommit];
        toCommit.clear();
        await commitNow(offsets).catch((error: unknown) => options.onRecovered?.(error));
      }
      committing = undefined;
    })();
  }

  async function drain(): Promise<void> {
    try {
      while (pending.size > 0 && !stopped) {
        const batches = [...pending].map(([partition, batch]) => ({ partition, ...batch }));
        pending.clear();
        pendingCount = 0;
        if (stream.isPaused()) stream.resume();
        await inGroupsOf(options.partitionsConcurrently ?? 1, batches, options.onBatch);
        if (options.autoCommit) for (const batch of batches) commitSoon(batch.partition, batch.nextOffset);
      }
    } catch (error) {
      stopped = true;
      options.onFatal(error);
    } finally {
      draining = undefined;
    }
  }

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

  return {
    commit: (offsets) => commitNow(offsets.map(({ partition, offset }) => [partition, offset])),
    async stop() {
      stopped = true;
      stream.pause();
      await draining;
    },
    async close() {
      stopped = true;
      await draining;
      await committing;
      await stream.close().catch(() => undefined);
      await consumer.close(true);
    },
  };
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
