import { provisionServices } from '../services/provision.ts';
import { serviceSettingsFrom } from '../services/settings.ts';
import type { Services } from '../services/types.ts';
import { provisionWarehouse, type WarehouseHandle } from '../services/warehouse.ts';
import type { CliIo } from './services.ts';

/**
 * Kafka and S3 for one command: external or `services up` ones when there are any, otherwise
 * servers that live as long as this command. Ctrl-C stops them too.
 */
export async function servicesForCommand(io: CliIo): Promise<Services> {
  const services = await provisionServices({
    mode: (io.env.TIERLAB_SERVICES_MODE as 'auto' | undefined) ?? 'auto',
    ownership: 'session',
    settings: serviceSettingsFrom(io.env),
    env: io.env,
    onProgress: (message) => io.err(message),
  });
  const onSignal = (signal: NodeJS.Signals) => {
    void services.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return services;
}

/**
 * The warehouse (PostgreSQL) for a command that serves one, the lakehouse scenario's run: from
 * WAREHOUSE_URL or `services up` when there is one, otherwise started for this command alone, in
 * the same mode order as Kafka and S3. Ctrl-C stops it too.
 */
export async function warehouseForCommand(io: CliIo): Promise<WarehouseHandle> {
  const warehouse = await provisionWarehouse({
    mode: (io.env.TIERLAB_SERVICES_MODE as 'auto' | undefined) ?? 'auto',
    ownership: 'session',
    settings: serviceSettingsFrom(io.env),
    env: io.env,
    onProgress: (message) => io.err(message),
  });
  const onSignal = (signal: NodeJS.Signals) => {
    void warehouse.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return warehouse;
}
