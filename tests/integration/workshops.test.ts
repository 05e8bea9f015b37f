import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';

const out = await mkdtemp(join(tmpdir(), 'tierlab-it-workshops-'));
afterAll(() => rm(out, { recursive: true, force: true }));

describe('tierlab workshop (issue 13), against real Kafka and S3', () => {
  it('lists the eight exercises, and a check with no runs and no answer fails, saying what to do', async () => {
    const list = await runCli(['workshop', 'list']);
    expect(list.code, list.stderr).toBe(0);
    for (const letter of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) expect(list.stdout).toMatch(new RegExp(`^\\d\\s+${letter}\\s`, 'm'));
    const empty = await runCli(['workshop', 'check', 'b', '--results', join(out, 'nothing')]);
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain('no answer file');
    expect(empty.stdout).toContain('it needs at least two triggers');
  });

  // CI budget: the eleven quick reference runs (exercise (g) reads (a)'s run, (f) runs no tier), one
  // tier each but (a)'s, no warm-up, in one process on one set of services: about 4 minutes (h's
  // three start a JVM each, built before the tests by the global setup).
  it("passes every exercise's reference solution: workshop check all --reference", async () => {
    const { code, stdout, stderr } = await runCli(['workshop', 'check', 'all', '--reference', '--results', out]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain('8 of 8 exercises passed');
    expect(stderr).toMatch(/reference run 11\/11/);
  }, 600_000);
});
