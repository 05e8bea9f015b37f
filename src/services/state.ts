import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { kafkaAnswers } from '../kafka/client.ts';
import { s3Answers } from '../lake/s3-client.ts';
import { attachedHandle, servicesOf } from './external.ts';
import { stillTheSame, type ProcessIdentity, type ProcReader } from './native/identity.ts';
import { isAlive } from './native/process.ts';
import { postgresAnswers } from '../warehouse/postgres/connect.ts';
import type { KafkaEndpoint, S3Endpoint, ServiceDescription, ServiceHandle, ServiceMode, Services, WarehouseEndpoint } from './types.ts';

/** What `tierlab services up` leaves behind so that later commands find the same servers. */
export interface ServicesState {
  version: 1;
  mode: ServiceMode;
  kafka: { endpoint: KafkaEndpoint; description: ServiceDescription };
  s3: { endpoint: S3Endpoint; description: ServiceDescription };
  /** Native daemons to stop on `down`; empty for docker compose, which is stopped by project. */
  pids: number[];
  /** Who each of those pids was when `up` started it: `down` signals a pid only while it still is (a state file written before this has none). */
  processes?: ProcessIdentity[];
  composeFile?: string;
  /**
   * The warehouse's PostgreSQL, where `up` could start it (issue 21). Apart from `pids`: Kafka and S3
   * stay usable without it. A native one has its identity, to stop, and its work dir, to remove.
   */
  warehouse?: WarehouseState;
}

export interface WarehouseState {
  endpoint: WarehouseEndpoint;
  description: ServiceDescription;
  process?: ProcessIdentity;
  workDir?: string;
}

export async function readState(path: string): Promise<ServicesState | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const state = JSON.parse(text) as ServicesState;
    return state.version === 1 ? state : undefined;
  } catch {
    return undefined; // a torn or foreign file is treated as no state; `up` will overwrite it
  }
}

/**
 * The state holds the credentials of external servers (SASL password, S3 secret key), so only
 * its owner may read it: it is written to a new file of mode 0600 and renamed over the old one.
 * The rename also replaces a file an older tierlab left world-readable (a mode given to
 * writeFile applies only when it creates the file) and means a reader never sees half a file.
 */
export async function writeState(path: string, state: ServicesState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  // One a crash left behind keeps its mode if written over, so it goes first; 'wx' creates anew.
  await rm(partial, { force: true });
  try {
    await writeFile(partial, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

export async function clearState(path: string): Promise<void> {
  await rm(path, { force: true });
}

export function stateOf(services: Services, pids: number[], composeFile?: string, processes?: ProcessIdentity[]): ServicesState {
  return {
    version: 1,
    mode: services.mode,
    kafka: { endpoint: services.kafka.endpoint, description: services.kafka.description },
    s3: { endpoint: services.s3.endpoint, description: services.s3.description },
    pids,
    ...(processes ? { processes } : {}),
    ...(composeFile ? { composeFile } : {}),
  };
}

/**
 * The stored pids that still name the servers `up` started. One whose process has gone, or whose
 * pid now names another process (same pid, other start time or command line), is left out and
 * named in `strangers`, so nothing of someone else's is ever signalled.
 */
export async function ownedPids(state: ServicesState, read?: ProcReader): Promise<{ owned: number[]; strangers: string[] }> {
  const owned: number[] = [];
  const strangers: string[] = [];
  for (const pid of state.pids) {
    const expected = state.processes?.find((p) => p.pid === pid);
    // A state file from before identities were stored: the pid alone, as it was then.
    if (!expected) {
      if (isAlive(pid)) owned.push(pid);
      continue;
    }
    if (await stillTheSame(expected, read)) owned.push(pid);
    else strangers.push(`pid ${pid} is no longer the server started as "${expected.cmdline.slice(0, 80)}"`);
  }
  return { owned, strangers };
}

/** Attaches to servers a `services up` left running, if they are still there and answer. */
export async function attachToRunning(path: string): Promise<Services | undefined> {
  const state = await readState(path);
  if (!state) return undefined;
  if ((await ownedPids(state)).owned.length < state.pids.length) return undefined;
  const [kafkaHealth, s3Health] = await Promise.all([kafkaAnswers(state.kafka.endpoint), s3Answers(state.s3.endpoint)]);
  if (!kafkaHealth.ok || !s3Health.ok) return undefined;
  return servicesOf(
    state.mode,
    attachedHandle(state.kafka.endpoint, state.kafka.description, () => kafkaAnswers(state.kafka.endpoint)),
    attachedHandle(state.s3.endpoint, state.s3.description, () => s3Answers(state.s3.endpoint)),
  );
}

/** A handle on the warehouse a `services up` left, if its server is still the one it started and answers. */
export async function attachToRunningWarehouse(path: string): Promise<ServiceHandle<WarehouseEndpoint> | undefined> {
  const warehouse = (await readState(path))?.warehouse;
  if (!warehouse) return undefined;
  if (warehouse.process && !(await stillTheSame(warehouse.process))) return undefined;
  if (!(await postgresAnswers(warehouse.endpoint)).ok) return undefined;
  return attachedHandle(warehouse.endpoint, warehouse.description, () => postgresAnswers(warehouse.endpoint));
}
