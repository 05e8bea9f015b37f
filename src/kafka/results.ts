import type { Kafka } from 'kafkajs';
import type { OutgoingRecord } from './driver/index.ts';
import { aggregateKey, type WindowAggregate } from '../events/index.ts';
import { readTopicToEnd } from './read-topic.ts';

/**
 * How far a window has been applied: every event of its source partition before `next` is in it,
 * none from `next` on. A window's events all come from one source partition, in offset order:
 * the generator keys each record by its entity (the event's key), Kafka's partitioner keeps a
 * key on one partition, and a window's key is its events' key.
 *
 * Offsets are held as numbers, not bigints, to keep the per-event step cheap: exact below 2^53,
 * which a partition does not reach (a million records a second for 285 years).
 */
export interface WindowPosition {
  /** The source partition of the window's events. */
  partition: number;
  /** The offset after the last event applied (what a consumer would commit). */
  next: number;
}

/** A window read back from a results topic, with how far it had been applied when it was written. */
export interface StoredWindow {
  aggregate: WindowAggregate;
  position: WindowPosition;
}

/** The header that carries a result's position, `partition:next`. */
export const throughHeader = 'tierlab-through';
/**
 * The header that carries the watermark (µs) lateness was judged against when a result was
 * written: micro-batch's, one for the tier, set by the trigger that wrote it; streaming's, that of
 * the window's source partition.
 */
export const watermarkHeader = 'tierlab-watermark-us';

/**
 * A results topic is a changelog: each record is the latest value of one (key, window). It is
 * keyed by that pair, so one window's updates stay in order on one partition. The value is the
 * aggregate alone (what readers compare); a tier that can be restarted adds, in headers, the
 * window's position and, for micro-batch, the watermark of the trigger that wrote it.
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
    if (!record.key || !record.value) return;
    const key = record.key.toString();
    const position = parsePosition(record.headers[throughHeader]);
    if (isBehind(position, latest.get(key)?.position)) return;
    latest.set(key, { aggregate: JSON.parse(record.value.toString()) as WindowAggregate, position });
  });
  return [...latest.values()].map(({ aggregate }) => aggregate);
}

/** True when a record at `position` is behind one already read for its window: applied through fewer events of the same partition. */
export function isBehind(position: WindowPosition | undefined, held: WindowPosition | undefined): boolean {
  return position !== undefined && held !== undefined && position.partition === held.partition && position.next < held.next;
}

export function parsePosition(header: string | undefined): WindowPosition | undefined {
  if (header === undefined) return undefined;
  const match = /^(\d+):(\d+)$/.exec(header);
  if (!match) return undefined;
  return { partition: Number(match[1]), next: Number(match[2]) };
}
