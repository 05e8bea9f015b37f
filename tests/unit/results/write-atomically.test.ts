import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../../src/results/write-atomically.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('writing a result file (issue 19, item 6)', () => {
  it('makes the folder and writes the whole file, leaving nothing beside it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tierlab-atomic-'));
    const path = join(dir, 'run-1', 'summary.json');
    await writeFileAtomically(path, '{"ok":true}\n');
    expect(await readFile(path, 'utf8')).toBe('{"ok":true}\n');
    expect(await readdir(join(dir, 'run-1'))).toEqual(['summary.json']);
  });

  it('leaves the old file whole when the new one fails half-way, and no partial file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tierlab-atomic-'));
    const path = join(dir, 'summary.json');
    await writeFile(path, 'the old result\n');
    async function* halfThenFail() {
      yield 'the first half of a new ';
      throw new Error('killed');
    }
    await expect(writeFileAtomically(path, halfThenFail())).rejects.toThrow('killed');
    expect(await readFile(path, 'utf8')).toBe('the old result\n');
    expect(await readdir(dir)).toEqual(['summary.json']);
  });
});
