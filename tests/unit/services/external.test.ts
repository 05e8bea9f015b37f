import { describe, expect, it } from 'vitest';
import { parseExternalConfig } from '../../../src/services/external.ts';
import { renderServerProperties } from '../../../src/services/native/kafka.ts';

describe('external services from the environment', () => {
  it('is off when neither endpoint is set', () => {
    expect(parseExternalConfig({})).toBeUndefined();
  });

  it('reads brokers, endpoint, credentials and SASL', () => {
    const config = parseExternalConfig({
      KAFKA_BROKERS: 'b1:9092, b2:9092',
      S3_ENDPOINT: 'https://s3.example.test/',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_REGION: 'eu-west-1',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    expect(config).toEqual({
      kafka: { brokers: ['b1:9092', 'b2:9092'], ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } },
      s3: { endpoint: 'https://s3.example.test', region: 'eu-west-1', accessKeyId: 'id', secretAccessKey: 'secret' },
    });
  });

  it.each([
    [{ KAFKA_BROKERS: 'b:9092' }, 'S3_ENDPOINT is not set'],
    [{ KAFKA_BROKERS: 'b', S3_ENDPOINT: 'http://s3:9000' }, 'KAFKA_BROKERS entry "b" is not host:port'],
    [{ KAFKA_BROKERS: 'b:1', S3_ENDPOINT: 'not a url' }, 'S3_ENDPOINT "not a url" is not a URL'],
    [{ KAFKA_BROKERS: 'b:1', S3_ENDPOINT: 'http://s', KAFKA_SASL_MECHANISM: 'gssapi' }, 'KAFKA_SASL_MECHANISM "gssapi"'],
  ])('names the bad value in %j', (env, message) => {
    expect(() => parseExternalConfig(env)).toThrow(message);
  });
});

describe('native Kafka configuration', () => {
  it('is one KRaft node with single-replica internal topics and no join delay', () => {
    const properties = renderServerProperties({ host: '127.0.0.1', port: 9092, controllerPort: 9093 }, '/data');
    expect(properties).toContain('process.roles=broker,controller');
    expect(properties).toContain('controller.quorum.voters=1@127.0.0.1:9093');
    expect(properties).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:9092');
    expect(properties).toContain('offsets.topic.replication.factor=1');
    expect(properties).toContain('share.coordinator.state.topic.replication.factor=1');
    expect(properties).toContain('group.initial.rebalance.delay.ms=0');
  });
});
