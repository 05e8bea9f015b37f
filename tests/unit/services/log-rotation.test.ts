import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rotateLog } from '../../../src/services/native/log-rotation.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a server's log at its start (issue 19, item 6)", () => {
  it('is rotated past the threshold, keeping the newest three, and left alone under it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tierlab-logs-'));
    const log = join(dir, 'kafka.log');
    await writeFile(log, 'small');
    expect(await rotateLog(log, 10)).toBe(false);
    for (const run of ['first run, long enough', 'second run, long enough', 'third run, long enough', 'fourth run, long enough']) {
      await writeFile(log, run);
      expect(await rotateLog(log, 10)).toBe(true);
    }
    expect((await readdir(dir)).sort()).toEqual(['kafka.log.1', 'kafka.log.2', 'kafka.log.3']);
    expect(await readFile(join(dir, 'kafka.log.1'), 'utf8')).toBe('fourth run, long enough');
    expect(await readFile(join(dir, 'kafka.log.3'), 'utf8')).toBe('second run, long enough');
  });
});
