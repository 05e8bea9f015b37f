import { setTimeout as sleep } from 'node:timers/promises';
import { Wait } from 'testcontainers';
import { TierlabError } from '../../errors.ts';
import { postgresAnswers } from '../../warehouse/postgres/connect.ts';
import type { ServiceHandle, WarehouseEndpoint } from '../types.ts';
import { LoopbackContainer } from './loopback.ts';
import { images, postgresContainerEnv } from './settings.ts';

export interface DockerWarehouseOptions {
  postgresPort: number;
  warehouseCredentials: { user: string; password: string; database: string };
  now?: () => number;
}

/** The PostgreSQL container, its port published on the loopback interface only, as docker-compose.yml does. */
export function postgresContainer(hostPort: number, credentials: DockerWarehouseOptions['warehouseCredentials']): LoopbackContainer {
  return new LoopbackContainer(images.postgres)
    .withEnvironment(postgresContainerEnv(credentials))
    .withLoopbackPorts({ container: 5432, host: hostPort });
}

/**
 * The official postgres image through testcontainers; its reaper removes the container if this
 * process dies. The image starts the server twice (once to make the role and database, then for
 * good), so it is ready at the second "ready to accept connections", and checked with a login.
 */
export async function startDockerWarehouse(options: DockerWarehouseOptions): Promise<ServiceHandle<WarehouseEndpoint>> {
  const now = options.now ?? Date.now;
  const started = now();
  const container = await postgresContainer(options.postgresPort, options.warehouseCredentials)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(120_000)
    .start()
    .catch((cause: unknown) => {
      throw new TierlabError('SERVICE_START_FAILED', `the PostgreSQL container (${images.postgres}) did not start`, { cause });
    });
  const endpoint: WarehouseEndpoint = { host: 'localhost', port: options.postgresPort, ...options.warehouseCredentials };
  let health = await postgresAnswers(endpoint);
  for (let i = 0; i < 60 && !health.ok; i++) {
    await sleep(500);
    health = await postgresAnswers(endpoint);
  }
  if (!health.ok) {
    await container.stop();
    throw new TierlabError('SERVICE_START_FAILED', `the PostgreSQL container does not let the lab user in: ${health.detail}`);
  }
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= container.stop().then(() => undefined));
  return {
    endpoint,
    description: {
      server: 'PostgreSQL',
      version: health.version ?? 'unknown',
      endpoint: `localhost:${options.postgresPort}`,
      mode: 'docker',
      startedAt: new Date(started).toISOString(),
      startMillis: now() - started,
    },
    health: () => postgresAnswers(endpoint),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
