import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../../../src/lake/list-objects.ts';
import type { ObjectGetter } from '../../../src/lake/object-getter.ts';
import { rawPrefix } from '../../../src/lake/raw-zone.ts';
import { stageKeys } from '../../../src/warehouse/stage.ts';

/**
 * Rounds of the job's own requests before the floor's batch rows: a LIST of the raw zone, a GET of
 * every raw object, a PUT of a curated-sized object. A server that has only just started (S3Proxy
 * is a JVM) serves them slower until its request path is compiled. Measured on the floor's raw
 * zone against a freshly started S3Proxy, the job against DuckDB alone: 1.85–2.10x after 3 or 12
 * warm-up runs of the job, 1.42–1.67x after 150 of these rounds, 1.28–1.33x after 400 (about
 * 11 s; docs/measurement.md). Real S3 is never cold; a lab server just started is.
 */
export const s3WarmupRounds = 400;

/** A PUT of about the size of one curated partition's Parquet (the job's PUT). */
const warmupPutBytes = 200_000;

export async function warmS3Server(client: S3Client, objects: ObjectGetter, bucket: string, localDir: string, rounds = s3WarmupRounds): Promise<void> {
  const body = Buffer.alloc(warmupPutBytes, 7);
  for (let round = 0; round < rounds; round++) {
    const { objects: raw } = await listObjects(client, bucket, rawPrefix);
    await stageKeys(objects, bucket, raw.map((object) => object.key), join(localDir, 'warmup'));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'warmup/curated-sized.bin', Body: body }));
  }
}
