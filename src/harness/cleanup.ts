import { DeleteBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { createKafkaClient } from '../kafka/client.ts';
import { deletePrefix } from '../lake/list-objects.ts';
import { createS3Client } from '../lake/s3-client.ts';
import type { KafkaEndpoint, S3Endpoint } from '../services/types.ts';

/*
 * What a run leaves in Kafka and S3, and its removal. Every name a run makes starts with its run
 * id (src/harness/launch.ts): topics `tierlab.RUN…` (and Kafka Streams' own `tierlab-RUN…`),
 * consumer groups `tierlab-RUN…`, buckets `tierlab-run…`. A run removes its own when it ends
 * (unless --keep); `tierlab clean` removes what runs that were killed left behind.
 */

/** A bucket name longer than S3 allows was cut after about this many characters (bucketFor): only those are compared. */
const keptBucketPrefix = 50;

export interface RunStores {
  topics: string[];
  groups: string[];
  buckets: string[];
}

/** Which run a store belongs to, from its name: the run id's `YYYYMMDD-HHMMSS` start, or none (the warm-up topic). */
const runStamp = /^tierlab[.-](\d{8}-\d{6})-/i;

/** When the run a store belongs to started (ms since the epoch), from its name; undefined for a name no run made. */
export function runStartedMs(name: string): number | undefined {
  const stamp = runStamp.exec(name)?.[1];
  if (!stamp) return undefined;
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The stores whose names pass `belongs`, as Kafka and S3 list them now. */
export async function findStores(kafka: KafkaEndpoint, s3: S3Endpoint, belongs: (name: string) => boolean): Promise<RunStores> {
  const admin = createKafkaClient(kafka, { clientId: 'tierlab-cleanup' }).admin();
  const client = createS3Client(s3);
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter(belongs);
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter(belongs);
    const buckets = ((await client.send(new ListBucketsCommand({}))).Buckets ?? []).flatMap((b) => (b.Name && belongs(b.Name) ? [b.Name] : []));
    return { topics, groups, buckets };
  } finally {
    await admin.disconnect();
    client.destroy();
  }
}

/** Whether a store was made by this run (or one of its passes, `RUN-p1`). */
export function ofRun(runId: string): (name: string) => boolean {
  // As bucketFor spells a bucket: lower case, anything but letters, digits and '-' as '-'.
  const bucket = `tierlab-${runId}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, keptBucketPrefix);
  return (name) => name.startsWith(`tierlab.${runId}`) || name.startsWith(`tierlab-${runId}`) || name.startsWith(bucket);
}

/**
 * Deletes them: topics and groups in one request each, each bucket after its objects. What is
 * already gone is no error (a fault test deletes stores on purpose). A group the broker still
 * counts members in (a killed worker's, until its session times out) cannot be deleted yet: it
 * is returned, left for `tierlab clean`; any other failure is thrown.
 */
export async function removeStores(kafka: KafkaEndpoint, s3: S3Endpoint, stores: RunStores): Promise<{ groupsLeft: string[] }> {
  let groupsLeft: string[] = [];
  const admin = createKafkaClient(kafka, { clientId: 'tierlab-cleanup' }).admin();
  const client = createS3Client(s3);
  try {
    await admin.connect();
    if (stores.groups.length > 0) {
      await admin.deleteGroups(stores.groups).catch((error: { groups?: Array<{ groupId: string; error?: { type?: string } }> }) => {
        const failed = (error.groups ?? []).filter((group) => group.error && group.error.type !== 'GROUP_ID_NOT_FOUND');
        if (!error.groups || failed.some((group) => group.error?.type !== 'NON_EMPTY_GROUP')) throw error;
        groupsLeft = failed.map((group) => group.groupId);
      });
    }
    if (stores.topics.length > 0) await admin.deleteTopics({ topics: stores.topics, timeout: 30_000 }).catch(ignoreGone);
    for (const bucket of stores.buckets) {
      await deletePrefix(client, bucket, '').catch(ignoreGone);
      await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(ignoreGone);
    }
  } finally {
    await admin.disconnect();
    client.destroy();
  }
  return { groupsLeft };
}

function ignoreGone(error: unknown): void {
  const text = `${(error as { name?: string }).name ?? ''} ${(error as { type?: string }).type ?? ''} ${String(error)}`;
  if (/NoSuchBucket|UNKNOWN_TOPIC_OR_PARTITION|GROUP_ID_NOT_FOUND|does not exist/i.test(text)) return;
  throw error;
}
