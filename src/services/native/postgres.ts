import { access, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeIdentifier } from 'pg';
import { TierlabError } from '../../errors.ts';
import { connectWarehouse, postgresAnswers } from '../../warehouse/postgres/connect.ts';
import { assertPortFree } from '../ports.ts';
import { pinned } from '../versions.ts';
import type { WarehouseEndpoint } from '../types.ts';
import type { CommandRunner } from './commands.ts';
import type { NativeServer } from './kafka.ts';
import { asAccount, initdbArgs, parsePasswdLine, parsePostgresVersion, postgresArgs, type ServerAccount } from './postgres-args.ts';
import { startServer, type Ownership } from './process.ts';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  version: string;
}

/** What to install, said once for every message that needs it. */
export const installPostgresHint =
  `install Debian's package (apt-get install ${pinned.postgres.debianPackage}; scripts/test.sh does so as root), ` +
  'start Docker, or point WAREHOUSE_URL at your own PostgreSQL';

/** The server binaries of PostgreSQL 15 or later, or PREREQUISITE_MISSING naming the package to install. */
export async function detectPostgres(binDir: string, run: CommandRunner): Promise<PostgresBinaries> {
  const postgres = join(binDir, 'postgres');
  const initdb = join(binDir, 'initdb');
  const result = await run(postgres, ['--version'], { timeoutMs: 10_000 }).catch(() => undefined);
  const found = result?.code === 0 ? parsePostgresVersion(result.stdout) : undefined;
  if (!found) {
    throw new TierlabError('PREREQUISITE_MISSING', `PostgreSQL ${pinned.postgres.major} is not installed (no ${postgres}): ${installPostgresHint}`, {
      details: { binDir },
    });
  }
  if (found.major < pinned.postgres.major) {
    throw new TierlabError(
      'PREREQUISITE_MISSING',
      `${postgres} is PostgreSQL ${found.version}; the warehouse needs ${pinned.postgres.major} or later: ${installPostgresHint}`,
      { details: { binDir, version: found.version } },
    );
  }
  return { postgres, initdb, version: found.version };
}

/** As root, the account the server runs as (PostgreSQL refuses root); as anyone else, none. */
export async function serverAccountFor(uid: number, run: CommandRunner): Promise<ServerAccount | undefined> {
  if (uid !== 0) return undefined;
  const result = await run('getent', ['passwd', 'postgres'], { timeoutMs: 10_000 }).catch(() => undefined);
  const account = result?.code === 0 ? parsePasswdLine(result.stdout) : undefined;
  if (!account) {
    throw new TierlabError(
      'PREREQUISITE_MISSING',
      `PostgreSQL refuses to run as root, and there is no "postgres" user to run it as (Debian's ${pinned.postgres.debianPackage} creates it): ` +
        'run tierlab as another user, or install the package',
    );
  }
  return account;
}

export interface NativePostgresOptions {
  binaries: PostgresBinaries;
  account: ServerAccount | undefined;
  /** Holds the cluster (data/), its socket and postgres.log. */
  workDir: string;
  host: string;
  port: number;
  credentials: { user: string; password: string; database: string };
  ownership: Ownership;
  run: CommandRunner;
  startTimeoutMillis?: number;
}

export type NativePostgres = NativeServer<WarehouseEndpoint> & { workDir: string };

/** The port check, with what usually holds 5432 on a machine that has Debian's package. */
export function assertPostgresPortFree(port: number, host: string): Promise<void> {
  return assertPortFree(port, host, `the warehouse (PostgreSQL; Debian's own cluster may hold it: see pg_lsclusters; or set TIERLAB_POSTGRES_PORT)`);
}

/**
 * A PostgreSQL cluster of its own in the work dir: made with initdb the first time (a restart
 * reuses it), started listening on host:port only, and ready once the lab user can log in to its
 * database. As root the server runs as the postgres account, which then owns the cluster.
 */
export async function startNativePostgres(options: NativePostgresOptions): Promise<NativePostgres> {
  await assertPostgresPortFree(options.port, options.host);
  const workDir = await reachableWorkDir(options);
  const dataDir = join(workDir, 'data');
  const socketDir = join(workDir, 'socket');
  const logPath = join(workDir, 'postgres.log');
  await mkdir(socketDir, { recursive: true });
  if (options.account) await chown(socketDir, options.account.uid, options.account.gid);
  const initialized = await access(join(dataDir, 'PG_VERSION')).then(() => true, () => false);
  if (!initialized) await initCluster(options, workDir, dataDir);

  const { user, password, database } = options.credentials;
  const endpoint: WarehouseEndpoint = { host: options.host, port: options.port, database, user, password };
  // The cluster's own first database answers before ours exists; ours is made once it does.
  const maintenance: WarehouseEndpoint = { ...endpoint, database: 'postgres' };
  const server = asAccount(options.account, options.binaries.postgres, postgresArgs({ dataDir, host: options.host, port: options.port, socketDir }));
  const launch = () =>
    startServer(
      { name: 'postgres', ...server, logPath, workDir, stopSignal: 'SIGINT' },
      options.ownership,
      { name: 'PostgreSQL', answers: async () => (await postgresAnswers(maintenance, 1_000)).ok, timeoutMillis: options.startTimeoutMillis ?? 30_000 },
    );
  const process = await launch();
  try {
    await ensureDatabase(maintenance, database);
  } catch (error) {
    await process.stop(5_000);
    throw error;
  }
  return {
    process,
    endpoint,
    logPath,
    workDir,
    async relaunch() {
      await assertPostgresPortFree(options.port, options.host);
      return launch();
    },
  };
}

/**
 * The work dir, owned by the server's account. As root that account must reach it: a daemon's dir
 * under root's home (mode 0700) it cannot, so the cluster then goes to a temp dir of its own.
 */
async function reachableWorkDir(options: NativePostgresOptions): Promise<string> {
  await mkdir(options.workDir, { recursive: true });
  const account = options.account;
  if (!account) return options.workDir;
  await chown(options.workDir, account.uid, account.gid);
  const test = asAccount(account, 'test', ['-w', options.workDir, '-a', '-x', options.workDir]);
  const reached = await options.run(test.command, test.args, { timeoutMs: 10_000 });
  if (reached.code === 0) return options.workDir;
  await rm(options.workDir, { recursive: true, force: true });
  const elsewhere = await mkdtemp(join(tmpdir(), 'tierlab-postgres-'));
  await chown(elsewhere, account.uid, account.gid);
  return elsewhere;
}

async function initCluster(options: NativePostgresOptions, workDir: string, dataDir: string): Promise<void> {
  // initdb reads the password from a file (never the command line, which others can see) once.
  const passwordFile = join(workDir, 'initdb.pw');
  await writeFile(passwordFile, `${options.credentials.password}\n`, { mode: 0o600 });
  if (options.account) await chown(passwordFile, options.account.uid, options.account.gid);
  try {
    const initdb = asAccount(options.account, options.binaries.initdb, initdbArgs({ dataDir, user: options.credentials.user, passwordFile }));
    const result = await options.run(initdb.command, initdb.args, { timeoutMs: 120_000 });
    if (result.code !== 0) {
      throw new TierlabError('SERVICE_START_FAILED', `initdb failed for ${dataDir}: ${(result.stderr || result.stdout).trim()}`, { details: { dataDir } });
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function ensureDatabase(maintenance: WarehouseEndpoint, database: string): Promise<void> {
  await using connection = await connectWarehouse(maintenance, { applicationName: 'tierlab-setup' });
  const found = await connection.client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (found.rowCount === 0) await connection.client.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
}
