import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DatasetRule } from '../../src/events/types.ts';
import { createS3Client } from '../../src/lake/s3-client.ts';
import { dashboardQueries } from '../../src/lakehouse/dashboard-queries.ts';
import { startIcebergEngine, type IcebergEngine } from '../../src/lakehouse/iceberg/engine.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { openWarehouse, sqlString } from '../../src/warehouse/duckdb.ts';

const { s3: endpoint } = inject('services');

const windowMs = 60_000;
const rules: DatasetRule[] = [{ name: 'large', field: 'amountCents', op: 'gte', value: 10_000 }];
/** 2026-11-24T13:00:00Z: the valid events fall in two windows of hour 13 and one of hour 14. */
const hour13 = Date.UTC(2026, 10, 24, 13) * 1000;
const hour14 = hour13 + 3_600_000_000;

interface Event {
  seq: number;
  key: string;
  eventTimeMicros: number;
  amountCents: number;
  attrs: Record<string, string | number>;
}

const event = (seq: number, key: string, eventTimeMicros: number, amountCents: number, attrs: Record<string, string | number> = { merchantId: `m-${seq}` }): Event => ({
  seq,
  key,
  eventTimeMicros,
  amountCents,
  attrs,
});

/** The wire format, one event a line (src/events/codec.ts). */
const line = (e: Event) => JSON.stringify(e);

// Valid before any drift: two keys, three windows, two hours.
const plain = [
  event(0, 'card-1', hour13 + 1_000_000, 500),
  event(1, 'card-1', hour13 + 2_000_000, 12_000),
  event(2, 'card-2', hour13 + 3_000_000, 700),
  event(3, 'card-1', hour13 + 61_000_000, 300),
  event(4, 'card-2', hour14 + 5_000_000, 25_000),
];
// The four drift cases, and a valid event among them.
const newField = event(5, 'card-2', hour13 + 4_000_000, 900, { merchantId: 'm-5', channel: 'web' });
const renamed = event(6, 'card-1', hour14 + 6_000_000, 1_100, { merchant: 'm-6' });
const typeChange = '{"seq":7,"key":"card-1","eventTimeMicros":' + (hour13 + 7_000_000) + ',"amountCents":"12.5","attrs":{"merchantId":"m-7"}}';
const malformed = '{"seq":8,"key":"card-2","eventTimeMicros":';
const afterDrift = event(9, 'card-2', hour13 + 62_000_000, 40_000);
const valid = [...plain, newField, renamed, afterDrift];

const objects: Record<string, string[]> = {
  'lakehouse/raw/part-0001.ndjson': plain.map(line),
  'lakehouse/raw/part-0002.ndjson': [line(newField), line(renamed), typeChange, malformed, line(afterDrift)],
  // Nothing in it can be curated: the run must still remember it, and lose none of it.
  'lakehouse/raw/part-0003.ndjson': ['not json at all', '[1, 2, 3]'],
};
const linesWritten = Object.values(objects).reduce((n, lines) => n + lines.length, 0);

/** The batch tier's windows over the valid events, computed here by hand. */
function expectedAggregate(): Array<Record<string, unknown>> {
  const windows = new Map<string, { key: string; windowStartMicros: number; count: number; sumCents: number; large: number }>();
  for (const e of valid) {
    const windowStartMicros = e.eventTimeMicros - (e.eventTimeMicros % (windowMs * 1000));
    const id = `${e.key}|${windowStartMicros}`;
    const w = windows.get(id) ?? { key: e.key, windowStartMicros, count: 0, sumCents: 0, large: 0 };
    w.count++;
    w.sumCents += e.amountCents;
    if (e.amountCents >= 10_000) w.large++;
    windows.set(id, w);
  }
  return [...windows.values()].sort(byKeyAndWindow);
}

const byKeyAndWindow = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a.key).localeCompare(String(b.key)) || Number(a.windowStartMicros) - Number(b.windowStartMicros);

