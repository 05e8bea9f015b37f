import type { Kafka } from 'kafkajs';
import type { OutgoingRecord } from './driver/index.ts';
import { aggregateKey, type WindowAggregate } from '../events/index.ts';
import { readTopicToEnd } from './read-topic.ts';

/**
 * A results topic is a changelog: each record is the latest value of one (key, window). It is
 * keyed by that pair, so one window's updates stay in order on one partition.
 */
export function resultMessage(aggregate: WindowAggregate): OutgoingRecord & { key: string; value: string } {
  return { key: aggregateKey(aggregate), value: JSON.stringify(aggregate) };
}

/** The final committed result: the last record of every (key, window) in the topic. */
export async function readResults(kafka: Kafka, topic: string): Promise<WindowAggregate[]> {
  const latest = new Map<string, WindowAggregate>();
  await readTopicToEnd(kafka, topic, (record) => {
    if (record.key && record.value) latest.set(record.key.toString(), JSON.parse(record.value.toString()) as WindowAggregate);
  });
  return [...latest.values()];
}
