import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import type { KafkaVersionGuess } from '../../../src/kafka/broker-version.ts';
import { connectExternal, externalStatus, type ExternalConfig, type ExternalProbes } from '../../../src/services/external.ts';

const config: ExternalConfig = {
  kafka: { brokers: ['k1:9092', 'k2:9092'] },
  s3: { endpoint: 'http://s3.test:9000', region: 'us-east-1', accessKeyId: 'id', secretAccessKey: 'secret' },
};

const atLeast43: KafkaVersionGuess = { state: 'known', version: 'at least 4.3', basis: 'ApiVersions: metadata.version up to 4.3-IV0' };

function probes(overrides: Partial<ExternalProbes> = {}): ExternalProbes {
  return {
    kafkaHealth: async () => ({ ok: true, detail: '2 broker(s), controller 1' }),
    s3Health: async () => ({ ok: true, detail: '3 bucket(s)' }),
    kafkaVersion: async () => atLeast43,
    s3Server: async () => 'MinIO',
    ...overrides,
  };
}

describe('external services', () => {
  it('are described with the Kafka version the broker supports, not "unknown"', async () => {
    const services = await connectExternal(config, () => 0, probes());
    expect(services.mode).toBe('external');
    expect(services.kafka.description).toMatchObject({ server: 'Apache Kafka (external)', version: 'at least 4.3', endpoint: 'k1:9092,k2:9092' });
    expect(services.s3.description).toMatchObject({ server: 'MinIO', endpoint: 'http://s3.test:9000' });
  });

  it('are refused when one does not answer, naming the variable to check', async () => {
    const down = probes({ kafkaHealth: async () => ({ ok: false, detail: 'Connection timeout' }) });
    const error = await connectExternal(config, () => 0, down).catch((e: unknown) => e);
    expect(isTierlabError(error, 'SERVICE_UNREACHABLE')).toBe(true);
    expect((error as Error).message).toContain('KAFKA_BROKERS');
  });

  it('report their status, reachable or not, without throwing', async () => {
    const unknown: KafkaVersionGuess = { state: 'unknown', version: 'unknown', reason: 'ApiVersions failed: refused' };
    const status = await externalStatus(
      config,
      probes({ kafkaHealth: async () => ({ ok: false, detail: 'refused' }), kafkaVersion: async () => unknown, s3Server: async () => undefined }),
    );
    expect(status).toEqual({
      kafka: { server: 'Apache Kafka (external)', endpoint: 'k1:9092,k2:9092', health: { ok: false, detail: 'refused' }, version: unknown },
      s3: { server: 'S3-compatible (external)', endpoint: 'http://s3.test:9000', health: { ok: true, detail: '3 bucket(s)' } },
    });
  });
});
