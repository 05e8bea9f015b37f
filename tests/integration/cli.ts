import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { inject } from 'vitest';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
/** The package bin, as `npx tierlab` runs it. */
export const bin = new URL('../../bin/tierlab.js', import.meta.url).pathname;

export interface RunCliOptions {
  /** Run the package bin (the front door) with this Node instead of src/cli/main.ts with this test's Node. */
  viaBin?: { node: string };
  /** Merged over the external-services environment, e.g. to point at a broker that is not there. */
  env?: Record<string, string>;
}

/** Runs `tierlab ARGS` as a user would, against this test run's services given as external ones. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = startCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `tierlab ARGS` as runCli does, for a command that keeps running (tierlab demo): the caller reads its output and ends it. */
export function startCli(args: string[], options: RunCliOptions = {}): ChildProcessByStdio<null, Readable, Readable> {
  const { kafka, s3 } = inject('services');
  const [node, entry] = options.viaBin ? [options.viaBin.node, bin] : [process.execPath, cli];
  return spawn(node, [entry, ...args], {
    env: {
      ...process.env,
      KAFKA_BROKERS: kafka.brokers.join(','),
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
