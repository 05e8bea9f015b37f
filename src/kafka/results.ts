import type { Kafka } from 'kafkajs';
import type { OutgoingRecord } from './driver/index.ts';
import { aggregateKey, type WindowAggregate } from '../events/index.ts';
import { readTopicToEnd, type TopicRecord } from './read-topic.ts';
import { isBehind, packedHeader, parsePosition, throughHeader, watermarkHeader, type WindowPosition } from './result-format.ts';
import { unpackResults } from './packed-results.ts';

export { isBehind, packedHeader, parsePosition, throughHeader, watermarkHeader, type StoredWindow, type WindowPosition } from './result-format.ts';

/**
 * Streaming's results topic is a changelog: each record is the latest value of one (key, window). It is
 * keyed by that pair, so one window's updates stay in order on one partition. The value is the
 * aggregate alone (what readers compare); a tier that can be restarted adds, in headers, the
 * window's position and the watermark it was judged against. (Micro-batch packs a trigger's
 * windows many to a record instead: packed-results.ts.)
 */
export function resultMessage(
  aggregate: WindowAggregate,
  position?: WindowPosition,
  watermark?: string,
): OutgoingRecord & { key: string; value: string } {
  const message: OutgoingRecord & { key: string; value: string } = { key: aggregateKey(aggregate), value: JSON.stringify(aggregate) };
  if (position) {
    message.headers = watermark === undefined
      ? { [throughHeader]: `${position.partition}:${position.next}` }
      : { [throughHeader]: `${position.partition}:${position.next}`, [watermarkHeader]: watermark };
  }
  return message;
}

/**
 * The final committed result: the newest record of every (key, window) in the topic. Newest by
 * position where records carry one: with several worker processes, one that lost the window's
 * partition in a rebalance may still land a write after the new owner's, further on in the topic
 * but behind it in the source; by topic order where they do not.
 */
export async function readResults(kafka: Kafka, topic: string): Promise<WindowAggregate[]> {
  const latest = new Map<string, { aggregate: WindowAggregate; position: WindowPosition | undefined }>();
  await readTopicToEnd(kafka, topic, (record) => {
    for (const entry of resultEntries(record, topic)) {
      if (isBehind(entry.position, latest.get(entry.id)?.position)) continue;
      latest.set(entry.id, entry);
    }
  });
  return [...latest.values()].map(({ aggregate }) => aggregate);
}

/** One window's value as a results record carries it: its id (`key|windowStartMicros`), and its position and watermark where written. */
export interface ResultEntry {
  id: string;
  aggregate: WindowAggregate;
  position: WindowPosition | undefined;
  watermark: string | undefined;
}

/** The windows one results record carries: one, or, for a packed record (micro-batch), many. */
export function resultEntries(record: TopicRecord, topic: string): ResultEntry[] {
  if (!record.key || !record.value) return [];
  const watermark = record.headers[watermarkHeader];
  if (record.headers[packedHeader] !== undefined) {
    return unpackResults(record.value.toString(), `${topic}/${record.partition}@${record.offset}`).map((window) => ({ ...window, watermark }));
  }
  const aggregate = JSON.parse(record.value.toString()) as WindowAggregate;
  return [{ id: record.key.toString(), aggregate, position: parsePosition(record.headers[throughHeader]), watermark }];
}
