import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { KafkaEndpoint } from '../services/types.ts';

export interface KafkaClientOptions {
  clientId: string;
  /** kafkajs logs to the console by default; tierlab keeps it quiet unless asked. */
  logLevel?: logLevel;
  connectionTimeoutMs?: number;
  retries?: number;
  /** The first pause between tries (default 100 ms); it doubles, up to maxRetryTimeMs (kafkajs's default 30 s). */
  initialRetryTimeMs?: number;
  maxRetryTimeMs?: number;
}

/** The one place a kafkajs client is made, so TLS/SASL from external mode apply everywhere. */
export function createKafkaClient(endpoint: KafkaEndpoint, options: KafkaClientOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: endpoint.brokers,
    logLevel: options.logLevel ?? logLevel.NOTHING,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    retry: {
      retries: options.retries ?? 5,
      initialRetryTime: options.initialRetryTimeMs ?? 100,
      ...(options.maxRetryTimeMs !== undefined ? { maxRetryTime: options.maxRetryTimeMs } : {}),
    },
  };
  if (endpoint.ssl) config.ssl = true;
  if (endpoint.sasl) config.sasl = endpoint.sasl as KafkaConfig['sasl'];
  return new Kafka(config);
}

/** True when the cluster answers a metadata request: the broker is up and has a controller. */
export async function kafkaAnswers(endpoint: KafkaEndpoint): Promise<{ ok: boolean; detail: string }> {
  const admin = createKafkaClient(endpoint, { clientId: 'tierlab-health', retries: 0, connectionTimeoutMs: 1_000 }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { ok: true, detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller}` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

// kafkajs 2.2.4 (unmaintained) computes a negative throttle delay against Node >= 22's
// stricter timers, which then print a TimeoutNegativeWarning on every connect. The timer
// still fires at once, as kafkajs intends, so the warning is noise and is dropped here.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'TimeoutNegativeWarning') return;
  (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
