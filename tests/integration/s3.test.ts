import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client } from '../../src/lake/s3-client.ts';

const { s3: endpoint } = inject('services');

describe('S3 (real server)', () => {
  const client = createS3Client(endpoint);
  const bucket = `it-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(() => client.destroy());

  it('puts and gets an object byte for byte', async () => {
    const body = randomBytes(64 * 1024);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'roundtrip/blob.bin', Body: body }));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'roundtrip/blob.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('lists by prefix and delimiter, across pages', async () => {
    const keys = [
      ...Array.from({ length: 7 }, (_, i) => `list/dt=2026-01-01/hour=0${i}/part.parquet`),
      ...Array.from({ length: 5 }, (_, i) => `list/dt=2026-01-02/hour=0${i}/part.parquet`),
      'other/x.parquet',
    ];
    await Promise.all(keys.map((Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))));

    const listed: string[] = [];
    let pages = 0;
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', MaxKeys: 5, ContinuationToken: token }),
      );
      pages++;
      listed.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(pages).toBe(3);
    expect(listed.sort()).toEqual(keys.filter((k) => k.startsWith('list/')).sort());

    const days = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', Delimiter: '/' }));
    expect((days.CommonPrefixes ?? []).map((p) => p.Prefix)).toEqual(['list/dt=2026-01-01/', 'list/dt=2026-01-02/']);
  });

  it('uploads 12 MiB in parts and reads it back whole', async () => {
    const body = randomBytes(12 * 1024 * 1024);
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: 'multipart/big.bin', Body: body },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    let parts = 0;
    upload.on('httpUploadProgress', (progress) => (parts = Math.max(parts, progress.part ?? 0)));
    await upload.done();
    expect(parts).toBe(3);
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'multipart/big.bin' }));
    expect(got.ContentLength).toBe(body.length);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('refuses to overwrite an object on a conditional put with If-None-Match: *', async () => {
    const Key = 'conditional/once.txt';
    await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'first', IfNoneMatch: '*' }));
    const second = client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'second', IfNoneMatch: '*' }));
    const error = await second.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(S3ServiceException);
    expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(412);
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect(await got.Body!.transformToString()).toBe('first');
  });
});
