import { describe, expect, it } from 'vitest';
import { javaKafkaProperties } from '../../../src/tiers/jvm/kafka-properties.ts';

describe("a JVM engine's Kafka client settings, from the endpoint the Node tiers use", () => {
  it('adds nothing for the lab broker, TLS alone, or SASL with or without TLS', () => {
    expect(javaKafkaProperties({ brokers: ['b:9092'] })).toEqual({});
    expect(javaKafkaProperties({ brokers: ['b:9093'], ssl: true })).toEqual({ 'security.protocol': 'SSL' });
    expect(javaKafkaProperties({ brokers: ['b:9096'], ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'lab', password: 'pw' } })).toEqual({
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="lab" password="pw";',
    });
    expect(javaKafkaProperties({ brokers: ['b:9092'], sasl: { mechanism: 'plain', username: 'key', password: 'secret' } })['security.protocol']).toBe('SASL_PLAINTEXT');
  });

  it('quotes a password with quotes and backslashes as JAAS reads it', () => {
    const jaas = javaKafkaProperties({ brokers: ['b:9092'], ssl: true, sasl: { mechanism: 'plain', username: 'u', password: 'a"b\\c' } })['sasl.jaas.config'];
    expect(jaas).toBe('org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="a\\"b\\\\c";');
  });
});
