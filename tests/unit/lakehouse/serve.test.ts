import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbFileTarget, loadRefusing, servedColumns, servedTable, type ServedTarget } from '../../../src/lakehouse/serve.ts';
import { openWarehouse, sqlString, type Warehouse } from '../../../src/warehouse/duckdb.ts';

const profile = { attributes: [{ name: 'country', values: { US: 1 } }] };

/** An export as the curation writes it: the event's columns, the attribute, and two columns drift added. */
async function writeExport(reader: Warehouse, path: string): Promise<void> {
  await reader.connection.run(
    `COPY (SELECT * FROM (VALUES
       (1::BIGINT, 'card-1', 10::BIGINT, 100::BIGINT, 'US', NULL, NULL),
       (2::BIGINT, 'card-2', 11::BIGINT, 200::BIGINT, 'US', 'dev-2', NULL),
       (3::BIGINT, 'card-3', 12::BIGINT, 300::BIGINT, NULL, 'dev-3', 'web'),
       (4::BIGINT, 'card-4', 13::BIGINT, 400::BIGINT, 'US', NULL, 'pos'),
       (5::BIGINT, 'card-5', 14::BIGINT, 500::BIGINT, 'US', NULL, NULL)
     ) AS t("seq", "key", "eventTimeMicros", "amountCents", "country", "deviceId", "channel")) TO ${sqlString(path)} (FORMAT parquet)`,
  );
}

describe("the served zone's load (schema on write, on a real embedded DuckDB)", () => {
  let dir: string;
  let reader: Warehouse;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tierlab-serve-'));
    reader = await openWarehouse();
    file = join(dir, 'export.parquet');
    await writeExport(reader, file);
  });
  afterAll(async () => {
    reader.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sets aside, with the server\'s own reason, the rows carrying a column the table lacks, and loads the rest: nothing lost', async () => {
    const database = await openWarehouse(join(dir, 'served.duckdb'));
    try {
      const target = duckdbFileTarget(database);
      await target.createTable(servedColumns(profile));
      const load = await loadRefusing(target, file, reader);
      expect(load.loaded + load.refused).toBe(5);
      expect(load.loaded).toBe(2);
      expect(load.refusals.map(({ column, rows }) => ({ column, rows }))).toEqual([
        { column: 'deviceId', rows: 2 },
        { column: 'channel', rows: 1 },
      ]);
      // The server's words, one line of them, naming the column.
      expect(load.refusals[0]!.reason).toMatch(/does not have a column with name "deviceId"; nothing of it was written$/);
      const seqs = (await database.connection.runAndReadAll(`SELECT "seq" FROM "${servedTable}" ORDER BY 1`)).getRowObjectsJS().map((row) => Number(row.seq));
      expect(seqs).toEqual([1, 5]);
    } finally {
      database.close();
    }
  });

  it('throws a refusal that is not about an unknown column, and one it cannot get past', async () => {
    const failing = (error: Error, column?: string): ServedTarget => ({
      engine: 'stand-in',
      createTable: async () => undefined,
      load: async () => {
        throw error;
      },
      unknownColumn: () => column,
    });
    await expect(loadRefusing(failing(new Error('disk full')), file, reader)).rejects.toThrow('disk full');
    // The same column refused again after it was left out: not a schema refusal, so not looped on.
    await expect(loadRefusing(failing(new Error('still deviceId'), 'deviceId'), file, reader)).rejects.toThrow('still deviceId');
  });

  it('declares the warehouse table from the dataset: the event, its documented attributes, nothing else', () => {
    expect(servedColumns(profile)).toEqual([
      { name: 'seq', type: 'bigint', required: true },
      { name: 'key', type: 'text', required: true },
      { name: 'eventTimeMicros', type: 'bigint', required: true },
      { name: 'amountCents', type: 'bigint', required: true },
      { name: 'country', type: 'text' },
    ]);
  });
});
