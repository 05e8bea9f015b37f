import type { Admin } from 'kafkajs';
import { TierlabError } from '../errors.ts';
import { retryRetriable } from '../retry.ts';

/**
 * Creates a topic with `partitions` partitions, or checks that an existing one has them. Right
 * after a create, a broker may still answer "does not host this topic-partition" while its
 * metadata catches up: such retriable answers are tried again for a few seconds.
 */
export function ensureTopic(admin: Admin, topic: string, partitions: number, config: Record<string, string> = {}): Promise<void> {
  return retryRetriable(() => createOrCheckTopic(admin, topic, partitions, config));
}

async function createOrCheckTopic(admin: Admin, topic: string, partitions: number, config: Record<string, string>): Promise<void> {
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }],
    waitForLeaders: true,
  });
  if (created) return;
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const existing = metadata.topics[0]?.partitions.length ?? 0;
  if (existing !== partitions) {
    throw new TierlabError('BAD_INPUT', `topic ${topic} exists with ${existing} partitions, not the ${partitions} asked for`, {
      details: { topic, existing, partitions },
    });
  }
}

/** The end offset (high watermark) of each partition of `topic`. */
export async function highWatermarks(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

/** The offset `groupId` has committed on each partition of `topic`; a partition it has committed nothing on is absent. */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((offsets?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]));
}
