import { murmur2 as platformaticMurmur2 } from '@platformatic/kafka';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkajsPartitioner, keyPartition, murmur2, platformaticPartitioner } from '../../../src/kafka/partitioner.ts';

const metadataOf = (partitions: number): PartitionMetadata[] =>
  Array.from({ length: partitions }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));

/** Keys of every length up to 64 bytes (each tail length), the lab's own shapes, and multi-byte UTF-8. */
function sampleKeys(): Buffer[] {
  const keys: Buffer[] = [];
  for (let length = 0; length <= 64; length++) keys.push(Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length * 11) & 0xff)));
  for (let i = 0; i < 2_000; i++) keys.push(Buffer.from(`card-${(i * 7919) % 20_000}|${1_796_505_120_000_000 + (i % 7) * 60_000_000}`));
  for (const text of ['é', 'ÿ€', '日本語キー', 'card-ø|1', '\u0000', '🙂🙂🙂']) keys.push(Buffer.from(text));
  return keys;
}

describe("Kafka's default partitioning in 32-bit arithmetic", () => {
  it("hashes every key as @platformatic/kafka's murmur2 does (Java's Utils.murmur2)", () => {
    for (const key of sampleKeys()) expect(murmur2(key), key.toString('hex')).toBe(platformaticMurmur2(key));
  });

  it('places every key where kafkajs places it, for 1 to 12 partitions, given as bytes or as text', () => {
    const theirs = Partitioners.DefaultPartitioner();
    const ours = kafkajsPartitioner();
    for (const partitions of [1, 2, 3, 6, 7, 12]) {
      const partitionMetadata = metadataOf(partitions);
      for (const key of sampleKeys()) {
        const expected = theirs({ topic: 'events', partitionMetadata, message: { key, value: null } });
        expect(ours({ topic: 'events', partitionMetadata, message: { key, value: null } })).toBe(expected);
        expect(ours({ topic: 'events', partitionMetadata, message: { key: key.toString('utf8'), value: null } })).toBe(
          theirs({ topic: 'events', partitionMetadata, message: { key: key.toString('utf8'), value: null } }),
        );
        expect(keyPartition(key, partitions)).toBe(expected);
        // platformatic takes the positive hash modulo the topic's partitions itself.
        expect(platformaticPartitioner(undefined, key) % partitions).toBe(expected);
      }
    }
  });

  it('keeps a partition the record names, and places a record without a key in range', () => {
    const ours = kafkajsPartitioner();
    const partitionMetadata = metadataOf(6);
    expect(ours({ topic: 'events', partitionMetadata, message: { key: 'card-1', value: null, partition: 4 } })).toBe(4);
    for (let i = 0; i < 20; i++) {
      const partition = ours({ topic: 'events', partitionMetadata, message: { key: null, value: null } });
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(6);
    }
    expect(platformaticPartitioner(undefined, undefined)).toBe(0);
  });

  it('spreads the lab keys over the partitions', () => {
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6_000; i++) counts[keyPartition(`card-${i}`, 6)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});
