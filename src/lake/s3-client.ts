import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Endpoint } from '../services/types.ts';

/**
 * The one place an S3 client is made. Path-style addressing, and checksums only when an
 * operation requires them: SDK v3 (3.729+) sends flexible checksums by default, which many
 * S3-compatible servers mishandle.
 */
export function createS3Client(endpoint: S3Endpoint): S3Client {
  return new S3Client({
    endpoint: endpoint.endpoint,
    region: endpoint.region,
    credentials: { accessKeyId: endpoint.accessKeyId, secretAccessKey: endpoint.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

export async function s3Answers(endpoint: S3Endpoint): Promise<{ ok: boolean; detail: string }> {
  const client = createS3Client(endpoint);
  try {
    const result = await client.send(new ListBucketsCommand({}));
    return { ok: true, detail: `${result.Buckets?.length ?? 0} bucket(s)` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  } finally {
    client.destroy();
  }
}

/** The Server header an S3-compatible store answers with ("AmazonS3", "MinIO", ...). */
export async function s3ServerHeader(endpoint: string): Promise<string | undefined> {
  try {
    const response = await fetch(endpoint, { method: 'HEAD', signal: AbortSignal.timeout(2_000) });
    return response.headers.get('server') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Creates the bucket, or finds it there already (a replacement worker, a second run of a warm-up). */
export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
    if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
  });
}
