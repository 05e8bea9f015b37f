import { DeleteObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';

export interface ListedObject {
  key: string;
  sizeBytes: number;
}

/**
 * Every object under `prefix`, through the SDK's paginator (a page of up to 1,000 keys per LIST
 * request). `requests` is how many LIST requests that took: the tiers count them as their use.
 */
export async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<{ objects: ListedObject[]; requests: number }> {
  const objects: ListedObject[] = [];
  let requests = 0;
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
    requests++;
    for (const object of page.Contents ?? []) if (object.Key) objects.push({ key: object.Key, sizeBytes: object.Size ?? 0 });
  }
  return { objects, requests };
}

/** Deletes every object under `prefix` ('' for the whole bucket), one DELETE each. */
export async function deletePrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  const { objects } = await listObjects(client, bucket, prefix);
  for (const object of objects) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.key }));
}
