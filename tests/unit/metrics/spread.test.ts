import { describe, expect, it } from 'vitest';
import { compareSpreads, median, spreadOf, tierSpread, type Spread } from '../../../src/metrics/spread.ts';

const spread = (median: number, min: number, max: number, n: number): Spread => ({ median, min, max, n });

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([3, 1, 4, 1, 5])).toBe(3);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
  });

  it('is the value itself for one value, and handles ties and zeros', () => {
    expect(median([7])).toBe(7);
    expect(median([2, 2, 2, 9])).toBe(2);
    expect(median([0, 0, 0])).toBe(0);
  });

  it('sorts numerically, not as text', () => {
    expect(median([100, 9, 20])).toBe(20);
  });

  it('refuses no values rather than invent one', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => spreadOf([])).toThrow(RangeError);
  });

  it('leaves its input in the order given', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('spreadOf', () => {
  it('gives the median, the range and the count', () => {
    expect(spreadOf([12, 10, 15, 11])).toEqual({ median: 11.5, min: 10, max: 15, n: 4 });
    expect(spreadOf([85_000])).toEqual({ median: 85_000, min: 85_000, max: 85_000, n: 1 });
  });
});

describe('tierSpread', () => {
  it('gives each tier and percentile its spread over the repeats that measured it', () => {
    const repeats = [
      { recommendation: 'streaming' as const, tiers: { streaming: { count: 100, p50Micros: 3_000, p99Micros: 80_000, p999Micros: 120_000 } } },
      {
        recommendation: 'streaming' as const,
        tiers: {
          streaming: { count: 100, p50Micros: 3_400, p99Micros: 90_000, p999Micros: 150_000 },
          microbatch: { count: 100, p50Micros: 3_000_000, p99Micros: 5_400_000, p999Micros: 5_900_000 },
        },
      },
      { recommendation: null, tiers: { streaming: { count: 100, p50Micros: 3_200, p99Micros: 85_000, p999Micros: 140_000 } } },
    ];
    expect(tierSpread(repeats)).toEqual({
      streaming: {
        p50Micros: { median: 3_200, min: 3_000, max: 3_400, n: 3 },
        p99Micros: { median: 85_000, min: 80_000, max: 90_000, n: 3 },
        p999Micros: { median: 140_000, min: 120_000, max: 150_000, n: 3 },
      },
      microbatch: {
        p50Micros: { median: 3_000_000, min: 3_000_000, max: 3_000_000, n: 1 },
        p99Micros: { median: 5_400_000, min: 5_400_000, max: 5_400_000, n: 1 },
        p999Micros: { median: 5_900_000, min: 5_900_000, max: 5_900_000, n: 1 },
      },
    });
  });

  it('leaves out a repeat that measured nothing for a tier: no data is not a latency of 0', () => {
    const repeats = [
      { recommendation: null, tiers: { streaming: { count: 0, p50Micros: 0, p99Micros: 0, p999Micros: 0 } } },
      { recommendation: null, tiers: { streaming: { count: 100, p50Micros: 3_000, p99Micros: 80_000, p999Micros: 120_000 } } },
    ];
    expect(tierSpread(repeats).streaming!.p99Micros).toEqual({ median: 80_000, min: 80_000, max: 80_000, n: 1 });
  });

  it('is empty for no repeats', () => {
    expect(tierSpread([])).toEqual({});
  });
});

describe('compareSpreads', () => {
  it('calls B slower when its whole range lies above A', () => {
    expect(compareSpreads(spread(100, 90, 110, 3), spread(200, 150, 250, 3))).toEqual({ ratio: 2, verdict: 'slower' });
  });

  it('calls B faster when its whole range lies below A', () => {
    expect(compareSpreads(spread(200, 150, 250, 3), spread(50, 40, 60, 2))).toEqual({ ratio: 0.25, verdict: 'faster' });
  });

  it('calls a difference within spread when the ranges overlap, even a large one', () => {
    expect(compareSpreads(spread(100, 90, 400, 5), spread(300, 250, 350, 5))).toEqual({ ratio: 3, verdict: 'within spread' });
  });

  it('counts ranges that only touch as overlapping', () => {
    expect(compareSpreads(spread(100, 90, 110, 2), spread(120, 110, 130, 2)).verdict).toBe('within spread');
    expect(compareSpreads(spread(120, 110, 130, 2), spread(100, 90, 110, 2)).verdict).toBe('within spread');
  });

  it('cannot tell from a single run on either side, however large the difference', () => {
    expect(compareSpreads(spread(100, 100, 100, 1), spread(1_000, 900, 1_100, 3))).toEqual({ ratio: 10, verdict: 'cannot tell' });
    expect(compareSpreads(spread(1_000, 900, 1_100, 3), spread(100, 100, 100, 1))).toEqual({ ratio: 0.1, verdict: 'cannot tell' });
    expect(compareSpreads(spread(5, 5, 5, 1), spread(5, 5, 5, 1))).toEqual({ ratio: 1, verdict: 'cannot tell' });
  });

  it('keeps a ratio when a median is zero', () => {
    expect(compareSpreads(spread(0, 0, 0, 2), spread(0, 0, 0, 2))).toEqual({ ratio: 1, verdict: 'within spread' });
    expect(compareSpreads(spread(0, 0, 0, 2), spread(10, 8, 12, 2))).toEqual({ ratio: Infinity, verdict: 'slower' });
    expect(compareSpreads(spread(10, 8, 12, 2), spread(0, 0, 0, 2))).toEqual({ ratio: 0, verdict: 'faster' });
  });

  it('calls identical spreads within spread', () => {
    expect(compareSpreads(spread(100, 90, 110, 4), spread(100, 90, 110, 4))).toEqual({ ratio: 1, verdict: 'within spread' });
  });
});
