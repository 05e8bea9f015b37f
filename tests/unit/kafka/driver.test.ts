import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import { floorRowNames } from '../../../src/floor/types.ts';
import { defaultKafkaClient, parseKafkaClient } from '../../../src/kafka/driver/types.ts';

/* The names are written out here, not built from the code's list: they are what a user types and what floor.json stores. */

describe('choosing the Kafka client', () => {
  it('takes kafkajs and platformatic by name, and platformatic when none is asked for (issue 9)', () => {
    expect(parseKafkaClient('kafkajs')).toBe('kafkajs');
    expect(parseKafkaClient('platformatic')).toBe('platformatic');
    expect(defaultKafkaClient).toBe('platformatic');
  });

  it('rejects another, naming the flag, the value and the choices', () => {
    for (const value of ['rdkafka', 'KafkaJS', '']) {
      let error: unknown;
      try {
        parseKafkaClient(value);
      } catch (caught) {
        error = caught;
      }
      expect(isTierlabError(error, 'BAD_INPUT'), value).toBe(true);
      expect((error as Error).message).toBe(`--kafka-client must be one of kafkajs, platformatic (got "${value}")`);
    }
  });

  it('gives the floor a round-trip, streaming, exactly-once streaming and micro-batch row for each client (the names in docs/outputs.md)', () => {
    expect(floorRowNames).toEqual([
      'kafka-e2e',
      'kafka-producer-perf',
      'roundtrip-kafkajs',
      'microbatch-kafkajs',
      'streaming-kafkajs',
      'streaming-exactly-once-kafkajs',
      'streaming-in-process-kafkajs',
      'roundtrip-platformatic',
      'microbatch-platformatic',
      'streaming-platformatic',
      'streaming-exactly-once-platformatic',
      'streaming-in-process-platformatic',
      'duckdb-local',
      'batch-job',
    ]);
  });
});
