import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../src/services/native/process.ts';
import { freePort } from './free-port.ts';

describe('session-owned native services', () => {
  it('leave no process behind when their parent is killed with SIGKILL', async () => {
    const [kafka, controller, s3] = [await freePort(), await freePort(), await freePort()];
    const holder = spawn(process.execPath, [new URL('./fixtures/hold-services.ts', import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TIERLAB_KAFKA_PORT: String(kafka), TIERLAB_KAFKA_CONTROLLER_PORT: String(controller), TIERLAB_S3_PORT: String(s3) },
    });
    let output = '';
    holder.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    while (!output.includes('\n')) {
      if (holder.exitCode !== null) throw new Error(`holder exited early: ${output}`);
      await sleep(200);
    }
    const { pids } = JSON.parse(output) as { pids: number[] };
    expect(pids).toHaveLength(2);
    expect(pids.every(isAlive)).toBe(true);

    holder.kill('SIGKILL');
    await once(holder, 'exit');
    for (let i = 0; i < 100 && pids.some(isAlive); i++) await sleep(200);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
