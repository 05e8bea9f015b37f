import { describe, expect, it } from 'vitest';
import { RollingLatency } from '../../../src/metrics/rolling-latency.ts';

describe('rolling latency', () => {
  it('gives p50 and p99 of the last seconds only, to within 1%', () => {
    const rolling = new RollingLatency(10);
    // Second 100: slow results; seconds 105-109: fast ones.
    for (let i = 0; i < 100; i++) rolling.record(2_000_000, 100.5e6);
    for (let s = 105; s < 110; s++) for (let i = 1; i <= 100; i++) rolling.record(i * 1_000, s * 1e6 + 1);
    const both = rolling.percentiles(109.9e6)!;
    expect(both.count).toBe(600);
    expect(both.p99Micros).toBeGreaterThan(1_980_000);
    // Eleven seconds on, the slow second has left the window.
    const recent = rolling.percentiles(111e6)!;
    expect(recent.count).toBe(500);
    expect(recent.p50Micros / 50_000).toBeCloseTo(1, 1);
    expect(recent.p99Micros / 99_000).toBeCloseTo(1, 1);
    expect(rolling.percentiles(200e6)).toBeUndefined();
  });
});
