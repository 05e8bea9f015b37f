import { DeleteBucketCommand, DeleteObjectsCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { bucketFor } from '../../src/harness/launch.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { createS3Client } from '../../src/lake/s3-client.ts';
import { runCli } from './cli.ts';

const { kafka, s3 } = inject('services');
const out = await mkdtemp(join(tmpdir(), 'tierlab-it-stores-'));
afterAll(() => rm(out, { recursive: true, force: true }));
const scenario = new URL('./fixtures/store-deleted.yaml', import.meta.url).pathname;

type Cli = ReturnType<typeof runCli>;

/**
 * Waits for the run's topic matching `pattern` to appear (one this test did not see before), and
 * returns its name. The patterns name this file's scenario, so a run of another test file on the
 * same broker is never taken for this one (and never has its topic or bucket deleted).
 */
async function newTopic(pattern: RegExp, before: Set<string>, running: Cli): Promise<string> {
  let ended: Awaited<Cli> | undefined;
  void running.then((result) => (ended = result));
  const admin = createKafkaClient(kafka, { clientId: 'tierlab-store-test' }).admin();
  await admin.connect();
  try {
    for (let i = 0; i < 1_200; i++) {
      const found = (await admin.listTopics()).find((name) => pattern.test(name) && !before.has(name));
      if (found) return found;
      if (ended) throw new Error(`the run ended (exit ${ended.code}) before a topic matching ${pattern} appeared:\n${ended.stdout}\n${ended.stderr}`);
      await sleep(100);
    }
    throw new Error(`no topic matching ${pattern} appeared in 120 s`);
  } finally {
    await admin.disconnect();
  }
}

async function topicsNow(): Promise<Set<string>> {
  const admin = createKafkaClient(kafka, { clientId: 'tierlab-store-test' }).admin();
  await admin.connect();
  try {
    return new Set(await admin.listTopics());
  } finally {
    await admin.disconnect();
  }
}

/**
 * Removes a bucket the running tier is still writing to, as an operator would: S3 removes only an
 * empty bucket, and the tier may land an object between the emptying and the removal
 * (BucketNotEmpty), so empty it and try again until the removal wins. A bounded number of rounds:
 * the tier writes every few seconds, each round takes milliseconds.
 */
async function removeBucket(bucket: string): Promise<void> {
  const client = createS3Client(s3);
  for (let round = 1; ; round++) {
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket })) {
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (keys.length > 0) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    }
    try {
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      return;
    } catch (error) {
      if ((error as { name?: string }).name !== 'BucketNotEmpty' || round >= 50) throw error;
    }
  }
}

/*
 * Issue 11: a topic deleted mid-run, or a bucket removed, ends that tier with an error naming it;
 * the run still finishes and writes its summary (what was measured before is kept), and exits 1.
 */
describe('a store deleted during a run (real Kafka and S3)', () => {
  it('a deleted results topic is named, the tier fails, the run still reports', async () => {
    const before = await topicsNow();
    // No warm-up: nothing here is a measurement, and it would only delay the topics.
    const running = runCli(['tier', 'streaming', '--scenario', scenario, '--no-warmup', '--out', join(out, 'topic')]);
    const topic = await newTopic(/^tierlab\.\d{8}-\d{6}-store-deleted-.+\.results\.streaming$/, before, running);
    await sleep(8_000);
    const admin = createKafkaClient(kafka, { clientId: 'tierlab-store-test' }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).finally(() => admin.disconnect());
    const { code, stdout, stderr } = await running;
    expect(code, `${stdout}\n${stderr}`).toBe(1);
    expect(stderr).toContain(`streaming errored: the Kafka topic "${topic}" was deleted during the run`);
    expect(stdout).toContain('summary.json');
  });

  it('a removed bucket is named, the batch tier fails, the run still reports', async () => {
    const before = await topicsNow();
    const running = runCli(['tier', 'batch', '--scenario', scenario, '--no-warmup', '--out', join(out, 'bucket')]);
    const events = await newTopic(/^tierlab\.\d{8}-\d{6}-store-deleted-.+\.events$/, before, running);
    const runId = /^tierlab\.(.+)\.events$/.exec(events)![1]!;
    // Named as the harness names the tier's bucket, so a change to that naming cannot miss it.
    const bucket = bucketFor(runId, 'batch');
    await sleep(8_000);
    await removeBucket(bucket);
    const { code, stdout, stderr } = await running;
    expect(code, `${stdout}\n${stderr}`).toBe(1);
    expect(stderr).toContain(`batch errored: the S3 bucket "${bucket}" was deleted during the run`);
    expect(stdout).toContain('summary.json');
  });
});
