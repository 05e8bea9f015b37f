import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export interface StagedObjects {
  files: string[];
  bytes: number;
  /** S3 requests made, by type, for the cost model. */
  requests: { list: number; get: number };
}

/** Copies one object to `localDir/key` and returns the local path. */
export async function stageObject(client: S3Client, bucket: string, key: string, localDir: string): Promise<string> {
  const path = join(localDir, key);
  await mkdir(dirname(path), { recursive: true });
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await pipeline(response.Body as Readable, createWriteStream(path));
  return path;
}

/**
 * Copies every object under `prefix` into `localDir`, keeping the key's path, so DuckDB can read
 * them where its httpfs extension cannot be loaded (no internet to INSTALL it).
 */
export async function stageObjects(client: S3Client, bucket: string, prefix: string, localDir: string): Promise<StagedObjects> {
  const staged: StagedObjects = { files: [], bytes: 0, requests: { list: 0, get: 0 } };
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    staged.requests.list++;
    for (const object of page.Contents ?? []) {
      staged.files.push(await stageObject(client, bucket, object.Key as string, localDir));
      staged.requests.get++;
      staged.bytes += object.Size ?? 0;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return staged;
}
