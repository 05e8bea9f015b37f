import { TierlabError } from '../errors.ts';
import { kafkaAnswers } from '../kafka/client.ts';
import { s3Answers, s3ServerHeader } from '../lake/s3-client.ts';
import type { KafkaEndpoint, S3Endpoint, ServiceHandle, Services } from './types.ts';

export type Environment = Record<string, string | undefined>;

export interface ExternalConfig {
  kafka: KafkaEndpoint;
  s3: S3Endpoint;
}

const saslMechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Reads the external-mode settings from an environment the caller passes (the CLI passes
 * process.env). Returns undefined when neither KAFKA_BROKERS nor S3_ENDPOINT is set; one
 * without the other is an error, since a run needs both.
 */
export function parseExternalConfig(env: Environment): ExternalConfig | undefined {
  const brokers = env.KAFKA_BROKERS?.trim();
  const endpoint = env.S3_ENDPOINT?.trim();
  if (!brokers && !endpoint) return undefined;
  if (!brokers || !endpoint) {
    const missing = brokers ? 'S3_ENDPOINT' : 'KAFKA_BROKERS';
    throw new TierlabError('BAD_INPUT', `external services need both KAFKA_BROKERS and S3_ENDPOINT; ${missing} is not set`, {
      details: { missing },
    });
  }
  const brokerList = brokers.split(',').map((b) => b.trim()).filter(Boolean);
  for (const broker of brokerList) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) {
      throw new TierlabError('BAD_INPUT', `KAFKA_BROKERS entry "${broker}" is not host:port`, { details: { broker } });
    }
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw new TierlabError('BAD_INPUT', `S3_ENDPOINT "${endpoint}" is not a URL (e.g. http://localhost:9000)`, { cause });
  }
  const kafka: KafkaEndpoint = { brokers: brokerList };
  if (env.KAFKA_SSL === 'true') kafka.ssl = true;
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism) {
    if (!(saslMechanisms as readonly string[]).includes(mechanism)) {
      throw new TierlabError('BAD_INPUT', `KAFKA_SASL_MECHANISM "${mechanism}" is not one of ${saslMechanisms.join(', ')}`);
    }
    kafka.sasl = {
      mechanism: mechanism as (typeof saslMechanisms)[number],
      username: env.KAFKA_SASL_USERNAME ?? '',
      password: env.KAFKA_SASL_PASSWORD ?? '',
    };
  }
  return {
    kafka,
    s3: {
      endpoint: url.toString().replace(/\/$/, ''),
      region: env.S3_REGION ?? 'us-east-1',
      accessKeyId: env.S3_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
}

/** Servers someone else runs: checked, described, never stopped by tierlab. */
export async function connectExternal(config: ExternalConfig, now: () => number = Date.now): Promise<Services> {
  const started = now();
  const [kafkaHealth, s3Health] = await Promise.all([kafkaAnswers(config.kafka), s3Answers(config.s3)]);
  if (!kafkaHealth.ok) {
    throw new TierlabError('SERVICE_UNREACHABLE', `Kafka at ${config.kafka.brokers.join(',')} (KAFKA_BROKERS) does not answer: ${kafkaHealth.detail}`);
  }
  if (!s3Health.ok) {
    throw new TierlabError('SERVICE_UNREACHABLE', `S3 at ${config.s3.endpoint} (S3_ENDPOINT) does not answer: ${s3Health.detail}`);
  }
  const startedAt = new Date(started).toISOString();
  const startMillis = now() - started;
  const kafka = attachedHandle(config.kafka, {
    server: 'Apache Kafka (external)',
    version: 'unknown',
    endpoint: config.kafka.brokers.join(','),
    mode: 'external',
    startedAt,
    startMillis,
  }, () => kafkaAnswers(config.kafka));
  const s3 = attachedHandle(config.s3, {
    server: (await s3ServerHeader(config.s3.endpoint)) ?? 'S3-compatible (external)',
    version: 'unknown',
    endpoint: config.s3.endpoint,
    mode: 'external',
    startedAt,
    startMillis,
  }, () => s3Answers(config.s3));
  return servicesOf('external', kafka, s3);
}

/** A handle on a server this process did not start: stop() lets go of it and nothing more. */
export function attachedHandle<E>(
  endpoint: E,
  description: ServiceHandle<E>['description'],
  health: ServiceHandle<E>['health'],
): ServiceHandle<E> {
  const stop = async (): Promise<void> => undefined;
  return { endpoint, description, health, stop, [Symbol.asyncDispose]: stop };
}

export function servicesOf(
  mode: Services['mode'],
  kafka: ServiceHandle<KafkaEndpoint>,
  s3: ServiceHandle<S3Endpoint>,
  owned = false,
): Services {
  const stop = async (): Promise<void> => {
    await Promise.allSettled([kafka.stop(), s3.stop()]);
  };
  return { mode, owned, kafka, s3, stop, [Symbol.asyncDispose]: stop };
}
