import type { Kafka, Message, Producer } from 'kafkajs';
import { kafkajsPartitioner } from '../../kafka/partitioner.ts';
import { coalescingProducer } from '../../kafka/driver/coalesce.ts';
import { ensureTopic } from '../../kafka/topics.ts';
import { sentHeader } from '../../tiers/intake.ts';
import { encodeEvent } from '../codec.ts';
import type { GeneratedRecord } from '../generator.ts';
import type { EventSink } from '../open-loop.ts';

export interface KafkaEventSinkOptions {
  kafka: Kafka;
  topic: string;
  partitions: number;
  /** A producer that is already connected and outlives this sink (the generator process keeps one warm). */
  producer?: Producer;
}

export interface KafkaEventSink extends EventSink {
  readonly bytesSent: () => number;
}

/** The most events one produce request carries (about 1.7 MB of the lab's events, spread over the partitions). */
export const eventsPerRequest = 10_000;

/**
 * Sends the open loop may have handed to the sink and not yet seen acknowledged: about half a
 * second of linger batches. A slow acknowledgement then delays records in the producer (transport),
 * not the generator's schedule (lag); a broker that stays slower than the schedule for longer
 * fills them, and from there the wait is the generator's lag again, so falling behind still shows.
 */
export const eventSendsPending = 256;

/** Encodes a record's value: the event's JSON, or the bytes generated for it (malformed, or drifted). */
export function recordPayload(record: GeneratedRecord): string {
  return record.valid ? (record.payload ?? encodeEvent(record.event)) : record.payload;
}

/**
 * Produces records keyed by entity (so a key's events stay in order on one partition) with
 * acks=all, stamping each with the generator's send time for the latency breakdown.
 */
export async function openKafkaEventSink(options: KafkaEventSinkOptions): Promise<KafkaEventSink> {
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    await ensureTopic(admin, options.topic, options.partitions);
  } finally {
    await admin.disconnect();
  }
  const owned = options.producer === undefined;
  const producer: Producer = options.producer ?? newEventProducer(options.kafka);
  if (owned) await producer.connect();
  // As an application's producer: a send is taken at once, and what is sent while a request is
  // out goes in the next one. One request at a time (the idempotent producer's rule), so records
  // leave in the order they were sent, and a retried request keeps its sequence numbers.
  const requests = coalescingProducer(
    async (topics) => {
      for (const [topic, messages] of topics) await producer.send({ topic, acks: -1, messages: messages as Message[] });
    },
    async () => undefined,
    { maxInFlight: 1, maxRecordsPerRequest: eventsPerRequest },
  );
  let bytes = 0;
  return {
    bytesSent: () => bytes,
    async send(records, sentMicros) {
      const sent = String(sentMicros);
      const messages = records.map((record) => {
        const value = recordPayload(record);
        bytes += value.length + record.key.length;
        return { key: record.key, value, headers: { [sentHeader]: sent } };
      });
      await requests.send(options.topic, messages);
    },
    close: async () => {
      if (owned) await producer.disconnect();
    },
  };
}

/**
 * The generator's kafkajs client retries its connection through a broker restart (issue 11): 0.3 s
 * doubling to 2 s between tries, 40 tries, about 80 s. kafkajs reconnects inside its produce retry,
 * and a reconnect that fails ends the send at once, so this is what lets a send outlast an outage.
 */
export const eventClientRetry = { retries: 40, initialRetryTimeMs: 300, maxRetryTimeMs: 2_000 } as const;

/**
 * The produce retry itself: a few tries for the errors of a broker just back (partition leaders
 * still loading), each of which may wait through a reconnect (eventClientRetry). kafkajs retries
 * a produce whole, keeping the sequence numbers, so its idempotent producer never writes a record
 * twice; a new send of the same records after a failed one would get new numbers, and could.
 */
export const eventProducerRetry = { retries: 5, initialRetryTime: 300, maxRetryTime: 2_000 } as const;

/**
 * The generator's producer: keyed by entity with Kafka's default partitioner, so a key stays on one
 * partition. Idempotent, so an event is in the topic once even when a send is retried across a
 * broker restart: a duplicate would be counted twice by every tier.
 */
export function newEventProducer(kafka: Kafka): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: kafkajsPartitioner,
    idempotent: true,
    // kafkajs requires one request in flight for an idempotent producer; the open loop has one send out at a time anyway.
    maxInFlightRequests: 1,
    retry: eventProducerRetry,
  });
}
