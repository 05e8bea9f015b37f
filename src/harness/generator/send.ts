import type { Kafka } from 'kafkajs';
import { EventSource, Schedule, runOpenLoop, systemClock, type Clock, type OpenLoopProgress } from '../../events/index.ts';
import { eventSendsPending, openEventProducer, openKafkaEventSink } from '../../events/sinks/kafka.ts';
import { createKafkaClient } from '../../kafka/client.ts';
import type { RecordProducer } from '../../kafka/driver/index.ts';
import type { KafkaEndpoint } from '../../services/types.ts';
import type { GeneratedStream, StreamGenerator, StreamPlan } from './types.ts';
import { warmKafka } from './warmup.ts';

/** One plan, sent open loop through a producer that outlives it. */
export async function sendStream(
  kafka: Kafka,
  producer: RecordProducer,
  plan: StreamPlan,
  clock: Clock,
  onProgress?: (progress: OpenLoopProgress) => void,
): Promise<GeneratedStream> {
  const sink = await openKafkaEventSink({ kafka, producer, topic: plan.topic, partitions: plan.partitions });
  const report = await runOpenLoop({
    source: new EventSource(plan.profile, plan.seed),
    schedule: new Schedule(plan.rate, plan.startMicros),
    durationMs: plan.durationMs,
    sink,
    clock,
    paced: true,
    maxInFlight: eventSendsPending,
    ...(onProgress ? { onProgress } : {}),
  });
  await sink.close();
  return { report, bytesSent: sink.bytesSent() };
}

/** The generator in the calling process: for tests and `--in-process`, where sharing its event loop is accepted. */
export async function inProcessGenerator(endpoint: KafkaEndpoint, clock: Clock = systemClock): Promise<StreamGenerator> {
  const kafka = createKafkaClient(endpoint, { clientId: 'tierlab-generator' });
  const producer = await openEventProducer(endpoint, 'tierlab-generator');
  return {
    pid: process.pid,
    warmup: (plan) => warmKafka(kafka, producer, plan, clock),
    generate: (plan, onProgress) => sendStream(kafka, producer, plan, clock, onProgress),
    close: () => producer.close(),
  };
}
