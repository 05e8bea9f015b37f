import { Client, type ClientConfig } from 'pg';
import { TierlabError } from '../../errors.ts';
import type { Health, WarehouseEndpoint } from '../../services/types.ts';

/** An open connection to the warehouse; `await using` closes it. */
export interface WarehouseConnection extends AsyncDisposable {
  readonly client: Client;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** How long to wait for the server to accept the connection (default 5 s). */
  connectTimeoutMillis?: number;
  /** Shown by the server in pg_stat_activity, so the lab's connections can be told apart. */
  applicationName?: string;
}

/** The pg client's settings for an endpoint: one place, so TLS from WAREHOUSE_URL applies everywhere. */
export function clientConfig(endpoint: WarehouseEndpoint, options: ConnectOptions = {}): ClientConfig {
  return {
    host: endpoint.host,
    port: endpoint.port,
    database: endpoint.database,
    user: endpoint.user,
    password: endpoint.password,
    connectionTimeoutMillis: options.connectTimeoutMillis ?? 5_000,
    application_name: options.applicationName ?? 'tierlab',
    // libpq's sslmode=require encrypts without checking the certificate; verify-full checks it.
    ...(endpoint.ssl ? { ssl: { rejectUnauthorized: endpoint.ssl === 'verify-full' } } : {}),
  };
}

/** Connects, or fails with SERVICE_UNREACHABLE naming the server (never its password). */
export async function connectWarehouse(endpoint: WarehouseEndpoint, options: ConnectOptions = {}): Promise<WarehouseConnection> {
  const client = new Client(clientConfig(endpoint, options));
  // A server that goes away emits 'error' on an idle client; unheard, that would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (cause) {
    await client.end().catch(() => undefined);
    throw new TierlabError(
      'SERVICE_UNREACHABLE',
      `PostgreSQL at ${endpoint.host}:${endpoint.port} (database ${endpoint.database}, user ${endpoint.user}) does not answer: ${(cause as Error).message}`,
      { cause, retriable: true, details: { host: endpoint.host, port: endpoint.port } },
    );
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= client.end().catch(() => undefined));
  return { client, close, [Symbol.asyncDispose]: close };
}

/** The server's own version string, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
export async function serverVersion(client: Client): Promise<string> {
  const result = await client.query<{ server_version: string }>('SHOW server_version');
  return result.rows[0]?.server_version ?? 'unknown';
}

/** Whether the server accepts the lab's connection now, and which release it says it is: never a throw. */
export async function postgresAnswers(endpoint: WarehouseEndpoint, connectTimeoutMillis = 2_000): Promise<Health & { version?: string }> {
  try {
    await using connection = await connectWarehouse(endpoint, { connectTimeoutMillis, applicationName: 'tierlab-health' });
    const version = await serverVersion(connection.client);
    return { ok: true, detail: `PostgreSQL ${version}`, version };
  } catch (error) {
    const cause = error instanceof TierlabError && error.cause instanceof Error ? error.cause : error;
    return { ok: false, detail: (cause as Error).message };
  }
}
