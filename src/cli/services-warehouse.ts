import { rm } from 'node:fs/promises';
import { describeError } from '../errors.ts';
import { identify, stillTheSame } from '../services/native/identity.ts';
import { stopProcessGroup } from '../services/native/process.ts';
import type { ServiceSettings } from '../services/settings.ts';
import type { WarehouseState } from '../services/state.ts';
import type { Health, ServiceDescription, ServiceMode, WarehouseEndpoint } from '../services/types.ts';
import { connectExternalWarehouse, parseWarehouseUrl } from '../services/warehouse-external.ts';
import { provisionWarehouse, type WarehouseProvisionOptions } from '../services/warehouse.ts';
import { postgresAnswers } from '../warehouse/postgres/connect.ts';
import type { CliIo } from './io.ts';

/** The warehouse `services up` leaves, or why there is none: Kafka and S3 are up either way. */
export type WarehouseOutcome = { state: WarehouseState } | { problem: string };

/**
 * The warehouse part of `services up`, in the mode Kafka and S3 came up in: the PostgreSQL of
 * docker-compose.yml, Debian's natively, or WAREHOUSE_URL's with external servers. It is optional,
 * so a failure is a reason to show, not an error that takes Kafka and S3 down again.
 */
export async function startWarehouseDaemon(
  settings: ServiceSettings,
  mode: ServiceMode,
  io: CliIo,
  probe: WarehouseProvisionOptions['probe'] = postgresAnswers,
): Promise<WarehouseOutcome> {
  try {
    if (mode === 'external') {
      const endpoint = parseWarehouseUrl(io.env);
      if (!endpoint) return { problem: 'WAREHOUSE_URL is not set (with external servers tierlab starts none of its own)' };
      const handle = await connectExternalWarehouse(endpoint, probe);
      return { state: { endpoint: handle.endpoint, description: handle.description } };
    }
    if (mode === 'docker') {
      // docker compose has started it with Kafka and MinIO; it is checked and described as its own.
      const { user, password, database } = settings.warehouseCredentials;
      const handle = await connectExternalWarehouse({ host: 'localhost', port: settings.postgresPort, user, password, database }, probe);
      return { state: { endpoint: handle.endpoint, description: { ...handle.description, server: 'PostgreSQL', mode: 'docker' } } };
    }
    const handle = await provisionWarehouse({
      mode: 'native',
      ownership: 'daemon',
      settings,
      env: io.env,
      onProgress: (message) => io.err(message),
    });
    const pid = handle.description.pid;
    const process = pid === undefined ? undefined : await identify(pid);
    return {
      state: {
        endpoint: handle.endpoint,
        description: handle.description,
        ...(process ? { process } : {}),
        ...(handle.workDir ? { workDir: handle.workDir } : {}),
      },
    };
  } catch (error) {
    return { problem: describeError(error) };
  }
}

/**
 * The warehouse a command would use, for `services status`: WAREHOUSE_URL's when it is set (it
 * comes first, as in provisioning), else the one `up` started. Its version is read from the server.
 */
export async function warehouseStatus(
  env: CliIo['env'],
  state: WarehouseState | undefined,
  probe: (endpoint: WarehouseEndpoint) => Promise<Health & { version?: string }> = postgresAnswers,
): Promise<{ description: ServiceDescription; health: Health } | undefined> {
  const external = parseWarehouseUrl(env);
  const endpoint = external ?? state?.endpoint;
  if (!endpoint) return undefined;
  const health = await probe(endpoint);
  const description: ServiceDescription = external
    ? { server: 'PostgreSQL (external)', version: 'unknown', endpoint: `${endpoint.host}:${endpoint.port}/${endpoint.database}`, mode: 'external', startedAt: '-', startMillis: 0 }
    : (state as WarehouseState).description;
  return { description: { ...description, version: health.version ?? description.version }, health };
}

/** `services down` for the warehouse: a native server stopped fast and cleanly (SIGINT), its cluster removed. */
export async function stopWarehouseDaemon(warehouse: WarehouseState | undefined, io: CliIo): Promise<number | undefined> {
  if (!warehouse?.process) return undefined;
  let stopped: number | undefined;
  if (await stillTheSame(warehouse.process)) {
    await stopProcessGroup(warehouse.process.pid, 15_000, 'SIGINT');
    stopped = warehouse.process.pid;
  } else {
    io.err(`left alone: pid ${warehouse.process.pid} is no longer the warehouse started as "${warehouse.process.cmdline.slice(0, 80)}"`);
  }
  if (warehouse.workDir) await rm(warehouse.workDir, { recursive: true, force: true });
  return stopped;
}
