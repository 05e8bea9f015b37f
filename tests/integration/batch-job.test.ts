import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { newBatchJobState, runBatchJob, type BatchJobContext } from '../../pipelines/batch/job.ts';
import { systemClock } from '../../src/events/index.ts';
import { deletePrefix } from '../../src/lake/list-objects.ts';
import { rowsToParquet, type FlatRow } from '../../src/lake/parquet.ts';
import { createS3Client } from '../../src/lake/s3-client.ts';
import { curatedObjectKey, rawObjectKey } from '../../src/lake/raw-zone.ts';
import type { VisibilityBatch, VisibleEvent } from '../../src/tiers/types.ts';
import { openWarehouse, sqlString, type Warehouse } from '../../src/warehouse/duckdb.ts';
import { stageKeys } from '../../src/warehouse/stage.ts';
import { signedObjectGetter, type ObjectGetter } from '../../src/lake/object-getter.ts';

/*
 * The batch job and its staging against the real S3 server: what it reads, writes, counts and
 * makes visible. Requests are counted on the job's own client by an SDK middleware, so the
 * counts are the requests the server was really sent; the test seeds and reads back through a
 * second client that is not counted.
 */

const { s3: endpoint } = inject('services');
const seed = createS3Client(endpoint);
const bucket = `it-batch-${randomUUID().slice(0, 8)}`;
const hourMicros = 3_600_000_000;
const nineOClock = Date.parse('2026-01-05T09:00:00Z') * 1000;
let warehouse: Warehouse;
let dir: string;

beforeAll(async () => {
  await seed.send(new CreateBucketCommand({ Bucket: bucket }));
  warehouse = await openWarehouse();
  dir = await mkdtemp(join(tmpdir(), 'tierlab-it-batch-job-'));
});

afterAll(async () => {
  warehouse.close();
  await deletePrefix(seed, bucket, '');
  await seed.send(new DeleteBucketCommand({ Bucket: bucket }));
  seed.destroy();
  await rm(dir, { recursive: true, force: true });
});

type Requests = { list: number; get: number; put: number };
const kinds: Record<string, keyof Requests> = { ListObjectsV2Command: 'list', GetObjectCommand: 'get', PutObjectCommand: 'put' };

/**
 * A client and a GET-er for the code under test, and the requests they have sent so far (one per
 * send or GET; retries are not counted).
 */
function countedClient(): { client: S3Client; objects: ObjectGetter; sent: Requests } {
  const client = createS3Client(endpoint);
  const getter = signedObjectGetter(endpoint);
  onTestFinished(() => {
    client.destroy();
    getter.destroy();
  });
  const sent: Requests = { list: 0, get: 0, put: 0 };
  const objects: ObjectGetter = {
    getToFile: (...args) => {
      sent.get++;
      return getter.getToFile(...args);
    },
    destroy: () => getter.destroy(),
  };
  client.middlewareStack.add(
    (next, context) => (args) => {
      const kind = kinds[context.commandName ?? ''];
      if (kind) sent[kind]++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return { client, objects, sent };
}

/** A raw row as the lake sink writes it; seq and times far above 2^32 so a narrowing would show. */
function row(seq: number, eventTimeMicros: number): FlatRow {
  return { seq, key: `k${seq % 3}`, eventTimeMicros, amountCents: 100 + seq, sentMicros: eventTimeMicros + 11, readMicros: eventTimeMicros + 23 };
}

/** Lands `rows` as one raw object of Kafka partition `partition` from `firstOffset`; returns its key. */
async function land(rows: FlatRow[], partition: number, firstOffset: bigint): Promise<string> {
  const iso = new Date(Math.floor(Number(rows[0]!.eventTimeMicros) / 1000)).toISOString();
  const key = rawObjectKey({ dt: iso.slice(0, 10), hour: iso.slice(11, 13), topic: 't', partition, firstOffset, lastOffset: firstOffset + BigInt(rows.length - 1) });
  await seed.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await rowsToParquet(warehouse.connection, rows) }));
  return key;
}

type Aggregate = { key: string; windowStartMicros: number; count: number; sumCents: number };
const byKeyAndWindow = (a: Aggregate, b: Aggregate) => a.key.localeCompare(b.key) || a.windowStartMicros - b.windowStartMicros;

/** What the curated partition should hold: count and cents by key and one-minute window. */
function expectedAggregates(rows: FlatRow[]): Aggregate[] {
  const windows = new Map<string, Aggregate>();
  for (const r of rows) {
    const time = Number(r.eventTimeMicros);
    const windowStartMicros = time - (time % 60_000_000);
    const id = `${r.key}@${windowStartMicros}`;
    const aggregate = windows.get(id) ?? windows.set(id, { key: String(r.key), windowStartMicros, count: 0, sumCents: 0 }).get(id)!;
    aggregate.count++;
    aggregate.sumCents += Number(r.amountCents);
  }
  return [...windows.values()].sort(byKeyAndWindow);
}

