import { describe, expect, it } from 'vitest';
import { latencyStats, newLatencyHistogram, recordMicros } from '../../../src/metrics/histogram.ts';
import { TierLatency } from '../../../src/metrics/latency.ts';
import type { VisibilityBatch } from '../../../src/tiers/types.ts';

describe('latency histograms', () => {
  it('report exact percentiles within 3 significant digits', () => {
    const histogram = newLatencyHistogram();
    for (let micros = 1; micros <= 1000; micros++) recordMicros(histogram, micros);
    expect(latencyStats(histogram)).toEqual({
      count: 1000,
      p50Micros: 500,
      p90Micros: 900,
      p99Micros: 990,
      p999Micros: 999,
      maxMicros: 1000,
    });
  });

  it('track a day-long latency without overflowing', () => {
    const histogram = newLatencyHistogram();
    recordMicros(histogram, 86_400_000_000);
    expect(latencyStats(histogram).maxMicros / 86_400_000_000).toBeCloseTo(1, 2);
  });

  it('report zeros, not NaN, when empty', () => {
    expect(latencyStats(newLatencyHistogram())).toMatchObject({ count: 0, p99Micros: 0, maxMicros: 0 });
  });
});

/** HDR histograms answer within their precision: 3 significant digits is 0.1%. */
function expectWithinPrecision(actual: number | undefined, expected: number): void {
  expect(Math.abs((actual ?? Number.NaN) - expected) / expected).toBeLessThanOrEqual(0.001);
}

describe('tier latency', () => {
  const batch = (events: VisibilityBatch['events']): VisibilityBatch => ({
    tier: 'microbatch',
    processingStartMicros: 10_000,
    writeStartMicros: 12_000,
    visibleMicros: 15_000,
    events,
  });

  it('splits end-to-end latency into its stages', () => {
    const latency = new TierLatency(0);
    latency.record(batch([{ seq: 1, eventTimeMicros: 1_000, sentMicros: 1_500, readMicros: 3_000 }]));
    const summary = latency.summary();
    expect(summary.count).toBe(1);
    expectWithinPrecision(summary.p50Micros, 14_000);
    const expected = { generatorLag: 500, transport: 1_500, wait: 7_000, processing: 2_000, publish: 3_000 };
    for (const [stage, micros] of Object.entries(expected)) {
      expectWithinPrecision(summary.breakdown[stage as keyof typeof expected], micros);
    }
  });

  it('keeps warm-up events out of the steady state, and counts an event once', () => {
    const latency = new TierLatency(5_000);
    latency.record(batch([{ seq: 1, eventTimeMicros: 1_000, sentMicros: 1_000, readMicros: 2_000 }]));
    latency.record(batch([{ seq: 2, eventTimeMicros: 6_000, sentMicros: 6_000, readMicros: 7_000 }]));
    latency.record(batch([{ seq: 2, eventTimeMicros: 6_000, sentMicros: 6_000, readMicros: 7_000 }]));
    expect(latency.summary().count).toBe(1);
    expect(latency.warmupSummary().count).toBe(1);
    expect(latency.duplicates).toBe(1);
  });

  it('projects batch latency by scaling the wait to the real schedule', () => {
    const latency = new TierLatency(0, { compressedPeriodMs: 10, realPeriodMs: 100 });
    latency.record(batch([{ seq: 1, eventTimeMicros: 1_000, sentMicros: 1_000, readMicros: 3_000 }]));
    // measured 14,000 µs of which 7,000 is wait: projected 14,000 - 7,000 + 70,000
    expectWithinPrecision(latency.projectedSummary()?.p50Micros, 77_000);
  });
});

describe('tier latency across processes', () => {
  it('survives encoding and merges workers exactly', () => {
    const a = new TierLatency(0, { compressedPeriodMs: 10, realPeriodMs: 100 });
    const b = new TierLatency(0, { compressedPeriodMs: 10, realPeriodMs: 100 });
    const visible = (seq: number, visibleMicros: number): VisibilityBatch => ({
      tier: 'batch',
      processingStartMicros: visibleMicros - 10,
      writeStartMicros: visibleMicros - 5,
      visibleMicros,
      events: [{ seq, eventTimeMicros: 0, sentMicros: 1, readMicros: 2 }],
    });
    for (let i = 1; i <= 100; i++) (i % 2 ? a : b).record(visible(i, i * 1000));
    const merged = new TierLatency(0, { compressedPeriodMs: 10, realPeriodMs: 100 });
    merged.merge(a.encode());
    merged.merge(b.encode());
    expect(merged.summary().count).toBe(100);
    expectWithinPrecision(merged.summary().maxMicros, 100_000);
    expect(merged.projectedSummary()?.count).toBe(100);
  });
});
