import type { KafkaEndpoint } from '../../services/types.ts';

const loginModules = {
  plain: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'scram-sha-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'scram-sha-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
} as const;

/** A JAAS option's value, quoted as the JAAS parser reads it. */
const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The Java Kafka client's settings for the endpoint's security, as the Node tiers use it (TLS,
 * SASL PLAIN or SCRAM): what a JVM engine adds to the bootstrap for every client it makes
 * (EngineConfig.kafkaClient). Empty for a broker without either, the lab's own.
 */
export function javaKafkaProperties(endpoint: KafkaEndpoint): Record<string, string> {
  const { ssl, sasl } = endpoint;
  if (!ssl && !sasl) return {};
  const properties: Record<string, string> = { 'security.protocol': sasl ? (ssl ? 'SASL_SSL' : 'SASL_PLAINTEXT') : 'SSL' };
  if (sasl) {
    properties['sasl.mechanism'] = sasl.mechanism.toUpperCase();
    properties['sasl.jaas.config'] = `${loginModules[sasl.mechanism]} required username=${quoted(sasl.username)} password=${quoted(sasl.password)};`;
  }
  return properties;
}