/** The curated object of `partition` as the server holds it, read back with DuckDB. */
async function curatedAggregates(partition: string): Promise<Aggregate[]> {
  const got = await seed.send(new GetObjectCommand({ Bucket: bucket, Key: curatedObjectKey(partition) }));
  const path = join(dir, `curated-${randomUUID()}.parquet`);
  await writeFile(path, await got.Body!.transformToByteArray());
  const reader = await warehouse.connection.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(path)})`);
  return reader.getRowObjectsJS().map((r) => ({ key: String(r.key), windowStartMicros: Number(r.windowStartMicros), count: Number(r.count), sumCents: Number(r.sumCents) })).sort(byKeyAndWindow);
}

/** The events `rows` should become: their times, and landedMicros only where the object's landing is known. */
const expectedEvents = (rows: FlatRow[], landedOf: (i: number) => number | undefined): VisibleEvent[] =>
  rows.map((r, i) => {
    const at = landedOf(i);
    return { seq: Number(r.seq), eventTimeMicros: Number(r.eventTimeMicros), sentMicros: Number(r.sentMicros), readMicros: Number(r.readMicros), ...(at !== undefined ? { landedMicros: at } : {}) };
  });
const bySeq = (events: VisibleEvent[]) => [...events].sort((a, b) => a.seq - b.seq);

describe('the batch job (real S3)', () => {
  it('reads every new object once, writes each touched partition, and makes exactly the new rows visible', async () => {
    // 998 objects under raw/ that are not raw objects: they sort first, so the server's 1,000-key
    // page ends after the second raw object and the job must follow the continuation token.
    for (let i = 0; i < 998; i += 100) {
      const batch = Array.from({ length: Math.min(100, 998 - i) }, (_, j) => `raw/_not-a-raw-object/${String(i + j).padStart(4, '0')}`);
      await Promise.all(batch.map((Key) => seed.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }))));
    }
    const base = 4_000_000_000; // seq above 2^31
    const nine = Array.from({ length: 5_000 }, (_, i) => row(base + i, nineOClock + i * 1_000)); // > 2 DuckDB chunks
    const ten = Array.from({ length: 30 }, (_, i) => row(base + 10_000 + i, nineOClock + hourMicros + i * 1_000_000));
    const keys = [
      await land(nine.slice(0, 2_000), 0, 0n),
      await land(nine.slice(2_000, 2_100), 1, 0n),
      await land(nine.slice(2_100), 2, 0n),
      await land(ten.slice(0, 10), 0, 2_000n),
      await land(ten.slice(10), 1, 100n),
    ];
    const landed = new Map([[keys[0]!, 1_000_001], [keys[2]!, 1_000_003], [keys[4]!, 1_000_005]]);
    const { client, objects, sent } = countedClient();
    const context: BatchJobContext = { landedMicros: landed, s3: client, objects, bucket, warehouse, stagingDir: join(dir, 'staging'), readPath: 'staged', windowMs: 60_000, rules: [], clock: systemClock };
    const state = newBatchJobState();
    const batches: VisibilityBatch[] = [];
    const report = await runBatchJob(context, state, (batch) => batches.push(batch));

    expect(report.requests).toEqual({ list: 2, get: 5, put: 2 }); // 1,003 keys, two pages
    expect(sent).toEqual(report.requests);
    expect(report).toMatchObject({ objectsRead: 5, partitionsWritten: 2, rowsMadeVisible: 5_030 });
    expect(batches).toHaveLength(2);
    for (const batch of batches) {
      expect(batch.tier).toBe('batch');
      expect(batch.processingStartMicros).toBe(report.startedMicros);
      expect(batch.writeStartMicros).toBeGreaterThanOrEqual(batch.processingStartMicros);
      expect(batch.visibleMicros).toBeGreaterThanOrEqual(batch.writeStartMicros);
    }
    // Both PUTs come before the lab's visibility scan: the scan never delays a partition's PUT.
    expect(report.lastVisibleMicros).toBe(Math.max(...batches.map((batch) => batch.visibleMicros)));
    expect(report.phaseMicros.scan).toBeGreaterThan(0);
    expect(report.finishedMicros - report.lastVisibleMicros!).toBeGreaterThanOrEqual(report.phaseMicros.scan);
    const [first, second] = [...batches].sort((a, b) => a.events[0]!.eventTimeMicros - b.events[0]!.eventTimeMicros);
    expect(bySeq(first!.events)).toEqual(expectedEvents(nine, (i) => (i < 2_000 ? 1_000_001 : i >= 2_100 ? 1_000_003 : undefined)));
    expect(bySeq(second!.events)).toEqual(expectedEvents(ten, (i) => (i >= 10 ? 1_000_005 : undefined)));
    // A key whose object's landing time is unknown has no landedMicros at all, not an undefined one.
    expect(first!.events.find((event) => event.seq === base + 2_050)).not.toHaveProperty('landedMicros');
    expect(await curatedAggregates('dt=2026-01-05/hour=09')).toEqual(expectedAggregates(nine));
    expect(await curatedAggregates('dt=2026-01-05/hour=10')).toEqual(expectedAggregates(ten));

    // Run 2: one new object in hour 09. Only it is read; hour 09 is recomputed from all four of its objects.
    const late = Array.from({ length: 7 }, (_, i) => row(base + 20_000 + i, nineOClock + 30 * 60_000_000 + i));
    await land(late, 3, 0n);
    const again: VisibilityBatch[] = [];
    const rerun = await runBatchJob(context, state, (batch) => again.push(batch));
    expect(rerun.requests).toEqual({ list: 2, get: 1, put: 1 });
    expect(sent).toEqual({ list: 4, get: 6, put: 3 });
    expect(again).toHaveLength(1);
    expect(bySeq(again[0]!.events)).toEqual(expectedEvents(late, () => undefined));
    expect(await curatedAggregates('dt=2026-01-05/hour=09')).toEqual(expectedAggregates([...nine, ...late]));

    // Run 3: nothing new, nothing read or written.
    const idle = await runBatchJob(context, state, () => expect.fail('nothing should become visible'));
    expect(idle.requests).toEqual({ list: 2, get: 0, put: 0 });
    expect(sent).toEqual({ list: 6, get: 6, put: 3 });
  });
});

describe('staging objects with stageKeys (real S3)', () => {
  const keysOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}/hour=${String(i % 2).padStart(2, '0')}/o${i}.parquet`);

  it('makes one GET per key and returns local paths in key order, each holding its object', async () => {
    const keys = keysOf('stage-order', 40);
    await Promise.all(keys.map((Key, i) => seed.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `object ${i}` }))));
    const { objects, sent } = countedClient();
    const local = join(dir, 'stage-order');
    const paths = await stageKeys(objects, bucket, keys, local, 6);
    expect(paths).toEqual(keys.map((key) => join(local, key)));
    expect(sent).toEqual({ list: 0, get: 40, put: 0 });
    expect(await Promise.all(paths.map((path) => readFile(path, 'utf8')))).toEqual(keys.map((_, i) => `object ${i}`));
    expect(await stageKeys(objects, bucket, [], local)).toEqual([]);
    expect(sent.get).toBe(40);
  });

  it('throws STORE_MISSING naming a missing key, with the server’s NoSuchKey, and starts no GET after it', async () => {
    const keys = keysOf('stage-fail', 10);
    const missing = keys[3]!;
    await Promise.all(keys.filter((key) => key !== missing).map((Key) => seed.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }))));
    const { objects, sent } = countedClient();
    const missingError = { code: 'STORE_MISSING', message: expect.stringContaining(`s3://${bucket}/${missing}: NoSuchKey`) };
    // One GET at a time, so "none after the failure" is exact: keys 0 to 3, then stop.
    await expect(stageKeys(objects, bucket, keys, join(dir, 'stage-fail-1'), 1)).rejects.toMatchObject(missingError);
    expect(sent.get).toBe(4);
    // In parallel the same error is thrown, not swallowed by the GETs around it.
    await expect(stageKeys(objects, bucket, keys, join(dir, 'stage-fail-4'), 4)).rejects.toMatchObject(missingError);
    await expect(stageKeys(objects, bucket, keys, join(dir, 'stage-fail-0'), 0)).rejects.toThrow(RangeError);
  });

  it('GETs signed by itself: keys that need encoding, bytes as stored; a wrong secret is refused by the server, named', async () => {
    const keys = ['signed/a b+c=d.parquet', "signed/ünïcode/(1)&x!'*~.bin", 'signed/plain'];
    const bodies = keys.map((_, i) => Buffer.from(Array.from({ length: 70_000 }, (_, j) => (j * (i + 7)) % 256)));
    await Promise.all(keys.map((Key, i) => seed.send(new PutObjectCommand({ Bucket: bucket, Key, Body: bodies[i] }))));
    const { objects } = countedClient();
    const paths = await stageKeys(objects, bucket, keys, join(dir, 'signed'));
    expect(await Promise.all(paths.map((path) => readFile(path)))).toEqual(bodies);
    const wrong = signedObjectGetter({ ...endpoint, secretAccessKey: 'not-the-secret' });
    onTestFinished(() => wrong.destroy());
    await expect(wrong.getToFile(bucket, keys[2]!, join(dir, 'signed', 'wrong'))).rejects.toMatchObject({
      code: 'SERVICE_UNREACHABLE',
      retriable: false,
      message: expect.stringMatching(/^GET s3:\/\/.*signed\/plain: HTTP 403/),
    });
  });
});
