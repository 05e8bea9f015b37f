import { describe, expect, inject, it } from 'vitest';
import { loadDataset, systemClock } from '../../src/events/index.ts';
import { measureBatchFloor } from '../../pipelines/batch/floor/batch-floor.ts';

const { s3 } = inject('services');

const ms = (micros: number) => `${(micros / 1000).toFixed(1)} ms`;

describe('floor row (f): the batch job over S3 beside DuckDB on local Parquet (real S3)', () => {
  it('both rows compute the ground truth; the ratio is printed', async () => {
    const profile = await loadDataset('payments');
    const result = await measureBatchFloor({
      s3,
      profile,
      seed: 42,
      rate: 2_000,
      durationMs: 20_000,
      windowMs: profile.windowMs,
      runs: 5,
      // Two rounds of the server warm-up: its requests are not counted in any run's.
      s3WarmupRounds: 2,
      clock: systemClock,
    });
    const [local, job] = result.rows;
    console.log(
      [
        `batch floor: ${result.events} events, ${result.windows} windows, ${result.rawObjects} raw objects (${result.rawBytes} B) ` +
          `vs one local file (${result.localParquetBytes} B), read path ${result.readPath}`,
        ...result.rows.map(
          (row) =>
            `  ${row.name.padEnd(12)} p50 ${ms(row.p50Micros)}  p99 ${ms(row.p99Micros)}  max ${ms(row.maxMicros)}  ` +
            `CPU ${row.cpuMicrosPerEvent.toFixed(1)} µs/event  runs ${row.runMicros.map(ms).join(', ')}`,
        ),
        `  batch-job / duckdb-local (p50): ${result.ratio.toFixed(2)}x (target ≤ 1.5x)`,
        `  job requests per run: ${JSON.stringify(job.requests?.[0])}`,
      ].join('\n'),
    );

    expect(result.events).toBeGreaterThan(39_000); // 40,000 scheduled, less the malformed share
    expect(local).toMatchObject({ name: 'duckdb-local', runs: 5, correct: true, mismatchCount: 0 });
    expect(job).toMatchObject({ name: 'batch-job', runs: 5, correct: true, mismatchCount: 0 });
    expect(result.correct).toBe(true);
    for (const row of result.rows) {
      expect(row.runMicros).toHaveLength(5);
      expect(row.p50Micros).toBeGreaterThan(0);
      expect(row.p50Micros).toBeLessThanOrEqual(row.maxMicros);
      expect(row.cpuMicrosPerEvent).toBeGreaterThan(0);
    }
    // A fresh state each run: the job read every raw object and PUT every partition each time.
    for (const requests of job.requests ?? []) {
      expect(requests.get).toBe(result.readPath === 'staged' ? result.rawObjects : 0);
      expect(requests.put).toBeGreaterThanOrEqual(1);
    }
    expect(result.ratio).toBe(job.p50Micros / local.p50Micros);
  }, 90_000);
});
