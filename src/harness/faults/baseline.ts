import type { Admin } from 'kafkajs';
import { createKafkaClient } from '../../kafka/client.ts';
import { readTopicToEnd } from '../../kafka/read-topic.ts';
import type { KafkaEndpoint } from '../../services/types.ts';
import type { TierSpec } from '../tier-runner.ts';
import type { Baseline } from './restartable.ts';

/** Every tier's consumer group is named so: the harness reads its committed offsets after a kill. */
export const consumerGroupFor = (spec: Pick<TierSpec, 'runId' | 'name'>) => `tierlab-${spec.runId}-${spec.name}`;

/** The distinct source records (partition and offset) in a dead-letter topic: a record dead-lettered again after a restart counts once. */
export async function deadLetterSources(endpoint: KafkaEndpoint, topic: string): Promise<Map<number, Set<string>>> {
  const sources = new Map<number, Set<string>>();
  await readTopicToEnd(createKafkaClient(endpoint, { clientId: 'tierlab-dead-letters' }), topic, (record) => {
    const [partition, offset] = (record.headers['tierlab-source'] ?? '').split('@');
    if (partition === undefined || offset === undefined) return;
    const key = Number(partition);
    (sources.get(key) ?? sources.set(key, new Set()).get(key)!).add(offset);
  });
  return sources;
}

export const countSources = (sources: Map<number, Set<string>>) => [...sources.values()].reduce((sum, set) => sum + set.size, 0);

/**
 * The records before a new worker's first offsets: what the group committed, each either in the
 * results (accepted) or in the dead-letter topic (rejected) before the commit.
 */
export async function committedBaseline(admin: Admin, endpoint: KafkaEndpoint, spec: TierSpec): Promise<Baseline> {
  const [topic] = await admin.fetchOffsets({ groupId: consumerGroupFor(spec), topics: [spec.topics.events] });
  const committed = new Map((topic?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  const total = [...committed.values()].reduce((sum, offset) => sum + (offset > 0n ? Number(offset) : 0), 0);
  const sources = await deadLetterSources(endpoint, spec.topics.deadLetter);
  let rejected = 0;
  for (const [partition, offsets] of sources) {
    const end = committed.get(partition) ?? 0n;
    for (const offset of offsets) if (BigInt(offset) < end) rejected++;
  }
  return { accepted: total - rejected, rejected };
}
