import { createHash } from 'node:crypto';
import { encodeEvent, evaluateRules, EventSource, type DatasetProfile } from '../events/index.ts';

/** What a few thousand events of a dataset look like: enough to see its rules fire and its bytes repeat. */
export interface DatasetSample {
  count: number;
  malformed: number;
  distinctKeys: number;
  /** Events each rule flagged. */
  flagged: Record<string, number>;
  /** sha256 of every record in order: the same seed must give the same one. */
  digest: string;
}

/** First event time of a sample, fixed so the digest is the same on every machine (as `tierlab generate --to file`). */
const startMicros = Date.parse('2026-01-05T09:00:00Z') * 1000;

/** `count` events of `profile` from `seed`, one millisecond apart, without Kafka or files. */
export function sampleDataset(profile: DatasetProfile, seed: number, count: number): DatasetSample {
  const source = new EventSource(profile, seed);
  const hash = createHash('sha256');
  const keys = new Set<string>();
  const flagged: Record<string, number> = Object.fromEntries(profile.rules.map((rule) => [rule.name, 0]));
  let malformed = 0;
  for (let i = 0; i < count; i++) {
    const record = source.next(startMicros + i * 1000);
    keys.add(record.key);
    if (!record.valid) {
      malformed++;
      hash.update(record.payload);
      continue;
    }
    hash.update(encodeEvent(record.event));
    for (const name of evaluateRules(record.event, profile.rules)) flagged[name]! += 1;
  }
  return { count, malformed, distinctKeys: keys.size, flagged, digest: hash.digest('hex') };
}
