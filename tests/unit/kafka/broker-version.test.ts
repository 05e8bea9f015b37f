import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kafkaVersionFrom, newestKnownRelease, probeKafkaVersion, type ApiVersionsAnswer } from '../../../src/kafka/broker-version.ts';
import { pinned } from '../../../src/services/versions.ts';

const kafka431 = JSON.parse(readFileSync(new URL('../../fixtures/kafka-apiversions-4.3.1.json', import.meta.url), 'utf8')) as ApiVersionsAnswer;

/** The answer of a broker that serves only the given client API versions and no features (ZooKeeper mode). */
const serving = (versions: Record<number, number>): ApiVersionsAnswer => ({
  apiKeys: Object.entries(versions).map(([apiKey, maxVersion]) => ({ apiKey: Number(apiKey), maxVersion })),
});

describe('the Kafka release an ApiVersions answer supports', () => {
  it('names 4.3 for a real 4.3.1 broker, from its metadata.version', () => {
    expect(kafkaVersionFrom(kafka431)).toEqual({
      state: 'known',
      version: 'at least 4.3',
      basis: 'ApiVersions: the broker supports metadata.version up to 4.3-IV0 (level 30)',
    });
  });

  it('falls back on API versions when the same broker lists no features', () => {
    // 4.3 changed no client API this table marks, so its API versions alone say 4.2.
    expect(kafkaVersionFrom({ apiKeys: kafka431.apiKeys }).version).toBe('at least 4.2');
  });

  it.each([
    [1, 'at least 3.0', '3.0-IV1'],
    [7, 'at least 3.3', '3.3-IV3'],
    [21, 'at least 3.9', '3.9-IV0'],
    [25, 'at least 4.0', '4.0-IV3'],
    [29, 'at least 4.2', '4.2-IV1'],
  ])('reads metadata.version level %i as %s', (level, version, name) => {
    const guess = kafkaVersionFrom({ apiKeys: [], supportedFeatures: [{ name: 'metadata.version', maxVersion: level }] });
    expect(guess).toEqual({ state: 'known', version, basis: `ApiVersions: the broker supports metadata.version up to ${name} (level ${level})` });
  });

  it('claims no more than it knows for a level newer than its table', () => {
    const guess = kafkaVersionFrom({ apiKeys: [], supportedFeatures: [{ name: 'metadata.version', maxVersion: 31 }] });
    expect(guess).toMatchObject({ state: 'known', version: 'at least 4.3' });
    expect(guess.state === 'known' && guess.basis).toContain('level 31, newer than 4.3-IV0');
  });

  it.each([
    [{ 0: 9, 1: 12, 18: 3 }, 'at least 2.8', 'Produce v9'],
    [{ 0: 11, 1: 16, 18: 3 }, 'at least 3.8', 'Produce v11'],
    [{ 0: 11, 1: 17, 18: 4 }, 'at least 3.9', 'ApiVersions v4'],
    [{ 0: 10, 1: 15, 24: 4 }, 'at least 3.7', 'Produce v10'],
    [{ 0: 5, 18: 1 }, 'at least 1.0', 'Produce v5'],
    [{ 0: 2, 18: 0 }, 'at least 0.10', 'ApiVersions v0'],
  ])('reads a ZooKeeper-mode broker serving %j as %s', (versions, version, evidence) => {
    const guess = kafkaVersionFrom(serving(versions));
    expect(guess).toMatchObject({ state: 'known', version });
    expect(guess.state === 'known' && guess.basis).toContain(evidence);
  });

  it('says unknown, and why, when nothing matches', () => {
    expect(kafkaVersionFrom({ apiKeys: [] })).toEqual({
      state: 'unknown',
      version: 'unknown',
      reason: "the broker's ApiVersions answer matches no known Kafka release",
    });
  });

  it('turns a failed request into unknown with the reason, never a throw', async () => {
    const guess = await probeKafkaVersion({ apiVersions: () => Promise.reject(new Error('Connection to b:9092 failed.')) });
    expect(guess).toEqual({ state: 'unknown', version: 'unknown', reason: 'ApiVersions failed: Connection to b:9092 failed.' });
  });

  it('knows the metadata.version levels of the Kafka tierlab pins (extend the table when the pin moves)', () => {
    expect(pinned.kafka.version.startsWith(`${newestKnownRelease}.`)).toBe(true);
  });
});
