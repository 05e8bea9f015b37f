import type { OutgoingRecord, RecordProducer } from './driver/index.ts';

export interface DeadLetter {
  /** The record as it arrived, byte for byte. */
  key: Buffer | null;
  value: Buffer | null;
  reason: string;
  sourcePartition: number;
  sourceOffset: string;
}

/** Sends rejected records to the tier's dead-letter topic, with why and where they came from. */
export async function sendDeadLetters(producer: RecordProducer, topic: string, tier: string, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await producer.send(topic, deadLetterRecords(tier, letters));
}

/** The dead-letter topic's records: each rejected record byte for byte, with why and where it came from in headers. */
export function deadLetterRecords(tier: string, letters: DeadLetter[]): OutgoingRecord[] {
  return letters.map((letter) => ({
    key: letter.key,
    value: letter.value,
    headers: {
      'tierlab-reason': letter.reason,
      'tierlab-tier': tier,
      'tierlab-source': `${letter.sourcePartition}@${letter.sourceOffset}`,
    },
  }));
}
