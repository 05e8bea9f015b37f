import { describe, expect, it } from 'vitest';
import { parseRawObjectKey, rawObjectKey } from '../../../src/lake/raw-zone.ts';
import { batchFloorRows, type BatchFloorResult, type BatchFloorRow } from '../../../pipelines/batch/floor/batch-floor.ts';
import { planRawObjects, type LayoutRecord } from '../../../pipelines/batch/floor/batch-floor-layout.ts';
import { cpuDeltaMicros, nearestRank, phaseP50s, ratioToFloor, runStats } from '../../../pipelines/batch/floor/batch-floor-stats.ts';
import { jobPhases, noPhaseMicros, timePhase } from '../../../pipelines/batch/job-phases.ts';

describe('batch floor statistics', () => {
  it('takes nearest-rank percentiles, never interpolated', () => {
    const five = [500, 100, 300, 200, 400];
    expect(nearestRank(five, 0.5)).toBe(300);
    expect(nearestRank(five, 0.99)).toBe(500);
    expect(nearestRank(five, 0.999)).toBe(500);
    expect(nearestRank([10, 20, 30, 40], 0.5)).toBe(20); // lower middle: a measured time, not 25
    expect(nearestRank([7], 0.5)).toBe(7);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(hundred, 0.99)).toBe(99);
    expect(nearestRank(hundred, 0.5)).toBe(50);
    expect(nearestRank(hundred, 0.999)).toBe(100);
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(nearestRank(thousand, 0.999)).toBe(999);
  });

  it('refuses no samples and percentiles out of range', () => {
    expect(() => nearestRank([], 0.5)).toThrow(RangeError);
    expect(() => nearestRank([1], 0)).toThrow(RangeError);
    expect(() => nearestRank([1], 1.5)).toThrow(RangeError);
    expect(() => runStats([], 10)).toThrow(RangeError);
    expect(() => runStats([{ wallMicros: 1, cpuMicros: 1 }], 0)).toThrow(RangeError);
  });

  it('sums CPU over the runs and divides by every event they aggregated', () => {
    const stats = runStats(
      [
        { wallMicros: 1_200, cpuMicros: 4_000 },
        { wallMicros: 1_000, cpuMicros: 2_000 },
        { wallMicros: 3_000, cpuMicros: 6_000 },
      ],
      1_000,
    );
    expect(stats).toEqual({ runs: 3, p50Micros: 1_200, p99Micros: 3_000, p999Micros: 3_000, maxMicros: 3_000, cpuMicrosPerEvent: 4 });
  });

  it('gives the ratio to the floor by p50', () => {
    expect(ratioToFloor(150, 100)).toBe(1.5);
    expect(ratioToFloor(0, 0)).toBe(1);
    expect(ratioToFloor(5, 0)).toBe(Infinity);
    expect(cpuDeltaMicros({ user: 100, system: 50 }, { user: 400, system: 70 })).toBe(320);
  });
});

describe("where the batch job's time goes", () => {
  const run = (list: number, get: number, query: number, scan: number, put: number) => ({ list, get, query, scan, put });

  it('takes each phase its own p50 over the runs, so the parts come from different runs', () => {
    const runs = [run(1, 50, 30, 20, 5), run(3, 10, 90, 40, 6), run(2, 30, 60, 10, 4)];
    expect(phaseP50s(runs, jobPhases)).toEqual({ list: 2, get: 30, query: 60, scan: 20, put: 5 });
    expect(phaseP50s([run(7, 8, 9, 10, 11)], jobPhases)).toEqual(run(7, 8, 9, 10, 11));
    expect(() => phaseP50s([], jobPhases)).toThrow(RangeError);
  });

  it('adds a step to its phase on the clock, also when the step throws', async () => {
    let now = 1_000;
    const clock = { nowMicros: () => now };
    const phases = noPhaseMicros();
    const value = await timePhase(phases, 'get', clock, async () => {
      now += 250;
      return 'staged';
    });
    await timePhase(phases, 'get', clock, async () => void (now += 50));
    await expect(
      timePhase(phases, 'put', clock, async () => {
        now += 7;
        throw new Error('S3 down');
      }),
    ).rejects.toThrow('S3 down');
    expect(value).toBe('staged');
    expect(phases).toEqual({ list: 0, get: 300, query: 0, scan: 0, put: 7 });
  });
});

const at = (second: number) => Date.parse('2026-01-05T09:59:50Z') * 1000 + second * 1_000_000;
const byName = (key: string) => Number(key.slice(1)); // 'k3' -> partition 3 % n

function records(count: number, everyMicros: number, startMicros = at(0)): Array<LayoutRecord<number>> {
  return Array.from({ length: count }, (_, i) => ({ key: `k${i % 2}`, eventTimeMicros: startMicros + i * everyMicros, row: i }));
}

