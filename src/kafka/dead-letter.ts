import type { Producer } from 'kafkajs';

export interface DeadLetter {
  /** The record as it arrived, byte for byte. */
  key: Buffer | null;
  value: Buffer | null;
  reason: string;
  sourcePartition: number;
  sourceOffset: string;
}

/** Sends rejected records to the tier's dead-letter topic, with why and where they came from. */
export async function sendDeadLetters(producer: Producer, topic: string, tier: string, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await producer.send({
    topic,
    acks: -1,
    messages: letters.map((letter) => ({
      key: letter.key,
      value: letter.value,
      headers: {
        'tierlab-reason': letter.reason,
        'tierlab-tier': tier,
        'tierlab-source': `${letter.sourcePartition}@${letter.sourceOffset}`,
      },
    })),
  });
}
