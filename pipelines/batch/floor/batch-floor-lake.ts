import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { keyPartition } from '../../../src/kafka/partitioner.ts';
import { rowsToParquet, type FlatRow } from '../../../src/lake/parquet.ts';
import type { LakeSinkOptions } from '../../../src/lake/sink-options.ts';
import type { Warehouse } from '../../../src/warehouse/duckdb.ts';
import { planRawObjects, type LayoutRecord } from './batch-floor-layout.ts';

/** The S3 side of the batch floor: the raw zone as the lake sink would have written it. */

export interface RawZoneLayout {
  topic: string;
  partitions: number;
  lake: LakeSinkOptions;
}

/** Writes the raw zone as the lake sink does: its object keys, one zstd Parquet per object (rowsToParquet). */
export async function landRawZone(
  client: S3Client,
  bucket: string,
  warehouse: Warehouse,
  records: Array<LayoutRecord<FlatRow>>,
  layout: RawZoneLayout,
): Promise<{ objects: number; bytes: number }> {
  const plan = planRawObjects(records, {
    topic: layout.topic,
    partitions: layout.partitions,
    // Where the generator's producer puts each key (Kafka's default partitioner).
    partitionOfKey: keyPartition,
    flushRecords: layout.lake.flushRecords,
    flushMs: layout.lake.flushMs,
  });
  let bytes = 0;
  for (const object of plan) {
    const body = await rowsToParquet(warehouse.connection, object.rows);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: body }));
    bytes += body.length;
  }
  return { objects: plan.length, bytes };
}
