import { TierlabError } from '../errors.ts';
import { brokerApiVersions } from '../kafka/api-versions.ts';
import { probeKafkaVersion, type KafkaVersionGuess } from '../kafka/broker-version.ts';
import { kafkaAnswers } from '../kafka/client.ts';
import { s3Answers, s3ServerHeader } from '../lake/s3-client.ts';
import { maxPort } from './ports.ts';
import { redactUrl } from './secrets.ts';
import type { Health, KafkaEndpoint, S3Endpoint, ServiceHandle, Services, WarehouseEndpoint } from './types.ts';

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
    const port = Number(broker.slice(broker.lastIndexOf(':') + 1));
    if (port < 1 || port > maxPort) {
      throw new TierlabError('BAD_INPUT', `KAFKA_BROKERS entry "${broker}" has port ${port}; a port is 1 to ${maxPort}`, { details: { broker, port } });
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

/** The network calls that check and describe external servers; tests pass their own. */
export interface ExternalProbes {
  kafkaHealth: (kafka: KafkaEndpoint) => Promise<Health>;
  s3Health: (s3: S3Endpoint) => Promise<Health>;
  kafkaVersion: (kafka: KafkaEndpoint) => Promise<KafkaVersionGuess>;
  s3Server: (endpoint: string) => Promise<string | undefined>;
  /** Whether the warehouse (WAREHOUSE_URL) answers, and its version; PostgreSQL's own answer unless given. */
  warehouse?: (endpoint: WarehouseEndpoint) => Promise<Health & { version?: string }>;
}

export const networkProbes: ExternalProbes = {
  kafkaHealth: kafkaAnswers,
  s3Health: s3Answers,
  kafkaVersion: (kafka) => probeKafkaVersion(brokerApiVersions(kafka)),
  s3Server: s3ServerHeader,
};

/** What `tierlab services status` shows for external servers: reachable or not, never a throw. */
export interface ExternalStatus {
  kafka: { server: string; endpoint: string; health: Health; version: KafkaVersionGuess };
  s3: { server: string; endpoint: string; health: Health };
}

export const externalServerNames = { kafka: 'Apache Kafka (external)', s3: 'S3-compatible (external)' } as const;

export async function externalStatus(config: ExternalConfig, probes: ExternalProbes = networkProbes): Promise<ExternalStatus> {
  const [kafkaHealth, s3Health, version, s3Server] = await Promise.all([
    probes.kafkaHealth(config.kafka),
    probes.s3Health(config.s3),
    probes.kafkaVersion(config.kafka),
    probes.s3Server(config.s3.endpoint),
  ]);
  return {
    kafka: { server: externalServerNames.kafka, endpoint: config.kafka.brokers.join(','), health: kafkaHealth, version },
    // Shown and stored in summary.json: a password in the URL is masked there (the client keeps it).
    s3: { server: s3Server ?? externalServerNames.s3, endpoint: redactUrl(config.s3.endpoint), health: s3Health },
  };
}

/**
 * Servers someone else runs: checked, described, never stopped by tierlab. The Kafka version is
 * what the broker's ApiVersions supports ("at least 4.3"), so reports name it rather than "unknown".
 */
export async function connectExternal(
  config: ExternalConfig,
  now: () => number = Date.now,
  probes: ExternalProbes = networkProbes,
): Promise<Services> {
  const started = now();
  const status = await externalStatus(config, probes);
  if (!status.kafka.health.ok) {
    throw new TierlabError('SERVICE_UNREACHABLE', `Kafka at ${status.kafka.endpoint} (KAFKA_BROKERS) does not answer: ${status.kafka.health.detail}`);
  }
  if (!status.s3.health.ok) {
    throw new TierlabError('SERVICE_UNREACHABLE', `S3 at ${status.s3.endpoint} (S3_ENDPOINT) does not answer: ${status.s3.health.detail}`);
  }
  const startedAt = new Date(started).toISOString();
  const startMillis = now() - started;
  const kafka = attachedHandle(config.kafka, {
    server: status.kafka.server,
    version: status.kafka.version.version,
    endpoint: status.kafka.endpoint,
    mode: 'external',
    startedAt,
    startMillis,
  }, () => probes.kafkaHealth(config.kafka));
  const s3 = attachedHandle(config.s3, {
    server: status.s3.server,
    version: 'unknown',
    endpoint: status.s3.endpoint,
    mode: 'external',
    startedAt,
    startMillis,
  }, () => probes.s3Health(config.s3));
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
