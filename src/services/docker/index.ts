import { setTimeout as sleep } from 'node:timers/promises';
import { getContainerRuntimeClient, Wait, type StartedTestContainer } from 'testcontainers';
import { TierlabError } from '../../errors.ts';
import { kafkaAnswers } from '../../kafka/client.ts';
import { s3Answers } from '../../lake/s3-client.ts';
import { servicesOf } from '../external.ts';
import { pinned } from '../versions.ts';
import type { KafkaEndpoint, S3Endpoint, ServiceDescription, ServiceHandle, Services } from '../types.ts';
import { LoopbackContainer } from './loopback.ts';
import { images, kafkaContainerEnv, minioContainerEnv, minioVersion } from './settings.ts';

/** True when a container runtime answers; testcontainers rejects at once where none runs. */
export async function dockerAnswers(timeoutMillis = 5_000): Promise<boolean> {
  const probe = getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
  return Promise.race([probe, sleep(timeoutMillis, false, { ref: false })]);
}

export interface DockerOptions {
  kafkaPort: number;
  s3Port: number;
  s3Credentials: { accessKeyId: string; secretAccessKey: string; region: string };
  now?: () => number;
}

/** The Kafka container, its port published on the loopback interface only. */
export function kafkaContainer(hostPort: number): LoopbackContainer {
  return new LoopbackContainer(images.kafka).withEnvironment(kafkaContainerEnv(hostPort)).withLoopbackPorts({ container: 9092, host: hostPort });
}

/** The MinIO container, likewise. */
export function minioContainer(hostPort: number, credentials: DockerOptions['s3Credentials']): LoopbackContainer {
  return new LoopbackContainer(images.s3)
    .withCommand(['server', '/data'])
    .withEnvironment(minioContainerEnv(credentials))
    .withLoopbackPorts({ container: 9000, host: hostPort });
}

/**
 * Kafka (official apache/kafka image, KRaft) and MinIO through testcontainers. Host ports are
 * fixed, not random, because a Kafka broker must advertise the address clients dial.
 * testcontainers' reaper removes the containers if this process dies.
 */
export async function startDockerServices(options: DockerOptions): Promise<Services> {
  const now = options.now ?? Date.now;
  const started = now();
  const startedAt = new Date(started).toISOString();
  const [kafkaResult, s3Result] = await Promise.allSettled([
    kafkaContainer(options.kafkaPort)
      .withWaitStrategy(Wait.forListeningPorts())
      .withStartupTimeout(120_000)
      .start(),
    minioContainer(options.s3Port, options.s3Credentials)
      .withWaitStrategy(Wait.forHttp('/minio/health/ready', 9000))
      .withStartupTimeout(120_000)
      .start(),
  ]);
  if (kafkaResult.status === 'rejected' || s3Result.status === 'rejected') {
    if (kafkaResult.status === 'fulfilled') await kafkaResult.value.stop();
    if (s3Result.status === 'fulfilled') await s3Result.value.stop();
    const reason = kafkaResult.status === 'rejected' ? kafkaResult.reason : (s3Result as PromiseRejectedResult).reason;
    throw new TierlabError('SERVICE_START_FAILED', 'the Kafka or MinIO container did not start', { cause: reason });
  }
  const kafkaEndpoint: KafkaEndpoint = { brokers: [`localhost:${options.kafkaPort}`] };
  const s3Endpoint: S3Endpoint = {
    endpoint: `http://localhost:${options.s3Port}`,
    region: options.s3Credentials.region,
    accessKeyId: options.s3Credentials.accessKeyId,
    secretAccessKey: options.s3Credentials.secretAccessKey,
  };
  // The port listens before the broker has a controller; wait until it serves metadata.
  for (let i = 0; i < 120 && !(await kafkaAnswers(kafkaEndpoint)).ok; i++) await sleep(500);
  const startMillis = now() - started;
  const describe = (server: string, version: string, endpoint: string): ServiceDescription => ({
    server,
    version,
    endpoint,
    mode: 'docker',
    startedAt,
    startMillis,
  });
  const kafka = containerHandle(kafkaResult.value, kafkaEndpoint, describe('Apache Kafka', pinned.kafka.version, kafkaEndpoint.brokers[0] as string), () =>
    kafkaAnswers(kafkaEndpoint),
  );
  const s3 = containerHandle(s3Result.value, s3Endpoint, describe('MinIO', minioVersion(), s3Endpoint.endpoint), () =>
    s3Answers(s3Endpoint),
  );
  return servicesOf('docker', kafka, s3, true);
}

function containerHandle<E>(
  container: StartedTestContainer,
  endpoint: E,
  description: ServiceDescription,
  health: ServiceHandle<E>['health'],
): ServiceHandle<E> {
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= container.stop().then(() => undefined));
  return { endpoint, description, health, stop, [Symbol.asyncDispose]: stop };
}
