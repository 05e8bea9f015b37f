import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/last-message-child.ts', import.meta.url));

describe("a worker's last message", () => {
  it('reaches a busy parent whole, however large, before the worker is gone', async () => {
    for (const size of [1_000, 300_000, 4_000_000]) {
      const worker = fork(child, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const heard: number[] = [];
      worker.on('message', (message: { data: string }) => heard.push(message.data.length));
      const gone = Promise.all([once(worker, 'exit'), once(worker, 'disconnect')]);
      worker.send(size);
      // Busy for longer than the worker waits after its channel closes: the message must already be in the pipe.
      const until = Date.now() + 300;
      while (Date.now() < until);
      await gone;
      expect(heard).toEqual([size]);
    }
  });
});
