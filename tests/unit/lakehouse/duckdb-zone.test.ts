import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/events/index.ts';
import { dashboardQueries } from '../../../src/lakehouse/dashboard-queries.ts';
import { queryDuckdbZone, rawZoneRelation } from '../../../src/lakehouse/duckdb-zone.ts';
import { openWarehouse } from '../../../src/warehouse/duckdb.ts';

const profile = { attributes: [{ name: 'country', values: { US: 1 } }], rules: [{ name: 'big', field: 'amountCents', op: 'gte' as const, value: 1_000 }] };
const minute = 60_000_000;
const lines = [
  `{"seq":0,"key":"card-1","eventTimeMicros":${minute},"amountCents":500,"attrs":{"country":"US"}}`,
  `{"seq":1,"key":"card-1","eventTimeMicros":${minute + 1},"amountCents":1500,"attrs":{"country":"US"},"deviceId":"dev-1"}`,
  `{"seq":2,"key":"card-1","eventTimeMicros":${minute + 2},"amount_cents":700,"attrs":{"country":"US"}}`,
  `{"seq":3,"key":"card-1","eventTimeMicros":${minute + 3},"amountCents":"12.50","attrs":{"country":"US"}}`,
  `{"seq":4,"key":"card-2","eventTimeMi`,
];

describe('the raw zone read by DuckDB (schema on read, a real embedded DuckDB)', () => {
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tierlab-raw-zone-'));
    files = [join(dir, 'a.ndjson'), join(dir, 'b.ndjson')];
    await writeFile(files[0]!, `${lines.slice(0, 3).join('\n')}\n`);
    await writeFile(files[1]!, `${lines.slice(3).join('\n')}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('still answers over drifted lines, wrongly: a renamed amount counted but not summed, a retyped one cast to 13 cents, a cut line left out', async () => {
    const sql = dashboardQueries(rawZoneRelation(files, profile), { windowMs: 60_000, rules: profile.rules, point: { key: 'card-1', windowStartMicros: minute } });
    const answers = await queryDuckdbZone(() => openWarehouse(), sql, { warmups: 1, runs: 2, clock: systemClock });
    expect(answers.rows.aggregate.map((row) => ({ ...row, count: Number(row.count), sumCents: Number(row.sumCents), big: Number(row.big) }))).toEqual([
      // 500 + 1500 + (renamed: NULL) + ("12.50" dollars cast to a whole number: 13, taken as cents).
      { key: 'card-1', windowStartMicros: BigInt(minute), count: 4, sumCents: 2_013, big: 1 },
    ]);
    expect(answers.rows.pointLookup.map((row) => Number(row.seq))).toEqual([0, 1, 2, 3]);
    expect(answers.queries.map((q) => [q.name, q.runs])).toEqual([
      ['aggregate', 2],
      ['topN', 2],
      ['pointLookup', 2],
    ]);
    // DuckDB's own count of the bytes each query read from the files, on its first, cold run.
    for (const query of answers.queries) expect(query.bytesScanned, query.name).toBeGreaterThan(0);
    expect(answers.cpuBasis).toBe('measured');
  });
});
