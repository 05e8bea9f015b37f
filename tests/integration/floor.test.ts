import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFloor } from '../../src/floor/file.ts';
import { floorRowNames } from '../../src/floor/types.ts';
import { runCli } from './cli.ts';

const out = await mkdtemp(join(tmpdir(), 'tierlab-it-floor-'));
afterAll(() => rm(out, { recursive: true, force: true }));

describe('tierlab floor, end to end', () => {
  it('measures every row on one broker and writes floor.json with the contract names', async () => {
    // One engine row of the others (each costs a JVM start): the rows for the rest are the same code.
    const { code, stdout, stderr } = await runCli(['floor', '--rate', '2000', '--duration', '6s', '--engine', 'streaming=kafka-streams', '--out', out]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const [runId] = await readdir(out);
    const path = join(out, runId!, 'floor.json');
    const floor = parseFloor(await readFile(path, 'utf8'), path);
    expect(floor.rows.map((r) => r.name).sort()).toEqual([...floorRowNames, 'streaming-kafka-streams'].sort());
    for (const row of floor.rows) {
      expect(row.error, `${row.name}: ${row.error}`).toBeUndefined();
      expect(row.count, row.name).toBeGreaterThan(0);
      expect(row.p99Micros, row.name).toBeGreaterThanOrEqual(row.p50Micros);
    }
    const byName = Object.fromEntries(floor.rows.map((r) => [r.name, r]));
    expect(byName['streaming-kafkajs']!.ratioToFloor).toBeGreaterThan(0);
    // Measured at the same rate against the same floor as the Node rows.
    expect(byName['streaming-kafka-streams']!.ratioToFloor).toBeGreaterThan(0);
    expect(byName['streaming-kafka-streams']!.cpuMicrosPerEvent).toBeGreaterThan(0);
    expect(byName['batch-job']!.ratioToFloor).toBeGreaterThan(0);
    expect(byName['microbatch-kafkajs']!.overheadP99Micros).toBeGreaterThan(0);
    // How few triggers that p99 is over is said beside it.
    expect(byName['microbatch-kafkajs']!.triggers).toBeGreaterThanOrEqual(1);
    expect(stdout).toContain("overhead p99: a trigger's processing p99 plus its publish p99, over");
    expect(stdout).toContain("Kafka's EndToEndLatency is closed loop");
  }, 240_000);
});
