import { join } from 'node:path';

/**
 * The command lines of the native PostgreSQL server, as pure functions so that they are tested
 * without a server: who runs it, initdb's and the postmaster's arguments, the lab's settings.
 */

/** The system account PostgreSQL runs as when tierlab is root: Debian's package creates it. */
export interface ServerAccount {
  name: string;
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. As root, each command is run through setpriv as the account
 * (setpriv execs the command, so the pid started is the server's own, to signal and to sample);
 * as anyone else, as themselves.
 */
export function asAccount(account: ServerAccount | undefined, command: string, args: readonly string[]): { command: string; args: string[] } {
  if (!account) return { command, args: [...args] };
  return {
    command: 'setpriv',
    args: [`--reuid=${account.uid}`, `--regid=${account.gid}`, '--init-groups', '--', command, ...args],
  };
}

/** The account's uid and gid from a `getent passwd NAME` line ("postgres:x:101:104:..."). */
export function parsePasswdLine(line: string): ServerAccount | undefined {
  const [name, , uid, gid] = line.trim().split(':');
  if (!name || uid === undefined || gid === undefined || !/^\d+$/.test(uid) || !/^\d+$/.test(gid)) return undefined;
  return { name, uid: Number(uid), gid: Number(gid) };
}

export interface InitdbArgs {
  dataDir: string;
  /** The superuser's role: the lab user, so no second role is needed. */
  user: string;
  /** A file holding its password, read once by initdb. */
  passwordFile: string;
}

/**
 * A fresh cluster: passwords (SCRAM) over TCP, trust on the Unix socket (its directory is the
 * server's own, in the work dir), the C locale so messages and sorting are the same on every machine.
 * --no-sync: a lab cluster is made anew, not kept through a crash, and fsyncing it costs seconds.
 */
export function initdbArgs(options: InitdbArgs): string[] {
  return [
    '-D',
    options.dataDir,
    `--username=${options.user}`,
    `--pwfile=${options.passwordFile}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ];
}

/**
 * Modest settings for a lab on a laptop (PostgreSQL's defaults, sized for a dedicated server, are
 * not far off; these keep memory small and say so). Durability stays as shipped: a load is visible
 * when it is committed to disk, as the design's "visible time" asks.
 */
export const labSettings: Readonly<Record<string, string>> = {
  shared_buffers: '64MB',
  work_mem: '16MB',
  maintenance_work_mem: '64MB',
  max_connections: '40',
  max_wal_size: '512MB',
  // Everything goes to stderr, which tierlab sends to the log file in the work dir.
  logging_collector: 'off',
  log_destination: 'stderr',
  log_min_messages: 'warning',
  log_line_prefix: '%m [%p] ',
  timezone: 'UTC',
};

/** Unix socket paths are limited to 107 bytes (sun_path); a longer one would stop the server. */
export const maxSocketPathBytes = 107;

export interface ServerArgs {
  dataDir: string;
  host: string;
  port: number;
  socketDir: string;
}

/**
 * The postmaster's arguments: TCP on the given host only (127.0.0.1 for the lab), the socket in the
 * work dir (not Debian's /var/run/postgresql, which belongs to the system's own clusters), or none
 * where that path would be too long: tierlab connects over TCP anyway.
 */
export function postgresArgs(options: ServerArgs, settings: Readonly<Record<string, string>> = labSettings): string[] {
  const socketPath = join(options.socketDir, `.s.PGSQL.${options.port}`);
  const socketDirs = Buffer.byteLength(socketPath) <= maxSocketPathBytes ? options.socketDir : '';
  const all: Record<string, string> = {
    listen_addresses: options.host,
    port: String(options.port),
    unix_socket_directories: socketDirs,
    ...settings,
  };
  return ['-D', options.dataDir, ...Object.entries(all).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

/** The major release from `postgres --version` ("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"). */
export function parsePostgresVersion(output: string): { version: string; major: number } | undefined {
  const match = /\(PostgreSQL\)\s+((\d+)(?:\.\d+)*)/.exec(output);
  return match ? { version: match[1] as string, major: Number(match[2]) } : undefined;
}
