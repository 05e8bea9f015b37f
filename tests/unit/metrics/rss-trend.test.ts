import { describe, expect, it } from 'vitest';
import { flatWithin, rssTrend } from '../../../src/metrics/rss-trend.ts';

const mib = 2 ** 20;
/** Samples every 5 s for `minutes`, from `at(seconds)`. */
const sampled = (minutes: number, at: (sec: number) => number) => Array.from({ length: minutes * 12 + 1 }, (_, i) => ({ atSec: i * 5, rssBytes: at(i * 5) }));

describe('rssTrend', () => {
  it('finds the slope of a straight line exactly, and its growth from the line', () => {
    // 100 MiB rising 1 MiB a minute for 10 minutes: 10% growth.
    const trend = rssTrend(sampled(10, (sec) => 100 * mib + (sec / 60) * mib));
    expect(trend.slopeBytesPerMin / mib).toBeCloseTo(1, 9);
    expect(trend.growth).toBeCloseTo(0.1, 9);
    expect(trend).toMatchObject({ samples: 121, startRssBytes: 100 * mib, endRssBytes: 110 * mib, peakRssBytes: 110 * mib });
  });

  it('calls growth up to 10% flat and more growing', () => {
    expect(flatWithin).toBe(0.1);
    expect(rssTrend(sampled(10, (sec) => 100 * mib + (sec / 60) * 0.99 * mib)).verdict).toBe('flat');
    expect(rssTrend(sampled(10, (sec) => 100 * mib + (sec / 60) * 1.01 * mib)).verdict).toBe('growing');
    // Shrinking is flat too: memory handed back is no leak.
    const shrinking = rssTrend(sampled(10, (sec) => 200 * mib - (sec / 60) * 5 * mib));
    expect(shrinking.growth).toBeLessThan(0);
    expect(shrinking.verdict).toBe('flat');
  });

  it('is not swayed by a saw-tooth at either end: the fitted line decides, not the first and last samples', () => {
    // A garbage collector's saw-tooth of 40 MiB around a flat 150 MiB, starting low and ending at a peak.
    const trend = rssTrend(sampled(10, (sec) => 130 * mib + ((sec % 60) / 55) * 40 * mib).slice(0, -1));
    expect((trend.endRssBytes - trend.startRssBytes) / trend.startRssBytes).toBeGreaterThan(0.3);
    expect(Math.abs(trend.growth)).toBeLessThan(0.05);
    expect(trend.verdict).toBe('flat');
  });

  it('cannot tell from fewer than three samples, or none apart in time', () => {
    expect(rssTrend([]).verdict).toBe('unknown');
    expect(rssTrend([{ atSec: 0, rssBytes: mib }, { atSec: 5, rssBytes: 9 * mib }])).toMatchObject({ verdict: 'unknown', growth: 0, slopeBytesPerMin: 0, samples: 2 });
    expect(rssTrend([0, 0, 0].map((atSec) => ({ atSec, rssBytes: mib }))).verdict).toBe('unknown');
  });
});
