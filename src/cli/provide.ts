import { provisionServices } from '../services/provision.ts';
import { serviceSettingsFrom } from '../services/settings.ts';
import type { Services } from '../services/types.ts';
import { provisionWarehouse, type WarehouseHandle } from '../services/warehouse.ts';
import type { CliIo } from './io.ts';

/**
 * Kafka and S3 for one command: external or `services up` ones when there are any, otherwise
 * servers that live as long as this command. Ctrl-C stops them too.
 */
export async function servicesForCommand(io: CliIo): Promise<Services> {
  return stoppedOnSignal(await provisionServices(forThisCommand(io)));
}

/** What any server a command provisions is asked: the environment's mode (auto by default), owned by this command. */
function forThisCommand(io: CliIo) {
  return {
    mode: (io.env.TIERLAB_SERVICES_MODE as 'auto' | undefined) ?? 'auto',
    ownership: 'session' as const,
    settings: serviceSettingsFrom(io.env),
    env: io.env,
    onProgress: (message: string) => io.err(message),
  };
}

/** Ctrl-C (or a TERM) stops what this command started, then ends the process with that signal. */
function stoppedOnSignal<T extends { stop(): Promise<void> }>(started: T): T {
  const onSignal = (signal: NodeJS.Signals) => {
    void started.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return started;
}

/**
 * The warehouse (PostgreSQL) for a command that serves one, the lakehouse scenario's run: from
 * WAREHOUSE_URL or `services up` when there is one, otherwise started for this command alone, in
 * the same mode order as Kafka and S3. Ctrl-C stops it too.
 */
export async function warehouseForCommand(io: CliIo): Promise<WarehouseHandle> {
  return stoppedOnSignal(await provisionWarehouse(forThisCommand(io)));
}