describe('Iceberg curation of the raw NDJSON zone (Spark 4.1 + Iceberg on the real S3 server)', () => {
  const client = createS3Client(endpoint);
  const bucket = `it-ice-${randomUUID().slice(0, 8)}`;
  let engine: IcebergEngine;

  // One JVM for the whole file: Spark's start is paid once.
  beforeAll(async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [key, lines] of Object.entries(objects)) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${lines.join('\n')}\n` }));
    }
    engine = await startIcebergEngine(
      {
        s3: endpoint,
        bucket,
        rawPrefix: 'lakehouse/raw/',
        warehousePrefix: 'lakehouse/iceberg',
        deadLetterPrefix: 'lakehouse/dead-letter',
        table: 'lakehouse.events',
      },
      { engineCacheDir: serviceSettingsFrom(process.env).engineCacheDir },
    );
  });
  afterAll(async () => {
    await engine?.stop();
    client.destroy();
  });

  it('appends the valid lines, evolves the schema for new fields and dead-letters the rest, losing none', async () => {
    expect(engine.ready.version).toMatch(/^Spark 4\.1\.1, Iceberg 1\.12\.0 on Java /);
    const run = await engine.curate();
    console.log(`[iceberg] ready in ${engine.ready.startupMs} ms; curated ${run.lines} lines in ${(run.wallMicros / 1000).toFixed(0)} ms`);

    expect(run.objects).toBe(3);
    expect(run.lines).toBe(linesWritten);
    const deadLettered = Object.values(run.deadLettered).reduce((a, b) => a + b, 0);
    expect(run.appended + deadLettered).toBe(linesWritten);
    expect(run.appended).toBe(valid.length);
    expect(run.deadLettered).toEqual({ 'type change: amountCents': 1, 'malformed JSON': 3 });
    // The new field and the renamed one are new columns; the old name stays, null where it is gone.
    expect(run.columnsAdded).toEqual([
      { name: 'merchantId', type: 'string' },
      { name: 'channel', type: 'string' },
      { name: 'merchant', type: 'string' },
    ]);
    expect(run.snapshotId).toMatch(/^-?\d+$/);
    expect(run.filesWritten).toBeGreaterThanOrEqual(2); // one per hour partition at least
    expect(run.dataBytes).toBeGreaterThan(0);
    expect(run.deadLetterObjects).toBe(2);
  });

  it('writes each refused line to the dead letters, byte for byte, with a reason naming its field', async () => {
    const read = async (key: string) => {
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await got.Body!.transformToString()).trim().split('\n').map((text) => JSON.parse(text) as { object: string; line: number; reason: string; text: string });
    };
    const drift = await read('lakehouse/dead-letter/lakehouse/raw/part-0002.ndjson.ndjson');
    expect(drift.map(({ line, text }) => ({ line, text }))).toEqual([
      { line: 3, text: typeChange },
      { line: 4, text: malformed },
    ]);
    expect(drift[0]!.reason).toMatch(/^type change: amountCents is long in the table, got string "12\.5"/);
    expect(drift[1]!.reason).toMatch(/^malformed JSON /);
    const hopeless = await read('lakehouse/dead-letter/lakehouse/raw/part-0003.ndjson.ndjson');
    expect(hopeless.map((l) => l.reason)).toEqual([expect.stringMatching(/^malformed JSON Unrecognized token 'not'/), 'malformed JSON not a JSON object']);
  });

  it('takes nothing twice: a second run finds no new object, and an object with no valid line is still remembered', async () => {
    const again = await engine.curate();
    expect(again).toMatchObject({ objects: 0, lines: 0, appended: 0, deadLettered: {}, columnsAdded: [], snapshotId: null });
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'lakehouse/raw/part-0004.ndjson', Body: `${malformed}\n` }));
    const refusedOnly = await engine.curate();
    // A commit of no files records the object, so it is not read again.
    expect(refusedOnly).toMatchObject({ objects: 1, lines: 1, appended: 0, deadLettered: { 'malformed JSON': 1 }, filesWritten: 0 });
    expect(refusedOnly.snapshotId).toMatch(/^-?\d+$/);
    expect(await engine.curate()).toMatchObject({ objects: 0, snapshotId: null });
  });

  it('reports the table: rows, storage, and the nulls a rename leaves in the old column', async () => {
    const stats = await engine.stats();
    expect(stats.records).toBe(valid.length);
    expect(stats.storageBytes).toBeGreaterThan(stats.dataBytes);
    const nulls = Object.fromEntries(stats.columns.map((c) => [c.name, c.nulls]));
    expect(nulls).toEqual({ seq: 0, key: 0, eventTimeMicros: 0, amountCents: 0, eventTime: 0, merchantId: 1, channel: valid.length - 1, merchant: valid.length - 1 });
  });

  it('answers the dashboard queries with the batch aggregate of the valid rows, timed, with the bytes Iceberg scanned', async () => {
    const sql = dashboardQueries(engine.ready.table, { windowMs, rules, point: { key: 'card-2', windowStartMicros: hour14 } });
    const aggregate = await engine.query({ name: 'aggregate', sql: sql.aggregate, repeats: 3 });
    expect([...aggregate.rows].sort(byKeyAndWindow)).toEqual(expectedAggregate());
    expect(aggregate.micros).toHaveLength(3);
    expect(aggregate.bytesScanned).toBeGreaterThan(0);

    const topN = await engine.query({ name: 'topN', sql: sql.topN, repeats: 3 });
    expect(topN.rows).toEqual([
      { key: 'card-2', sumCents: 700 + 25_000 + 900 + 40_000, count: 4 },
      { key: 'card-1', sumCents: 500 + 12_000 + 300 + 1_100, count: 4 },
    ]);

    const point = await engine.query({ name: 'pointLookup', sql: sql.pointLookup, repeats: 3 });
    expect(point.rows).toEqual([{ seq: 4, key: 'card-2', eventTimeMicros: hour14 + 5_000_000, amountCents: 25_000 }]);
    // Hour partitions: the lookup reads hour 14's files only.
    expect(point.dataFilesSkipped).toBeGreaterThan(0);
    expect(point.bytesScanned).toBeLessThan(aggregate.bytesScanned);
    for (const answer of [aggregate, topN, point]) {
      console.log(`[iceberg] ${answer.name}: p50 ${(answer.p50Micros / 1000).toFixed(1)} ms, p99 ${(answer.p99Micros / 1000).toFixed(1)} ms, ${answer.bytesScanned} bytes in ${answer.dataFilesScanned} files (${answer.dataFilesSkipped} skipped)`);
    }
  });

  it("exports the rows taken since a snapshot as Parquet, for the warehouse's load: all at first, then only what is new", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'it-ice-export-'));
    const duckdb = await openWarehouse();
    try {
      const all = await engine.exportSince(null, join(dir, 'all'));
      expect(all.rows).toBe(valid.length);
      expect(all.files).toHaveLength(1);
      const read = async (file: string) =>
        (await duckdb.connection.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)}) ORDER BY "seq"`)).getRowObjectsJS();
      const rows = await read(all.files[0]!);
      expect(rows.map((row) => Number(row.seq))).toEqual(valid.map((e) => e.seq).sort((a, b) => a - b));
      // The lake's derived partition column stays in the lake; the evolved columns come along.
      expect(Object.keys(rows[0]!)).not.toContain('eventTime');
      expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['seq', 'key', 'eventTimeMicros', 'amountCents', 'merchantId', 'channel', 'merchant']));

      const later = event(10, 'card-3', hour14 + 9_000_000, 2_000);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'lakehouse/raw/part-0005.ndjson', Body: `${line(later)}\n` }));
      await engine.curate();
      const more = await engine.exportSince(all.snapshotId, join(dir, 'more'));
      expect(more.rows).toBe(1);
      expect((await read(more.files[0]!)).map((row) => row.key)).toEqual(['card-3']);
      expect(await engine.exportSince(more.snapshotId, join(dir, 'none'))).toMatchObject({ rows: 0, files: [], snapshotId: more.snapshotId });
    } finally {
      duckdb.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
