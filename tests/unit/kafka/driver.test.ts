import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import { floorRowNames } from '../../../src/floor/types.ts';
import { kafkaClientNames, parseKafkaClient } from '../../../src/kafka/driver/types.ts';

describe('choosing the Kafka client', () => {
  it('takes each known client by name', () => {
    for (const name of kafkaClientNames) expect(parseKafkaClient(name)).toBe(name);
  });

  it('rejects another, naming the flag, the value and the choices', () => {
    let error: unknown;
    try {
      parseKafkaClient('rdkafka');
    } catch (caught) {
      error = caught;
    }
    expect(isTierlabError(error, 'BAD_INPUT')).toBe(true);
    expect((error as Error).message).toBe('--kafka-client must be one of kafkajs, platformatic (got "rdkafka")');
  });

  it("gives the floor a round-trip, streaming and micro-batch row for every client (DESIGN.md §6 names)", () => {
    for (const client of kafkaClientNames) {
      expect(floorRowNames).toEqual(expect.arrayContaining([`roundtrip-${client}`, `streaming-${client}`, `microbatch-${client}`]));
    }
  });
});