describe('the raw zone as the lake sink would write it', () => {
  const options = { topic: 't', partitions: 2, partitionOfKey: (key: string, n: number) => byName(key) % n, flushRecords: 4, flushMs: 10_000 };

  it('flushes every flushRecords records, one object per partition, named by offsets', () => {
    const plan = planRawObjects(records(8, 1_000), options);
    const key = (partition: number, first: number, last: number) =>
      rawObjectKey({ dt: '2026-01-05', hour: '09', topic: 't', partition, firstOffset: BigInt(first), lastOffset: BigInt(last) });
    expect(plan.map((object) => object.key)).toEqual([key(0, 0, 1), key(1, 0, 1), key(0, 2, 3), key(1, 2, 3)]);
    expect(plan.map((object) => object.rows)).toEqual([[0, 2], [1, 3], [4, 6], [5, 7]]);
    for (const object of plan) expect(parseRawObjectKey(object.key)).toBeDefined();
  });

  it('flushes when the oldest buffered record is flushMs old', () => {
    const plan = planRawObjects(records(3, 6_000_000), { ...options, flushRecords: 100 });
    // t=0 and t=6 s buffered; t=12 s is 12 s after the oldest: flush before it.
    expect(plan.map((object) => object.rows)).toEqual([[0], [1], [2]]);
  });

  it('splits a flush by event-time hour, and malformed records take offsets but are not written', () => {
    const input: Array<LayoutRecord<number>> = [
      { key: 'k0', eventTimeMicros: at(0), row: 0 },
      { key: 'k0', eventTimeMicros: at(5) }, // malformed: offset 1
      { key: 'k0', eventTimeMicros: at(11), row: 2 }, // 10:00:01, the next hour
      { key: 'k1', eventTimeMicros: at(11) }, // malformed only: partition 1 writes nothing
    ];
    const plan = planRawObjects(input, { ...options, flushRecords: 100, flushMs: 60_000 });
    expect(plan.map((object) => [parseRawObjectKey(object.key), object.rows])).toEqual([
      [{ dt: '2026-01-05', hour: '09', topic: 't', partition: 0, firstOffset: 0n, lastOffset: 2n }, [0]],
      [{ dt: '2026-01-05', hour: '10', topic: 't', partition: 0, firstOffset: 0n, lastOffset: 2n }, [2]],
    ]);
  });

  it('writes every valid row exactly once', () => {
    const input = records(1_000, 3_000_000 / 1_000);
    const plan = planRawObjects(input, { ...options, flushRecords: 64, flushMs: 500 });
    expect(plan.flatMap((object) => object.rows).sort((a, b) => a - b)).toEqual(input.map((r) => r.row));
    expect(new Set(plan.map((object) => object.key)).size).toBe(plan.length);
  });
});

describe('floor.json rows', () => {
  const row = (name: BatchFloorRow['name'], p50Micros: number, extra: Partial<BatchFloorRow> = {}): BatchFloorRow => ({
    name,
    runs: 5,
    p50Micros,
    p99Micros: p50Micros * 2,
    p999Micros: p50Micros * 2,
    maxMicros: p50Micros * 2,
    cpuMicrosPerEvent: 3,
    runMicros: [],
    ratioToFloor: 1,
    correct: true,
    mismatchCount: 0,
    mismatches: [],
    ...extra,
  });
  const result: BatchFloorResult = {
    events: 1_000,
    windows: 10,
    localParquetBytes: 1,
    rawObjects: 60,
    rawBytes: 2,
    readPath: 'staged',
    rows: [
      row('duckdb-local', 100),
      row('batch-job', 300, {
        ratioToFloor: 3,
        correct: false,
        mismatchCount: 2,
        serverCpuMicrosPerEvent: 7,
        breakdownMicros: { list: 10, get: 120, query: 90, scan: 60, put: 15 },
      }),
    ],
    ratio: 3,
    correct: false,
  };

  it('counts runs, carries the ratio on batch-job and makes a wrong answer an error', () => {
    const [local, job] = batchFloorRows(result);
    expect(local).toMatchObject({ name: 'duckdb-local', count: 5, loop: 'none', resolution: 'µs', p50Micros: 100, cpuMicrosPerEvent: 3 });
    expect(local).not.toHaveProperty('ratioToFloor');
    expect(local).not.toHaveProperty('error');
    expect(job).toMatchObject({ name: 'batch-job', p50Micros: 300, ratioToFloor: 3, brokerCpuMicrosPerEvent: 7 });
    expect(job!.breakdownMicros).toEqual({ list: 10, get: 120, query: 90, scan: 60, put: 15 });
    expect(local).not.toHaveProperty('breakdownMicros');
    expect(job!.error).toMatch(/2 window\(s\) differ/);
    expect(job!.what).toMatch(/60 objects, staged/);
  });
});
