import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serviceSettingsFrom } from '../../../src/services/settings.ts';
import { kafkaContainer, minioContainer } from '../../../src/services/docker/index.ts';
import { images, kafkaContainerEnv, minioContainerEnv } from '../../../src/services/docker/settings.ts';

interface ComposeService {
  image: string;
  environment: Record<string, string>;
  ports: string[];
}

describe('docker-compose.yml', async () => {
  const compose = parse(await readFile(new URL('../../../docker-compose.yml', import.meta.url), 'utf8')) as {
    services: { kafka: ComposeService; s3: ComposeService };
  };

  it('runs the images that testcontainers runs', () => {
    expect(compose.services.kafka.image).toBe(images.kafka);
    expect(compose.services.s3.image).toBe(images.s3);
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

  it('publishes Kafka and MinIO on loopback only, never on every interface (issue 19)', () => {
    expect(compose.services.kafka.ports).toEqual(['127.0.0.1:${KAFKA_PORT:-9092}:9092']);
    expect(compose.services.s3.ports).toEqual(['127.0.0.1:${S3_PORT:-9000}:9000']);
  });
});

describe('the docker mode (testcontainers)', () => {
  it('publishes Kafka and MinIO on 127.0.0.1 only, as docker-compose.yml does', () => {
    const credentials = serviceSettingsFrom({}).s3Credentials;
    expect(kafkaContainer(19092).portBindings()).toEqual({ '9092/tcp': [{ HostIp: '127.0.0.1', HostPort: '19092' }] });
    expect(minioContainer(19000, credentials).portBindings()).toEqual({ '9000/tcp': [{ HostIp: '127.0.0.1', HostPort: '19000' }] });
  });
});
