import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTierlabError, type TierlabError } from '../../../src/errors.ts';
import type { CommandRunner } from '../../../src/services/native/commands.ts';
import { detectPostgres, serverAccountFor } from '../../../src/services/native/postgres.ts';
import {
  asAccount,
  initdbArgs,
  labSettings,
  parsePasswdLine,
  parsePostgresVersion,
  postgresArgs,
} from '../../../src/services/native/postgres-args.ts';
import { serviceSettingsFrom } from '../../../src/services/settings.ts';
import { secretsOf } from '../../../src/services/secrets.ts';
import { parseWarehouseUrl } from '../../../src/services/warehouse-external.ts';
import { provisionWarehouse } from '../../../src/services/warehouse.ts';
import { refusal, thrown } from '../thrown.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-postgres-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const notInstalled: CommandRunner = async (command) => {
  throw Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' });
};

/** Answers `postgres --version` with `version` and `getent passwd postgres` with `passwd`. */
function machine(version: string, passwd = 'postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n'): CommandRunner {
  return async (command, args) => {
    if (command.endsWith('/postgres') && args[0] === '--version') return { code: 0, stdout: `${version}\n`, stderr: '' };
    if (command === 'getent') return passwd ? { code: 0, stdout: passwd, stderr: '' } : { code: 2, stdout: '', stderr: '' };
    throw new Error(`unexpected command ${command}`);
  };
}

async function rejection(promise: Promise<unknown>): Promise<TierlabError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isTierlabError(error)) throw new Error(`expected a TierlabError, got ${String(error)}`);
  return error;
}

