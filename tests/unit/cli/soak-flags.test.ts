import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.ts';
import { registerSoakCommand } from '../../../src/cli/soak.ts';
import { TierlabError } from '../../../src/errors.ts';

const io: CliIo = { env: {}, out: () => undefined, err: () => undefined };

/** The error `tierlab soak` fails with: its flags are read first; a scenario that does not exist then stops it. */
async function failure(...flags: string[]): Promise<TierlabError> {
  const program = new Command('tierlab').exitOverride();
  registerSoakCommand(program, io);
  const error = await program.parseAsync(['soak', 'no-such-scenario', ...flags], { from: 'user' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TierlabError);
  return error as TierlabError;
}

describe('tierlab soak flags', () => {
  it('takes a duration, a settling time, a sampling interval, a load and tiers', async () => {
    expect((await failure('--duration', '10m', '--settle', '2m', '--sample-every', '5s', '--load', '0.5', '--tier', 'streaming', '--tier', 'microbatch')).code).toBe('UNKNOWN_NAME');
  });

  it('refuses a bad one, naming it', async () => {
    const cases: Array<[string[], string]> = [
      [['--duration', 'ten'], '--duration must be a duration such as 500ms, 30s, 2m, 1h or 1d (got "ten")'],
      [['--duration', '2d'], '--duration must be from 1s to 24h (got "2d")'],
      [['--duration', '20s', '--settle', '15s', '--sample-every', '2s'], '--duration 20s leaves too little after --settle 15s for 3 samples every 2s'],
      [['--duration', '20s', '--sample-every', '50ms'], '--sample-every must be at least 100ms (got "50ms")'],
      [['--duration', '10m', '--load', '1.5'], '--load must be a number > 0 and at most 1 (got "1.5")'],
      [['--duration', '10m', '--rate', '0'], '--rate must be a number > 0 and at most 1000000 (got "0")'],
      [['--duration', '10m', '--tier', 'lambda'], '--tier must be one of batch, microbatch, streaming (got "lambda")'],
    ];
    for (const [flags, message] of cases) {
      const error = await failure(...flags);
      expect(error.code, message).toBe('BAD_INPUT');
      expect(error.message).toContain(message);
    }
  });
});
