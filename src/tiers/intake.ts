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

function sentMicrosOf(message: IncomingRecord): number {
  const header = message.header(sentHeader);
  if (header !== undefined) return Number(header);
  return message.timestampMs * 1000; // producer create time, ms: coarser but honest
}

/** Counts rejections by the first words of their reason, for the tier's health and report. */
export function reasonKey(reason: string): string {
  return reason.split(':')[0]?.slice(0, 60) ?? reason;
}
