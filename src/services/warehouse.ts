import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError, TierlabError } from '../errors.ts';
import { postgresAnswers } from '../warehouse/postgres/connect.ts';
import { dockerAnswers } from './docker/index.ts';
import { startDockerWarehouse } from './docker/warehouse.ts';
import { runCommand } from './native/commands.ts';
import { nativeHandle } from './native/index.ts';
import { detectPostgres, serverAccountFor, startNativePostgres } from './native/postgres.ts';
import { stateFilePath } from './settings.ts';
import { attachToRunningWarehouse } from './state.ts';
import { connectExternalWarehouse, parseWarehouseUrl } from './warehouse-external.ts';
import type { ProvisionOptions } from './provision.ts';
import type { Health, ServiceHandle, WarehouseEndpoint } from './types.ts';
import { pinned } from './versions.ts';

/** The warehouse's PostgreSQL; a native one says where its cluster is, for `services down` to remove. */
export type WarehouseHandle = ServiceHandle<WarehouseEndpoint> & { readonly workDir?: string };

/** Asked as Kafka and S3 are (provision.ts), with the warehouse's own probe. */
export interface WarehouseProvisionOptions extends Omit<ProvisionOptions, 'externalProbes'> {
  /** Checks a server answers and reads its version; tests pass their own. */
  probe?: (endpoint: WarehouseEndpoint) => Promise<Health & { version?: string }>;
  /** Who this process runs as: PostgreSQL will not run as root (0), so then it runs as `postgres`. */
  uid?: number;
}

/**
 * The warehouse server of the lakehouse scenario, in the order Kafka and S3 use (docs/services.md):
 * WAREHOUSE_URL, then the one a `services up` left running, then docker, then Debian's PostgreSQL
 * natively. Only commands that serve a warehouse ask for it, so Kafka and S3 never need PostgreSQL.
 * A mode given by name is tried alone, and its failure is the error.
 */
export async function provisionWarehouse(options: WarehouseProvisionOptions): Promise<WarehouseHandle> {
  const progress = options.onProgress ?? (() => undefined);
  const probe = options.probe ?? postgresAnswers;
  const external = parseWarehouseUrl(options.env);
  const docker = () => startDockerWarehouse(options.settings);
  const dockerAnswersNow = options.dockerProbe ?? dockerAnswers;

  if (options.mode === 'external') {
    if (!external) throw new TierlabError('BAD_INPUT', '--mode external needs WAREHOUSE_URL to be set for the warehouse');
    return connectExternalWarehouse(external, probe);
  }
  if (options.mode === 'docker') {
    if (!(await dockerAnswersNow())) throw new TierlabError('PREREQUISITE_MISSING', 'no container runtime answers (is Docker running?)');
    return docker();
  }
  if (options.mode === 'native') return startNativeWarehouse(options);

  if (external) {
    progress('using the warehouse at WAREHOUSE_URL');
    return connectExternalWarehouse(external, probe);
  }
  if (options.ownership === 'session') {
    const running = await attachToRunningWarehouse(stateFilePath(options.settings));
    if (running) {
      progress(`using the ${running.description.mode} warehouse that 'tierlab services up' started`);
      return running;
    }
  }
  if (await dockerAnswersNow()) {
    progress(`a container runtime answers: starting ${pinned.postgres.image} with testcontainers`);
    return docker();
  }
  try {
    return await startNativeWarehouse(options);
  } catch (error) {
    if (!(error instanceof TierlabError && error.code === 'PREREQUISITE_MISSING')) throw error;
    throw new TierlabError(
      'PREREQUISITE_MISSING',
      'cannot provide the warehouse (PostgreSQL): WAREHOUSE_URL is not set, no container runtime answers, and the native ' +
        `path is not possible (${describeError(error).replace(/^PREREQUISITE_MISSING: /, '')})`,
      { cause: error },
    );
  }
}

/**
 * PostgreSQL from Debian's package, a cluster of its own: in a temp dir for a session (its watchdog
 * removes it), in the state dir for `services up` (a leftover from an earlier one is not reused).
 */
async function startNativeWarehouse(options: WarehouseProvisionOptions): Promise<WarehouseHandle> {
  const { settings, ownership } = options;
  const run = options.run ?? runCommand;
  const binaries = await detectPostgres(settings.postgresBinDir, run);
  const account = await serverAccountFor(options.uid ?? process.getuid?.() ?? -1, run);
  const session = ownership === 'session';
  const workDir = session ? await mkdtemp(join(tmpdir(), 'tierlab-postgres-')) : join(settings.stateDir, 'native', 'postgres');
  if (!session) await rm(workDir, { recursive: true, force: true });
  options.onProgress?.(`starting PostgreSQL ${binaries.version} natively from ${settings.postgresBinDir}${account ? ` as the ${account.name} user` : ''}`);
  const started = Date.now();
  let server;
  try {
    server = await startNativePostgres({
      binaries,
      account,
      workDir,
      host: settings.host,
      port: settings.postgresPort,
      credentials: settings.warehouseCredentials,
      ownership,
      run,
    });
  } catch (error) {
    // A failed initdb leaves a session's temp dir with no watchdog to remove it.
    if (session) await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const health = await postgresAnswers(server.endpoint);
  const handle = nativeHandle(
    server,
    {
      server: 'PostgreSQL',
      version: health.version ?? binaries.version,
      endpoint: `${settings.host}:${settings.postgresPort}`,
      mode: 'native',
      startedAt: new Date(started).toISOString(),
      startMillis: Date.now() - started,
      logPath: server.logPath,
      pid: server.process.pid,
    },
    () => postgresAnswers(server.endpoint),
    ownership,
  );
  return { ...handle, workDir: server.workDir };
}
