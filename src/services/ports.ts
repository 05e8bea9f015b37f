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

/** TCP ports are 16 bits, and 0 means "any free port", which a server others connect to cannot use. */
export const maxPort = 65_535;

export function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > maxPort) {
    throw new TierlabError('BAD_INPUT', `${name} must be a port number from 1 to ${maxPort} (got "${value}")`, {
      details: { name, value },
    });
  }
  return port;
}

/**
 * The KRaft controller's port when none is named: the one after the broker's. A broker on the
 * last port leaves none, which is refused here, naming the setting, rather than by Kafka later.
 */
export function controllerPortAfter(kafkaPort: number, name: string): number {
  if (kafkaPort >= maxPort) {
    throw new TierlabError(
      'BAD_INPUT',
      `${name} ${kafkaPort} leaves no port for the Kafka controller, which takes the next one (${kafkaPort + 1}): ` +
        `choose at most ${maxPort - 1} or set TIERLAB_KAFKA_CONTROLLER_PORT`,
      { details: { name, value: kafkaPort } },
    );
  }
  return kafkaPort + 1;
}
