import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { Bench } from 'tinybench';
import { EventSource, loadDataset, Schedule } from '../../src/events/index.ts';
import { recordPayload } from '../../src/events/sinks/kafka.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { ensureTopic } from '../../src/kafka/topics.ts';
import type { KafkaEndpoint } from '../../src/services/types.ts';

export const messagesPerSend = 1_000;

/** kafkajs produce throughput to the real broker: sends of 1,000 keyed events, acks=all. */
export async function kafkaProduceBench(endpoint: KafkaEndpoint, inFlight: number): Promise<Bench> {
  const kafka = createKafkaClient(endpoint, { clientId: 'tierlab-bench' });
  const topic = `tierlab.bench.${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopic(admin, topic, 6);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const profile = await loadDataset('payments');
  const source = new EventSource(profile, 1);
  const schedule = new Schedule({ kind: 'constant', ratePerSec: 1_000_000 }, Date.UTC(2026, 0, 5) * 1000);
  const batch = () =>
    Array.from({ length: messagesPerSend }, () => {
      const record = source.next(schedule.next());
      return { key: record.key, value: recordPayload(record) };
    });
  const bench = new Bench({ name: `kafkajs produce (${inFlight} in flight)`, time: 5_000, warmupTime: 1_000 });
  bench.add(`send ${messagesPerSend} x ${inFlight}`, async () => {
    await Promise.all(Array.from({ length: inFlight }, () => producer.send({ topic, acks: -1, messages: batch() })));
  });
  try {
    await bench.run();
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  return bench;
}
