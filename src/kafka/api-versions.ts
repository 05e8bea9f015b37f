import { Connection, ResponseError, apiVersionsV1, apiVersionsV3, type SASLMechanismValue } from '@platformatic/kafka';
import type { KafkaEndpoint } from '../services/types.ts';
import type { ApiVersionsAnswer, ApiVersionsSource } from './broker-version.ts';

export interface ApiVersionsOptions {
  /** For connecting and for the answer alike: a status line should not hang on a dead broker. */
  timeoutMs?: number;
  clientSoftwareVersion?: string;
}

/**
 * ApiVersions from the first of the endpoint's brokers that answers, over a connection of its
 * own. @platformatic/kafka is used because it parses v3's supported features (kafkajs reads v0-v2,
 * which carry no `metadata.version`); TLS and SASL from external mode apply as in the drivers.
 */
export function brokerApiVersions(endpoint: KafkaEndpoint, options: ApiVersionsOptions = {}): ApiVersionsSource {
  return {
    async apiVersions(): Promise<ApiVersionsAnswer> {
      const failures: string[] = [];
      for (const broker of endpoint.brokers) {
        try {
          return await askBroker(endpoint, broker, options);
        } catch (error) {
          failures.push(`${broker}: ${(error as Error).message}`);
        }
      }
      throw new Error(failures.join('; '));
    },
  };
}

async function askBroker(endpoint: KafkaEndpoint, broker: string, options: ApiVersionsOptions): Promise<ApiVersionsAnswer> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const connection = new Connection('tierlab-version', {
    connectTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    ...(endpoint.ssl ? { tls: {} } : {}),
    ...(endpoint.sasl
      ? { sasl: { mechanism: endpoint.sasl.mechanism.toUpperCase() as SASLMechanismValue, username: endpoint.sasl.username, password: endpoint.sasl.password } }
      : {}),
  });
  const colon = broker.lastIndexOf(':');
  try {
    await connection.connect(broker.slice(0, colon), Number(broker.slice(colon + 1)));
    const software = ['tierlab', options.clientSoftwareVersion ?? '0'] as const;
    try {
      const answer = await apiVersionsV3.api.async(connection, ...software);
      return { apiKeys: answer.apiKeys, supportedFeatures: answer.supportedFeatures ?? [] };
    } catch (error) {
      // A broker older than 2.4 refuses v3 with an error in v0's framing; v1 it understands.
      if (!(error instanceof ResponseError)) throw error;
      const answer = await apiVersionsV1.api.async(connection, ...software);
      return { apiKeys: answer.apiKeys };
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}
