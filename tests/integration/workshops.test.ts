import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { freePort } from './free-port.ts';

const out = await mkdtemp(join(tmpdir(), 'tierlab-it-workshops-'));
afterAll(() => rm(out, { recursive: true, force: true }));

describe('tierlab workshop (issue 13), against real Kafka and S3', () => {
  it('lists the nine exercises, and a check with no runs and no answer fails, saying what to do', async () => {
    const list = await runCli(['workshop', 'list']);
    expect(list.code, list.stderr).toBe(0);
    for (const letter of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) expect(list.stdout).toMatch(new RegExp(`^\\d\\s+${letter}\\s`, 'm'));
    const empty = await runCli(['workshop', 'check', 'b', '--results', join(out, 'nothing')]);
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain('no answer file');
    expect(empty.stdout).toContain('it needs at least two triggers');
  });

  // CI budget: the twelve quick reference runs (exercise (g) reads (a)'s run, (f) runs no tier), one
  // tier each but (a)'s, no warm-up, in one process on one set of services: about 4 minutes (h's
  // three start a JVM each, built before the tests by the global setup), and about a minute more
  // for (i)'s: the shortest stream the format allows (5 s) on one tier, then the lakehouse pass,
  // which starts Spark (its Iceberg module built by the global setup) and PostgreSQL.
  it("passes every exercise's reference solution: workshop check all --reference", async () => {
    // Exercise (i) serves a warehouse: PostgreSQL on a port of its own, apart from a developer's and the warehouse test's.
    const env = { TIERLAB_POSTGRES_PORT: process.env.TIERLAB_POSTGRES_PORT ?? String(await freePort()) };
    const { code, stdout, stderr } = await runCli(['workshop', 'check', 'all', '--reference', '--results', out], { env });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain('9 of 9 exercises passed');
    expect(stderr).toMatch(/reference run 12\/12/);
  }, 600_000);
});
