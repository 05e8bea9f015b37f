import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DatasetProfile } from '../events/index.ts';
import { createS3Client, ensureBucket } from '../lake/s3-client.ts';
import type { WarmupSummary } from '../results/summary.ts';
import type { S3Endpoint } from '../services/types.ts';
import type { StreamGenerator } from './generator/types.ts';

/**
 * The scratch topic the warm-up writes, one per partition count: scenarios with different
 * partition counts share a broker (a workshop room, CI), and a topic's partitions are fixed once made.
 */
export const warmupTopicFor = (partitions: number) => `tierlab.warmup.p${partitions}`;
const warmupBucket = 'tierlab-warmup';

/** Round trips through the S3 server's PUT, GET, LIST and DELETE paths, so the batch tier's first job does not pay its JIT. */
export async function warmS3(endpoint: S3Endpoint, rounds = 20): Promise<number> {
  const s3 = createS3Client(endpoint);
  const body = Buffer.alloc(64 * 1024, 7);
  // Keys of this warm-up alone: runs that share the S3 server (a workshop room, test files side by
  // side) warm it at the same time, and one must never delete an object another is about to read.
  const prefix = `warmup/${randomBytes(4).toString('hex')}/`;
  let requests = 0;
  try {
    await ensureBucket(s3, warmupBucket);
    requests++;
    for (let round = 0; round < rounds; round++) {
      const Key = `${prefix}${round}.bin`;
      await s3.send(new PutObjectCommand({ Bucket: warmupBucket, Key, Body: body }));
      await (await s3.send(new GetObjectCommand({ Bucket: warmupBucket, Key }))).Body?.transformToByteArray();
      await s3.send(new ListObjectsV2Command({ Bucket: warmupBucket, Prefix: prefix }));
      await s3.send(new DeleteObjectCommand({ Bucket: warmupBucket, Key }));
      requests += 4;
    }
    return requests;
  } finally {
    s3.destroy();
  }
}

export interface WarmServicesInput {
  generator: StreamGenerator;
  s3: S3Endpoint;
  profile: DatasetProfile;
  partitions: number;
  ratePerSec: number;
  /** The time bound of the Kafka warm-up, in seconds. */
  maxSec: number;
}

/**
 * Brings the broker and the S3 server to steady state before anything is measured: a cold JVM
 * measured as if it were warm is the most common way a Kafka latency figure lies.
 */
export async function warmServices(input: WarmServicesInput): Promise<WarmupSummary> {
  const [kafka, s3Requests] = await Promise.all([
    input.generator.warmup({
      profile: input.profile,
      topic: warmupTopicFor(input.partitions),
      partitions: input.partitions,
      ratePerSec: input.ratePerSec,
      stepMs: 1_000,
      // At least 10 s: a JVM's JIT keeps improving a broker's produce path for several seconds under load.
      minSteps: 10,
      maxMs: input.maxSec * 1000,
    }),
    warmS3(input.s3),
  ]);
  return { done: true, ...kafka, s3Requests };
}

export const noWarmup: WarmupSummary = { done: false, durationSec: 0, records: 0, ratePerSec: 0, stepP99Micros: [], converged: false, s3Requests: 0 };
