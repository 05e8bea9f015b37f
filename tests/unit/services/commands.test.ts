import { describe, expect, it } from 'vitest';
import { TierlabError } from '../../../src/errors.ts';
import { defaultCommandTimeoutMs, runCommand } from '../../../src/services/native/commands.ts';
import { isAlive } from '../../../src/services/native/process.ts';

/** The error `promise` fails with, and how long it took to. */
async function failure(promise: Promise<unknown>): Promise<{ error: unknown; millis: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, millis: performance.now() - started };
}

// Real, short-lived commands: these test that a hung one is stopped, not how fast anything is.
describe('runCommand', () => {
  it('stops a command that outlives its timeout and fails naming it and the timeout', async () => {
    const { error, millis } = await failure(runCommand('sleep', ['5'], { timeoutMs: 200 }));
    expect(error).toBeInstanceOf(TierlabError);
    const e = error as TierlabError;
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toBe('"sleep 5" did not finish within 200 ms and was stopped');
    expect(e.details).toMatchObject({ command: 'sleep', args: ['5'], timeoutMs: 200 });
    expect(millis).toBeLessThan(4_000); // not the 5 s the command would have taken
    expect(isAlive(e.details.pid as number)).toBe(false);
  });

  it('kills one that ignores SIGTERM once the grace period is over', async () => {
    const ignoresTerm = runCommand('sh', ['-c', 'trap "" TERM; exec sleep 5'], { timeoutMs: 200, killGraceMs: 200 });
    const { error, millis } = await failure(ignoresTerm);
    expect((error as TierlabError).code).toBe('TIMEOUT');
    expect(millis).toBeLessThan(4_000);
    expect(isAlive((error as TierlabError).details.pid as number)).toBe(false);
  });

  it('fails in time when the command exits but something it started keeps its output open', async () => {
    const { error, millis } = await failure(runCommand('sh', ['-c', 'sleep 5 & exit 0'], { timeoutMs: 200 }));
    expect((error as TierlabError).code).toBe('TIMEOUT');
    expect(millis).toBeLessThan(4_000);
  });

  it('still returns what a command that finishes in time printed, with the default timeout too', async () => {
    expect(await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 5_000 })).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await runCommand('echo', ['hi'])).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
    // Maven's first fetch of the server jars takes minutes on a slow network; the default leaves room for it.
    expect(defaultCommandTimeoutMs).toBe(10 * 60_000);
  });

  it('rejects at once for a command that is not there', async () => {
    const { error } = await failure(runCommand('tierlab-no-such-command', []));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
