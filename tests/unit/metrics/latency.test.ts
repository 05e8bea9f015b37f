import { describe, expect, it } from 'vitest';
import { latencyStats, newLatencyHistogram, recordMicros } from '../../../src/metrics/histogram.ts';
import { TierLatency } from '../../../src/metrics/latency.ts';
import type { VisibilityBatch } from '../../../src/tiers/types.ts';
import { heldBytes } from '../heap.ts';

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

  it('records a tier with a projection as measured: the real schedule is computed elsewhere, not sampled here', () => {
    const latency = new TierLatency(0, { compressedPeriodMs: 10, realPeriodMs: 100 });
    latency.record(batch([{ seq: 1, eventTimeMicros: 1_000, sentMicros: 1_000, readMicros: 3_000 }]));
    expect(latency.projection).toEqual({ compressedPeriodMs: 10, realPeriodMs: 100 });
    expectWithinPrecision(latency.summary().p50Micros, 14_000);
    expect(latency).not.toHaveProperty('projected');
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
    expect(merged.projection).toEqual({ compressedPeriodMs: 10, realPeriodMs: 100 });
  });
});

describe('tier latency edge cases', () => {
  const at = (visibleMicros: number, events: VisibilityBatch['events']): VisibilityBatch => ({
    tier: 'streaming',
    processingStartMicros: visibleMicros,
    writeStartMicros: visibleMicros,
    visibleMicros,
    events,
  });
  const event = (seq: number, eventTimeMicros: number) => ({ seq, eventTimeMicros, sentMicros: eventTimeMicros, readMicros: eventTimeMicros });

  it('counts a latency below zero (visible before its event time) and keeps it out of every histogram', () => {
    const latency = new TierLatency(0);
    latency.record(at(15_000, [event(1, 20_000), event(2, 5_000)]));
    const summary = latency.summary();
    expect(summary.negativeCount).toBe(1);
    expect(latency.negativeCount).toBe(1);
    expect(summary.count).toBe(1);
    expectWithinPrecision(summary.maxMicros, 10_000);
    expect(latency.warmupSummary().count).toBe(0);
    for (const stage of Object.values(latency.stages)) expect(stage.totalCount).toBe(1);
  });

  it('keeps a negative latency out of the warm-up histogram too', () => {
    const latency = new TierLatency(100_000);
    latency.record(at(15_000, [event(1, 20_000)]));
    expect(latency.negativeCount).toBe(1);
    expect(latency.warmupSummary().count).toBe(0);
    expect(latency.summary().count).toBe(0);
  });

  it('tracks the earliest event time and the latest visible time', () => {
    const latency = new TierLatency(0);
    expect(latency.firstEventMicros).toBeUndefined();
    expect(latency.lastVisibleMicros).toBeUndefined();
    latency.record(at(40_000, [event(3, 30_000)]));
    latency.record(at(15_000, [event(1, 3_000), event(2, 1_000)]));
    expect(latency.firstEventMicros).toBe(1_000);
    expect(latency.lastVisibleMicros).toBe(40_000);
    expect(latency.encode()).toMatchObject({ firstEventMicros: 1_000, lastVisibleMicros: 40_000 });
    // An empty latency says nothing about a span.
    const empty = new TierLatency(0).encode();
    expect(empty).not.toHaveProperty('firstEventMicros');
    expect(empty).not.toHaveProperty('lastVisibleMicros');
  });

  it('carries the first event and last visible times through encode and merge', () => {
    const a = new TierLatency(0);
    const b = new TierLatency(0);
    a.record(at(15_000, [event(1, 2_000)]));
    a.record(at(25_000, [event(2, 20_000)]));
    b.record(at(60_000, [event(3, 1_000)]));
    const merged = new TierLatency(0);
    merged.merge(a.encode());
    expect(merged.firstEventMicros).toBe(2_000);
    expect(merged.lastVisibleMicros).toBe(25_000);
    merged.merge(b.encode());
    expect(merged.firstEventMicros).toBe(1_000);
    expect(merged.lastVisibleMicros).toBe(60_000);
    expect(merged.encode()).toMatchObject({ firstEventMicros: 1_000, lastVisibleMicros: 60_000 });
  });

  it('carries a projection given to the constructor into a TierLatency built without one', () => {
    const worker = new TierLatency(0, { compressedPeriodMs: 10, realPeriodMs: 100 });
    worker.record({ ...at(15_000, [{ seq: 1, eventTimeMicros: 1_000, sentMicros: 1_000, readMicros: 3_000 }]), processingStartMicros: 10_000, writeStartMicros: 12_000 });
    const encoded = worker.encode();
    expect(encoded.projection).toEqual({ compressedPeriodMs: 10, realPeriodMs: 100 });
    expect(encoded).not.toHaveProperty('projected');
    const merged = new TierLatency(0);
    expect(merged.projection).toBeUndefined();
    merged.merge(encoded);
    expect(merged.projection).toEqual({ compressedPeriodMs: 10, realPeriodMs: 100 });
    expect(merged.summary().count).toBe(1);
    // …and on through a second hop.
    const again = new TierLatency(0);
    again.merge(merged.encode());
    expect(again.projection).toEqual({ compressedPeriodMs: 10, realPeriodMs: 100 });
  });

  it('has no projection when none was given, before or after a merge', () => {
    const plain = new TierLatency(0);
    plain.record(at(15_000, [event(1, 1_000)]));
    expect(plain.projection).toBeUndefined();
    expect(plain.encode()).not.toHaveProperty('projection');
    const merged = new TierLatency(0);
    merged.merge(plain.encode());
    expect(merged.projection).toBeUndefined();
  });

  it('counts an event once by seq, within a batch and across batches, even a negative one', () => {
    const latency = new TierLatency(0);
    latency.record(at(15_000, [event(1, 1_000), event(1, 1_000), event(2, 2_000)]));
    latency.record(at(25_000, [event(2, 2_000), event(3, 30_000), event(3, 30_000)]));
    expect(latency.summary().count).toBe(2);
    expect(latency.duplicates).toBe(3);
    expect(latency.negativeCount).toBe(1);
    // The first sighting counts: the replay's later visible time does not move the latency.
    expectWithinPrecision(latency.summary().maxMicros, 14_000);
    const merged = new TierLatency(0);
    merged.merge(latency.encode());
    merged.merge(latency.encode());
    expect(merged.duplicates).toBe(6);
    expect(merged.negativeCount).toBe(2);
  });
});

