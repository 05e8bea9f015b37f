import { TierlabError } from '../../errors.ts';
import type { CommandRunner } from '../native/commands.ts';
import type { ServiceSettings } from '../settings.ts';

/**
 * `services up --mode docker` must outlive the command, which testcontainers' reaper would not
 * allow, so it runs the project's docker-compose.yml, the same file users run by hand.
 */
export async function composeUp(composeFile: string, settings: ServiceSettings, run: CommandRunner): Promise<void> {
  const result = await run('docker', ['compose', '-f', composeFile, 'up', '-d', '--wait'], {
    env: {
      ...process.env,
      KAFKA_PORT: String(settings.kafkaPort),
      S3_PORT: String(settings.s3Port),
      POSTGRES_PORT: String(settings.postgresPort),
    },
  });
  if (result.code !== 0) {
    throw new TierlabError('SERVICE_START_FAILED', `docker compose up failed: ${(result.stderr || result.stdout).trim()}`);
  }
}

export async function composeDown(composeFile: string, run: CommandRunner): Promise<void> {
  const result = await run('docker', ['compose', '-f', composeFile, 'down', '-v']);
  if (result.code !== 0) {
    throw new TierlabError('SERVICE_STATE', `docker compose down failed: ${(result.stderr || result.stdout).trim()}`);
  }
}
