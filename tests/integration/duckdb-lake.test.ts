import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/lake/s3-client.ts';
import { openWarehouse, sqlString } from '../../src/warehouse/duckdb.ts';
import { stageObjects } from '../../src/warehouse/stage.ts';

const { s3: endpoint } = inject('services');

describe('DuckDB over the S3 lake (real server)', () => {
  const client = createS3Client(endpoint);
  afterAll(() => client.destroy());

  it('reads Parquet that was written to S3 and staged back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tierlab-it-'));
    const warehouse = await openWarehouse();
    try {
      const bucket = `it-${randomUUID().slice(0, 8)}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      // Two Parquet files, as two hourly partitions of a raw zone would be.
      for (const hour of [0, 1]) {
        const local = join(dir, `out-${hour}.parquet`);
        await warehouse.connection.run(
          `COPY (SELECT 'k' || (i % 10) AS key, i * 100 AS amountCents FROM range(1000) t(i)) ` +
            `TO ${sqlString(local)} (FORMAT parquet)`,
        );
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: `raw/dt=2026-01-01/hour=0${hour}/part-0.parquet`, Body: await readFile(local) }),
        );
      }
      const staged = await stageObjects(client, bucket, 'raw/', join(dir, 'staged'));
      expect(staged.files).toHaveLength(2);
      expect(staged.requests.get).toBe(2);

      const reader = await warehouse.connection.runAndReadAll(
        `SELECT key, count(*)::INTEGER AS n, sum(amountCents)::BIGINT AS cents, sum(hour::INTEGER)::INTEGER AS hours ` +
          `FROM read_parquet(${sqlString(join(dir, 'staged', 'raw', '**', '*.parquet'))}, hive_partitioning = true) ` +
          `GROUP BY key ORDER BY key`,
      );
      const rows = reader.getRowObjectsJson();
      expect(rows).toHaveLength(10);
      // k0 holds i = 0, 10, ..., 990 in each file: 100 rows worth 100 * 49,500 cents; the hour
      // comes from the hive path, so it proves both partitions were read.
      expect(rows[0]).toEqual({ key: 'k0', n: 200, cents: '9900000', hours: 100 });
    } finally {
      warehouse.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
