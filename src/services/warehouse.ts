import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError, TierlabError } from '../errors.ts';
import { postgresAnswers } from '../warehouse/postgres/connect.ts';
import { dockerAnswers } from './docker/index.ts';
import { startDockerWarehouse } from './docker/warehouse.ts';
import { attachedHandle, type Environment } from './external.ts';
import { runCommand, type CommandRunner } from './native/commands.ts';
import { nativeHandle } from './native/index.ts';
import { detectPostgres, serverAccountFor, startNativePostgres } from './native/postgres.ts';
import type { Ownership } from './native/process.ts';
import { maxPort } from './ports.ts';
import { redactUrl } from './secrets.ts';
import { stateFilePath, type ServiceSettings } from './settings.ts';
import { attachToRunningWarehouse } from './state.ts';
import type { Health, ModeChoice, ServiceHandle, WarehouseEndpoint } from './types.ts';
import { pinned } from './versions.ts';

/** The warehouse's PostgreSQL; a native one says where its cluster is, for `services down` to remove. */
export type WarehouseHandle = ServiceHandle<WarehouseEndpoint> & { readonly workDir?: string };

export interface WarehouseProvisionOptions {
  mode: ModeChoice;
  ownership: Ownership;
  settings: ServiceSettings;
  env: Environment;
  run?: CommandRunner;
  dockerProbe?: () => Promise<boolean>;
  /** Checks a server answers and reads its version; tests pass their own. */
  probe?: (endpoint: WarehouseEndpoint) => Promise<Health & { version?: string }>;
  /** Who this process runs as: PostgreSQL will not run as root (0), so then it runs as `postgres`. */
  uid?: number;
  onProgress?: (message: string) => void;
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

/** A warehouse someone else runs: checked and described, never stopped by tierlab. */
export async function connectExternalWarehouse(
  endpoint: WarehouseEndpoint,
  probe: WarehouseProvisionOptions['probe'] = postgresAnswers,
  now: () => number = Date.now,
): Promise<WarehouseHandle> {
  const started = now();
  const health = await probe(endpoint);
  if (!health.ok) {
    throw new TierlabError('SERVICE_UNREACHABLE', `PostgreSQL at ${endpoint.host}:${endpoint.port} (WAREHOUSE_URL) does not answer: ${health.detail}`);
  }
  return attachedHandle(
    endpoint,
    {
      server: 'PostgreSQL (external)',
      version: health.version ?? 'unknown',
      endpoint: `${endpoint.host}:${endpoint.port}/${endpoint.database}`,
      mode: 'external',
      startedAt: new Date(started).toISOString(),
      startMillis: now() - started,
    },
    () => probe(endpoint),
  );
}

// allow and prefer connect without TLS, as the pg client does when not asked for it.
const sslModes: Record<string, WarehouseEndpoint['ssl'] | null> = {
  disable: null,
  allow: null,
  prefer: null,
  require: 'require',
  // Node checks the certificate and the host name together: verify-ca is given the stricter check.
  'verify-ca': 'verify-full',
  'verify-full': 'verify-full',
};

/**
 * The warehouse named by WAREHOUSE_URL (postgres://user:password@host:port/database?sslmode=...),
 * or undefined when it is not set. DATABASE_URL is not read: a developer's may name another database.
 */
export function parseWarehouseUrl(env: Environment): WarehouseEndpoint | undefined {
  const text = env.WAREHOUSE_URL?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new TierlabError('BAD_INPUT', `WAREHOUSE_URL "${redactUrl(text)}" is not a URL (e.g. postgres://tierlab:secret@localhost:5432/tierlab)`, { cause });
  }
  const shown = redactUrl(text);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new TierlabError('BAD_INPUT', `WAREHOUSE_URL "${shown}" must start with postgres:// or postgresql://`);
  }
  const port = url.port === '' ? 5432 : Number(url.port);
  if (port < 1 || port > maxPort) throw new TierlabError('BAD_INPUT', `WAREHOUSE_URL "${shown}" has port ${port}; a port is 1 to ${maxPort}`);
  const user = decodeURIComponent(url.username);
  if (!url.hostname || !user) throw new TierlabError('BAD_INPUT', `WAREHOUSE_URL "${shown}" must name a host and a user`);
  const sslmode = url.searchParams.get('sslmode') ?? 'prefer';
  const ssl = sslModes[sslmode];
  if (ssl === undefined) {
    throw new TierlabError('BAD_INPUT', `WAREHOUSE_URL's sslmode "${sslmode}" is not one of ${Object.keys(sslModes).join(', ')}`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    // As libpq does, a URL without a database names the user's own.
    database: database || user,
    user,
    password: decodeURIComponent(url.password),
    ...(ssl ? { ssl } : {}),
  };
}
