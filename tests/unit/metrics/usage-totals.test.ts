import { describe, expect, it } from 'vitest';
import { addUsageTotals, type ProcessUsageTotals } from '../../../src/metrics/resources.ts';

const usage = (cpuSeconds: number, peakRssBytes: number, meanRssBytes: number, samples: number): ProcessUsageTotals => ({
  cpuSeconds,
  peakRssBytes,
  meanRssBytes,
  samples,
});

describe('addUsageTotals', () => {
  it('adds CPU, keeps the larger peak and weights the mean by samples', () => {
    const into = new Map([['tier:streaming', usage(1.5, 300, 100, 1)]]);
    addUsageTotals(into, new Map([['tier:streaming', usage(2.25, 200, 200, 3)]]));
    // (100 * 1 + 200 * 3) / 4 = 175
    expect(into.get('tier:streaming')).toEqual(usage(3.75, 300, 175, 4));
    addUsageTotals(into, new Map([['tier:streaming', usage(0.25, 900, 75, 4)]]));
    // (175 * 4 + 75 * 4) / 8 = 125
    expect(into.get('tier:streaming')).toEqual(usage(4, 900, 125, 8));
  });

  it('copies a name it has not seen, without sharing the object', () => {
    const into = new Map([['kafka', usage(1, 10, 10, 1)]]);
    const added = usage(2, 50, 40, 5);
    addUsageTotals(into, new Map([['generator', added]]));
    expect(into.get('generator')).toEqual(added);
    expect(into.get('generator')).not.toBe(added);
    expect(into.get('kafka')).toEqual(usage(1, 10, 10, 1));
    addUsageTotals(into, new Map([['generator', usage(1, 1, 1, 1)]]));
    expect(added).toEqual(usage(2, 50, 40, 5));
  });

  it('gives a mean of 0, not NaN, when neither side has samples', () => {
    const into = new Map([['s3', usage(0, 0, 0, 0)]]);
    addUsageTotals(into, new Map([['s3', usage(0, 0, 0, 0)]]));
    expect(into.get('s3')).toEqual(usage(0, 0, 0, 0));
  });

  it('changes nothing when there is nothing to add', () => {
    const into = new Map([['s3', usage(1, 2, 3, 4)]]);
    addUsageTotals(into, new Map());
    expect([...into]).toEqual([['s3', usage(1, 2, 3, 4)]]);
  });
});
