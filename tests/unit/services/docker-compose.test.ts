import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serviceSettingsFrom } from '../../../src/services/settings.ts';
import { kafkaContainer, minioContainer } from '../../../src/services/docker/index.ts';
import { images, kafkaContainerEnv, minioContainerEnv, postgresContainerEnv } from '../../../src/services/docker/settings.ts';
import { postgresContainer } from '../../../src/services/docker/warehouse.ts';

interface ComposeService {
  image: string;
  environment: Record<string, string>;
  ports: string[];
}

describe('docker-compose.yml', async () => {
  const compose = parse(await readFile(new URL('../../../docker-compose.yml', import.meta.url), 'utf8')) as {
    services: { kafka: ComposeService; s3: ComposeService; postgres: ComposeService };
  };

  it('runs the images that testcontainers runs', () => {
    expect(compose.services.kafka.image).toBe(images.kafka);
    expect(compose.services.s3.image).toBe(images.s3);
    expect(compose.services.postgres.image).toBe(images.postgres);
  });

  it('configures Kafka exactly as the docker mode does', () => {
    const expected = kafkaContainerEnv(9092);
    const actual = Object.fromEntries(
      Object.entries(compose.services.kafka.environment).map(([k, v]) => [k, v.replace('${KAFKA_PORT:-9092}', '9092')]),
    );
    expect(actual).toEqual(expected);
  });

  it('gives MinIO the lab credentials the native S3 server uses', () => {
    expect(compose.services.s3.environment).toEqual(minioContainerEnv(serviceSettingsFrom({}).s3Credentials));
  });

  it('gives PostgreSQL the lab user, password and database the native warehouse has', () => {
    expect(compose.services.postgres.environment).toEqual(postgresContainerEnv(serviceSettingsFrom({}).warehouseCredentials));
  });

  it('publishes Kafka, MinIO and PostgreSQL on loopback only, never on every interface (issue 19)', () => {
    expect(compose.services.kafka.ports).toEqual(['127.0.0.1:${KAFKA_PORT:-9092}:9092']);
    expect(compose.services.s3.ports).toEqual(['127.0.0.1:${S3_PORT:-9000}:9000']);
    expect(compose.services.postgres.ports).toEqual(['127.0.0.1:${POSTGRES_PORT:-15432}:5432']);
  });
});

describe('the docker mode (testcontainers)', () => {
  it('publishes Kafka, MinIO and PostgreSQL on 127.0.0.1 only, as docker-compose.yml does', () => {
    const settings = serviceSettingsFrom({});
    expect(kafkaContainer(19092).portBindings()).toEqual({ '9092/tcp': [{ HostIp: '127.0.0.1', HostPort: '19092' }] });
    expect(minioContainer(19000, settings.s3Credentials).portBindings()).toEqual({ '9000/tcp': [{ HostIp: '127.0.0.1', HostPort: '19000' }] });
    expect(postgresContainer(15432, settings.warehouseCredentials).portBindings()).toEqual({ '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '15432' }] });
  });
});
