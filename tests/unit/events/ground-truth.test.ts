import { describe, expect, it } from 'vitest';
import { compareAggregates, WindowAggregator, type LabEvent } from '../../../src/events/index.ts';

const minute = 60_000_000;
const at = (seq: number, key: string, micros: number, amountCents: number): LabEvent => ({
  seq,
  key,
  eventTimeMicros: micros,
  amountCents,
  attrs: { country: seq % 2 ? 'NG' : 'US' },
});

describe('window aggregates', () => {
  it('count and sum per key and event-time tumbling window', () => {
    const truth = new WindowAggregator(60_000, [{ name: 'risky', field: 'country', op: 'eq', value: 'NG' }]);
    for (const e of [at(0, 'a', 10 * minute, 100), at(1, 'a', 10 * minute + 59_999_999, 200), at(2, 'a', 11 * minute, 5), at(3, 'b', 10 * minute, 7)]) {
      truth.add(e);
    }
    expect(truth.result()).toEqual([
      { key: 'a', windowStartMicros: 10 * minute, count: 2, sumCents: 300, flags: { risky: 1 } },
      { key: 'a', windowStartMicros: 11 * minute, count: 1, sumCents: 5, flags: { risky: 0 } },
      { key: 'b', windowStartMicros: 10 * minute, count: 1, sumCents: 7, flags: { risky: 1 } },
    ]);
  });

  it('compare exactly, listing differing, missing and extra windows', () => {
    const a = { key: 'a', windowStartMicros: 0, count: 2, sumCents: 300, flags: { risky: 1 } };
    const b = { key: 'b', windowStartMicros: 0, count: 1, sumCents: 7, flags: { risky: 0 } };
    const c = { key: 'c', windowStartMicros: 0, count: 1, sumCents: 1, flags: { risky: 0 } };
    expect(compareAggregates([a, b], [b, a])).toEqual({ equal: true, mismatches: [] });
    const result = compareAggregates([a, b], [{ ...a, flags: { risky: 2 } }, c]);
    expect(result.equal).toBe(false);
    expect(result.mismatches.map((m) => [m.key, Boolean(m.expected), Boolean(m.actual)])).toEqual([
      ['a', true, true],
      ['b', true, false],
      ['c', false, true],
    ]);
  });
});
