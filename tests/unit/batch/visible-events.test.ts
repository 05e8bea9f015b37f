import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVisibleRows } from '../../../pipelines/batch/visible-events.ts';
import type { VisibleEvent } from '../../../src/tiers/types.ts';
import { openWarehouse, sqlString, type Warehouse } from '../../../src/warehouse/duckdb.ts';

/*
 * readVisibleRows over local Parquet: no S3 is involved, only the embedded DuckDB. The same
 * function over objects staged from the real server is covered by tests/integration/batch-job.test.ts.
 */

let warehouse: Warehouse;
let dir: string;

beforeAll(async () => {
  warehouse = await openWarehouse();
  dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-visible-events-'));
});

afterAll(async () => {
  warehouse.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the visible rows of new inputs', () => {
  it('match each row to its input by position, whatever the inputs are named, exactly as numbers', async () => {
    // Named out of order, so matching by sorted file name instead of position would show.
    const names = ['c', 'a', 'b'];
    const paths: string[] = [];
    for (const [i, name] of names.entries()) {
      const path = join(dir, `vis-${name}.parquet`);
      await warehouse.connection.run(
        `COPY (SELECT (${i} * 100000 + range)::BIGINT AS seq, (1767600000123457 + range)::BIGINT AS eventTimeMicros, ` +
          `(1767600000123457 + range + 5)::BIGINT AS sentMicros, (1767600000123457 + range + 9)::BIGINT AS readMicros, 'k' AS key ` +
          `FROM range(${1_000 * (i + 1)})) TO ${sqlString(path)} (FORMAT parquet)`,
      );
      paths.push(path);
    }
    const rows = await readVisibleRows(warehouse.connection, paths);
    const events = rows.events([undefined, 42, 43]);
    expect(events).toHaveLength(6_000);
    // Against the BIGINTs themselves, through the generic reader.
    const reader = await warehouse.connection.runAndReadAll(
      `SELECT seq, eventTimeMicros, sentMicros, readMicros, filename FROM read_parquet([${paths.map(sqlString).join(', ')}], filename = true)`,
    );
    const landedByPath = new Map([[paths[1]!, 42], [paths[2]!, 43]]);
    const oracle = reader.getRows().map(([seq, eventTime, sent, read, file]) => {
      const at = landedByPath.get(String(file));
      return { seq: Number(seq), eventTimeMicros: Number(eventTime), sentMicros: Number(sent), readMicros: Number(read), ...(at !== undefined ? { landedMicros: at } : {}) };
    });
    const bySeq = (list: VisibleEvent[]) => [...list].sort((a, b) => a.seq - b.seq);
    expect(bySeq(events)).toEqual(bySeq(oracle));
    expect(events.find((event) => event.seq === 5)).toEqual({ seq: 5, eventTimeMicros: 1767600000123462, sentMicros: 1767600000123467, readMicros: 1767600000123471 });
    expect(events.find((event) => event.seq === 100_005)?.landedMicros).toBe(42);
  });
});
