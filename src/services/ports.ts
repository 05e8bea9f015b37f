import { createServer } from 'node:net';
import { TierlabError } from '../errors.ts';

/** Fails with PORT_IN_USE, naming the port and what wanted it, when something listens there. */
export async function assertPortFree(port: number, host: string, wantedBy: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(
          new TierlabError(
            'PORT_IN_USE',
            `port ${port} on ${host} is already in use; ${wantedBy} needs it. ` +
              `Stop what listens there (try: ss -ltnp 'sport = :${port}') or choose another port.`,
            { details: { port, host }, cause: error },
          ),
        );
      } else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

export function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new TierlabError('BAD_INPUT', `${name} must be a port number from 1 to 65535 (got "${value}")`, {
      details: { name, value },
    });
  }
  return port;
}
