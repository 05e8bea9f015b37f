import type { KafkaEndpoint } from '../../services/types.ts';
import { kafkajsDriver } from './kafkajs.ts';
import { platformaticDriver } from './platformatic.ts';
import type { DriverOptions, KafkaClientName, KafkaDriver } from './types.ts';

export * from './types.ts';

export function createKafkaDriver(client: KafkaClientName, endpoint: KafkaEndpoint, options: DriverOptions): KafkaDriver {
  return client === 'platformatic' ? platformaticDriver(endpoint, options) : kafkajsDriver(endpoint, options);
}