describe('the native PostgreSQL command lines', () => {
  const account = { name: 'postgres', uid: 101, gid: 104 };

  it('runs as the postgres account through setpriv when tierlab is root, and as itself otherwise', () => {
    expect(asAccount(account, '/usr/lib/postgresql/15/bin/postgres', ['-D', '/d'])).toEqual({
      command: 'setpriv',
      args: ['--reuid=101', '--regid=104', '--init-groups', '--', '/usr/lib/postgresql/15/bin/postgres', '-D', '/d'],
    });
    expect(asAccount(undefined, 'initdb', ['-D', '/d'])).toEqual({ command: 'initdb', args: ['-D', '/d'] });
  });

  it("reads the account's ids from getent, and nothing from a line that is not one", () => {
    expect(parsePasswdLine('postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash')).toEqual(account);
    expect(parsePasswdLine('')).toBeUndefined();
    expect(parsePasswdLine('postgres:x:abc:104::/:/bin/sh')).toBeUndefined();
  });

  it('makes a cluster with passwords over TCP, the lab user as superuser, its password from a file', () => {
    const args = initdbArgs({ dataDir: '/w/data', user: 'tierlab', passwordFile: '/w/initdb.pw' });
    expect(args.slice(0, 2)).toEqual(['-D', '/w/data']);
    expect(args).toEqual(expect.arrayContaining(['--username=tierlab', '--pwfile=/w/initdb.pw', '--auth-host=scram-sha-256', '--auth-local=trust', '--locale=C']));
    expect(args.join(' ')).not.toContain('tierlab-secret');
  });

  it('listens on the given host and port only, with its socket in the work dir and the lab settings', () => {
    const args = postgresArgs({ dataDir: '/w/data', host: '127.0.0.1', port: 39254, socketDir: '/w/socket' });
    const settings = Object.fromEntries(args.slice(2).filter((_, i) => i % 2 === 1).map((s) => s.split(/=(.*)/s).slice(0, 2)));
    expect(args.slice(0, 2)).toEqual(['-D', '/w/data']);
    expect(settings).toMatchObject({ listen_addresses: '127.0.0.1', port: '39254', unix_socket_directories: '/w/socket', shared_buffers: '64MB' });
    expect(Object.keys(settings)).toEqual(expect.arrayContaining(Object.keys(labSettings)));
  });

  it('leaves the socket out where its path would pass the 107 bytes a Unix socket may have', () => {
    const long = `/${'x'.repeat(100)}`;
    expect(postgresArgs({ dataDir: '/d', host: '127.0.0.1', port: 5432, socketDir: long })).toContain('unix_socket_directories=');
  });

  it("reads the release from `postgres --version`, Debian's and others'", () => {
    expect(parsePostgresVersion('postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toEqual({ version: '15.18', major: 15 });
    expect(parsePostgresVersion('postgres (PostgreSQL) 17.2')).toEqual({ version: '17.2', major: 17 });
    expect(parsePostgresVersion('bash: postgres: not found')).toBeUndefined();
  });
});

describe('PostgreSQL as a prerequisite', () => {
  it('names the Debian package to install when the server binaries are missing', async () => {
    const error = await rejection(detectPostgres('/usr/lib/postgresql/15/bin', notInstalled));
    expect(error.code).toBe('PREREQUISITE_MISSING');
    expect(error.message).toContain('no /usr/lib/postgresql/15/bin/postgres');
    expect(error.message).toContain('apt-get install postgresql-15');
  });

  it('refuses a release older than 15 and takes 15 or later', async () => {
    expect((await rejection(detectPostgres('/opt/pg/bin', machine('postgres (PostgreSQL) 13.4')))).message).toContain('needs 15 or later');
    expect(await detectPostgres('/opt/pg/bin', machine('postgres (PostgreSQL) 16.1'))).toEqual({
      postgres: '/opt/pg/bin/postgres',
      initdb: '/opt/pg/bin/initdb',
      version: '16.1',
    });
  });

  it('runs the server as the postgres user only when tierlab is root, and says so when there is none', async () => {
    expect(await serverAccountFor(1000, notInstalled)).toBeUndefined();
    expect(await serverAccountFor(0, machine(''))).toEqual({ name: 'postgres', uid: 101, gid: 104 });
    const error = await rejection(serverAccountFor(0, machine('', '')));
    expect(error.message).toContain('refuses to run as root');
  });

  it('in auto mode, with no WAREHOUSE_URL, no docker and no PostgreSQL, says what to install', async () => {
    const settings = serviceSettingsFrom({ TIERLAB_CACHE_DIR: dir });
    const error = await rejection(
      provisionWarehouse({ mode: 'auto', ownership: 'session', settings, env: {}, run: notInstalled, dockerProbe: async () => false, uid: 1000 }),
    );
    expect(error.code).toBe('PREREQUISITE_MISSING');
    expect(error.message).toContain('cannot provide the warehouse (PostgreSQL)');
    expect(error.message).toContain('apt-get install postgresql-15');
    expect(error.message).toContain('WAREHOUSE_URL');
  });

  it('uses WAREHOUSE_URL first, and starts nothing', async () => {
    const settings = serviceSettingsFrom({ TIERLAB_CACHE_DIR: dir });
    const warehouse = await provisionWarehouse({
      mode: 'auto',
      ownership: 'session',
      settings,
      env: { WAREHOUSE_URL: 'postgres://lab:pw@db.test:6543/dw' },
      run: notInstalled,
      dockerProbe: async () => true,
      probe: async () => ({ ok: true, detail: 'PostgreSQL 16.4', version: '16.4' }),
    });
    expect(warehouse.description).toMatchObject({ server: 'PostgreSQL (external)', version: '16.4', endpoint: 'db.test:6543/dw', mode: 'external' });
    await warehouse.stop();
  });
});

describe('settings and WAREHOUSE_URL', () => {
  it("defaults to PostgreSQL's own port and Debian's binaries, and takes TIERLAB_POSTGRES_PORT and TIERLAB_POSTGRES_BIN_DIR", () => {
    expect(serviceSettingsFrom({})).toMatchObject({ postgresPort: 15432, postgresBinDir: '/usr/lib/postgresql/15/bin' });
    expect(serviceSettingsFrom({ TIERLAB_POSTGRES_PORT: '39254', TIERLAB_POSTGRES_BIN_DIR: '/opt/pg/bin' })).toMatchObject({
      postgresPort: 39254,
      postgresBinDir: '/opt/pg/bin',
    });
    expect(refusal(() => serviceSettingsFrom({ TIERLAB_POSTGRES_PORT: '70000' }))).toContain('TIERLAB_POSTGRES_PORT');
  });

  it('reads host, port, database, user, password and TLS from the URL', () => {
    expect(parseWarehouseUrl({})).toBeUndefined();
    expect(parseWarehouseUrl({ WAREHOUSE_URL: 'postgresql://lab:p%40ss@db.test/dw?sslmode=require' })).toEqual({
      host: 'db.test',
      port: 5432,
      database: 'dw',
      user: 'lab',
      password: 'p@ss',
      ssl: 'require',
    });
    // As libpq does, no database names the user's own.
    expect(parseWarehouseUrl({ WAREHOUSE_URL: 'postgres://lab@[::1]:6543' })).toMatchObject({ host: '::1', port: 6543, database: 'lab', password: '' });
  });

  it('refuses a URL that is not PostgreSQL, has no user, or an sslmode it does not know, never showing its password', () => {
    expect(refusal(() => parseWarehouseUrl({ WAREHOUSE_URL: 'mysql://lab:secret-1@db.test/dw' }))).not.toContain('secret-1');
    expect(refusal(() => parseWarehouseUrl({ WAREHOUSE_URL: 'postgres://db.test/dw' }))).toContain('must name a host and a user');
    expect(refusal(() => parseWarehouseUrl({ WAREHOUSE_URL: 'postgres://lab@db.test/dw?sslmode=maybe' }))).toContain('sslmode "maybe"');
    expect(isTierlabError(thrown(() => parseWarehouseUrl({ WAREHOUSE_URL: 'not a url' })), 'BAD_INPUT')).toBe(true);
  });

  it("counts the warehouse's password among the secrets to mask", () => {
    const warehouse = parseWarehouseUrl({ WAREHOUSE_URL: 'postgres://lab:pw-42@db.test/dw' });
    expect(secretsOf({ warehouse })).toEqual(['pw-42']);
  });
});
