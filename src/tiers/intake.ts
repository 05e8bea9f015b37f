import { decodeEvent, type LabEvent } from '../events/index.ts';
import { isTierlabError } from '../errors.ts';
import type { DeadLetter } from '../kafka/dead-letter.ts';
import type { IncomingRecord } from '../kafka/driver/index.ts';

/** The header in which the generator's Kafka sink records when it sent the event (µs). */
export const sentHeader = 'tierlab-sent-us';

export interface TakenEvent {
  event: LabEvent;
  sentMicros: number;
  readMicros: number;
  partition: number;
  offset: string;
}

export interface Intake {
  accepted: TakenEvent[];
  rejected: DeadLetter[];
}

/**
 * Decodes one fetched batch: valid events go on, malformed ones become dead letters carrying
 * the decoder's reason. Every record lands in exactly one of the two lists.
 */
export function takeIn(partition: number, messages: IncomingRecord[], readMicros: number, nowMicros: number): Intake {
  const intake: Intake = { accepted: [], rejected: [] };
  for (const message of messages) {
    try {
      if (!message.value) throw new Error('empty record');
      const event = decodeEvent(message.value, nowMicros);
      intake.accepted.push({ event, sentMicros: sentMicrosOf(message), readMicros, partition, offset: message.offset });
    } catch (error) {
      if (!isTierlabError(error) && !(error instanceof Error)) throw error;
      intake.rejected.push({
        key: message.key,
        value: message.value,
        reason: error.message,
        sourcePartition: partition,
        sourceOffset: message.offset,
      });
    }
  }
  return intake;
}

/**
 * The offsets one worker has taken in, per partition. A client that restarts its own consumer
 * (kafkajs, after a broker outage) reads again from the last commit within the same worker:
 * those records are in this worker's windows and counts already, so they are dropped before
 * intake rather than counted, or dead-lettered, twice. A new worker starts empty; the windows it
 * restores are what recognise the records a dead one had applied.
 */
export class TakenOffsets {
  readonly #next = new Map<number, bigint>();

  /** The records of a fetched batch that this worker has not taken in before, in order. */
  fresh(partition: number, records: IncomingRecord[]): IncomingRecord[] {
    const last = records.at(-1);
    if (!last) return records;
    const next = this.#next.get(partition);
    // A batch's offsets rise, so one whose first record is fresh is fresh throughout (the usual case).
    const fresh = next === undefined || BigInt(records[0]!.offset) >= next ? records : records.filter((record) => BigInt(record.offset) >= next);
    const after = BigInt(last.offset) + 1n;
    if (next === undefined || after > next) this.#next.set(partition, after);
    return fresh;
  }

  /** The lowest offset of `partition` this worker can still take in (what it fetches again below it is dropped); undefined before its first record. */
  readFrom(partition: number): number | undefined {
    const next = this.#next.get(partition);
    return next === undefined ? undefined : Number(next);
  }
}

function sentMicrosOf(message: IncomingRecord): number {
  const header = message.header(sentHeader);
  if (header !== undefined) return Number(header);
  return message.timestampMs * 1000; // producer create time, ms: coarser but honest
}

/** Counts rejections by the first words of their reason, for the tier's health and report. */
export function reasonKey(reason: string): string {
  return reason.split(':')[0]?.slice(0, 60) ?? reason;
}
