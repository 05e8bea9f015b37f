import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { kafkaAnswers } from '../kafka/client.ts';
import { s3Answers } from '../lake/s3-client.ts';
import { attachedHandle, servicesOf } from './external.ts';
import { isAlive } from './native/process.ts';
import type { KafkaEndpoint, S3Endpoint, ServiceDescription, ServiceMode, Services } from './types.ts';

/** What `tierlab services up` leaves behind so that later commands find the same servers. */
export interface ServicesState {
  version: 1;
  mode: ServiceMode;
  kafka: { endpoint: KafkaEndpoint; description: ServiceDescription };
  s3: { endpoint: S3Endpoint; description: ServiceDescription };
  /** Native daemons to stop on `down`; empty for docker compose, which is stopped by project. */
  pids: number[];
  composeFile?: string;
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

export function stateOf(services: Services, pids: number[], composeFile?: string): ServicesState {
  return {
    version: 1,
    mode: services.mode,
    kafka: { endpoint: services.kafka.endpoint, description: services.kafka.description },
    s3: { endpoint: services.s3.endpoint, description: services.s3.description },
    pids,
    ...(composeFile ? { composeFile } : {}),
  };
}

/** Attaches to servers a `services up` left running, if they are still there and answer. */
export async function attachToRunning(path: string): Promise<Services | undefined> {
  const state = await readState(path);
  if (!state) return undefined;
  if (state.pids.some((pid) => !isAlive(pid))) return undefined;
  const [kafkaHealth, s3Health] = await Promise.all([kafkaAnswers(state.kafka.endpoint), s3Answers(state.s3.endpoint)]);
  if (!kafkaHealth.ok || !s3Health.ok) return undefined;
  return servicesOf(
    state.mode,
    attachedHandle(state.kafka.endpoint, state.kafka.description, () => kafkaAnswers(state.kafka.endpoint)),
    attachedHandle(state.s3.endpoint, state.s3.description, () => s3Answers(state.s3.endpoint)),
  );
}
