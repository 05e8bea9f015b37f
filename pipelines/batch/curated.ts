import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../../src/lake/list-objects.ts';
import { windowAggregateOf, type WindowAggregate } from '../../src/events/index.ts';
import { curatedPrefix } from '../../src/lake/raw-zone.ts';
import { openWarehouse, sqlString, type Warehouse } from '../../src/warehouse/duckdb.ts';
import { createS3Client } from '../../src/lake/s3-client.ts';
import type { S3Endpoint } from '../../src/services/types.ts';
import { stageObject } from '../../src/warehouse/stage.ts';
import { sdkObjectGetter } from '../../src/lake/object-getter.ts';

/** Reads the curated zone back from S3: the batch tier's committed answer. */
export async function readCurated(s3: S3Client, bucket: string, warehouse: Warehouse): Promise<WindowAggregate[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tierlab-curated-'));
  try {
    const files: string[] = [];
    for (const { key } of (await listObjects(s3, bucket, curatedPrefix)).objects) {
      if (key.endsWith('.parquet')) files.push(await stageObject(sdkObjectGetter(s3), bucket, key, dir));
    }
    if (files.length === 0) return [];
    const reader = await warehouse.connection.runAndReadAll(
      `SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true, hive_partitioning = false)`,
    );
    return reader.getRowObjectsJS().map(windowAggregateOf);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The curated zone read by a fresh client and an embedded DuckDB of its own: a lake tier's committed result. */
export async function readCuratedResult(s3: S3Endpoint, bucket: string): Promise<WindowAggregate[]> {
  const reader = createS3Client(s3);
  const db = await openWarehouse();
  try {
    return await readCurated(reader, bucket, db);
  } finally {
    db.close();
    reader.destroy();
  }
}
