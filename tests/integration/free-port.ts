import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port nothing listens on now: fixed ports collide with whatever else runs on the machine (another file, another checkout's tests). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
