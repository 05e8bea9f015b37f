import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { EventSource, Schedule, runOpenLoop, type Clock, type EventSink } from '../../events/index.ts';
import { openKafkaEventSink } from '../../events/sinks/kafka.ts';
import type { RecordProducer } from '../../kafka/driver/index.ts';
import { ensureTopic } from '../../kafka/topics.ts';
import { latencyStats, newLatencyHistogram, recordMicros } from '../../metrics/histogram.ts';
import type { KafkaWarmup, WarmupPlan } from './types.ts';

/**
 * True once produce latency has stopped improving: none of the last `window` steps beat the best
 * step before them by more than `gain` (10%: less is noise on a shared machine).
 */
export function warmedUp(stepP99Micros: number[], minSteps: number, window = 3, gain = 0.1): boolean {
  if (stepP99Micros.length < Math.max(minSteps, window + 1)) return false;
  const before = Math.min(...stepP99Micros.slice(0, -window));
  return stepP99Micros.slice(-window).every((p99) => p99 >= before * (1 - gain));
}

/** Wraps a sink so each send's time to acknowledgement (acks=all) is recorded. */
function timed(sink: EventSink, clock: Clock) {
  let histogram = newLatencyHistogram();
  return {
    sink: {
      async send(records, sentMicros) {
        await sink.send(records, sentMicros);
        recordMicros(histogram, clock.nowMicros() - sentMicros);
      },
      close: () => sink.close(),
    } satisfies EventSink,
    /** The p99 since the last call, and a fresh histogram for the next step. */
    takeP99(): number {
      const p99 = latencyStats(histogram).p99Micros;
      histogram = newLatencyHistogram();
      return p99;
    },
  };
}

/**
 * Brings the broker to steady state before anything is measured: the scenario's rate on a scratch
 * topic, one step at a time, until produce latency stops improving or the time bound passes. A
 * consumer reads the topic meanwhile, so the broker's fetch path is warmed too, not only its writes.
 */
export async function warmKafka(kafka: Kafka, producer: RecordProducer, plan: WarmupPlan, clock: Clock): Promise<KafkaWarmup> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopic(admin, plan.topic, plan.partitions);
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `tierlab-warmup-${randomBytes(4).toString('hex')}`, minBytes: 1, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: plan.topic, fromBeginning: false });
  await consumer.run({ eachBatch: async () => undefined });
  const sink = timed(await openKafkaEventSink({ kafka, producer, topic: plan.topic, partitions: plan.partitions }), clock);
  const source = new EventSource(plan.profile, 0);
  const started = clock.nowMicros();
  const stepP99Micros: number[] = [];
  let records = 0;
  try {
    while (!warmedUp(stepP99Micros, plan.minSteps) && clock.nowMicros() - started < plan.maxMs * 1000) {
      const report = await runOpenLoop({
        source,
        schedule: new Schedule({ kind: 'constant', ratePerSec: plan.ratePerSec }, clock.nowMicros()),
        durationMs: plan.stepMs,
        sink: sink.sink,
        clock,
        paced: true,
      });
      records += report.produced;
      stepP99Micros.push(sink.takeP99());
    }
  } finally {
    await consumer.disconnect();
  }
  return {
    durationSec: (clock.nowMicros() - started) / 1e6,
    records,
    ratePerSec: plan.ratePerSec,
    stepP99Micros,
    converged: warmedUp(stepP99Micros, plan.minSteps),
  };
}
