import { TierlabError } from '../errors.ts';
import { postgresAnswers } from '../warehouse/postgres/connect.ts';
import { attachedHandle, type Environment } from './external.ts';
import { maxPort } from './ports.ts';
import { redactUrl } from './secrets.ts';
import type { Health, ServiceHandle, WarehouseEndpoint } from './types.ts';

/** A warehouse someone else runs: checked and described, never stopped by tierlab. */
export async function connectExternalWarehouse(
  endpoint: WarehouseEndpoint,
  probe: (endpoint: WarehouseEndpoint) => Promise<Health & { version?: string }> = postgresAnswers,
  now: () => number = Date.now,
): Promise<ServiceHandle<WarehouseEndpoint>> {
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
