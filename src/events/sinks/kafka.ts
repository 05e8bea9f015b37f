import type { Kafka } from 'kafkajs';
import { createKafkaDriver, type KafkaClientName, type RecordProducer } from '../../kafka/driver/index.ts';
import { ensureTopic } from '../../kafka/topics.ts';
import type { KafkaEndpoint } from '../../services/types.ts';
import { sentHeader } from '../../tiers/intake.ts';
import { encodeEvent } from '../codec.ts';
import type { GeneratedRecord } from '../generator.ts';
import type { EventSink } from '../open-loop.ts';

export interface KafkaEventSinkOptions {
  /** Creates the topic when it is missing. */
  kafka: Kafka;
  topic: string;
  partitions: number;
  /** The generator's producer (openEventProducer): it outlives the sink, so the generator process keeps one warm. */
  producer: RecordProducer;
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
 * The client the generator writes events with. At 10,000 events/s the generator spent 18.5–18.9 µs
 * of CPU per event on @platformatic/kafka against 26.4–31.6 µs on kafkajs, on the cores the broker
 * and the tier being measured share, and kafkajs' acknowledgements stalled for 8 ms and more where
 * the tier's own produce requests did not (docs/measurement.md, 2026-12-06).
 */
export const eventClient: KafkaClientName = 'platformatic';

/**
 * The generator's producer: keyed by entity with Kafka's default partitioning, so a key stays on one
 * partition, acks=all, and idempotent, so an event is in the topic once even when a request is
 * retried across a broker restart: a duplicate would be counted twice by every tier. What is sent
 * while a request is out goes in the next one, one request at a time, so records leave in the order
 * they were sent.
 */
export function openEventProducer(endpoint: KafkaEndpoint, clientId: string, client: KafkaClientName = eventClient): Promise<RecordProducer> {
  return createKafkaDriver(client, endpoint, { clientId }).producer({ idempotent: true, maxInFlight: 1, maxRecordsPerRequest: eventsPerRequest });
}

/**
 * Produces records keyed by entity (so a key's events stay in order on one partition), stamping each
 * with the generator's send time for the latency breakdown.
 */
export async function openKafkaEventSink(options: KafkaEventSinkOptions): Promise<KafkaEventSink> {
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    await ensureTopic(admin, options.topic, options.partitions);
  } finally {
    await admin.disconnect();
  }
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
      await options.producer.send(options.topic, messages);
    },
    // The producer is the generator's, and outlives the sink.
    close: async () => undefined,
  };
}
