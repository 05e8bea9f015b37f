import { describe, expect, it } from 'vitest';
import { curatedObjectKey, hourPartition, parseRawObjectKey, partitionOf, rawObjectKey } from '../../../src/lake/raw-zone.ts';

describe('raw zone object keys', () => {
  it('partition by event-time day and hour (UTC)', () => {
    const micros = Date.UTC(2026, 10, 24, 13, 59, 59, 999) * 1000 + 999;
    expect(hourPartition(micros)).toEqual({ dt: '2026-11-24', hour: '13' });
    expect(hourPartition(micros + 1)).toEqual({ dt: '2026-11-24', hour: '14' });
  });

  it('name an object by topic, partition and offset range, and parse back', () => {
    const name = { dt: '2026-11-24', hour: '07', topic: 'tierlab.run-1.events', partition: 2, firstOffset: 100n, lastOffset: 2_000n };
    const key = rawObjectKey(name);
    expect(key).toBe(
      'raw/dt=2026-11-24/hour=07/tierlab.run-1.events+2+00000000000000000100+00000000000000002000.parquet',
    );
    expect(parseRawObjectKey(key)).toEqual(name);
    expect(partitionOf(name)).toBe('dt=2026-11-24/hour=07');
    expect(curatedObjectKey(partitionOf(name))).toBe('curated/dt=2026-11-24/hour=07/aggregates.parquet');
  });

  it('sort by offset as text, so a listing is in offset order', () => {
    const a = rawObjectKey({ dt: '2026-01-01', hour: '00', topic: 't', partition: 0, firstOffset: 9n, lastOffset: 99n });
    const b = rawObjectKey({ dt: '2026-01-01', hour: '00', topic: 't', partition: 0, firstOffset: 100n, lastOffset: 199n });
    expect([b, a].sort()).toEqual([a, b]);
  });

  it('ignore keys that are not raw objects', () => {
    expect(parseRawObjectKey('raw/dt=2026-01-01/hour=00/_SUCCESS')).toBeUndefined();
    expect(parseRawObjectKey('curated/dt=2026-01-01/hour=00/aggregates.parquet')).toBeUndefined();
  });
});
