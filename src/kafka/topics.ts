import type { Admin } from 'kafkajs';
import { TierlabError } from '../errors.ts';

/** Creates a topic with `partitions` partitions, or checks that an existing one has them. */
export async function ensureTopic(admin: Admin, topic: string, partitions: number, config: Record<string, string> = {}): Promise<void> {
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

/** Reads every record of `topic` from the start up to the end offsets at the time of the call. */
export async function highWatermarks(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}
