// The generator in a process of its own, driven over IPC by process.ts. Its event loop does
// nothing but schedule and send, so the harness's work cannot delay an event.
import { describeError } from '../../errors.ts';
import { systemClock } from '../../events/index.ts';
import { openEventProducer } from '../../events/sinks/kafka.ts';
import { createKafkaClient } from '../../kafka/client.ts';
import type { RecordProducer } from '../../kafka/driver/index.ts';
import type { KafkaEndpoint } from '../../services/types.ts';
import { sendStream } from './send.ts';
import type { GeneratedStream, KafkaWarmup, StreamPlan, WarmupPlan } from './types.ts';
import { warmKafka } from './warmup.ts';

export type ToGenerator =
  | { type: 'connect'; kafka: KafkaEndpoint }
  | { type: 'warmup'; plan: WarmupPlan }
  | { type: 'generate'; plan: StreamPlan }
  | { type: 'close' };
export type FromGenerator =
  | { type: 'connected' }
  | { type: 'warmed'; warmup: KafkaWarmup }
  | { type: 'progress'; produced: number; elapsedMicros: number; currentLagMicros: number }
  | { type: 'generated'; stream: GeneratedStream }
  | { type: 'closed' }
  | { type: 'failed'; error: string };

const send = (message: FromGenerator) => process.send?.(message);
let client: { kafka: ReturnType<typeof createKafkaClient>; producer: RecordProducer } | undefined;

process.on('message', (message: ToGenerator) => {
  void (async () => {
    try {
      if (message.type === 'connect') {
        const kafka = createKafkaClient(message.kafka, { clientId: 'tierlab-generator' });
        client = { kafka, producer: await openEventProducer(message.kafka, 'tierlab-generator') };
        send({ type: 'connected' });
      } else if (message.type === 'warmup') {
        send({ type: 'warmed', warmup: await warmKafka(client!.kafka, client!.producer, message.plan, systemClock) });
      } else if (message.type === 'generate') {
        const stream = await sendStream(client!.kafka, client!.producer, message.plan, systemClock, (progress) =>
          send({ type: 'progress', ...progress }),
        );
        send({ type: 'generated', stream });
      } else {
        await client?.producer.close();
        send({ type: 'closed' });
        process.disconnect?.();
      }
    } catch (error) {
      send({ type: 'failed', error: describeError(error) });
    }
  })();
});
// The parent's pipe closing means the parent is gone: nothing is left to send for.
process.on('disconnect', () => setTimeout(() => process.exit(0), 100).unref());
