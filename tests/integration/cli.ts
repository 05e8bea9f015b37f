import { spawn } from 'node:child_process';
import { inject } from 'vitest';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Runs `tierlab ARGS` as a user would, against this test run's services given as external ones. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { kafka, s3 } = inject('services');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: {
        ...process.env,
        KAFKA_BROKERS: kafka.brokers.join(','),
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
