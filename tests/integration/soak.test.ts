import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capacitySchemaVersion, type CapacityResult } from '../../src/results/capacity.ts';
import { parseSoak } from '../../src/soak/file.ts';
import { runCli } from './cli.ts';

const out = await mkdtemp(join(tmpdir(), 'tierlab-it-soak-'));
afterAll(() => rm(out, { recursive: true, force: true }));

/** A stored capacity of the demo's streaming tier, as `tierlab capacity` would leave it: the soak offers 80% of it. */
async function storeCapacity(perSec: number): Promise<void> {
  const capacity: CapacityResult = {
    schemaVersion: capacitySchemaVersion,
    scenario: 'demo',
    runId: '20260101-000000-demo-cafe',
    startedAt: '2026-01-01T00:00:00.000Z',
    slaP99Micros: 60_000_000,
    environment: { cpus: 2, cpuModel: 'test', node: process.version, servicesMode: 'external', kafka: { version: 'test' } },
    quick: true,
    stepSec: 10,
    tiers: { streaming: { maxRatePerSec: perSec, steps: [], stoppedBecause: 'stored by the test' } },
  };
  await mkdir(join(out, capacity.runId), { recursive: true });
  await writeFile(join(out, capacity.runId, 'capacity.json'), JSON.stringify(capacity));
}

describe('tierlab soak (real Kafka and S3)', () => {
  it("runs a tier at 80% of its stored capacity, samples each process's RSS, and writes soak.json and a table", async () => {
    await storeCapacity(2_500);
    const args = ['soak', 'demo', '--tier', 'streaming', '--duration', '20s', '--settle', '6s', '--sample-every', '2s', '--no-warmup', '--out', out];
    const { code, stdout, stderr } = await runCli(args);
    const runs = (await readdir(out)).filter((name) => name !== '20260101-000000-demo-cafe');
    expect(runs, `${stdout}\n${stderr}`).toHaveLength(1);
    const path = join(out, runs[0]!, 'soak.json');
    const soak = parseSoak(await readFile(path, 'utf8'), path);

    expect(soak.rate).toMatchObject({ ratePerSec: 2_000, basis: 'capacity', load: 0.8, capacityPerSec: 2_500, capacityRunId: '20260101-000000-demo-cafe' });
    expect(soak.tiers).toEqual([expect.objectContaining({ name: 'streaming', state: 'ok', correct: true })]);
    expect(soak.tiers[0]!.achievedPerSec).toBeGreaterThan(1_000);
    // This process, the generator's and the tier worker's, each judged on its samples after the settling time.
    const names = soak.processes.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['harness', 'generator', 'tier:streaming']));
    for (const process of soak.processes.filter((p) => p.judged)) {
      expect(process.samples, process.name).toBeGreaterThanOrEqual(5);
      expect(process.series.length).toBeGreaterThan(process.samples);
      expect(process.startRssBytes).toBeGreaterThan(10 * 2 ** 20);
      expect(['flat', 'growing']).toContain(process.verdict);
    }
    // The table: a row per process, then the verdict; the exit code says the same.
    for (const name of names) expect(stdout).toMatch(new RegExp(`^${name}\\s+\\d+\\s+\\d+\\s+[\\d.]+ MiB`, 'm'));
    expect(stdout).toContain(`verdict: ${soak.verdict}`);
    expect(stdout).toContain(`soak: ${path}`);
    expect(code, stderr).toBe(soak.verdict === 'flat' ? 0 : 1);
  }, 90_000);
});