describe('tier latency over a long run', () => {
  /** One batch of `size` events, reused with new seqs: visible before their event time, so only the seen check and a count run. */
  const reusable = (size: number) => {
    const events = Array.from({ length: size }, () => ({ seq: 0, eventTimeMicros: 2_000, sentMicros: 2_000, readMicros: 2_000 }));
    const batch: VisibilityBatch = { tier: 'streaming', processingStartMicros: 1_000, writeStartMicros: 1_000, visibleMicros: 1_000, events };
    return { batch, fill: (first: number) => events.forEach((event, i) => (event.seq = first + i)) };
  };

  it("counts each of 2^24 + 1 distinct events once, past V8's limit of 2^24 entries in a Set", () => {
    const latency = new TierLatency(0);
    const { batch, fill } = reusable(1 << 16);
    const total = 2 ** 24 + 1;
    for (let first = 0; first < total; first += 1 << 16) {
      fill(first);
      latency.record(first + batch.events.length > total ? { ...batch, events: batch.events.slice(0, total - first) } : batch);
    }
    expect(latency.negativeCount).toBe(total);
    expect(latency.duplicates).toBe(0);
    // A replay of the first ten events and of the last one is still recognised.
    fill(0);
    latency.record({ ...batch, events: batch.events.slice(0, 10) });
    fill(total - 1);
    latency.record({ ...batch, events: batch.events.slice(0, 1) });
    expect(latency.duplicates).toBe(11);
    expect(latency.negativeCount).toBe(total);
  });

  it('holds well under a byte per event seen', () => {
    const latency = new TierLatency(0);
    const { batch, fill } = reusable(10_000);
    // Every 1,000th seq never becomes visible, as a malformed record's never does.
    const record = (first: number) => {
      fill(first);
      latency.record({ ...batch, events: batch.events.filter((event) => event.seq % 1_000 !== 7) });
    };
    // The histograms' own memory is there before the first event: measured from after it.
    record(0);
    const before = heldBytes();
    const total = 2_000_000;
    for (let first = 10_000; first < total; first += 10_000) record(first);
    const perEvent = (heldBytes() - before) / total;
    expect(latency.negativeCount).toBe(total - total / 1_000);
    expect(perEvent).toBeLessThan(0.1);
  });
});
