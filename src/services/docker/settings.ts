import { pinned } from '../versions.ts';

/**
 * The container settings, shared by the testcontainers path and checked against
 * docker-compose.yml by a unit test, so "by hand" and "for you" start the same servers.
 */
export function kafkaContainerEnv(hostPort: number): Record<string, string> {
  return {
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
    KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${hostPort}`,
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    KAFKA_NUM_PARTITIONS: '3',
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
  };
}

export function minioContainerEnv(credentials: { accessKeyId: string; secretAccessKey: string }): Record<string, string> {
  return { MINIO_ROOT_USER: credentials.accessKeyId, MINIO_ROOT_PASSWORD: credentials.secretAccessKey };
}

/** The official image makes the role and database from these at its first start. */
export function postgresContainerEnv(credentials: { user: string; password: string; database: string }): Record<string, string> {
  return { POSTGRES_USER: credentials.user, POSTGRES_PASSWORD: credentials.password, POSTGRES_DB: credentials.database };
}

export const images = { kafka: pinned.kafka.image, s3: pinned.minio.image, postgres: pinned.postgres.image } as const;

/** The MinIO release tag is its version, e.g. RELEASE.2024-12-13T22-19-12Z. */
export function minioVersion(): string {
  return images.s3.split(':')[1] ?? 'unknown';
}
